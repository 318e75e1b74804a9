"""Answers from the `faq` entries of a business's settings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flows.ports import (
    Knowledge,
    KnowledgeAnswer,
)
from flows.understanding.text import fold


@dataclass(frozen=True)
class SettingsKnowledge:
    """Answers from the `faq` entries of the business settings (keywords -> en/es answer).

    A stand-in until the business has a knowledge base; the knowledge port of the gateway
    takes over when it is configured.
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


@dataclass(frozen=True)
class FaqFirst:
    """The owner's own FAQ answers first (in the customer's language, as configured), then
    the business's documents for everything the FAQ does not cover."""

    faq: SettingsKnowledge
    documents: Knowledge

    def answer(self, question: str, language: str, max_chars: int) -> KnowledgeAnswer:
        """The FAQ's answer when an entry matches, else the documents'."""
        own = self.faq.answer(question, language, max_chars)
        return own if own.grounded else self.documents.answer(question, language, max_chars)
