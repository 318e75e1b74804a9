"""The flows' `Knowledge` port over one business's knowledge base, and the admin API's answer.

`BusinessKnowledge` implements `flows.ports.Knowledge`; the flow engine asks it when a
customer's question is one the business's documents may answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from flows.ports import KnowledgeAnswer
from gateway.bot.understanding import understander_for
from gateway.core.settings import Settings
from gateway.kb.client import business_key, knowledge_base
from gateway.store.models import Business, KnowledgeSource

if TYPE_CHECKING:
    from knowledge import Answer, KnowledgeBase


DEFAULT_MAX_CHARS = 700


@dataclass(frozen=True)
class BusinessKnowledge:
    """The `Knowledge` port of one business: answers from its own collection only."""

    base: KnowledgeBase
    key: str
    chat_model: Any = None

    def answer(self, question: str, language: str, max_chars: int) -> KnowledgeAnswer:
        """Answer from retrieved passages with a short reference, or decline honestly."""
        found = self.full_answer(question, language, max_chars)
        return KnowledgeAnswer(
            text=found.text,
            grounded=found.grounded,
            references=tuple(r.label(found.language) for r in found.references),
        )

    def full_answer(self, question: str, language: str, max_chars: int) -> Answer:
        """The knowledge package's answer, with scores and passages."""
        return self.base.answer(self.key, question, language, max_chars, self.chat_model)


def knowledge_for(settings: Settings, business: Business) -> BusinessKnowledge:
    """The `Knowledge` port of a business in this process."""
    return BusinessKnowledge(knowledge_base(settings), business_key(business))


def has_knowledge(session: Session, business: Business) -> bool:
    """Whether the business has at least one ingested source (no Chroma touched)."""
    return (
        session.exec(
            select(KnowledgeSource.id).where(
                KnowledgeSource.business_id == business.id, KnowledgeSource.status == "ready"
            )
        ).first()
        is not None
    )


def answer_for(
    settings: Settings, business: Business, question: str, language: str | None = None
) -> dict[str, Any]:
    """A JSON-ready answer for the admin API: text, grounded, references, score, language."""
    if not language:
        language = understander_for(business).language_id.identify(question)
    found = knowledge_for(settings, business).full_answer(question, language, DEFAULT_MAX_CHARS)
    return {
        "question": question,
        "answer": found.text,
        "grounded": found.grounded,
        "score": found.score,
        "language": found.language,
        "references": [
            {
                "label": ref.label(found.language),
                "title": ref.title,
                "page": ref.page,
                "url": ref.url,
            }
            for ref in found.references
        ],
    }


def warm_knowledge(session: Session) -> bool:
    """Load the knowledge encoder now when any business has ingested sources."""
    if session.exec(select(KnowledgeSource.id).where(KnowledgeSource.status == "ready")).first():
        from knowledge.embedding import encode

        encode(["warm up"])
        return True
    return False
