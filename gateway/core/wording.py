"""Which variant of a gateway text a customer gets: the language, formal Spanish when fitting.

Texts are dicts keyed "en", "es" and optionally "es_formal" (usted). The flows remember the
customer's tone in the conversation's `flow_state["tone"]`; gateway-level texts (handoff,
consent keywords, reminders, memory, data rights) follow it so a formal customer is never
switched to tú.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def tone_of(flow_state: Mapping[str, Any] | None) -> str:
    """ "formal" or "casual", as the flows remembered it for the conversation."""
    tone = (flow_state or {}).get("tone")
    return "formal" if tone == "formal" else "casual"


def variant(texts: Mapping[str, T], language: str | None, tone: str = "casual") -> T:
    """The entry for `language` in `tone` ("es_formal"), else the language, else English."""
    lang = (language or "en").split("-")[0].lower()
    for key in (f"{lang}_{tone}", lang, "en"):
        if key in texts:
            return texts[key]
    return next(iter(texts.values()))
