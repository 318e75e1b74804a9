"""RQ entry points of outreach, addressed by import path; they take ids, never objects."""

from __future__ import annotations

from gateway.core.runtime import current_runtime
from gateway.outreach.send import run_scheduled


def send_scheduled(scheduled_id: int) -> str:
    """Run one scheduled message: policy checks, then store and send it (or say why not)."""
    return run_scheduled(current_runtime(), scheduled_id)
