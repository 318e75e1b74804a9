"""RQ entry points of analytics (they take ids) and the worker's periodic roll-up tick."""

from __future__ import annotations

import logging

import redis
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from gateway.analytics.abtest import auto_promote
from gateway.analytics.questions import group_new
from gateway.analytics.rollup import roll_up
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime, current_runtime
from gateway.store.models import Business
from gateway.worker import tasks
from gateway.worker.queueing import enqueue_once

log = logging.getLogger(__name__)

LEASE_KEY = "sb:rollup:lease"
EVERY = 10 * 60


def rollup_business(business_id: int) -> int:
    """Group the business's new unanswered questions, then bring its roll-ups up to date."""
    rt = current_runtime()
    with session_scope(rt.engine) as session:
        group_new(session, business_id)
        auto_promote(session, business_id)
    return roll_up(rt, business_id)


def enqueue_rollups(rt: Runtime) -> int:
    """Enqueue one roll-up job per business; the job id makes a repeat harmless."""
    with Session(rt.engine) as session:
        ids = [b for b in session.exec(select(Business.id)).all() if b is not None]
    queue = rt.queue("scheduled")
    return sum(
        enqueue_once(queue, tasks.ROLLUP_BUSINESS, f"rollup-{bid}", {"business_id": bid})
        for bid in ids
    )


def rollups_if_due(rt: Runtime) -> bool:
    """Enqueue the roll-ups unless done in the last `EVERY` seconds (Redis lease); never raises."""
    try:
        key = rt.settings.queue_prefix + LEASE_KEY
        if not rt.redis.set(key, "1", nx=True, ex=EVERY):
            return False
        enqueue_rollups(rt)
        return True
    except (redis.RedisError, SQLAlchemyError) as exc:
        log.warning("roll-ups skipped this tick", extra={"error": str(exc)})
        return False
