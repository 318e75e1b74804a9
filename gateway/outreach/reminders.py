"""Stub with the outreach branch's signatures so this branch imports; replaced at merge."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from gateway.runtime import Runtime


def sync_reminders(session: Session, kind: str, record_id: int) -> list[int]:
    """Create, move or cancel the reminders of a booking record; returns rows to schedule."""
    return []


def schedule_rows(rt: Runtime, ids: list[int]) -> None:
    """Enqueue the RQ jobs of scheduled-message rows."""
    return None


def schedule_proactive(
    session: Session,
    business_id: int,
    contact_id: int,
    kind: str,
    due_at: datetime,
    purpose: str,
    reason: str,
    payload: dict[str, Any],
) -> int:
    """Store one proactive message due at a time; returns its id."""
    return 0
