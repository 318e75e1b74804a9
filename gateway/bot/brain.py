"""The bot's mind for one process: understanding, memory and the flow for one message.

Models load once per process (the worker warms them at start), never on the request path.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from flows import engine, memory
from flows.ports import Knowledge
from flows.templates import get_template
from flows.types import BusinessInfo, Outcome, Reply, Turn
from flows.understanding import Annotations, Context
from gateway.bot import escalation
from gateway.bot.knowledge import has_knowledge, knowledge_for, warm_knowledge
from gateway.bot.ports import build_ports
from gateway.bot.understanding import understander_for
from gateway.core.runtime import Runtime
from gateway.core.settings import Settings
from gateway.store.facts import delete_facts, load_facts, save_facts
from gateway.store.models import Business, Contact, Conversation, Direction, Message, utcnow

log = logging.getLogger(__name__)

RECENT_TEXTS = 5
REMEMBERED_CONFIDENCE = 0.9
"""A slot the customer answered in a flow is as good as a clear statement."""


def business_info(business: Business) -> BusinessInfo:
    """The plain view of a business the flows get."""
    return BusinessInfo(
        slug=business.slug,
        name=business.name,
        template=business.template,
        timezone=business.timezone,
        languages=tuple(business.languages) or ("en",),
        settings=dict(business.settings),
    )


@dataclass
class Brain:
    """Runs understanding, memory and the flow for one inbound message.

    Without a knowledge base (no ingested source), the FAQ in the business settings answers.
    """

    def warm(self, session: Session) -> int:
        """Load every business's models now, so the first message is not slow."""
        businesses = session.exec(select(Business)).all()
        for business in businesses:
            understander_for(business)
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
        """Annotate and remember `message`, then decide the replies and the next state."""
        now = utcnow()
        annotations = self.annotate(session, business, conv, contact, message)
        if handed := escalation.escalate(session, business, conv, contact, annotations, now):
            return handed
        language = annotations.language
        facts = load_facts(session, contact)
        returning = bool(facts) and not conv.flow_state.get("turns")
        if annotations.intent in ("forget_me", "forget_fact"):
            return self._memory_reply(session, contact, conv, message, annotations, facts)
        learned = memory.facts_from(
            annotations, message.text, str(message.id), now, contact.display_name
        )
        merged = memory.merge(facts, learned)
        save_facts(session, contact, merged)
        told_us_something = any(f.key != "language" for f in learned)
        if annotations.intent == "what_do_you_know" and not told_us_something:
            return self._memory_reply(session, contact, conv, message, annotations, list(merged))
        turn = Turn(
            business=business_info(business),
            text=message.text,
            payload=message.payload,
            language=language,
            customer_name=_fact_value(merged, "name") or contact.display_name,
            state=dict(conv.flow_state),
            facts={f.key: f.value for f in merged},
            annotations=annotations,
            returning=returning,
            now=now,
        )
        knowledge = _knowledge(rt.settings, session, business)
        ports, _ = build_ports(rt, session, business, contact, conv, knowledge)
        outcome = engine.respond(turn, ports)
        outcome = self._remember(session, contact, message, merged, outcome, now)
        asking = "form" not in outcome.state  # a request under way: the form asks, not us
        if returning and (greeting := memory.welcome_back(merged, language, asking)):
            outcome = Outcome(
                replies=(Reply(text=greeting), *outcome.replies),
                state=outcome.state,
                handoff_reason=outcome.handoff_reason,
                handoff_priority=outcome.handoff_priority,
            )
        return outcome

    def _remember(
        self,
        session: Session,
        contact: Contact,
        message: Message,
        known: tuple[memory.Fact, ...],
        outcome: Outcome,
        now: datetime,
    ) -> Outcome:
        """Store the answers the flow asked to remember (state["remember"]) as profile facts."""
        state = dict(outcome.state)
        answers = state.pop("remember", None) or {}
        if not answers:
            return outcome
        learned = [
            memory.Fact(key, value, REMEMBERED_CONFIDENCE, str(message.id), now)
            for key, value in answers.items()
        ]
        save_facts(session, contact, memory.merge(known, learned))
        if "name" in answers and not contact.display_name:
            contact.display_name = str(answers["name"])
        return Outcome(
            replies=outcome.replies,
            state=state,
            handoff_reason=outcome.handoff_reason,
            handoff_priority=outcome.handoff_priority,
        )

    def annotate(
        self,
        session: Session,
        business: Business,
        conv: Conversation,
        contact: Contact,
        message: Message,
    ) -> Annotations:
        """Read the message and store what was understood on it, the conversation and contact."""
        ctx = Context(
            timezone=business.timezone,
            default_country=business.country,
            language=conv.language or contact.language,
            now=utcnow(),
            profile_name=contact.display_name,
            recent_texts=_recent_texts(session, conv, message),
        )
        annotations = understander_for(business).annotate(message.text, ctx)
        message.annotations = annotations.to_dict()
        conv.language = contact.language = annotations.language
        return annotations

    def _memory_reply(
        self,
        session: Session,
        contact: Contact,
        conv: Conversation,
        message: Message,
        annotations: Annotations,
        facts: list[memory.Fact],
    ) -> Outcome:
        language = annotations.language
        state = dict(conv.flow_state) | {"turns": int(conv.flow_state.get("turns", 0)) + 1}
        if annotations.intent == "what_do_you_know":
            return Outcome(replies=(Reply(text=memory.render_known(facts, language)),), state=state)
        request = memory.parse_forget(message.text) or memory.ForgetRequest(everything=True)
        _, removed = memory.apply_forget(facts, request)
        delete_facts(session, contact, None if request.everything else [f.key for f in removed])
        if request.everything:
            # "" (not None): erased, so the channel's profile name is not taken back on the
            # next message (resolve_contact only fills a name never set)
            contact.display_name = ""
        log.info(
            "profile facts forgotten",
            extra={
                "business_id": contact.business_id,
                "contact_id": contact.id,
                "everything": request.everything,
                "removed": len(removed),
            },
        )
        text = memory.forget_confirmation(request, removed, language)
        return Outcome(replies=(Reply(text=text),), state=state)


def _knowledge(settings: Settings, session: Session, business: Business) -> Knowledge | None:
    """The business's knowledge base, when it has ingested sources."""
    if not has_knowledge(session, business):
        return None
    return knowledge_for(settings, business)


def _fact_value(facts: tuple[memory.Fact, ...], key: str) -> Any:
    return next((f.value for f in facts if f.key == key), None)


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
