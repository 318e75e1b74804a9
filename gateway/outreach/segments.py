"""Segments from behaviour, kept on `Contact.segments` so staff and campaigns can see them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CompoundSelect, null, union_all
from sqlmodel import Session, col, func, select

from flows.outreach import Activity, compute_segments, segment_rules_from_settings
from gateway.outreach.records import INACTIVE
from gateway.store.models import (
    Appointment,
    Business,
    Contact,
    Conversation,
    Direction,
    Handoff,
    Lead,
    Message,
    Reservation,
    Viewing,
)

INFO_INTENTS = frozenset(
    {"question", "hours", "pricing", "insurance", "menu", "fees", "case_status"}
)
BOOKING_INTENTS = frozenset(
    {"book_appointment", "reserve_table", "book_viewing", "consultation", "reschedule"}
)
LISTING_INTENTS = frozenset({"search_listings", "buy", "rent"})
UNFINISHED_WINDOW = timedelta(days=30)
RECENT_MESSAGES = 500
DONE = frozenset({"completed", "done"})  # inactive, but visits that happened and were worth value


def _messages(session: Session, contact_id: int) -> list[tuple[datetime, Mapping[str, Any]]]:
    rows = session.exec(
        select(Message.created_at, Message.annotations)
        .join(Conversation, col(Conversation.id) == col(Message.conversation_id))
        .where(Conversation.contact_id == contact_id, Message.direction == Direction.IN)
        .order_by(col(Message.id).desc())
        .limit(RECENT_MESSAGES)
    ).all()
    return [(created, ann or {}) for created, ann in rows]


def _bookings(session: Session, contact_id: int) -> list[tuple[datetime, datetime, str, float]]:
    """Every booking of the contact, of any kind, in one statement: (starts, created, status,
    value)."""
    query: CompoundSelect = union_all(
        select(
            Appointment.starts_at, Appointment.created_at, Appointment.status, Appointment.details
        ).where(Appointment.contact_id == contact_id),
        select(
            Reservation.starts_at, Reservation.created_at, Reservation.status, Reservation.details
        ).where(Reservation.contact_id == contact_id),
        select(Viewing.starts_at, Viewing.created_at, Viewing.status, null()).where(
            Viewing.contact_id == contact_id
        ),
    )
    out: list[tuple[datetime, datetime, str, float]] = []
    for starts, created, status, details in session.execute(query).all():
        value = details.get("value", 0) if isinstance(details, dict) else 0
        out.append((starts, created, status, _num(value)))
    return out


def _counts(session: Session, contact_id: int) -> tuple[int, int]:
    """The contact's open leads and its handoffs, in one statement."""
    leads = (
        select(func.count())
        .select_from(Lead)
        .where(Lead.contact_id == contact_id, Lead.status == "open")
        .scalar_subquery()
    )
    handoffs = (
        select(func.count())
        .select_from(Handoff)
        .join(Conversation, col(Conversation.id) == col(Handoff.conversation_id))
        .where(Conversation.contact_id == contact_id)
        .scalar_subquery()
    )
    row = session.execute(select(leads, handoffs)).one()
    return int(row[0] or 0), int(row[1] or 0)


def _num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def activity(session: Session, contact: Contact, now: datetime) -> Activity:
    """Count what a contact did: messages and their intents, bookings, leads, handoffs."""
    assert contact.id is not None
    msgs = _messages(session, contact.id)
    intents = [(t, str(a.get("intent", ""))) for t, a in msgs]
    bookings = _bookings(session, contact.id)
    visits = [b for b in bookings if b[0] < now and b[2] not in INACTIVE | DONE]
    visits += [b for b in bookings if b[2] in DONE]
    upcoming = [b for b in bookings if b[0] >= now and b[2] not in INACTIVE]
    last_booked = max((b[1] for b in bookings), default=None)
    booking_asks = [t for t, i in intents if i in BOOKING_INTENTS and now - t < UNFINISHED_WINDOW]
    unfinished = bool(booking_asks) and (last_booked is None or max(booking_asks) > last_booked)
    leads, handoffs = _counts(session, contact.id)
    times = [t for t, _ in msgs]
    return Activity(
        first_seen=min([contact.created_at, *times]),
        last_inbound=max(times, default=None),
        last_visit=max((b[0] for b in visits), default=None),
        inbound_count=len(msgs),
        active_days=len({t.date() for t in times}),
        visits=len(visits),
        upcoming=len(upcoming),
        value=sum(b[3] for b in bookings if b[2] not in INACTIVE or b[2] in DONE),
        unfinished_booking=unfinished,
        listing_interest=leads + sum(1 for _, i in intents if i in LISTING_INTENTS),
        info_questions=sum(1 for _, i in intents if i in INFO_INTENTS),
        complaints=sum(1 for _, i in intents if i == "complaint"),
        handoffs=handoffs,
    )


def refresh_segments(session: Session, contact_id: int, now: datetime) -> list[str]:
    """Recompute a contact's segments from behaviour and store them on the contact."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        return []
    business = session.get(Business, contact.business_id)
    rules = segment_rules_from_settings(dict(business.settings) if business else {})
    segments = compute_segments(activity(session, contact, now), now, rules)
    if list(contact.segments) != segments:
        contact.segments = segments
        session.add(contact)
    return segments
