"""Inbox rows of one contact, for the data-rights paths (export, erasure)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from gateway.store.models import Conversation, InboxEvent, Message


def inbox_of(session: Session, business_id: int, convs: Sequence[Conversation]) -> list[InboxEvent]:
    """The contact's inbox rows: those turned into their messages and those still waiting."""
    if not convs:
        return []
    conv_ids = [c.id for c in convs]
    their_messages = select(Message.id).where(col(Message.conversation_id).in_(conv_ids))
    waiting = [
        and_(col(InboxEvent.channel_id) == c.channel_id, col(InboxEvent.sender_id) == c.address)
        for c in convs
    ]
    return list(
        session.exec(
            select(InboxEvent)
            .where(
                InboxEvent.business_id == business_id,
                or_(col(InboxEvent.message_id).in_(their_messages), *waiting),
            )
            .order_by(col(InboxEvent.id))
        ).all()
    )
