"""Outreach at volume (issue 15): due rows claimed in batches in the database, each handled once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.outreach.batch import claim_due, run_due_batch
from gateway.outreach.send import run_scheduled
from gateway.store.models import ScheduledMessage, utcnow
from tests.gateway.test_outreach import outreach_messages, rows
from tests.gateway.test_outreach_reliability import _book_many

pytestmark = pytest.mark.db


def _make_due(rt: Runtime, ids: list[int]) -> None:
    with session_scope(rt.engine) as session:
        session.execute(
            update(ScheduledMessage)
            .where(col(ScheduledMessage.id).in_(ids))
            .values(due_at=utcnow() - timedelta(seconds=5))
        )


def test_one_batch_sends_every_due_reminder_once_and_their_jobs_find_them_done(
    demo: Runtime,
) -> None:
    ids = _book_many(demo, 5, lead_seconds=600)
    _make_due(demo, ids[:4])  # the fifth is not due yet
    assert run_due_batch(demo, limit=3) == 3
    assert run_due_batch(demo) == 1
    assert run_due_batch(demo) == 0
    statuses = {r.id: r.status for r in rows(demo) if r.id in ids}
    assert [statuses[i] for i in ids] == ["sent"] * 4 + ["pending"]
    assert [run_scheduled(demo, i) for i in ids[:4]] == ["done"] * 4
    assert len(outreach_messages(demo)) == 4


def test_a_claim_takes_only_pending_due_rows_and_a_second_claim_gets_none(demo: Runtime) -> None:
    ids = _book_many(demo, 3, lead_seconds=600)
    _make_due(demo, ids)
    with session_scope(demo.engine) as first, session_scope(demo.engine) as second:
        assert claim_due(first, utcnow(), 10) == sorted(ids)
        first.commit()
        assert claim_due(second, utcnow(), 10) == []
