"""Finds who is owed a proactive message and stores it as a row (follow-ups, recalls, regulars).

Runs every few minutes from the worker. Each planned row carries a `key`, so planning twice
never duplicates a row. Everything here is "marketing": it needs the customer's grant, and the
frequency cap and quiet hours apply when it goes out. Settings (`settings["outreach"]`):
`follow_up_days` (3), `unfinished_booking_hours` (24), `recall_months` (6, dental cleanings),
`regular_visits` (3) and `regular_days` (30) for restaurant regulars, `re_engagement`
(`{"enabled": false}`; when on, at-risk contacts get one message per 90 days).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import redis
from sqlmodel import Session, col, select

from flows.outreach import MARKETING
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.outreach.records import INACTIVE
from gateway.outreach.reminders import schedule_proactive
from gateway.outreach.scheduling import schedule_rows
from gateway.store.models import Appointment, Business, Contact, Lead, Reservation, ScheduledMessage

log = logging.getLogger(__name__)

LEASE_KEY = "sb:outreach:plan:lease"
PLAN_EVERY = 300
CLEANING_WORDS = ("clean", "limpieza", "higiene", "hygiene")


def _conf(business: Business) -> Mapping[str, Any]:
    raw = business.settings.get("outreach")
    return raw if isinstance(raw, Mapping) else {}


def _num(conf: Mapping[str, Any], key: str, default: float) -> float:
    try:
        return float(conf.get(key, default))
    except (TypeError, ValueError):
        return default


def _has_key(session: Session, contact_id: int, kind: str, key: str) -> bool:
    rows = session.exec(
        select(ScheduledMessage.payload).where(
            ScheduledMessage.contact_id == contact_id, ScheduledMessage.kind == kind
        )
    ).all()
    return any(p.get("key") == key for p in rows)


def _add(
    session: Session,
    b: Business,
    contact_id: int,
    kind: str,
    due: datetime,
    reason: str,
    **extra: Any,
) -> int | None:
    key = str(extra["key"])
    if _has_key(session, contact_id, kind, key):
        return None
    assert b.id is not None
    return schedule_proactive(session, b.id, contact_id, kind, due, MARKETING, reason, extra)


def plan_business(session: Session, b: Business, now: datetime) -> list[int]:
    """Store the rows one business owes its customers now; the new row ids."""
    assert b.id is not None
    conf = _conf(b)
    ids: list[int | None] = []
    follow_days = _num(conf, "follow_up_days", 3)
    quiet_leads = session.exec(
        select(Lead).where(
            Lead.business_id == b.id,
            Lead.status == "open",
            col(Lead.updated_at) < now - timedelta(days=follow_days),
        )
    ).all()
    for lead in quiet_leads:
        contact = session.get(Contact, lead.contact_id)
        if (
            contact
            and contact.last_seen_at
            and contact.last_seen_at > now - timedelta(days=follow_days)
        ):
            continue
        ids.append(
            _add(
                session,
                b,
                lead.contact_id,
                "follow_up",
                now,
                f"lead {lead.id}: no answer in {follow_days:g} days",
                key=f"lead:{lead.id}",
                related_type="lead",
                related_id=lead.id,
                conversation_id=lead.conversation_id,
            )
        )
    hours = _num(conf, "unfinished_booking_hours", 24)
    stalled = session.exec(
        select(Contact).where(
            Contact.business_id == b.id,
            col(Contact.last_seen_at) < now - timedelta(hours=hours),
            col(Contact.last_seen_at) > now - timedelta(days=7),
        )
    ).all()
    for contact in stalled:
        if "high-intent" in contact.segments and contact.id is not None and contact.last_seen_at:
            ids.append(
                _add(
                    session,
                    b,
                    contact.id,
                    "follow_up",
                    now,
                    "a booking left half-finished",
                    key=f"unfinished:{contact.last_seen_at.date()}",
                    text_key="unfinished_booking",
                )
            )
    if b.template == "dental":
        months = _num(conf, "recall_months", 6)
        cleanings = session.exec(
            select(Appointment).where(
                Appointment.business_id == b.id, col(Appointment.starts_at) < now
            )
        ).all()
        for appt in cleanings:
            if appt.status in INACTIVE - {"completed", "done"}:
                continue
            if any(w in appt.service.lower() for w in CLEANING_WORDS):
                due = appt.starts_at + timedelta(days=30.4 * months)
                ids.append(
                    _add(
                        session,
                        b,
                        appt.contact_id,
                        "recall",
                        max(due, now),
                        f"check-up {months:g} months after cleaning {appt.id}",
                        key=f"recall:{appt.id}",
                        related_type="appointment",
                        related_id=appt.id,
                        conversation_id=appt.conversation_id,
                    )
                )
    if b.template == "restaurant":
        ids += _regulars(session, b, conf, now)
    re_conf = conf.get("re_engagement")
    if isinstance(re_conf, Mapping) and re_conf.get("enabled"):
        for contact in session.exec(select(Contact).where(Contact.business_id == b.id)).all():
            if "at-risk" in contact.segments and contact.id is not None:
                period = int(now.timestamp() // (90 * 86400))
                ids.append(
                    _add(
                        session,
                        b,
                        contact.id,
                        "re_engagement",
                        now,
                        "at-risk: quiet for a long time",
                        key=f"re:{period}",
                    )
                )
    return [i for i in ids if i is not None]


def _regulars(
    session: Session, b: Business, conf: Mapping[str, Any], now: datetime
) -> list[int | None]:
    visits = _num(conf, "regular_visits", 3)
    days = _num(conf, "regular_days", 30)
    by_contact: dict[int, list[Reservation]] = {}
    for r in session.exec(select(Reservation).where(Reservation.business_id == b.id)).all():
        if r.status not in INACTIVE or r.status in ("completed", "done"):
            by_contact.setdefault(r.contact_id, []).append(r)
    out: list[int | None] = []
    for contact_id, rows in by_contact.items():
        past = [r for r in rows if r.starts_at < now]
        if len(past) < visits or any(r.starts_at >= now for r in rows):
            continue
        last = max(r.starts_at for r in past)
        if now - last < timedelta(days=days):
            continue
        out.append(
            _add(
                session,
                b,
                contact_id,
                "recall",
                now,
                f"regular: {len(past)} visits, last {last.date()}",
                key=f"usual:{last.date()}",
                text_key="usual_table",
            )
        )
    return out


def plan(rt: Runtime, now: datetime) -> int:
    """Plan every business and schedule the new rows; how many were created."""
    with session_scope(rt.engine) as session:
        ids: list[int] = []
        for business in session.exec(select(Business)).all():
            ids += plan_business(session, business, now)
    schedule_rows(rt, ids)
    if ids:
        log.info("outreach planned", extra={"rows": len(ids)})
    return len(ids)


def plan_if_due(rt: Runtime, now: datetime) -> int | None:
    """Plan unless another process did within PLAN_EVERY seconds."""
    try:
        if not rt.redis.set(LEASE_KEY, "1", nx=True, ex=PLAN_EVERY):
            return None
    except redis.RedisError:
        return None
    return plan(rt, now)
