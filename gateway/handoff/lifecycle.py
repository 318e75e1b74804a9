"""Handing a conversation to a person: the record staff work from, and the bot stepping aside.

Life of a handoff: `request_handoff` (open, conversation waiting_for_staff) -> `take` (taken,
with_staff) -> `resolve` (resolved, conversation closed: the next message starts a new one with
the bot) or `return_to_bot` (returned, the bot resumes the flow where it stood). After the
transaction that opens a handoff commits, staff are notified and a timeout check is scheduled
(`gateway.handoff.jobs`); `handle_timeout` sends the customer a polite word and alerts again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel import Session

from gateway.bot.escalation import (
    business_hours,
    next_opening,
    sorry_text,
    timeout_seconds,
    when_open_text,
)
from gateway.core.db import session_scope
from gateway.core.errors import NotFound
from gateway.core.runtime import Runtime
from gateway.handoff.requests import open_handoff, schedule_timeout_check
from gateway.handoff.summary import build_summary
from gateway.messaging.live import business_topic, publish
from gateway.messaging.outbound import Draft, enqueue_send, store_replies
from gateway.store.models import (
    Business,
    Conversation,
    ConversationState,
    Handoff,
    StaffUser,
    utcnow,
)
from gateway.worker import tasks
from gateway.worker.queueing import safe_enqueue

log = logging.getLogger(__name__)


def take(session: Session, conv: Conversation, staff: StaffUser) -> Handoff:
    """A person takes the conversation (opening a handoff when the bot had it)."""
    _same_business(conv, staff)
    handoff = open_handoff(session, conv)
    if handoff is None:
        assert conv.id is not None
        handoff = Handoff(
            business_id=conv.business_id,
            conversation_id=conv.id,
            reason="staff_took_over",
            priority=1,
            summary=build_summary(session, conv, "staff_took_over"),
        )
        session.add(handoff)
    handoff.status = "taken"
    handoff.assigned_to = staff.id
    handoff.taken_at = handoff.taken_at or utcnow()
    conv.state = ConversationState.STAFF
    conv.updated_at = utcnow()
    session.flush()
    _log("handoff taken", conv, handoff, staff)
    return handoff


def resolve(session: Session, conv: Conversation, staff: StaffUser) -> Handoff | None:
    """Done: the conversation closes; the customer's next message starts a new one with the bot."""
    _same_business(conv, staff)
    handoff = _finish(session, conv, staff, "resolved")
    conv.state = ConversationState.CLOSED
    return handoff


def return_to_bot(session: Session, conv: Conversation, staff: StaffUser) -> Handoff | None:
    """Hand the conversation back: the bot answers the next message, resuming its flow."""
    _same_business(conv, staff)
    handoff = _finish(session, conv, staff, "returned")
    conv.state = ConversationState.BOT
    return handoff


def _finish(session: Session, conv: Conversation, staff: StaffUser, status: str) -> Handoff | None:
    handoff = open_handoff(session, conv)
    now = utcnow()
    if handoff is not None:
        handoff.status = status
        handoff.resolved_at = now
        handoff.assigned_to = handoff.assigned_to or staff.id
        _log(f"handoff {status}", conv, handoff, staff)
    conv.updated_at = now
    return handoff


def _same_business(conv: Conversation, staff: StaffUser) -> None:
    if conv.business_id != staff.business_id:
        raise NotFound("no such conversation")


def _log(event_name: str, conv: Conversation, handoff: Handoff, staff: StaffUser) -> None:
    log.info(
        event_name,
        extra={
            "business_id": conv.business_id,
            "conversation_id": conv.id,
            "handoff_id": handoff.id,
            "staff_id": staff.id,
        },
    )


# --- staff replies and the unanswered-handoff timeout -----------------------------------------


def staff_reply(session: Session, conv: Conversation, staff: StaffUser, text: str) -> list[int]:
    """Store what a person wrote for the customer's own channel; the caller enqueues the sends.

    Replying takes the conversation, so the bot stays quiet while the person is on it.
    """
    _same_business(conv, staff)
    if conv.state != ConversationState.STAFF:
        take(session, conv, staff)
    return store_replies(session, conv, [Draft(text=text)], author=f"staff:{staff.id}")


def handle_timeout(rt: Runtime, handoff_id: int) -> str:
    """Nobody took the handoff in time: a polite word to the customer and a second alert.

    When the business is closed the customer already knows when a person will answer, so the
    check moves to the next opening instead.
    """
    now = utcnow()
    with session_scope(rt.engine) as session:
        handoff = session.get(Handoff, handoff_id)
        if handoff is None or handoff.status != "open" or handoff.alerted_at is not None:
            return "skipped"
        conv = session.get(Conversation, handoff.conversation_id)
        business = session.get(Business, handoff.business_id)
        assert conv is not None and business is not None
        due = handoff.created_at + timedelta(seconds=timeout_seconds(business))
        if now < due:
            _reschedule_timeout(rt, handoff_id, due)
            return "early"
        if when_open_text(business, conv.language, now) is not None:
            opening = _next_opening(business, now)
            if opening is not None:
                _reschedule_timeout(
                    rt, handoff_id, opening + timedelta(seconds=timeout_seconds(business))
                )
                return "closed"
        text = sorry_text(business, conv.language, now, str(conv.flow_state.get("tone", "casual")))
        reply_ids = store_replies(session, conv, [Draft(text=text)], author="system")
        handoff.alerted_at = now
        business_id = business.id
    for reply_id in reply_ids:
        enqueue_send(rt, reply_id)
    safe_enqueue(
        rt.queue("default"),
        tasks.NOTIFY_HANDOFF,
        f"handoff-notify-{handoff_id}-unanswered",
        {"handoff_id": handoff_id, "kind": "unanswered"},
    )
    assert business_id is not None
    publish(rt.redis, business_topic(business_id))
    log.info("handoff unanswered", extra={"handoff_id": handoff_id, "business_id": business_id})
    return "alerted"


def _next_opening(business: Business, now: datetime) -> datetime | None:
    hours = business_hours(business)
    return next_opening(hours, now) if hours else None


def _reschedule_timeout(rt: Runtime, handoff_id: int, at: datetime) -> None:
    schedule_timeout_check(
        rt, handoff_id, at, f"handoff-timeout-{handoff_id}-{int(at.timestamp())}"
    )
