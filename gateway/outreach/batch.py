"""Outreach at volume: a scheduled job also takes the other rows already due, many per transaction.

Rows are claimed in the database (due ids read, then pending -> sending by UPDATE; `FOR UPDATE SKIP
LOCKED` on PostgreSQL, so two workers take disjoint rows), handled by the same code as one row
(`send.handle_row`) and committed together; their own jobs then find them done. A row that is not
claimed stays pending for its own job, so nothing is sent twice and nothing is lost.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from gateway.core.db import is_sqlite, session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.outbound import enqueue_send
from gateway.outreach.scheduling import PENDING, enqueue_row
from gateway.outreach.send import EARLY_TOLERANCE, SENDING, Result, handle_row
from gateway.store.models import ScheduledMessage, utcnow

log = logging.getLogger(__name__)

BATCH = 50
ROUNDS = 4


def claim_due(session: Session, now: datetime, limit: int) -> list[int]:
    """Claim up to `limit` due pending rows for this transaction; their ids, oldest due first."""
    due = (
        select(ScheduledMessage.id)
        .where(
            col(ScheduledMessage.status) == PENDING,
            col(ScheduledMessage.due_at) <= now + EARLY_TOLERANCE,
        )
        .order_by(col(ScheduledMessage.due_at))
        .limit(limit)
    )
    if not is_sqlite(session.get_bind()):  # type: ignore[arg-type]
        due = due.with_for_update(skip_locked=True)
    # Two statements: PostgreSQL may run a LIMIT ... SKIP LOCKED subquery of an UPDATE more than
    # once and so claim more than `limit` rows; the locked ids are read first instead.
    picked = [i for i in session.exec(due).all() if i is not None]
    if not picked:
        return []
    result = session.execute(
        update(ScheduledMessage)
        .where(col(ScheduledMessage.id).in_(picked), col(ScheduledMessage.status) == PENDING)
        .values(status=SENDING)
        .returning(col(ScheduledMessage.id))
    )
    return sorted(int(i) for (i,) in result.all())


def run_due_batch(rt: Runtime, limit: int = BATCH) -> int:
    """Handle up to `limit` due rows in one transaction, then enqueue their sends; how many."""
    now = utcnow()
    results: list[Result] = []
    with session_scope(rt.engine) as session:
        for row_id in claim_due(session, now, limit):
            row = session.get(ScheduledMessage, row_id)
            assert row is not None
            results.append(handle_row(session, row, now))
    for result in results:
        for message_id in result.send_ids:
            enqueue_send(rt, message_id)
        for row_id, due in result.reschedule:
            enqueue_row(rt, row_id, due)
    if results:
        log.info("scheduled batch handled", extra={"rows": len(results)})
    return len(results)


def run_due(rt: Runtime, rounds: int = ROUNDS, limit: int = BATCH) -> int:
    """A few batches while rows are due (a job stays short; the other jobs share the rest)."""
    total = 0
    for _ in range(rounds):
        handled = run_due_batch(rt, limit)
        total += handled
        if handled < limit:
            break
    return total
