"""The webhook's one write (issue 15): an inbox row per event, turned into a message by a worker
exactly once, found again by the sweep, and covered by export, erasure and retention."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import col, select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.inbox import enqueue_inbox, materialize
from gateway.rights.retention import apply_retention
from gateway.rights.service import erase_by_id, export
from gateway.store.models import Business, Conversation, InboxEvent, Message
from gateway.worker.sweep import sweep
from tests.fakes import FakeGraph, FakeTelegram, FakeTwilio
from tests.gateway.channel_helpers import Wired, drain, post_telegram, tg_message, wire

pytestmark = pytest.mark.db

SECRET_WORDS = "my name is Zoltan Quibble"


@pytest.fixture
def wired(
    demo: Runtime, fake_twilio: FakeTwilio, fake_telegram: FakeTelegram, fake_graph: FakeGraph
) -> Wired:
    return wire(demo, fake_twilio, fake_telegram, fake_graph)


def _inbox(rt: Runtime) -> list[InboxEvent]:
    with session_scope(rt.engine) as session:
        return list(session.exec(select(InboxEvent).order_by(col(InboxEvent.id))).all())


def _messages(rt: Runtime) -> list[Message]:
    with session_scope(rt.engine) as session:
        return list(session.exec(select(Message).where(Message.direction == "in")).all())


def test_the_webhook_writes_one_inbox_row_and_nothing_else(
    client: FlaskClient, wired: Wired
) -> None:
    update = tg_message("hello", 11)
    assert post_telegram(client, update).get_json() == {"stored": 1, "duplicates": 0, "statuses": 0}
    assert post_telegram(client, update).get_json() == {"stored": 0, "duplicates": 1, "statuses": 0}
    (row,) = _inbox(wired.rt)
    assert row.status == "pending" and row.event["text"] == "hello"
    assert _messages(wired.rt) == []  # contact, conversation and message are the worker's job
    with session_scope(wired.rt.engine) as session:
        assert session.exec(select(Conversation)).all() == []
    drain(wired.rt)
    (message,) = _messages(wired.rt)
    (row,) = _inbox(wired.rt)
    assert (row.status, row.message_id, row.event) == ("done", message.id, {})
    assert message.text == "hello" and message.status == "processed"
    assert len(wired.telegram.method_calls("sendMessage")) == 1


def test_a_repeated_or_duplicated_job_adds_one_message_and_one_reply(
    client: FlaskClient, wired: Wired
) -> None:
    post_telegram(client, tg_message("hello", 12))
    (row,) = _inbox(wired.rt)
    assert row.id is not None
    first = materialize(wired.rt, row.id)
    assert first is not None and materialize(wired.rt, row.id) == first
    enqueue_inbox(wired.rt, row.id)  # the job again, after the row was taken
    drain(wired.rt)
    assert [m.id for m in _messages(wired.rt)] == [first]
    assert len(wired.telegram.method_calls("sendMessage")) == 1


def test_the_sweep_finds_an_event_whose_job_redis_lost(client: FlaskClient, wired: Wired) -> None:
    post_telegram(client, tg_message("hello", 13))
    wired.rt.redis.flushdb()  # the enqueued job is gone; the committed row is not
    with session_scope(wired.rt.engine) as session:
        (row,) = session.exec(select(InboxEvent)).all()
        row.created_at = row.created_at - timedelta(minutes=5)
        session.add(row)
    assert sweep(wired.rt).inbox == 1
    drain(wired.rt)
    assert len(_messages(wired.rt)) == 1
    assert len(wired.telegram.method_calls("sendMessage")) == 1
    assert sweep(wired.rt).inbox == 0


def test_export_and_erasure_cover_events_still_waiting_in_the_inbox(
    client: FlaskClient, wired: Wired
) -> None:
    post_telegram(client, tg_message("hello", 14))
    drain(wired.rt)
    post_telegram(client, tg_message(SECRET_WORDS, 15))  # not yet taken by a worker
    (message,) = _messages(wired.rt)
    with session_scope(wired.rt.engine) as session:
        conv = session.get(Conversation, message.conversation_id)
        assert conv is not None
        contact_id = conv.contact_id
    doc = export(wired.rt, "acme-dental", str(contact_id), "test")
    assert any(r["event"].get("text") == SECRET_WORDS for r in doc["inbox"])
    counts = erase_by_id(wired.rt, contact_id, "test")
    assert counts["inbox"] == 2
    assert "Zoltan" not in json.dumps([r.event for r in _inbox(wired.rt)])
    assert all(r.sender_id == "" for r in _inbox(wired.rt))
    drain(wired.rt)  # the erased event's job runs: nothing is made of it
    assert len(_messages(wired.rt)) == 1


def test_retention_deletes_old_inbox_rows(client: FlaskClient, wired: Wired) -> None:
    post_telegram(client, tg_message("old", 16))
    post_telegram(client, tg_message("new", 17))
    drain(wired.rt)
    with session_scope(wired.rt.engine) as session:
        old = session.exec(select(InboxEvent).order_by(col(InboxEvent.id))).first()
        assert old is not None and old.id is not None
        old.created_at = old.created_at - timedelta(days=40)
        session.add(old)
        business = session.exec(select(Business).where(Business.slug == "acme-dental")).one()
        business.settings = {**business.settings, "retention_days": 30}
        session.add(business)
        old_id = old.id
    apply_retention(wired.rt)
    assert [r.id for r in _inbox(wired.rt)] == [old_id + 1]
