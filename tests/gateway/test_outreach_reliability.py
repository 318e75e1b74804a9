"""Reminders with a real Redis server and real worker processes, times compressed to seconds:
a worker killed while reminders are due, several workers at once, Redis restarted empty."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from gateway.cli.config_file import apply_config, parse_config
from gateway.core.db import session_scope
from gateway.core.redis_server import start_redis
from gateway.core.runtime import Runtime
from gateway.core.settings import Settings
from gateway.store.models import Appointment, Message, ScheduledMessage, utcnow
from gateway.worker import tasks
from gateway.worker.queueing import enqueue_once
from tests.conftest import DEMO_YAML
from tests.gateway import WITH_ECHO
from tests.gateway.test_outreach import (
    NEVER_QUIET,
    book,
    make_contact,
    outreach_messages,
    rows,
    set_outreach_settings,
)
from tests.support import WorkerPool, wait_for

pytestmark = pytest.mark.db


def _book_many(rt: Runtime, count: int, lead_seconds: float) -> list[int]:
    """`count` appointments whose 2 h reminders fall due `lead_seconds` from now."""
    set_outreach_settings(rt, NEVER_QUIET)
    starts = utcnow() + timedelta(hours=2, seconds=lead_seconds)
    for i in range(count):
        contact_id, conv_id = make_contact(rt, f"Client {i}")
        book(rt, contact_id, conv_id, starts)
    reminder_ids = [r.id or 0 for r in rows(rt, kind="reminder")]
    assert len(reminder_ids) == count  # only the 2 h reminder is still ahead
    return reminder_ids


def _statuses(rt: Runtime, ids: list[int]) -> Counter[str]:
    return Counter(r.status for r in rows(rt) if r.id in ids)


def _delivered(rt: Runtime) -> list[Message]:
    return [m for m in outreach_messages(rt) if m.status == "sent"]


def _assert_each_sent_once(rt: Runtime, ids: list[int]) -> None:
    time.sleep(2.0)  # give a wrong second send the time to appear
    msgs = outreach_messages(rt)
    assert len(msgs) == len(ids)
    assert all(m.status == "sent" for m in msgs)
    per_row = Counter()
    for row in rows(rt):
        if row.id in ids:
            assert row.status == "sent", (row.id, row.status, row.status_reason)
            per_row.update(row.payload["message_ids"])
    assert sorted(per_row) == sorted(m.id for m in msgs) and set(per_row.values()) == {1}


def test_a_worker_killed_while_reminders_are_due_sends_each_once_after_restart(
    demo: Runtime, worker_pool: WorkerPool
) -> None:
    ids = _book_many(demo, 6, lead_seconds=2)
    slow = worker_pool.start_slow(commit_delay=5)
    started = demo.queue("scheduled").started_job_registry
    # Kill it inside a reminder job: the job claims every due row in one transaction, which
    # waits 5 s before it commits, so a kill once it has started rolls the whole batch back.
    wait_for(lambda: started.get_job_ids(), timeout=30)
    worker_pool.kill(slow)
    assert _statuses(demo, ids)["pending"] >= 2  # the kill really interrupted the batch
    worker_pool.start(1)
    wait_for(lambda: _statuses(demo, ids)["sent"] == len(ids), timeout=60)
    wait_for(lambda: len(_delivered(demo)) == len(ids), timeout=30)
    _assert_each_sent_once(demo, ids)


def test_two_workers_racing_on_every_reminder_send_none_twice(
    demo: Runtime, worker_pool: WorkerPool
) -> None:
    ids = _book_many(demo, 30, lead_seconds=3)
    # A second job for every row, as if a reconciler and the scheduler both enqueued it.
    with session_scope(demo.engine) as s:
        dues = dict(s.exec(select(ScheduledMessage.id, ScheduledMessage.due_at)).all())
    for row_id in ids:
        enqueue_once(
            demo.queue("scheduled"),
            tasks.SEND_SCHEDULED,
            f"dup-{row_id}",
            {"scheduled_id": row_id},
            at=dues[row_id],
        )
    worker_pool.start(3)
    wait_for(lambda: _statuses(demo, ids)["sent"] == len(ids), timeout=60)
    wait_for(lambda: len(_delivered(demo)) == len(ids), timeout=30)
    _assert_each_sent_once(demo, ids)


def test_redis_restarted_empty_the_reconciler_restores_pending_jobs(
    settings: Settings, tmp_path: Path
) -> None:
    url, proc = start_redis(tmp_path / "own-redis", persist=False)
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    own = settings.model_copy(update={"redis_url": url})
    rt = Runtime.build(own)
    pool = WorkerPool(own, tmp_path)
    try:
        with session_scope(rt.engine) as s:
            apply_config(s, parse_config(DEMO_YAML, env={}, templates=WITH_ECHO), own.secret_key)
        ids = _book_many(rt, 5, lead_seconds=4)
        # One reminder already 5 minutes overdue (sent late), one whose appointment has begun.
        late_id, stale_id = ids[0], ids[1]
        with session_scope(rt.engine) as s:
            late = s.get(ScheduledMessage, late_id)
            stale = s.get(ScheduledMessage, stale_id)
            assert late is not None and stale is not None
            late.due_at = utcnow() - timedelta(minutes=5)
            appt = s.get(Appointment, stale.related_id)
            assert appt is not None
            appt.starts_at = utcnow() - timedelta(minutes=10)
            stale.payload = {**stale.payload, "starts_at": appt.starts_at.isoformat()}
            stale.due_at = appt.starts_at - timedelta(hours=2)
        assert rt.redis.zcard("rq:scheduled:scheduled") >= 3
        proc.terminate()
        proc.wait(timeout=10)
        _, proc = start_redis(tmp_path / "own-redis-2", port=port, persist=False)
        assert rt.redis.dbsize() == 0
        pool.start(1)
        on_time = [i for i in ids if i != stale_id]
        wait_for(lambda: _statuses(rt, on_time)["sent"] == len(on_time), timeout=60)
        wait_for(lambda: rows(rt, id=stale_id)[0].status == "skipped", timeout=30)
        wait_for(lambda: len(_delivered(rt)) == len(on_time), timeout=30)
        _assert_each_sent_once(rt, on_time)
        late_row = rows(rt, id=late_id)[0]
        assert (late_row.status_reason or "").startswith("sent ") and "late" in (
            late_row.status_reason or ""
        )
        assert late_row.payload["late_seconds"] >= 300
        assert (rows(rt, id=stale_id)[0].status_reason or "").startswith("stale")
    finally:
        pool.stop_all()
        proc.terminate()
        proc.wait(timeout=10)
        rt.close()
