"""The database is the truth: find stored work that Redis lost and enqueue it again."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import redis
from sqlmodel import col, select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.sending import SENDING_LEASE
from gateway.store.models import (
    INBOX_PENDING,
    Direction,
    InboxEvent,
    KnowledgeSource,
    Message,
    MessageStatus,
    utcnow,
)
from gateway.worker import tasks
from gateway.worker.queueing import enqueue_once

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepReport:
    """How many rows a sweep re-enqueued."""

    inbound: int = 0
    outbound: int = 0
    inbox: int = 0
    sources: int = 0


STALE_INGEST = timedelta(minutes=10)


def sweep(rt: Runtime, batch: int = 500) -> SweepReport:
    """Re-enqueue inbound messages left unprocessed and replies left unsent."""
    cutoff = utcnow() - timedelta(seconds=rt.settings.sweep_min_age)
    with session_scope(rt.engine) as session:
        inbound = session.exec(
            select(Message.id)
            .where(
                Message.direction == Direction.IN,
                Message.status == MessageStatus.RECEIVED,
                col(Message.created_at) < cutoff,
            )
            .order_by(col(Message.id))
            .limit(batch)
        ).all()
        outbound = session.exec(
            select(Message.id)
            .where(
                Message.direction == Direction.OUT,
                (
                    (col(Message.status) == MessageStatus.PENDING)
                    & (col(Message.updated_at) < cutoff)
                )
                | (
                    (col(Message.status) == MessageStatus.SENDING)
                    & (col(Message.updated_at) < utcnow() - SENDING_LEASE)
                ),
            )
            .order_by(col(Message.id))
            .limit(batch)
        ).all()
    n_in = _requeue(rt, "inbound", tasks.PROCESS_INBOUND, "in", "message_id", inbound)
    n_out = _requeue(rt, "outbound", tasks.SEND_OUTBOUND, "out", "message_id", outbound)
    n_sources = _sweep_sources(rt, batch)
    n_inbox = _sweep_inbox(rt, batch, cutoff)
    if n_in or n_out or n_sources or n_inbox:
        log.info(
            "sweep re-enqueued",
            extra={"inbound": n_in, "outbound": n_out, "sources": n_sources, "inbox": n_inbox},
        )
    return SweepReport(inbound=n_in, outbound=n_out, inbox=n_inbox, sources=n_sources)


def _sweep_inbox(rt: Runtime, batch: int, cutoff: datetime) -> int:
    """Webhook events whose job Redis lost (the row was committed before the 2xx)."""
    with session_scope(rt.engine) as session:
        ids = session.exec(
            select(InboxEvent.id)
            .where(InboxEvent.status == INBOX_PENDING, col(InboxEvent.created_at) < cutoff)
            .order_by(col(InboxEvent.id))
            .limit(batch)
        ).all()
    return _requeue(rt, "inbound", tasks.PROCESS_INBOX, "inbox", "inbox_id", ids)


def _requeue(
    rt: Runtime, queue: str, task: str, prefix: str, key: str, ids: Sequence[int | None]
) -> int:
    """Enqueue each row's job again (a started one too: its worker died); how many were new."""
    return sum(
        enqueue_once(rt.queue(queue), task, f"{prefix}-{i}", {key: i}, replace_started=True)
        for i in ids
    )


def _sweep_sources(rt: Runtime, batch: int) -> int:
    """Knowledge sources left waiting or half-ingested (a lost job or a killed worker)."""
    from gateway.kb.jobs import enqueue_ingest

    with session_scope(rt.engine) as session:
        rows = session.exec(
            select(KnowledgeSource)
            .where(
                col(KnowledgeSource.status).in_(("pending", "ingesting")),
                col(KnowledgeSource.updated_at) < utcnow() - STALE_INGEST,
            )
            .limit(batch)
        ).all()
    for row in rows:
        enqueue_ingest(rt, row)
    return len(rows)


def sweep_if_due(rt: Runtime) -> SweepReport | None:
    """Sweep unless another process swept within the interval (a Redis key elects one)."""
    try:
        if not rt.redis.set(
            "sb:sweep:lease", "1", nx=True, ex=max(1, int(rt.settings.sweep_interval))
        ):
            return None
        return sweep(rt)
    except redis.RedisError as exc:
        log.warning("sweep skipped: redis unavailable", extra={"error": str(exc)})
        return None
