"""Enqueueing with ids derived from rows, so a repeat is harmless."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import redis
from rq import Queue
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus

from gateway.core import clock

log = logging.getLogger(__name__)

_LIVE = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


def enqueue_once(
    queue: Queue,
    func: str,
    job_id: str,
    kwargs: dict[str, Any],
    *,
    at: datetime | None = None,
    replace_started: bool = False,
    job_timeout: int = 120,
) -> bool:
    """Enqueue `func(**kwargs)` under `job_id` unless a live job of that id is waiting.

    A finished, failed or stopped job of the same id is replaced; a started one only when
    `replace_started` (the sweep uses it for jobs whose worker died). Returns whether it enqueued.
    `at` is in the deployment's clock (gateway.core.clock); RQ's scheduler gets the real time.
    """
    options: dict[str, Any] = {
        "job_id": job_id,
        "kwargs": kwargs,
        "job_timeout": job_timeout,
        "result_ttl": 300,
        "failure_ttl": 86400,
        "unique": True,
    }
    for _ in range(2):
        try:
            if at is None:
                queue.enqueue(func, **options)
            else:
                queue.enqueue_at(at - timedelta(seconds=clock.offset()), func, **options)
            return True
        except DuplicateJobError:
            if not _clear_stale(queue, job_id, replace_started):
                return False
    return False


def _clear_stale(queue: Queue, job_id: str, replace_started: bool) -> bool:
    try:
        job = Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        return True
    status = job.get_status(refresh=False)
    if status in _LIVE or (status == JobStatus.STARTED and not replace_started):
        return False
    job.delete()
    return True


def enqueue_in(queue: Queue, delay: float, func: str, job_id: str, kwargs: dict[str, Any]) -> bool:
    """Schedule `func(**kwargs)` after `delay` seconds under `job_id`."""
    when = clock.now() + timedelta(seconds=max(delay, 0.0))
    return enqueue_once(queue, func, job_id, kwargs, at=when)


def enqueue_fresh(queue: Queue, func: str, job_id: str, kwargs: dict[str, Any]) -> bool:
    """Enqueue the first job of a row just inserted (no uniqueness check: one round trip)."""
    # Given a pipeline, RQ queues its two writes (queue set, job) in it instead of executing
    # two transactions: one round trip per webhook instead of two.
    with queue.connection.pipeline() as pipe:
        queue.enqueue(
            func,
            job_id=job_id,
            kwargs=kwargs,
            job_timeout=120,
            result_ttl=300,
            failure_ttl=86400,
            pipeline=pipe,
        )
        pipe.execute()
    return True


def safe_enqueue(
    queue: Queue, func: str, job_id: str, kwargs: dict[str, Any], *, fresh: bool = False
) -> bool:
    """Enqueue, but never fail the caller when Redis is away: the sweep will find the row.

    `fresh`: the id comes from a row this request inserted, so no job of that id can exist yet.
    """
    try:
        if fresh:
            return enqueue_fresh(queue, func, job_id, kwargs)
        return enqueue_once(queue, func, job_id, kwargs)
    except redis.RedisError as exc:
        log.warning(
            "enqueue failed; the sweep will retry", extra={"job_id": job_id, "error": str(exc)}
        )
        return False
