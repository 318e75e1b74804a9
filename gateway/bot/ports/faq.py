"""Answers from the `faq` entries of a business's settings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flows.ports import KnowledgeAnswer
from flows.understanding.text import fold


@dataclass(frozen=True)
class SettingsKnowledge:
    """Answers from the `faq` entries of the business settings (keywords -> en/es answer).

    A stand-in until the business's knowledge base has an ingested source; from then on the
    FAQ entries are passages of its "Business settings" source, answered like the documents.
    """

    faq: Sequence[Mapping[str, Any]]

    def answer(self, question: str, language: str, max_chars: int) -> KnowledgeAnswer:
        """The FAQ entry whose keywords the question mentions most."""
        folded = fold(question)
        best: tuple[int, Mapping[str, Any]] | None = None
        for entry in self.faq:
            hits = sum(
                1
                for k in entry.get("keywords") or ()
                if re.search(rf"(?<!\w){re.escape(fold(str(k)))}", folded)
            )
            if hits and (best is None or hits > best[0]):
                best = (hits, entry)
        if best is None:
            return KnowledgeAnswer("", grounded=False)
        entry = best[1]
        text = str(entry.get(language) or entry.get("en") or "")[:max_chars]
        return KnowledgeAnswer(text, grounded=bool(text), references=("faq",))
