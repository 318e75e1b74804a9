"""The database is the truth: give every pending row that is due soon a live RQ job.

Jobs go missing when Redis restarts empty, when a worker is killed in the middle of one, or when
the scheduler that should move them is gone (its lock outlives a killed worker for a minute).
Each pass looks at pending rows due within `horizon` (or overdue) and reads their jobs' status
in one pipeline:
- no job, or a finished/failed one: enqueue it again (at its due time);
- started longer than the lease ago (its worker died): replace it;
- still "scheduled" although overdue by more than the lease: move it to the queue ourselves.
The job itself records lateness honestly when it finally runs: "sent N s late", or skipped as
stale with the reason (a 2 h reminder found after the appointment started).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import redis
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.utils import utcparse
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.outreach.scheduling import PENDING, enqueue_row, job_id
from gateway.store.models import ScheduledMessage, utcnow

log = logging.getLogger(__name__)

HORIZON = timedelta(minutes=10)
LEASE_KEY = "sb:outreach:reconcile:lease"
_WAITING = {JobStatus.QUEUED.value, JobStatus.DEFERRED.value}


@dataclass(frozen=True)
class ReconcileReport:
    """What one pass found and did."""

    checked: int = 0
    restored: int = 0
    unstuck: int = 0
    overdue: int = 0


def _decode(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def reconcile(
    rt: Runtime, *, horizon: timedelta = HORIZON, lease: timedelta | None = None, batch: int = 20000
) -> ReconcileReport:
    """Re-create or unstick the jobs of pending rows due before now + horizon."""
    now = utcnow()
    lease = lease if lease is not None else timedelta(seconds=rt.settings.lock_seconds)
    with session_scope(rt.engine) as session:
        rows = session.exec(
            select(ScheduledMessage.id, ScheduledMessage.due_at)
            .where(
                ScheduledMessage.status == PENDING,
                col(ScheduledMessage.due_at) <= now + horizon,
            )
            .order_by(col(ScheduledMessage.due_at))
            .limit(batch)
        ).all()
    pairs = [(i, due) for i, due in rows if i is not None]
    if not pairs:
        return ReconcileReport()
    with rt.redis.pipeline(transaction=False) as pipe:
        for row_id, due in pairs:
            pipe.hmget(Job.key_for(job_id(row_id, due)), "status", "started_at")
        states = pipe.execute()
    restored = unstuck = overdue = 0
    for (row_id, due), (raw_status, raw_started) in zip(pairs, states, strict=True):
        status = _decode(raw_status)
        late = now - due > lease
        overdue += late
        if status in _WAITING:
            continue
        if status == JobStatus.SCHEDULED.value:
            if late and _unstick(rt, job_id(row_id, due)):
                unstuck += 1
            continue
        if status == JobStatus.STARTED.value:
            started = _decode(raw_started)
            began = utcparse(started).replace(tzinfo=UTC) if started else None
            if began is None or now - began > lease:
                restored += enqueue_row(rt, row_id, due, replace=True)
            continue
        # No job at all; or it ended (finished, failed, stopped) and the row is still pending
        # well after its time. A job that just finished while we looked is left alone.
        if status is None or late:
            restored += enqueue_row(rt, row_id, due, replace=True)
    report = ReconcileReport(
        checked=len(pairs), restored=restored, unstuck=unstuck, overdue=overdue
    )
    if restored or unstuck:
        log.warning(
            "outreach jobs restored",
            extra={"restored": restored, "unstuck": unstuck, "overdue": overdue},
        )
    return report


def _unstick(rt: Runtime, jid: str) -> bool:
    """Move an overdue job out of the scheduled registry onto its queue (no scheduler did)."""
    queue = rt.queue("scheduled")
    try:
        job = Job.fetch(jid, connection=rt.redis)
    except NoSuchJobError:
        return False
    queue.scheduled_job_registry.remove(job)
    queue.enqueue_job(job)
    return True


def reconcile_if_due(rt: Runtime) -> ReconcileReport | None:
    """Reconcile unless another process did within the sweep interval (a Redis key elects one)."""
    try:
        interval = max(1, int(rt.settings.sweep_interval))
        if not rt.redis.set(LEASE_KEY, "1", nx=True, ex=interval):
            return None
        return reconcile(rt)
    except redis.RedisError as exc:
        log.warning("outreach reconcile skipped: redis unavailable", extra={"error": str(exc)})
        return None


def overdue_rows(rt: Runtime, older_than: timedelta) -> list[tuple[int, datetime]]:
    """Pending rows whose due time passed more than `older_than` ago (for reports and tests)."""
    with session_scope(rt.engine) as session:
        rows = session.exec(
            select(ScheduledMessage.id, ScheduledMessage.due_at).where(
                ScheduledMessage.status == PENDING,
                col(ScheduledMessage.due_at) < utcnow() - older_than,
            )
        ).all()
    return [(i, d) for i, d in rows if i is not None]


def outreach_tick(rt: Runtime) -> None:
    """The worker's periodic outreach work: reconcile jobs, then plan new rows; never raises."""
    from gateway.outreach.planner import plan_if_due

    try:
        reconcile_if_due(rt)
        plan_if_due(rt, utcnow())
    except (redis.RedisError, SQLAlchemyError) as exc:
        log.warning("outreach tick failed; next tick retries", extra={"error": str(exc)})
