"""Asking for a person: open a handoff once, then notify staff and start the timeout clock.

`request_handoff` opens the handoff (conversation waiting_for_staff); after the transaction
commits, staff are notified and a timeout check is scheduled (`gateway.handoff.jobs`). The
rest of a handoff's life (take, resolve, return to the bot, timeout) is in `lifecycle`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import redis
from sqlmodel import Session, col, select

from gateway.bot.escalation import (
    timeout_seconds,
)
from gateway.core.db import after_commit, session_scope
from gateway.core.runtime import Runtime
from gateway.handoff.summary import build_summary
from gateway.messaging.live import business_topic, publish
from gateway.store.models import (
    Business,
    Conversation,
    ConversationState,
    Handoff,
    utcnow,
)
from gateway.worker import tasks
from gateway.worker.queueing import enqueue_once, safe_enqueue

log = logging.getLogger(__name__)

OPEN_STATUSES = ("open", "taken")


def open_handoff(session: Session, conv: Conversation) -> Handoff | None:
    """The conversation's unresolved handoff, if any."""
    return session.exec(
        select(Handoff)
        .where(
            Handoff.business_id == conv.business_id,
            Handoff.conversation_id == conv.id,
            col(Handoff.status).in_(OPEN_STATUSES),
        )
        .order_by(col(Handoff.id).desc())
    ).first()


def request_handoff(
    rt: Runtime,
    session: Session,
    conv: Conversation,
    reason: str,
    priority: int = 1,
    summary: str = "",
) -> Handoff:
    """Escalate a conversation (once): the bot stops answering until staff hand it back.

    The summary for the person taking over is written here when the caller gives none. Once
    the transaction commits, staff are notified and the unanswered-handoff timer starts.
    """
    existing = open_handoff(session, conv)
    if existing is not None:
        existing.priority = max(existing.priority, priority)
        return existing
    assert conv.id is not None
    handoff = Handoff(
        business_id=conv.business_id,
        conversation_id=conv.id,
        reason=reason,
        priority=priority,
        summary=summary or build_summary(session, conv, reason),
    )
    session.add(handoff)
    conv.state = ConversationState.WAITING
    conv.updated_at = utcnow()
    session.flush()
    log.info(
        "handoff requested",
        extra={
            "business_id": conv.business_id,
            "conversation_id": conv.id,
            "handoff_id": handoff.id,
            "reason": reason,
        },
    )
    assert handoff.id is not None
    handoff_id, business_id = handoff.id, conv.business_id
    after_commit(session, lambda: _schedule_jobs(rt, handoff_id, business_id))
    return handoff


def _schedule_jobs(rt: Runtime, handoff_id: int, business_id: int) -> None:
    with session_scope(rt.engine) as session:
        handoff = session.get(Handoff, handoff_id)
        business = session.get(Business, business_id)
        if handoff is None or business is None:
            return
        created = handoff.created_at
    schedule_handoff_jobs(rt, handoff_id, business, created)


def schedule_handoff_jobs(
    rt: Runtime, handoff_id: int, business: Business, created: datetime
) -> None:
    """Notify staff now, check for an unanswered handoff later, wake the console inbox."""
    safe_enqueue(
        rt.queue("default"),
        tasks.NOTIFY_HANDOFF,
        f"handoff-notify-{handoff_id}",
        {"handoff_id": handoff_id, "kind": "new"},
    )
    due = created + timedelta(seconds=timeout_seconds(business))
    schedule_timeout_check(rt, handoff_id, due, f"handoff-timeout-{handoff_id}")
    assert business.id is not None
    publish(rt.redis, business_topic(business.id))


def schedule_timeout_check(rt: Runtime, handoff_id: int, at: datetime, job_id: str) -> None:
    """Check at `at` whether the handoff is still unanswered (a Redis hiccup only logs)."""
    try:
        enqueue_once(
            rt.queue("scheduled"),
            tasks.CHECK_HANDOFF_TIMEOUT,
            job_id,
            {"handoff_id": handoff_id},
            at=at,
        )
    except redis.RedisError as exc:
        log.warning("handoff timeout not scheduled", extra={"error": str(exc)})
