"""RQ entry points of outreach, addressed by import path; they take ids, never objects."""

from __future__ import annotations

from gateway.core.runtime import current_runtime
from gateway.outreach.batch import run_due
from gateway.outreach.send import run_scheduled


def send_scheduled(scheduled_id: int) -> str:
    """Run one scheduled message (policy checks, then store and send it, or say why not), then
    the other rows already due, in batches (their own jobs then find them done)."""
    rt = current_runtime()
    status = run_scheduled(rt, scheduled_id)
    if status != "not due":
        run_due(rt)
    return status
