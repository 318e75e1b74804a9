"""Reply texts the gateway itself sends, kept in YAML beside the room that sends them.

The files have the flows' shape (`flows/templates/texts/*.yaml`): a key, then `en`, `es` and
optional `en_formal` / `es_formal` variants; `flows.forms.Texts` picks the variant.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from flows.forms import Texts


@cache
def load_texts(path: Path) -> Texts:
    """The texts of one YAML file (read once per process)."""
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return Texts(
        {str(key): {str(k): str(v) for k, v in variants.items()} for key, variants in data.items()}
    )
