"""The one clock the whole deployment reads.

Every "now" in gateway/ comes from `now()` (the models' `utcnow()` calls it; the flows get it
passed in a `Turn`). Normally it is the real time. For demos and acceptance tests the clock of
a whole deployment can be shifted, and it keeps advancing in real time, so reminders, sweeps
and RQ's scheduler still run (libfaketime froze their threads):

- `SWITCHBOARD_CLOCK_OFFSET=<seconds>` (may be negative): a fixed shift every process started
  with it applies. Nothing is stored.
- `SWITCHBOARD_CLOCK_START=<ISO instant>` ("2026-03-10T10:00:00+01:00"): the clock reads that
  instant when the first process of the deployment starts, then advances. The shift is stored
  in Redis (`<queue_prefix>clock`) the first time (SET NX), so web and worker processes agree
  whichever starts first. Delete the key (or call `set_now(redis, None)`) to go back.
- `switchboard clock set <instant>` / `switchboard clock reset` (and the conversation test
  runner) store a shift in Redis directly; every process picks it up within a second.

Times given to RQ (`enqueue_in`) stay real: a delay is the same in both clocks. Session
expiry in the console uses the real time on purpose (a shifted clock must not extend a login).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from datetime import UTC, datetime, timedelta

import redis

OFFSET_ENV = "SWITCHBOARD_CLOCK_OFFSET"
START_ENV = "SWITCHBOARD_CLOCK_START"
KEY = "clock"
REFRESH_SECONDS = 1.0

_lock = threading.Lock()
_redis: redis.Redis | None = None
_key = KEY
_offset = 0.0
_read_at = float("-inf")


def real_now() -> datetime:
    """The machine's time, aware in UTC."""
    return datetime.now(UTC)


def _env_offset() -> float:
    raw = os.environ.get(OFFSET_ENV, "").strip()
    if not raw:
        return 0.0
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{OFFSET_ENV} must be a number of seconds, not {raw!r}") from exc


def _parse_start(raw: str) -> datetime:
    start = datetime.fromisoformat(raw.strip())
    if start.tzinfo is None:
        raise ValueError(f"{START_ENV} needs a UTC offset, e.g. 2026-03-10T10:00:00+01:00")
    return start


def attach(conn: redis.Redis | None, prefix: str = "") -> None:
    """Read the deployment's shift from this Redis from now on (Runtime.build calls it).

    With `SWITCHBOARD_CLOCK_START` set and no shift stored yet, stores it (first process wins).
    """
    global _redis, _key, _read_at
    with _lock:
        _redis, _key, _read_at = conn, prefix + KEY, float("-inf")
    start = os.environ.get(START_ENV, "").strip()
    if conn is not None and start:
        shift = (_parse_start(start) - real_now()).total_seconds()
        with contextlib.suppress(redis.RedisError):
            conn.set(prefix + KEY, json.dumps({"offset": shift, "start": start}), nx=True)


def offset() -> float:
    """The current shift in seconds (stored in Redis, else the environment's)."""
    global _offset, _read_at
    moment = time.monotonic()
    if moment - _read_at < REFRESH_SECONDS:
        return _offset
    value = _env_offset()
    conn = _redis
    if conn is not None:
        try:
            raw = conn.get(_key)
        except redis.RedisError:
            raw = None
        if raw:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                value = float(json.loads(raw)["offset"])
    with _lock:
        _offset, _read_at = value, moment
    return value


def now() -> datetime:
    """The deployment's current time, aware in UTC."""
    return real_now() + timedelta(seconds=offset())


def set_now(conn: redis.Redis | None, at: datetime | None, prefix: str = "") -> None:
    """Shift the deployment's clock so that it reads `at` now (None: back to the real time).

    Stored in Redis when there is one (every process follows within a second; this one at once).
    """
    global _offset, _read_at
    value = 0.0 if at is None else (at - real_now()).total_seconds()
    if conn is not None:
        if at is None:
            conn.delete(prefix + KEY)
        else:
            conn.set(prefix + KEY, json.dumps({"offset": value, "start": at.isoformat()}))
    with _lock:
        _offset = value if at is not None else _env_offset()
        _read_at = time.monotonic()
