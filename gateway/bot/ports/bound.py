"""The customer and session the ports act for."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from redis.exceptions import RedisError
from sqlmodel import Session

from flows.hours import Hours
from gateway.core.db import after_commit
from gateway.core.runtime import Runtime
from gateway.outreach.reminders import schedule_rows, sync_reminders
from gateway.store.models import (
    Business,
    Contact,
    Conversation,
)

log = logging.getLogger(__name__)


@dataclass
class Bound:
    """The session and the customer the ports act for."""

    rt: Runtime
    session: Session
    business: Business
    contact: Contact
    conv: Conversation

    @property
    def business_id(self) -> int:
        """The business id (always set for a stored business)."""
        assert self.business.id is not None
        return self.business.id

    @property
    def contact_id(self) -> int:
        """The contact id."""
        assert self.contact.id is not None
        return self.contact.id

    @property
    def settings(self) -> Mapping[str, Any]:
        """The business settings."""
        return self.business.settings or {}

    @property
    def hours(self) -> Hours:
        """Opening hours."""
        return Hours.from_settings(self.settings, self.business.timezone)

    def reminders(self, kind: str, record_id: int | None) -> None:
        """Ask the reminders system to (re)plan a record's reminders, scheduled after commit."""
        if record_id is None:
            return
        ids = sync_reminders(self.session, kind, record_id)
        if ids:
            after_commit(self.session, lambda: schedule_reminders(self.rt, ids))


def schedule_reminders(rt: Runtime, ids: list[int]) -> None:
    """Enqueue the scheduled rows now (call after the commit that stored them)."""
    try:
        schedule_rows(rt, ids)
    except RedisError as exc:  # the rows are the truth: the outreach sweep enqueues them later
        log.warning("could not enqueue reminders now: %s", exc)
