"""The understander of a business, loaded once per process and shared by the brain and the KB."""

from __future__ import annotations

from flows.understanding import TEMPLATES, Understander
from gateway.store.models import Business


def understander_for(business: Business) -> Understander:
    """The (cached) understander for a business's languages and template."""
    template = business.template if business.template in TEMPLATES else None
    return Understander.load(tuple(business.languages) or ("en",), template=template)
