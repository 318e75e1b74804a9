"""Daily roll-ups: each local day of a business counted once into `DailyStat` rows.

Incremental: a run recounts only the days from the business's mark (minus `LOOKBACK` days,
because a handoff or a cancellation can change a recent day after the fact) through today, and
moves the mark. A day's rows are replaced in one transaction, so a repeated or concurrent run
leaves the same numbers.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from gateway.analytics.daily import count_day, local_day
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import Business, Conversation, DailyStat, RollupMark, utcnow

log = logging.getLogger(__name__)

LOOKBACK = 7


def store_day(session: Session, business: Business, day: date) -> int:
    """Recount one day of the business and replace its roll-up rows; how many rows."""
    assert business.id is not None
    counts = count_day(session, business.id, business.timezone, day)
    session.execute(
        delete(DailyStat).where(
            col(DailyStat.business_id) == business.id, col(DailyStat.day) == day.isoformat()
        )
    )
    for (channel, metric, key), value in sorted(counts.items()):
        session.add(
            DailyStat(
                business_id=business.id,
                day=day.isoformat(),
                channel_id=channel,
                metric=metric,
                key=key,
                value=float(value),
            )
        )
    session.flush()
    return len(counts)


def _first_day(session: Session, business: Business) -> date:
    first = session.exec(
        select(func.min(Conversation.created_at)).where(Conversation.business_id == business.id)
    ).one()
    return local_day(first or business.created_at, business.timezone)


def days_to_roll(session: Session, business: Business, today: date) -> list[date]:
    """The days a run recounts: from the mark minus the lookback (or the first day) to today."""
    mark = session.get(RollupMark, business.id)
    if mark is None:
        start = _first_day(session, business)
    else:
        start = date.fromisoformat(mark.through_day) - timedelta(days=LOOKBACK)
    start = min(start, today)
    return [start + timedelta(days=i) for i in range((today - start).days + 1)]


def roll_up(rt: Runtime, business_id: int) -> int:
    """Bring one business's roll-ups up to today, one transaction per day; days recounted."""
    with session_scope(rt.engine) as session:
        business = session.get(Business, business_id)
        if business is None:
            return 0
        today = local_day(utcnow(), business.timezone)
        days = days_to_roll(session, business, today)
    for day in days:
        with session_scope(rt.engine) as session:
            business = session.get(Business, business_id)
            assert business is not None
            store_day(session, business, day)
    with session_scope(rt.engine) as session:
        mark = session.get(RollupMark, business_id) or RollupMark(
            business_id=business_id, through_day=today.isoformat()
        )
        mark.through_day, mark.updated_at = today.isoformat(), utcnow()
        session.add(mark)
    log.info("roll-ups updated", extra={"business_id": business_id, "days": len(days)})
    return len(days)
