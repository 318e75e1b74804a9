"""RQ job entry points of the staff side: notifications and the unanswered-handoff check."""

from __future__ import annotations

import logging

from gateway.core.db import session_scope
from gateway.core.runtime import current_runtime
from gateway.handoff import lifecycle as handoffs
from gateway.handoff.notify import NotifyError, handoff_notice, send_notice
from gateway.store.models import Business, Handoff
from gateway.worker import tasks
from gateway.worker.queueing import enqueue_in

log = logging.getLogger(__name__)

NOTIFY_ATTEMPTS = 5


def notify_handoff(handoff_id: int, kind: str = "new", attempt: int = 1) -> str:
    """Tell the business's staff about a handoff ("new" or "unanswered"); retried with backoff."""
    rt = current_runtime()
    with session_scope(rt.engine) as session:
        handoff = session.get(Handoff, handoff_id)
        if handoff is None:
            return "missing"
        if kind == "new" and handoff.status != "open":
            return "skipped"
        business = session.get(Business, handoff.business_id)
        assert business is not None
        notice = handoff_notice(session, handoff, kind, rt.settings.public_url)
        try:
            sent = send_notice(rt.settings, session, business, notice)
        except NotifyError as exc:
            if not exc.retryable or attempt >= NOTIFY_ATTEMPTS:
                log.error("staff notification given up", extra={"handoff_id": handoff_id})
                return "failed"
            enqueue_in(
                rt.queue("default"),
                min(2.0**attempt, 300.0),
                tasks.NOTIFY_HANDOFF,
                f"handoff-notify-{handoff_id}-{kind}-r{attempt}",
                {"handoff_id": handoff_id, "kind": kind, "attempt": attempt + 1},
            )
            return "retrying"
    return f"sent:{sent}"


def check_handoff_timeout(handoff_id: int) -> str:
    """A handoff nobody took in time: polite word to the customer and a second alert."""
    return handoffs.handle_timeout(current_runtime(), handoff_id)
