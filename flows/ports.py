"""Small protocols for what the flows need from outside; the gateway provides them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class KnowledgeAnswer:
    """An answer from the business's own documents, or an honest decline (grounded=False)."""

    text: str
    grounded: bool
    references: tuple[str, ...] = ()


class Knowledge(Protocol):
    """Answers a customer's question from the business's knowledge base."""

    def answer(self, question: str, language: str, max_chars: int) -> KnowledgeAnswer:
        """Answer from retrieved passages with a short reference, or decline honestly."""
        ...
