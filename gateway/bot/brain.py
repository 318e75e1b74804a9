"""The bot's mind for one process: understanding, memory and the flow for one message.

Models load once per process (the worker warms them at start), never on the request path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from flows.templates import get_template
from flows.types import Outcome
from flows.understanding import Annotations, Context
from gateway.bot.knowledge import warm_knowledge
from gateway.bot.llm import chat_model_for
from gateway.bot.steps import PIPELINE, Thought
from gateway.bot.understanding import understander_for
from gateway.core.runtime import Runtime
from gateway.store.models import Business, Contact, Conversation, Direction, Message, utcnow

RECENT_TEXTS = 5
UNSURE = 0.5
"""Below this intent confidence, a configured chat model reads the message again."""


@dataclass
class Brain:
    """Runs understanding, memory and the flow for one inbound message.

    Without a knowledge base (no ingested source), the FAQ in the business settings answers.
    """

    def warm(self, session: Session) -> int:
        """Load every business's models now, so the first message is not slow."""
        businesses = session.exec(select(Business)).all()
        for business in businesses:
            # One message through it: the encoder reads its weights on first use (~3 s), which
            # must not land on a customer's first message (or a job's lock).
            understander_for(business).annotate("hello", Context())
            get_template(business.template)
        warm_knowledge(session)
        return len(businesses)

    def think(
        self,
        rt: Runtime,
        session: Session,
        business: Business,
        conv: Conversation,
        contact: Contact,
        message: Message,
    ) -> Outcome:
        """Annotate and remember `message`, then decide the replies and the next state.

        The steps are `gateway.bot.steps.PIPELINE`, in order, until one has the final answer.
        """
        now = utcnow()
        thought = Thought(
            rt=rt,
            session=session,
            business=business,
            conv=conv,
            contact=contact,
            message=message,
            annotations=self.annotate(
                session,
                business,
                conv,
                contact,
                message,
                chat_model_for(rt.settings, business),
                rt.settings.chat_timeout,
            ),
            now=now,
        )
        for step in PIPELINE:
            step(thought)
            if thought.final:
                break
        assert thought.outcome is not None
        return thought.outcome

    def annotate(
        self,
        session: Session,
        business: Business,
        conv: Conversation,
        contact: Contact,
        message: Message,
        chat_model: Any = None,
        llm_timeout: float = 8.0,
    ) -> Annotations:
        """Read the message and store what was understood on it, the conversation and contact.

        With a chat model, a message the offline classifier is unsure of is read again by it.
        """
        ctx = Context(
            timezone=business.timezone,
            default_country=business.country,
            language=conv.language or contact.language,
            now=utcnow(),
            profile_name=contact.display_name,
            recent_texts=_recent_texts(session, conv, message),
        )
        understander = understander_for(business)
        annotations = understander.annotate(message.text, ctx)
        if chat_model is not None and annotations.intent_confidence < UNSURE:
            annotations = understander.with_chat_model(chat_model, llm_timeout).annotate(
                message.text, ctx
            )
        message.annotations = annotations.to_dict()
        conv.language = contact.language = annotations.language
        return annotations


def _recent_texts(session: Session, conv: Conversation, message: Message) -> tuple[str, ...]:
    rows = session.exec(
        select(Message.text)
        .where(
            Message.business_id == conv.business_id,
            Message.conversation_id == conv.id,
            Message.direction == Direction.IN,
            col(Message.id) < message.id,
        )
        .order_by(col(Message.id).desc())
        .limit(RECENT_TEXTS)
    ).all()
    return tuple(reversed(rows))
