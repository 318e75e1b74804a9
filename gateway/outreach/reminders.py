"""Reminder rows that follow their booking, and one-off proactive rows (recalls, follow-ups).

Call `sync_reminders` in the transaction that books, moves or cancels a booking, commit, then
`schedule_rows(rt, ids)` with what it returned. Each reminder row carries a `key` in its payload
("reminder:24", "reminder:2", "feedback") and the booking time it was made for, so moving a
booking moves its rows, a removed offset cancels its row, and a reminder already sent for the
same booking time is not made again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from flows.outreach import (
    REMINDER,
    policy_from_settings,
    reminder_due,
    reminder_offsets,
    zone,
)
from gateway.outreach.records import BookingView, load_booking, record_model
from gateway.outreach.scheduling import PENDING, schedule_rows
from gateway.store.models import Business, Contact, Conversation, ScheduledMessage, utcnow

__all__ = [
    "sync_reminders",
    "schedule_rows",
    "schedule_proactive",
    "cancel_rows",
    "cancel_for_opt_out",
]

CANCELLED = "cancelled"
FEEDBACK = "feedback"


def _rows_of(session: Session, kind: str, record_id: int) -> list[ScheduledMessage]:
    return list(
        session.exec(
            select(ScheduledMessage).where(
                ScheduledMessage.related_type == kind,
                ScheduledMessage.related_id == record_id,
                col(ScheduledMessage.kind).in_((REMINDER, FEEDBACK)),
            )
        ).all()
    )


def cancel_rows(rows: list[ScheduledMessage], reason: str) -> None:
    """Mark pending rows cancelled with why (their jobs will find nothing to send)."""
    for row in rows:
        if row.status == PENDING:
            row.status = CANCELLED
            row.status_reason = reason


def cancel_for_opt_out(session: Session, business_id: int, contact_id: int, network: str) -> int:
    """Cancel what is pending for a contact who opted out on a network (reminders, feedback,
    follow-ups, campaigns): the opt-out reply promises nothing more unasked is sent there.
    Rows with no conversation go to the contact's own channel, so they go too. Returns how many."""
    elsewhere = select(Conversation.id).where(
        Conversation.business_id == business_id,
        Conversation.contact_id == contact_id,
        Conversation.network != network,
    )
    rows = session.exec(
        select(ScheduledMessage).where(
            ScheduledMessage.business_id == business_id,
            ScheduledMessage.contact_id == contact_id,
            ScheduledMessage.status == PENDING,
            col(ScheduledMessage.conversation_id).not_in(elsewhere)
            | col(ScheduledMessage.conversation_id).is_(None),
        )
    ).all()
    cancel_rows(list(rows), f"opted out on {network}")
    return len(rows)


def _feedback_conf(settings: Mapping[str, Any]) -> tuple[bool, float, str]:
    outreach = settings.get("outreach")
    raw = outreach.get("feedback") if isinstance(outreach, Mapping) else None
    conf: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    purpose = str(conf.get("purpose", "reminders"))
    try:
        delay = float(conf.get("delay_hours", 3))
    except (TypeError, ValueError):
        delay = 3.0
    return conf.get("enabled", True) is not False, delay, purpose


def _wanted(
    session: Session, booking: BookingView, now: datetime
) -> dict[str, tuple[str, datetime, str, str]]:
    """key -> (row kind, due time, purpose, reason) for what this booking should have."""
    business = session.get(Business, booking.business_id)
    contact = session.get(Contact, booking.contact_id)
    assert business is not None and contact is not None
    settings = dict(business.settings)
    tz = zone(contact.timezone, business.timezone)
    policy = policy_from_settings(settings)
    wanted: dict[str, tuple[str, datetime, str, str]] = {}
    for offset in reminder_offsets(settings):
        due = reminder_due(booking.starts_at, offset, tz, policy, now)
        if due is not None:
            reason = f"{offset:g} h before {booking.kind} {booking.id}"
            wanted[f"reminder:{offset:g}"] = (REMINDER, due, "reminders", reason)
    enabled, delay, purpose = _feedback_conf(settings)
    if enabled:
        end = booking.ends_at or booking.starts_at + timedelta(hours=1)
        due = end + timedelta(hours=delay)
        if due > now:
            wanted[FEEDBACK] = (FEEDBACK, due, purpose, f"after {booking.kind} {booking.id}")
    return wanted


def _same_instant(stored: object, starts_at: datetime) -> bool:
    """Whether a stored ISO time is the booking's time (offsets differ: +01:00 vs +00:00)."""
    if not isinstance(stored, str):
        return False
    try:
        return datetime.fromisoformat(stored) == starts_at
    except ValueError:
        return False


def sync_reminders(session: Session, kind: str, record_id: int) -> list[int]:
    """Create, move or cancel a booking's reminder rows; the ids that need (re)scheduling."""
    record_model(kind)  # an unknown kind raises before anything changes
    rows = _rows_of(session, kind, record_id)
    pending = [r for r in rows if r.status == PENDING]
    booking = load_booking(session, kind, record_id)
    if booking is None:
        cancel_rows(pending, f"{kind} {record_id} no longer exists")
        return []
    if not booking.active:
        cancel_rows(pending, f"{kind} {record_id} is {booking.status}")
        return []
    now = utcnow()
    starts = booking.starts_at.astimezone(UTC).isoformat()
    wanted = _wanted(session, booking, now)
    for row in rows:
        if (
            row.status != PENDING
            and row.status != CANCELLED
            and _same_instant(row.payload.get("starts_at"), booking.starts_at)
        ):
            wanted.pop(str(row.payload.get("key")), None)  # already done for this booking time
    changed: list[int] = []
    for row in pending:
        spec = wanted.pop(str(row.payload.get("key")), None)
        if spec is None:
            cancel_rows([row], f"not needed any more for {kind} at {starts}")
            continue
        _, due, purpose, reason = spec
        if row.due_at != due or not _same_instant(row.payload.get("starts_at"), booking.starts_at):
            row.due_at, row.purpose, row.reason = due, purpose, reason
            row.payload = {**row.payload, "starts_at": starts, "original_due_at": due.isoformat()}
            row.conversation_id = booking.conversation_id or row.conversation_id
            row.status_reason = f"moved with the {kind}"
            session.add(row)
            assert row.id is not None
            changed.append(row.id)
    for key, (row_kind, due, purpose, reason) in wanted.items():
        row = ScheduledMessage(
            business_id=booking.business_id,
            contact_id=booking.contact_id,
            conversation_id=booking.conversation_id,
            kind=row_kind,
            purpose=purpose,
            due_at=due,
            reason=reason,
            related_type=kind,
            related_id=record_id,
            payload={"key": key, "starts_at": starts, "original_due_at": due.isoformat()},
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        changed.append(row.id)
    return changed


def schedule_proactive(
    session: Session,
    business_id: int,
    contact_id: int,
    kind: str,
    due_at: datetime,
    purpose: str,
    reason: str,
    payload: Mapping[str, Any] | None = None,
) -> int:
    """Store a one-off proactive message (recall, follow-up, re-engagement...); its row id.

    `payload` may carry `key` (a pending row of the same contact, kind and key is moved instead
    of duplicated), `text_key` (which text to say, default `kind`), `related_type` /
    `related_id` and `conversation_id` (the channel to prefer). Schedule it with
    `schedule_rows(rt, [id])` after commit.
    """
    data = dict(payload or {})
    if due_at.tzinfo is None:
        raise ValueError("due_at must be timezone-aware")
    key = data.get("key")
    if key is not None:
        existing = session.exec(
            select(ScheduledMessage).where(
                ScheduledMessage.business_id == business_id,
                ScheduledMessage.contact_id == contact_id,
                ScheduledMessage.kind == kind,
                ScheduledMessage.status == PENDING,
            )
        ).all()
        for row in existing:
            if row.payload.get("key") == key and row.id is not None:
                row.due_at, row.reason, row.purpose = due_at, reason, purpose
                row.payload = {**row.payload, **data, "original_due_at": due_at.isoformat()}
                session.add(row)
                return row.id
    row = ScheduledMessage(
        business_id=business_id,
        contact_id=contact_id,
        conversation_id=data.get("conversation_id"),
        kind=kind,
        purpose=purpose,
        due_at=due_at,
        reason=reason,
        related_type=data.get("related_type"),
        related_id=data.get("related_id"),
        payload={**data, "original_due_at": due_at.isoformat()},
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id
