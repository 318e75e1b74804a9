"""Handing a conversation to a person: the record staff work from, and the bot stepping aside."""

from __future__ import annotations

import logging

from sqlmodel import Session, col, select

from gateway.models import Conversation, ConversationState, Handoff, utcnow

log = logging.getLogger(__name__)

OPEN_STATUSES = ("open", "taken")


def open_handoff(session: Session, conv: Conversation) -> Handoff | None:
    """The conversation's unresolved handoff, if any."""
    return session.exec(
        select(Handoff)
        .where(
            Handoff.business_id == conv.business_id,
            Handoff.conversation_id == conv.id,
            col(Handoff.status).in_(OPEN_STATUSES),
        )
        .order_by(col(Handoff.id).desc())
    ).first()


def request_handoff(
    session: Session, conv: Conversation, reason: str, priority: int = 1, summary: str = ""
) -> Handoff:
    """Escalate a conversation (once): the bot stops answering until staff hand it back."""
    existing = open_handoff(session, conv)
    if existing is not None:
        existing.priority = max(existing.priority, priority)
        return existing
    assert conv.id is not None
    handoff = Handoff(
        business_id=conv.business_id,
        conversation_id=conv.id,
        reason=reason,
        priority=priority,
        summary=summary,
    )
    session.add(handoff)
    conv.state = ConversationState.WAITING
    conv.updated_at = utcnow()
    session.flush()
    log.info(
        "handoff requested",
        extra={
            "business_id": conv.business_id,
            "conversation_id": conv.id,
            "handoff_id": handoff.id,
            "reason": reason,
        },
    )
    return handoff
