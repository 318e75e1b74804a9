"""Daily roll-ups equal a direct recount of the source rows, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from gateway.analytics import jobs
from gateway.analytics.rollup import roll_up
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import (
    Appointment,
    Channel,
    ConsentEvent,
    Conversation,
    CsatRating,
    DailyStat,
    DeclinedQuestion,
    Handoff,
    Lead,
    Message,
)
from gateway.worker import tasks
from tests.gateway.analytics.seed import business, seed

pytestmark = pytest.mark.db

Counts = dict[tuple[str, str, str, str], float]


def _recount(s: Session, bid: int, tz: str) -> Counts:
    """An independent count: every row read into Python and bucketed by its local day."""
    zone = ZoneInfo(tz)
    out: defaultdict[tuple[str, str, str, str], float] = defaultdict(float)

    def day(at: datetime) -> str:
        return at.astimezone(zone).date().isoformat()

    convs = {c.id: c for c in s.exec(select(Conversation).where(Conversation.business_id == bid))}
    handoffs = list(s.exec(select(Handoff).where(Handoff.business_id == bid)))
    msgs = list(s.exec(select(Message).where(Message.business_id == bid)))
    escalated = {h.conversation_id for h in handoffs}
    for c in convs.values():
        out[(day(c.created_at), c.channel_id, "conversations", "")] += 1
        if c.id not in escalated:
            out[(day(c.created_at), c.channel_id, "contained", "")] += 1
    people: set[tuple[str, str, int]] = set()
    for m in msgs:
        if m.direction == "in":
            out[(day(m.created_at), m.channel_id, "messages_in", "")] += 1
            out[(day(m.created_at), m.channel_id, "intent", m.annotations["intent"])] += 1
            if m.processed_at is not None:
                late = (m.processed_at - m.created_at).total_seconds()
                out[(day(m.created_at), m.channel_id, "bot_reply_seconds", "")] += late
                out[(day(m.created_at), m.channel_id, "bot_replies", "")] += 1
            people.add((day(m.created_at), m.channel_id, convs[m.conversation_id].contact_id))
        else:
            out[(day(m.created_at), m.channel_id, "messages_out", m.author)] += 1
    for d, ch, _ in people:
        out[(d, ch, "customers", "")] += 1
        out[(d, ch, "active_conversations", "")] += 1  # one conversation per contact here
    for h in handoffs:
        ch = convs[h.conversation_id].channel_id
        out[(day(h.created_at), ch, "handoffs", h.reason)] += 1
        replies = [
            m.created_at for m in msgs
            if m.conversation_id == h.conversation_id and m.author == "staff"
            and m.direction == "out" and m.created_at >= h.created_at
        ]  # fmt: skip
        if replies:
            seconds = (min(replies) - h.created_at).total_seconds()
            out[(day(h.created_at), ch, "staff_reply_seconds", "")] += seconds
            out[(day(h.created_at), ch, "staff_replies", "")] += 1
    for kind, table in (("appointments", Appointment), ("leads", Lead)):
        for r in s.exec(select(table).where(table.business_id == bid)):
            ch = convs[r.conversation_id].channel_id if r.conversation_id else ""
            who = "bot" if r.conversation_id else "staff"
            out[(day(r.created_at), ch, kind, who)] += 1
            if r.status == "cancelled":
                out[(day(r.created_at), ch, f"{kind}_cancelled", "")] += 1
    for e in s.exec(select(ConsentEvent).where(ConsentEvent.business_id == bid)):
        if not e.granted:
            out[(day(e.created_at), "", "opt_outs", e.network)] += 1
    for r in s.exec(select(CsatRating).where(CsatRating.business_id == bid)):
        out[(day(r.asked_at), r.channel_id, "csat_asked", "")] += 1
        if r.score is not None:
            out[(day(r.asked_at), r.channel_id, "csat_answered", "")] += 1
            out[(day(r.asked_at), r.channel_id, "csat_score_sum", "")] += r.score
            out[(day(r.asked_at), r.channel_id, "csat_score", str(r.score))] += 1
    for q in s.exec(select(DeclinedQuestion).where(DeclinedQuestion.business_id == bid)):
        out[(day(q.created_at), convs[q.conversation_id].channel_id, "unanswered", "")] += 1
    return dict(out)


def _rolled(s: Session, bid: int) -> Counts:
    rows = s.exec(select(DailyStat).where(DailyStat.business_id == bid)).all()
    return {(r.day, r.channel_id, r.metric, r.key): r.value for r in rows}


def _same(rolled: Counts, direct: Counts) -> None:
    assert set(rolled) == set(direct)
    for key, value in direct.items():
        assert rolled[key] == pytest.approx(value, abs=1e-3), key


def test_rollups_equal_a_direct_recount_on_random_data(demo: Runtime) -> None:
    rng = random.Random(19)
    with session_scope(demo.engine) as s:
        acme = business(s, "acme-dental")
        s.add(Channel(id="acme-sms", business_id=acme.id, provider="twilio"))
        s.flush()
        seed(s, rng, 150, 30)
    assert roll_up(demo, acme.id) >= 30
    with session_scope(demo.engine) as s:
        _same(_rolled(s, acme.id), _recount(s, acme.id, acme.timezone))
        other = business(s, "other-biz")
        assert _rolled(s, other.id) == {}  # never counted into another business
    with session_scope(demo.engine) as s:
        seed(s, rng, 40, 5)  # new activity in the last days: the next run is incremental
    assert roll_up(demo, acme.id) <= 9
    assert roll_up(demo, other.id) >= 30
    with session_scope(demo.engine) as s:
        _same(_rolled(s, acme.id), _recount(s, acme.id, acme.timezone))
        _same(_rolled(s, other.id), _recount(s, other.id, other.timezone))


def test_rollup_jobs_are_enqueued_once_per_business(demo: Runtime) -> None:
    assert jobs.rollups_if_due(demo)
    assert not jobs.rollups_if_due(demo)  # the lease: once per interval
    queue = demo.queue("scheduled")
    assert sorted(queue.job_ids) == ["rollup-1", "rollup-2"]
    assert jobs.enqueue_rollups(demo) == 0  # same ids still queued: a repeat adds nothing
    job = queue.fetch_job("rollup-1")
    assert job is not None and job.func_name == tasks.ROLLUP_BUSINESS
    assert job.kwargs == {"business_id": 1}
