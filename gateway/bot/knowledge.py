"""The flows' `Knowledge` port over one business's knowledge base, and the admin API's answer.

`BusinessKnowledge` implements `flows.ports.Knowledge`; the flow engine asks it when a
customer's question is one the business's documents may answer. `knowledge_port` is the one
answer path: the chat's port and the admin API's `ask` both come from it, so they give the same
answer. Configured FAQ entries are passages of the "Business settings" source beside the
documents (see `knowledge.settings`); only before any source is ingested do they answer alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from flows.ports import Knowledge, KnowledgeAnswer
from gateway.bot.llm import chat_model_for
from gateway.bot.ports.faq import SettingsKnowledge
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


def knowledge_port(settings: Settings, session: Session, business: Business) -> Knowledge | None:
    """The one answer path of a business, for the chat and the admin API alike.

    Its knowledge base once any source is ingested (the settings, FAQ entries included, are
    passages there; with a chat model configured, it writes the answer from them); before that
    its configured FAQ entries; else nothing.
    """
    if has_knowledge(session, business):
        base = knowledge_for(settings, business)
        return BusinessKnowledge(base.base, base.key, chat_model_for(settings, business))
    faq = (business.settings or {}).get("faq") or []
    return SettingsKnowledge(faq) if faq else None


def answer_for(
    settings: Settings,
    business: Business,
    question: str,
    language: str | None = None,
    session: Session | None = None,
) -> dict[str, Any]:
    """A JSON-ready answer for the admin API: text, grounded, references, score, language.

    The same port as the chat's (`knowledge_port`) when a session is given; without one, the
    knowledge base is asked directly.
    """
    if not language:
        language = understander_for(business).language_id.identify(question)
    port = knowledge_port(settings, session, business) if session is not None else None
    if session is None or isinstance(port, BusinessKnowledge):
        found = knowledge_for(settings, business).full_answer(question, language, DEFAULT_MAX_CHARS)
        return _answer_json(question, found)
    return _port_json(question, language, port)


def _answer_json(question: str, found: Answer) -> dict[str, Any]:
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


def _port_json(question: str, language: str, port: Knowledge | None) -> dict[str, Any]:
    """The answer of a port without a knowledge base: the FAQ's, else the honest decline."""
    from knowledge.answers import decline

    said = port.answer(question, language, DEFAULT_MAX_CHARS) if port is not None else None
    if said is None or not said.grounded:
        found = decline(language, 0.0)
        return _answer_json(question, found)
    return {
        "question": question,
        "answer": said.text,
        "grounded": True,
        "score": 1.0,
        "language": language,
        "references": [
            {"label": ref, "title": ref, "page": None, "url": None} for ref in said.references
        ],
    }


def warm_knowledge(session: Session) -> bool:
    """Load the knowledge encoder now when any business has ingested sources."""
    if session.exec(select(KnowledgeSource.id).where(KnowledgeSource.status == "ready")).first():
        from knowledge.embedding import encode

        encode(["warm up"])
        return True
    return False
