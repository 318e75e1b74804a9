"""Retention: message texts and raw payloads older than `settings.retention_days` are blanked
(and the webhook inbox rows of that age deleted).

Per business (`Business.settings["retention_days"]`, a positive number of days; unset or 0
keeps messages forever). The worker enqueues the job once a day (`retention_if_due`). What
remains of an expired message: direction, status, times, and the annotation keys that carry no
personal data (intent, purpose, keyword, language), so counts and segments still work.
Unanswered questions older than that are deleted and CSAT comments blanked.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import redis
from sqlalchemy import delete
from sqlmodel import Session, col, select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import (
    Business,
    CsatRating,
    DeclinedQuestion,
    InboxEvent,
    Message,
    utcnow,
)
from gateway.worker import tasks
from gateway.worker.queueing import enqueue_once

log = logging.getLogger(__name__)

LEASE_KEY = "sb:retention:lease"
EVERY = 24 * 60 * 60
KEPT_ANNOTATIONS = ("intent", "purpose", "keyword", "language", "proactive", "expired")
BATCH = 500


def retention_days(business: Business) -> float | None:
    """The business's retention in days, or None when it keeps messages forever."""
    raw = business.settings.get("retention_days") if business.settings else None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw <= 0:
        return None
    return float(raw)


def _expire_business(session: Session, business: Business, now: datetime) -> int:
    days = retention_days(business)
    if days is None:
        return 0
    cutoff = now - timedelta(days=days)
    _expire_analytics(session, business, cutoff)
    session.execute(
        delete(InboxEvent).where(
            col(InboxEvent.business_id) == business.id, col(InboxEvent.created_at) < cutoff
        )
    )
    done = 0
    while True:
        rows = session.exec(
            select(Message)
            .where(
                Message.business_id == business.id,
                col(Message.created_at) < cutoff,
                col(Message.text) != "",
            )
            .limit(BATCH)
        ).all()
        rows = [*rows, *_raw_left(session, business, cutoff)]
        if not rows:
            return done
        for m in rows:
            kept = {k: v for k, v in m.annotations.items() if k in KEPT_ANNOTATIONS}
            m.text, m.raw, m.payload, m.attachments = "", {}, None, []
            m.annotations = {**kept, "expired": True}
            session.add(m)
        session.flush()
        done += len(rows)


def _expire_analytics(session: Session, business: Business, cutoff: datetime) -> None:
    """Old unanswered questions go; old CSAT comments are blanked (the score stays)."""
    for q in session.exec(
        select(DeclinedQuestion).where(
            DeclinedQuestion.business_id == business.id, col(DeclinedQuestion.created_at) < cutoff
        )
    ).all():
        session.delete(q)
    for r in session.exec(
        select(CsatRating).where(
            CsatRating.business_id == business.id,
            col(CsatRating.asked_at) < cutoff,
            col(CsatRating.comment) != "",
        )
    ).all():
        r.comment = ""
        session.add(r)


def _raw_left(session: Session, business: Business, cutoff: datetime) -> list[Message]:
    """Old messages without text that still hold a raw payload (media, locations, buttons)."""
    rows = session.exec(
        select(Message)
        .where(
            Message.business_id == business.id,
            col(Message.created_at) < cutoff,
            col(Message.text) == "",
        )
        .limit(BATCH)
    ).all()
    return [m for m in rows if m.raw or m.attachments or m.payload]


def apply_retention(rt: Runtime, now: datetime | None = None) -> int:
    """Blank expired messages of every business; how many were blanked."""
    now = now or utcnow()
    total = 0
    with session_scope(rt.engine) as session:
        for business in session.exec(select(Business)).all():
            total += _expire_business(session, business, now)
    if total:
        log.info("retention applied", extra={"messages": total})
    return total


def retention_if_due(rt: Runtime) -> bool:
    """Enqueue the retention job unless one was enqueued in the last day (a Redis lease)."""
    try:
        if not rt.redis.set(LEASE_KEY, "1", nx=True, ex=EVERY):
            return False
        return enqueue_once(rt.queue("scheduled"), tasks.APPLY_RETENTION, "retention-daily", {})
    except redis.RedisError as exc:
        log.warning("retention skipped: redis unavailable", extra={"error": str(exc)})
        return False
