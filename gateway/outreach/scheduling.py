"""Turning ScheduledMessage rows into RQ jobs: ids derived from the row, so repeats are harmless."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

import redis
from sqlmodel import col, select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import ScheduledMessage
from gateway.worker import tasks
from gateway.worker.queueing import enqueue_once

log = logging.getLogger(__name__)

PENDING = "pending"
JOB_TIMEOUT = 60


def job_id(scheduled_id: int, due_at: datetime) -> str:
    """The RQ job id of a row at its due time: `sched-<id>-<due epoch>`."""
    return f"sched-{scheduled_id}-{int(due_at.timestamp())}"


def run_at(due_at: datetime) -> datetime:
    """The due time rounded up to a whole second: RQ's scheduler works in whole seconds and
    would otherwise start a job up to a second before its row is due."""
    whole = due_at.replace(microsecond=0)
    return whole if whole == due_at else whole + timedelta(seconds=1)


def enqueue_row(rt: Runtime, scheduled_id: int, due_at: datetime, *, replace: bool = False) -> bool:
    """Schedule the job of one row at its due time (no-op when that job is already waiting)."""
    return enqueue_once(
        rt.queue("scheduled"),
        tasks.SEND_SCHEDULED,
        job_id(scheduled_id, due_at),
        {"scheduled_id": scheduled_id},
        at=run_at(due_at),
        replace_started=replace,
        job_timeout=JOB_TIMEOUT,
    )


def schedule_rows(rt: Runtime, ids: Iterable[int]) -> int:
    """Enqueue the jobs of committed rows that are still pending; returns how many were new.

    Redis being away is not an error: the rows are the truth and the reconciler re-creates
    their jobs when it is back.
    """
    wanted = sorted(set(ids))
    if not wanted:
        return 0
    with session_scope(rt.engine) as session:
        rows = session.exec(
            select(ScheduledMessage.id, ScheduledMessage.due_at).where(
                col(ScheduledMessage.id).in_(wanted), ScheduledMessage.status == PENDING
            )
        ).all()
    created = 0
    try:
        for row_id, due_at in rows:
            assert row_id is not None
            created += enqueue_row(rt, row_id, due_at)
    except redis.RedisError as exc:
        log.warning("scheduling deferred to the reconciler", extra={"error": str(exc)})
    return created
