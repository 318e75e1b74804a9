"""Process-shared counters for the operator's /metrics, kept in Redis.

gunicorn runs several web processes and the worker is another process: a counter kept in one
process's memory would show a different number on every scrape. Each event is one `HINCRBY` on
a Redis hash that every process shares, and the scrape reads the hashes. Labels carry routes,
statuses and task names only, never an address, a name or a message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import redis

log = logging.getLogger(__name__)

SEP = "\x1f"
BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def requests_key(prefix: str) -> str:
    """The hash of request counts: field `route SEP method SEP status`."""
    return f"{prefix}sb:metrics:requests"


def jobs_key(prefix: str) -> str:
    """The hash of job durations: fields `task SEP le`, `task SEP sum`, `task SEP count`."""
    return f"{prefix}sb:metrics:jobs"


def count_request(conn: redis.Redis, prefix: str, route: str, method: str, status: int) -> None:
    """Count one answered request (a Redis failure never fails the request)."""
    try:
        conn.hincrby(requests_key(prefix), SEP.join((route, method, str(status))), 1)
    except redis.RedisError as exc:
        log.debug("request not counted", extra={"error": str(exc)})


def observe_job(conn: redis.Redis, prefix: str, task: str, seconds: float) -> None:
    """Add one job duration to the task's cumulative histogram."""
    key = jobs_key(prefix)
    try:
        pipe = conn.pipeline(transaction=False)
        for bound in BUCKETS:
            if seconds <= bound:
                pipe.hincrby(key, f"{task}{SEP}{bound}", 1)
        pipe.hincrby(key, f"{task}{SEP}+Inf", 1)
        pipe.hincrbyfloat(key, f"{task}{SEP}sum", seconds)
        pipe.execute()
    except redis.RedisError as exc:
        log.debug("job duration not recorded", extra={"error": str(exc)})


@contextmanager
def timed_job(conn: redis.Redis, prefix: str, task: str) -> Iterator[None]:
    """Time the body as one run of `task` (recorded whether it succeeds or raises)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        observe_job(conn, prefix, task, time.perf_counter() - start)
