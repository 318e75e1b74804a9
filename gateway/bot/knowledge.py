"""The flows' `Knowledge` port over one business's knowledge base, and the brain's call-out.

`BusinessKnowledge` implements `flows.ports.Knowledge`. Until the flow engine asks the port
itself, `knowledge_reply` (called once from `Brain.think`) answers information questions from
the knowledge base where the engine would only echo; at merge it moves into the engine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from flows.ports import KnowledgeAnswer
from flows.types import Outcome, Reply
from flows.understanding import Annotations
from gateway.core.settings import Settings
from gateway.kb.client import business_key, knowledge_base
from gateway.store.models import Business, KnowledgeSource

if TYPE_CHECKING:
    from knowledge import Answer, KnowledgeBase

log = logging.getLogger(__name__)

# Intents that ask for information the business's documents hold (flows/data/intents/*.yaml).
KNOWLEDGE_INTENTS = frozenset({"question", "hours", "insurance", "pricing", "fees", "menu"})
# Left to the engine even when phrased as a question.
ENGINE_INTENTS = frozenset(
    {
        "greeting", "goodbye", "thanks", "human", "complaint", "opt_out", "affirm", "deny",
        "what_do_you_know", "forget_me", "forget_fact", "emergency",
    }
)  # fmt: skip
_QUESTION_WORDS = frozenset(
    "how what when where which who whom whose why do does did is are can could will would "
    "should may have has cuánto cuanto cuánta cuanta cuántos cuantos cuántas cuantas cuál cual "
    "cuáles cuales qué que dónde donde cuándo cuando cómo como quién quien hay tenéis teneis "
    "tienen hacéis haceis aceptáis aceptais puedo podéis podeis".split()
)
DEFAULT_MAX_CHARS = 700
MAX_CHARS = {"sms": 320}  # two SMS segments at most; chat channels take the default


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


def is_question(text: str) -> bool:
    """Phrased as a question: '?', '¿', or an English/Spanish question word first."""
    stripped = text.strip()
    if stripped.endswith("?") or stripped.startswith("¿"):
        return True
    first = stripped.split(maxsplit=1)[0].lower() if stripped else ""
    return first in _QUESTION_WORDS


def knowledge_reply(
    session: Session,
    business: Business,
    provider: str,
    annotations: Annotations,
    text: str,
    outcome: Outcome,
) -> Outcome:
    """The engine's outcome with its replies replaced by a knowledge answer, when one applies.

    Only for a business with ingested sources. An information intent gets the grounded answer
    with its reference, or the honest decline offering a person. Any other message phrased as
    a question (e.g. "what is your commission for selling?", read as `sell`) gets the answer
    only when it is grounded; otherwise the engine's reply stands. Social and sensitive intents
    (greetings, thanks, a person, complaints, opt-out, memory) are left to the engine.
    """
    info = annotations.intent in KNOWLEDGE_INTENTS
    if not info and (annotations.intent in ENGINE_INTENTS or not is_question(text)):
        return outcome
    if not has_knowledge(session, business):
        return outcome
    from gateway.core.runtime import current_runtime

    port = knowledge_for(current_runtime().settings, business)
    found = port.answer(text, annotations.language, MAX_CHARS.get(provider, DEFAULT_MAX_CHARS))
    log.info(
        "knowledge answer",
        extra={
            "business_id": business.id,
            "intent": annotations.intent,
            "grounded": found.grounded,
            "references": len(found.references),
        },
    )
    if not found.grounded and not info:
        return outcome
    return replace(outcome, replies=(Reply(text=found.text),))


def answer_for(
    settings: Settings, business: Business, question: str, language: str | None = None
) -> dict[str, Any]:
    """A JSON-ready answer for the admin API: text, grounded, references, score, language."""
    if not language:
        from gateway.bot.brain import understander_for

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
