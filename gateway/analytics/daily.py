"""The numbers of one business's day, counted from the source tables.

A day is the business's local calendar day. Each number is keyed by (channel, metric, key):
the channel is the conversation's channel ("" when none, e.g. opt-outs, which are per network),
the key a breakdown such as a handoff reason, an intent or who created a booking.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, func
from sqlmodel import Session, col, select

from gateway.rights.export import RECORDS
from gateway.store.models import (
    ConsentEvent,
    Conversation,
    CsatRating,
    DeclinedQuestion,
    Direction,
    Handoff,
    Message,
)

Key = tuple[str, str, str]
Counts = defaultdict[Key, float]
CANCELLED = ("cancelled", "canceled")


def day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    """The UTC instants where the business's local `day` starts and the next one starts."""
    zone = ZoneInfo(timezone or "UTC")
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_day(at: datetime, timezone: str) -> date:
    """The business's local calendar day of an instant."""
    return at.astimezone(ZoneInfo(timezone or "UTC")).date()


def _conversations(s: Session, bid: int, start: datetime, end: datetime, out: Counts) -> None:
    rows = s.exec(
        select(Conversation.id, Conversation.channel_id).where(
            Conversation.business_id == bid,
            col(Conversation.created_at) >= start,
            col(Conversation.created_at) < end,
        )
    ).all()
    escalated = set(
        s.exec(
            select(Handoff.conversation_id).where(
                Handoff.business_id == bid,
                col(Handoff.conversation_id).in_([r[0] for r in rows]),
            )
        ).all()
    )
    for conv_id, channel in rows:
        out[(channel, "conversations", "")] += 1
        if conv_id not in escalated:
            out[(channel, "contained", "")] += 1


def _messages(s: Session, bid: int, start: datetime, end: datetime, out: Counts) -> None:
    window = (
        Message.business_id == bid,
        col(Message.created_at) >= start,
        col(Message.created_at) < end,
    )
    grouped = s.exec(
        select(Message.channel_id, Message.direction, Message.author, func.count())
        .where(*window)
        .group_by(Message.channel_id, Message.direction, Message.author)
    ).all()
    for channel, direction, author, n in grouped:
        metric = "messages_in" if direction == Direction.IN else "messages_out"
        out[(channel, metric, author if direction == Direction.OUT else "")] += n
    customers = s.exec(
        select(Message.channel_id, func.count(distinct(col(Message.conversation_id))))
        .where(*window, Message.direction == Direction.IN)
        .group_by(Message.channel_id)
    ).all()
    for channel, n in customers:
        out[(channel, "active_conversations", "")] += n
    people = s.exec(
        select(Message.channel_id, func.count(distinct(col(Conversation.contact_id))))
        .select_from(Message)
        .join(Conversation, col(Conversation.id) == col(Message.conversation_id))
        .where(*window, Message.direction == Direction.IN)
        .group_by(Message.channel_id)
    ).all()
    for channel, n in people:
        out[(channel, "customers", "")] += n
    for channel, created, processed in s.exec(
        select(Message.channel_id, Message.created_at, Message.processed_at).where(
            *window, Message.direction == Direction.IN, col(Message.processed_at).is_not(None)
        )
    ).all():
        if processed is not None:
            out[(channel, "bot_reply_seconds", "")] += (processed - created).total_seconds()
            out[(channel, "bot_replies", "")] += 1
    for channel, notes in s.exec(
        select(Message.channel_id, Message.annotations).where(
            *window, Message.direction == Direction.IN
        )
    ).all():
        intent = (notes or {}).get("intent")
        if isinstance(intent, str) and intent:
            out[(channel, "intent", intent[:64])] += 1


def _handoffs(s: Session, bid: int, start: datetime, end: datetime, out: Counts) -> None:
    rows = s.exec(
        select(Handoff.conversation_id, Handoff.reason, Handoff.created_at, Conversation.channel_id)
        .select_from(Handoff)
        .join(Conversation, col(Conversation.id) == col(Handoff.conversation_id))
        .where(
            Handoff.business_id == bid,
            col(Handoff.created_at) >= start,
            col(Handoff.created_at) < end,
        )
    ).all()
    for conv_id, reason, created, channel in rows:
        out[(channel, "handoffs", (reason or "")[:64])] += 1
        first = s.exec(
            select(func.min(Message.created_at)).where(
                Message.business_id == bid,
                Message.conversation_id == conv_id,
                Message.direction == Direction.OUT,
                Message.author == "staff",
                col(Message.created_at) >= created,
            )
        ).one()
        if first is not None:
            first = first if first.tzinfo else first.replace(tzinfo=UTC)
            out[(channel, "staff_reply_seconds", "")] += (first - created).total_seconds()
            out[(channel, "staff_replies", "")] += 1


def _records(s: Session, bid: int, start: datetime, end: datetime, out: Counts) -> None:
    for kind, table in RECORDS.items():
        rows = s.exec(
            select(table.conversation_id, table.status, Conversation.channel_id)
            .select_from(table)
            .join(Conversation, col(Conversation.id) == col(table.conversation_id), isouter=True)
            .where(
                table.business_id == bid,
                col(table.created_at) >= start,
                col(table.created_at) < end,
            )
        ).all()
        for conv_id, status, channel in rows:
            who = "bot" if conv_id is not None else "staff"
            out[(channel or "", kind, who)] += 1
            if status in CANCELLED:
                out[(channel or "", f"{kind}_cancelled", "")] += 1


def _people(s: Session, bid: int, start: datetime, end: datetime, out: Counts) -> None:
    for network, n in s.exec(
        select(ConsentEvent.network, func.count())
        .where(
            ConsentEvent.business_id == bid,
            ConsentEvent.granted == False,  # noqa: E712  (SQL comparison)
            col(ConsentEvent.created_at) >= start,
            col(ConsentEvent.created_at) < end,
        )
        .group_by(ConsentEvent.network)
    ).all():
        out[("", "opt_outs", network)] += n
    for channel, score in s.exec(
        select(CsatRating.channel_id, CsatRating.score).where(
            CsatRating.business_id == bid,
            col(CsatRating.asked_at) >= start,
            col(CsatRating.asked_at) < end,
        )
    ).all():
        out[(channel, "csat_asked", "")] += 1
        if score is not None:
            out[(channel, "csat_answered", "")] += 1
            out[(channel, "csat_score_sum", "")] += score
            out[(channel, "csat_score", str(score))] += 1
    for channel, n in s.exec(
        select(Conversation.channel_id, func.count())
        .select_from(DeclinedQuestion)
        .join(Conversation, col(Conversation.id) == col(DeclinedQuestion.conversation_id))
        .where(
            DeclinedQuestion.business_id == bid,
            col(DeclinedQuestion.created_at) >= start,
            col(DeclinedQuestion.created_at) < end,
        )
        .group_by(Conversation.channel_id)
    ).all():
        out[(channel, "unanswered", "")] += n


def count_day(session: Session, business_id: int, timezone: str, day: date) -> Counts:
    """Every number of one local day, straight from the source tables."""
    start, end = day_bounds(day, timezone)
    out: Counts = defaultdict(float)
    for part in (_conversations, _messages, _handoffs, _records, _people):
        part(session, business_id, start, end, out)
    return out
