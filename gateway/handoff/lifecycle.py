"""Handing a conversation to a person: the record staff work from, and the bot stepping aside.

Life of a handoff: `request_handoff` (open, conversation waiting_for_staff) -> `take` (taken,
with_staff) -> `resolve` (resolved, conversation closed: the next message starts a new one with
the bot) or `return_to_bot` (returned, the bot resumes the flow where it stood). After the
transaction that opens a handoff commits, staff are notified and a timeout check is scheduled
(`gateway.handoff.jobs`); `handle_timeout` sends the customer a polite word and alerts again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import redis
from sqlalchemy import event
from sqlmodel import Session, col, select

from gateway.bot.escalation import (
    business_zone,
    next_opening,
    parse_hours,
    sorry_text,
    timeout_seconds,
    when_open_text,
)
from gateway.core.db import session_scope
from gateway.core.errors import NotFound, SwitchboardError
from gateway.core.runtime import Runtime, current_runtime
from gateway.messaging.live import business_topic, publish
from gateway.messaging.outbound import Draft, enqueue_send, store_replies
from gateway.store.models import (
    Appointment,
    Business,
    Contact,
    Conversation,
    ConversationState,
    Direction,
    Handoff,
    IntakeCase,
    Lead,
    Message,
    ProfileFact,
    Reservation,
    StaffUser,
    Viewing,
    utcnow,
)
from gateway.worker import tasks
from gateway.worker.queueing import enqueue_once, safe_enqueue

log = logging.getLogger(__name__)

OPEN_STATUSES = ("open", "taken")
LAST_MESSAGES = 8
PRIORITY_LABELS = {1: "normal", 2: "high", 3: "urgent"}
_QUIET_INTENTS = {"greeting", "thanks", "goodbye", "affirm", "deny", "unknown", "human"}


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
    """Escalate a conversation (once): the bot stops answering until staff hand it back.

    The summary for the person taking over is written here when the caller gives none. Once
    the transaction commits, staff are notified and the unanswered-handoff timer starts.
    """
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
        summary=summary or build_summary(session, conv, reason),
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
    assert handoff.id is not None
    handoff_id, business_id = handoff.id, conv.business_id
    after_commit(session, lambda: _schedule_jobs(handoff_id, business_id))
    return handoff


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run `action` once the session's transaction commits (never when it rolls back)."""

    def run(_session: Any) -> None:
        try:
            action()
        except (redis.RedisError, SwitchboardError) as exc:
            log.warning("after-commit action failed", extra={"error": str(exc)})

    event.listen(session, "after_commit", run, once=True)


def _schedule_jobs(handoff_id: int, business_id: int) -> None:
    rt = current_runtime()
    with session_scope(rt.engine) as session:
        handoff = session.get(Handoff, handoff_id)
        business = session.get(Business, business_id)
        if handoff is None or business is None:
            return
        created = handoff.created_at
    schedule_handoff_jobs(rt, handoff_id, business, created)


def schedule_handoff_jobs(
    rt: Runtime, handoff_id: int, business: Business, created: datetime
) -> None:
    """Notify staff now, check for an unanswered handoff later, wake the console inbox."""
    safe_enqueue(
        rt.queue("default"),
        tasks.NOTIFY_HANDOFF,
        f"handoff-notify-{handoff_id}",
        {"handoff_id": handoff_id, "kind": "new"},
    )
    due = created + timedelta(seconds=timeout_seconds(business))
    try:
        enqueue_once(
            rt.queue("scheduled"),
            tasks.CHECK_HANDOFF_TIMEOUT,
            f"handoff-timeout-{handoff_id}",
            {"handoff_id": handoff_id},
            at=due,
        )
    except redis.RedisError as exc:
        log.warning("handoff timeout not scheduled", extra={"error": str(exc)})
    assert business.id is not None
    publish(rt.redis, business_topic(business.id))


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


# --- the summary -----------------------------------------------------------------------------


def build_summary(session: Session, conv: Conversation, reason: str = "") -> str:
    """Plain text for the person taking over: who, what they want, mood, what the bot did, last
    messages."""
    contact = session.get(Contact, conv.contact_id)
    lines: list[str] = []
    if reason:
        lines.append(f"Why: {reason.replace('_', ' ')}")
    lines.append("Who: " + _who(session, conv, contact))
    recent = _recent_messages(session, conv, LAST_MESSAGES * 2)
    inbound = [m for m in recent if m.direction == Direction.IN]
    wants = _wants(inbound)
    if wants:
        lines.append("Wants: " + wants)
    mood = _mood(inbound)
    if mood:
        lines.append("Mood: " + mood)
    done = _bot_did(session, conv)
    lines.append("Bot already did: " + ("; ".join(done) if done else "nothing booked or recorded"))
    lines.append("Last messages:")
    for m in recent[-LAST_MESSAGES:]:
        lines.append(f"  {_speaker(m)}: {_clip(m.text or '[' + m.kind + ']', 200)}")
    return "\n".join(lines)


def _who(session: Session, conv: Conversation, contact: Contact | None) -> str:
    if contact is None:
        return f"unknown contact on {conv.network}"
    parts = [contact.display_name or "name unknown", f"via {conv.network}"]
    if contact.phone:
        parts.append(contact.phone)
    if contact.language or conv.language:
        parts.append(f"speaks {conv.language or contact.language}")
    if contact.segments:
        parts.append("segments: " + ", ".join(contact.segments))
    facts = session.exec(
        select(ProfileFact)
        .where(ProfileFact.business_id == conv.business_id, ProfileFact.contact_id == contact.id)
        .order_by(col(ProfileFact.key))
    ).all()
    known = [f"{f.key}={_fact_text(f.value)}" for f in facts if f.key != "language"]
    text = ", ".join(parts)
    return text + (" | knows: " + "; ".join(known) if known else "")


def _fact_text(raw: str) -> str:
    try:
        value = json.loads(raw)
    except ValueError:
        return _clip(raw, 60)
    if isinstance(value, list):
        return _clip(", ".join(str(v) for v in value), 60)
    return _clip(str(value), 60)


def _recent_messages(session: Session, conv: Conversation, limit: int) -> list[Message]:
    rows = session.exec(
        select(Message)
        .where(
            Message.business_id == conv.business_id,
            Message.conversation_id == conv.id,
            Message.kind != "edit",
        )
        .order_by(col(Message.id).desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def _wants(inbound: list[Message]) -> str:
    intents: list[str] = []
    entities: list[str] = []
    for m in inbound[-5:]:
        ann = m.annotations or {}
        intent = ann.get("intent")
        if isinstance(intent, str) and intent not in _QUIET_INTENTS and intent not in intents:
            intents.append(intent)
        for ent in ann.get("entities") or []:
            if isinstance(ent, dict) and ent.get("kind") and ent.get("text"):
                item = f'{ent["kind"]} "{_clip(str(ent["text"]), 40)}"'
                if item not in entities:
                    entities.append(item)
    parts = []
    if intents:
        parts.append(", ".join(i.replace("_", " ") for i in intents))
    if entities:
        parts.append("mentioned " + ", ".join(entities[:6]))
    return "; ".join(parts)


def _mood(inbound: list[Message]) -> str:
    readings = [m.annotations for m in inbound[-5:] if m.annotations]
    if not readings:
        return ""
    frustration = max(float(a.get("frustration", 0.0) or 0.0) for a in readings)
    urgency = max(float(a.get("urgency", 0.0) or 0.0) for a in readings)
    sentiment = float(readings[-1].get("sentiment", 0.0) or 0.0)
    words = []
    if frustration >= 0.7:
        words.append("frustrated")
    elif frustration >= 0.4:
        words.append("annoyed")
    if urgency >= 0.6:
        words.append("urgent")
    if not words:
        words.append("negative" if sentiment < -0.3 else "positive" if sentiment > 0.3 else "calm")
    return (
        f"{', '.join(words)} (frustration {frustration:.2f}, urgency {urgency:.2f}, "
        f"sentiment {sentiment:+.2f})"
    )


def _bot_did(session: Session, conv: Conversation) -> list[str]:
    biz, contact_id = conv.business_id, conv.contact_id
    business = session.get(Business, biz)
    tz = business_zone(business) if business else UTC

    def at(when: datetime) -> str:
        return when.astimezone(tz).strftime("%Y-%m-%d %H:%M")

    done: list[str] = []
    for a in session.exec(
        select(Appointment)
        .where(Appointment.business_id == biz, Appointment.contact_id == contact_id)
        .order_by(col(Appointment.starts_at).desc())
        .limit(3)
    ).all():
        urgent = ", urgent" if a.urgent else ""
        done.append(f"appointment {a.service} {at(a.starts_at)} ({a.status}{urgent})")
    for r in session.exec(
        select(Reservation)
        .where(Reservation.business_id == biz, Reservation.contact_id == contact_id)
        .order_by(col(Reservation.starts_at).desc())
        .limit(3)
    ).all():
        done.append(f"table for {r.party_size} {at(r.starts_at)} ({r.status})")
    for v in session.exec(
        select(Viewing)
        .where(Viewing.business_id == biz, Viewing.contact_id == contact_id)
        .order_by(col(Viewing.starts_at).desc())
        .limit(3)
    ).all():
        done.append(f"viewing of listing {v.listing_id} {at(v.starts_at)}")
    for lead in session.exec(
        select(Lead)
        .where(Lead.business_id == biz, Lead.contact_id == contact_id)
        .order_by(col(Lead.id).desc())
        .limit(2)
    ).all():
        budget = f", budget {lead.budget:,.0f}" if lead.budget else ""
        done.append(f"lead {lead.operation or '?'} score {lead.score}{budget} ({lead.status})")
    for case in session.exec(
        select(IntakeCase)
        .where(IntakeCase.business_id == biz, IntakeCase.contact_id == contact_id)
        .order_by(col(IntakeCase.id).desc())
        .limit(2)
    ).all():
        court = f", court date {case.court_date:%Y-%m-%d}" if case.court_date else ""
        text = f"intake {case.practice_area} ({case.priority}{court})"
        if case.summary:
            text += ": " + _clip(case.summary, 160)
        done.append(text)
    return done


def _speaker(m: Message) -> str:
    if m.direction == Direction.IN:
        return "Customer"
    if m.author.startswith("staff:"):
        return "Staff"
    return "Bot"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def priority_label(priority: int) -> str:
    """A word for a priority number."""
    return PRIORITY_LABELS.get(priority, "urgent" if priority > 3 else "normal")


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
            opening = _next_opening(business, now, business_zone(business))
            if opening is not None:
                _reschedule_timeout(
                    rt, handoff_id, opening + timedelta(seconds=timeout_seconds(business))
                )
                return "closed"
        text = sorry_text(business, conv.language, now)
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


def _next_opening(business: Business, now: datetime, tz: tzinfo) -> datetime | None:
    hours = parse_hours((business.settings or {}).get("hours"))
    return next_opening(hours, now.astimezone(tz)) if hours else None


def _reschedule_timeout(rt: Runtime, handoff_id: int, at: datetime) -> None:
    try:
        enqueue_once(
            rt.queue("scheduled"),
            tasks.CHECK_HANDOFF_TIMEOUT,
            f"handoff-timeout-{handoff_id}-{int(at.timestamp())}",
            {"handoff_id": handoff_id},
            at=at,
        )
    except redis.RedisError as exc:
        log.warning("handoff timeout not rescheduled", extra={"error": str(exc)})
