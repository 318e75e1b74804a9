"""The worker path: one conversation at a time, in order, each message processed once."""

from __future__ import annotations

import logging

from redis.exceptions import LockError
from sqlmodel import Session, col, select, update

from channels.base import Attachment, Button
from gateway.analytics import csat
from gateway.bot.brain import Brain
from gateway.core.db import session_scope
from gateway.core.errors import AlreadyProcessed, LockTimeout
from gateway.core.runtime import Runtime
from gateway.handoff.requests import request_handoff
from gateway.messaging.inbox import materialize
from gateway.messaging.keywords import before_bot
from gateway.messaging.outbound import Draft, enqueue_send, store_replies
from gateway.outreach.replies import handle_reminder_reply
from gateway.outreach.segments import refresh_segments
from gateway.rights import ask, chat
from gateway.store.models import (
    Business,
    Contact,
    Conversation,
    ConversationState,
    Direction,
    Message,
    MessageStatus,
    utcnow,
)

log = logging.getLogger(__name__)


def process_inbox(rt: Runtime, brain: Brain, inbox_id: int) -> int:
    """Turn an inbox row into its message (once) and process it; how many were processed."""
    message_id = materialize(rt, inbox_id)
    return 0 if message_id is None else process_inbound(rt, brain, message_id)


def process_inbound(rt: Runtime, brain: Brain, message_id: int) -> int:
    """Process `message_id` and any earlier unprocessed message of its conversation, in order.

    Returns how many messages this call processed (0 when another worker already did).
    """
    with session_scope(rt.engine) as session:
        row = session.get(Message, message_id)
        if row is None or row.direction != Direction.IN:
            return 0
        conversation_id = row.conversation_id
    lock = rt.redis.lock(
        f"sb:lock:conv:{conversation_id}",
        timeout=rt.settings.lock_seconds,
        blocking_timeout=rt.settings.lock_seconds,
    )
    if not lock.acquire():
        raise LockTimeout(f"conversation {conversation_id} is busy")
    try:
        processed = 0
        for pending_id in _pending(rt, conversation_id, message_id):
            try:
                reply_ids = _process_one(rt, brain, pending_id)
            except AlreadyProcessed:
                log.warning("message already processed elsewhere", extra={"message_id": pending_id})
                continue
            processed += 1
            for reply_id in reply_ids:
                enqueue_send(rt, reply_id)
        return processed
    finally:
        try:
            lock.release()
        except LockError:
            log.warning(
                "conversation lock expired before release",
                extra={"conversation_id": conversation_id},
            )


def _pending(rt: Runtime, conversation_id: int, up_to: int) -> list[int]:
    with session_scope(rt.engine) as session:
        ids = session.exec(
            select(Message.id)
            .where(
                Message.conversation_id == conversation_id,
                Message.direction == Direction.IN,
                Message.status == MessageStatus.RECEIVED,
                col(Message.id) <= up_to,
            )
            .order_by(col(Message.id))
        ).all()
        return [i for i in ids if i is not None]


def _process_one(rt: Runtime, brain: Brain, message_id: int) -> list[int]:
    """Think and store the replies in the same transaction that marks the message processed."""
    with session_scope(rt.engine) as session:
        message = session.get(Message, message_id)
        if message is None or message.status != MessageStatus.RECEIVED:
            return []
        conv = session.get(Conversation, message.conversation_id)
        business = session.get(Business, message.business_id)
        assert conv is not None and business is not None
        contact = session.get(Contact, conv.contact_id)
        assert contact is not None
        reply_ids: list[int] = []
        # Button replies mapped to their option, consent keywords answered (even with staff).
        keyword_replies = before_bot(rt, session, business, conv, contact, message)
        if keyword_replies is None:  # "send me my data", "delete my data", consent answers
            keyword_replies = chat.before_bot(rt, session, business, conv, contact, message)
        # Then the confirm / reschedule / cancel buttons of a reminder (gateway.outreach).
        reminder_drafts = (
            handle_reminder_reply(session, conv, message) if keyword_replies is None else None
        )
        if keyword_replies is None and reminder_drafts is None:  # a 1-5 satisfaction answer
            reminder_drafts = csat.handle_reply(session, conv, message.payload, message.text)
        if keyword_replies is not None:
            reply_ids = keyword_replies
        elif reminder_drafts is not None:
            reply_ids = store_replies(session, conv, reminder_drafts, reply_to_id=message.id)
        elif conv.state == ConversationState.BOT:
            outcome = brain.think(rt, session, business, conv, contact, message)
            drafts = [
                Draft(
                    text=reply.text,
                    buttons=tuple(Button(id=o.id, title=o.title) for o in reply.options),
                    attachments=(
                        (Attachment(kind="image", url=reply.image_url),) if reply.image_url else ()
                    ),
                )
                for reply in outcome.replies
            ]
            reply_ids = store_replies(session, conv, drafts, reply_to_id=message.id)
            conv.flow_state = dict(outcome.state)
            if not outcome.handoff_reason:  # a person takes over: no question of ours
                ask_drafts = ask.ask_after_booking(session, business, conv, contact, utcnow())
                reply_ids += store_replies(session, conv, ask_drafts, reply_to_id=message.id)
            if outcome.handoff_reason:
                request_handoff(rt, session, conv, outcome.handoff_reason, outcome.handoff_priority)
        message.processed_at = conv.updated_at = utcnow()
        _claim(session, message)
        refresh_segments(session, conv.contact_id, message.processed_at)
        log.info(
            "inbound processed",
            extra={
                "business_id": business.id,
                "channel_id": conv.channel_id,
                "conversation_id": conv.id,
                "message_id": message.id,
                "replies": len(reply_ids),
            },
        )
        return reply_ids


def _claim(session: Session, message: Message) -> None:
    """Mark the message processed only if it still is not: the conversation lock can expire
    (a slow first message, a paused worker), and then this conditional update is what keeps a
    second worker from committing the same replies. PostgreSQL blocks it behind the first
    worker's row lock and finds no row; SQLite refuses a stale writer. Either way: rolled back."""
    claimed = session.execute(
        update(Message)
        .where(col(Message.id) == message.id, col(Message.status) == MessageStatus.RECEIVED)
        .values(status=MessageStatus.PROCESSED, processed_at=message.processed_at)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyProcessed(f"message {message.id}")
