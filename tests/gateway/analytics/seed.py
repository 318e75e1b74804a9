"""Random conversations, messages, handoffs, bookings, consents and ratings for two businesses."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session, select

from gateway.store.models import (
    Appointment,
    Business,
    Channel,
    ConsentEvent,
    Contact,
    Conversation,
    CsatRating,
    DeclinedQuestion,
    Handoff,
    Lead,
    Message,
    utcnow,
)

REASONS = ("asked_for_person", "complaint", "low_confidence")
INTENTS = ("book", "hours", "price", "cancel")


def _at(rng: random.Random, days: int) -> datetime:
    return utcnow() - timedelta(seconds=rng.uniform(0, days * 86400))


def _past(at: datetime) -> datetime:
    return min(at, utcnow() - timedelta(seconds=1))


def _conversation(s: Session, rng: random.Random, channel: Channel, days: int) -> None:
    bid = channel.business_id
    contact = Contact(business_id=bid, display_name=f"P{rng.random()}", created_at=_at(rng, days))
    s.add(contact)
    s.flush()
    start = _at(rng, days)
    conv = Conversation(
        business_id=bid, contact_id=contact.id, channel_id=channel.id, network="webchat",
        address=f"a{rng.random()}", created_at=start,
    )  # fmt: skip
    s.add(conv)
    s.flush()
    at = start
    for _ in range(rng.randint(1, 6)):
        at += timedelta(minutes=rng.uniform(1, 600))
        inbound = rng.random() < 0.5
        s.add(
            Message(
                business_id=bid, conversation_id=conv.id, channel_id=channel.id,
                direction="in" if inbound else "out", status="processed" if inbound else "sent",
                author="customer" if inbound else rng.choice(["bot", "bot", "staff"]),
                annotations={"intent": rng.choice(INTENTS)} if inbound else {},
                created_at=_past(at),
                processed_at=_past(at) + timedelta(seconds=rng.uniform(0.2, 9)) if inbound
                else None,
            )
        )  # fmt: skip
    if rng.random() < 0.4:
        h_at = start + timedelta(minutes=rng.uniform(0, 900))
        s.add(Handoff(business_id=bid, conversation_id=conv.id, reason=rng.choice(REASONS),
                      created_at=_past(h_at)))  # fmt: skip
        if rng.random() < 0.7:
            s.add(
                Message(
                    business_id=bid, conversation_id=conv.id, channel_id=channel.id,
                    direction="out", status="sent", author="staff",
                    created_at=_past(h_at + timedelta(seconds=rng.uniform(5, 7200))),
                )
            )  # fmt: skip
    if rng.random() < 0.3:
        s.add(
            Appointment(
                business_id=bid, contact_id=contact.id,
                conversation_id=conv.id if rng.random() < 0.8 else None, service="cleaning",
                starts_at=start, ends_at=start, created_at=_past(start + timedelta(minutes=3)),
                status=rng.choice(["booked", "cancelled"]),
            )
        )  # fmt: skip
    if rng.random() < 0.2:
        s.add(Lead(business_id=bid, contact_id=contact.id, conversation_id=conv.id,
                   created_at=_past(start + timedelta(minutes=5))))  # fmt: skip
    if rng.random() < 0.2:
        s.add(ConsentEvent(business_id=bid, contact_id=contact.id, network="webchat",
                           purpose="marketing", granted=rng.random() < 0.5,
                           created_at=_past(start + timedelta(minutes=7))))  # fmt: skip
    if rng.random() < 0.3:
        s.add(
            CsatRating(
                business_id=bid, contact_id=contact.id, conversation_id=conv.id,
                channel_id=channel.id, asked_at=_past(at),
                score=rng.choice([None, 1, 2, 3, 4, 5]),
            )
        )  # fmt: skip
    if rng.random() < 0.2:
        s.add(DeclinedQuestion(business_id=bid, contact_id=contact.id, conversation_id=conv.id,
                               text="do you do x?", created_at=_past(at)))  # fmt: skip


def seed(s: Session, rng: random.Random, conversations: int, days: int) -> None:
    """Random activity over the last `days` days on every channel of every business."""
    channels = list(s.exec(select(Channel)).all())
    for _ in range(conversations):
        _conversation(s, rng, rng.choice(channels), days)
    s.flush()


def business(s: Session, slug: str) -> Business:
    """A business by slug."""
    found = s.exec(select(Business).where(Business.slug == slug)).one()
    return found
