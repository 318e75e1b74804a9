"""The worker process: RQ on our queues, with the scheduler and a periodic sweep."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Any

import redis
from rq import SimpleWorker, Worker
from rq.job import Job
from rq.scheduler import RQScheduler
from rq.utils import import_attribute

from gateway.analytics.jobs import rollups_if_due
from gateway.bot.understanding import share_encoder
from gateway.core.db import session_scope
from gateway.core.runtime import QUEUE_NAMES, Runtime, set_runtime
from gateway.outreach.reconcile import outreach_tick
from gateway.rights.retention import retention_if_due
from gateway.worker import tasks
from gateway.worker.jobs import brain
from gateway.worker.sweep import sweep_if_due

log = logging.getLogger(__name__)


class TaskJob(Job):
    """An RQ job that also runs when it was queued under a task's path from before a move."""

    @property
    def func(self) -> Any:
        name = self.func_name
        if name is None or self.instance:
            return super().func
        return import_attribute(tasks.current_name(name))


def _sweeper(rt: Runtime, stop: threading.Event) -> None:
    while not stop.wait(rt.settings.sweep_interval):
        sweep_if_due(rt)
        outreach_tick(rt)
        retention_if_due(rt)
        rollups_if_due(rt)


def _scheduler(rt: Runtime, stop: threading.Event) -> None:
    """Move due `enqueue_at` jobs to their queues, from a thread of this process.

    RQ's own `--with-scheduler` forks a process that inherits the worker's database sockets;
    after a SIGKILL of the worker that orphan keeps a transaction open forever. A thread dies
    with its process.
    """
    scheduler = RQScheduler([rt.queue(name) for name in QUEUE_NAMES], connection=rt.redis)
    while not stop.wait(1.0):
        try:
            scheduler.acquire_locks()
            if scheduler.acquired_locks:
                scheduler.enqueue_scheduled_jobs()
        except redis.RedisError as exc:
            log.debug("scheduler tick skipped", extra={"error": str(exc)})
    with contextlib.suppress(redis.RedisError):
        scheduler.release_locks()


def run_worker(rt: Runtime, *, burst: bool = False, fork: bool = False) -> None:
    """Work the queues until stopped; survive Redis restarts; sweep periodically.

    By default jobs run in this process (no fork per job): models load once and it is about
    four times faster (PROTOCOLS.md). `fork=True` gives RQ's classic isolation.
    """
    set_runtime(rt)
    share_encoder()
    with session_scope(rt.engine) as session:
        log.info("models loaded", extra={"businesses": brain().warm(session)})
    stop = threading.Event()
    if not burst:
        threading.Thread(target=_sweeper, args=(rt, stop), daemon=True).start()
        threading.Thread(target=_scheduler, args=(rt, stop), daemon=True).start()
    worker_class: type[Worker] | type[SimpleWorker] = Worker if fork else SimpleWorker
    try:
        while True:
            try:
                sweep_if_due(rt)
                queues = [rt.queue(name) for name in QUEUE_NAMES]
                worker = worker_class(queues, connection=rt.redis, job_class=TaskJob)
                # The scheduler runs in a thread (above), never in RQ's forked process.
                worker.work(burst=burst, with_scheduler=burst, logging_level=rt.settings.log_level)
                return
            except redis.ConnectionError as exc:
                log.warning("redis unavailable, worker retrying", extra={"error": str(exc)})
                time.sleep(1.0)
    finally:
        stop.set()


__all__ = ["run_worker", "QUEUE_NAMES"]
