"""Telegram end to end: secret-checked updates in -> stored -> worker -> the fake Bot API."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from channels.base import Button
from channels.telegram import callback_data_for
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.outbound import Draft
from gateway.store.models import Contact, ContactIdentity, Conversation
from tests.fakes import FakeGraph, FakeTelegram, FakeTwilio
from tests.gateway.channel_helpers import (
    Wired,
    drain,
    last_inbound_id,
    post_telegram,
    post_twilio,
    queue_reply,
    rows,
    scheduled_jobs,
    settle,
    sms,
    tg_message,
    wire,
)
from tests.support import WorkerPool, wait_for

pytestmark = pytest.mark.db

CHAT = 987654321
LONG_ID = "book:dental-cleaning:2026-12-01T10:00:00+01:00:dr-garcia-martinez:room-2"


@pytest.fixture
def wired(
    demo: Runtime, fake_twilio: FakeTwilio, fake_telegram: FakeTelegram, fake_graph: FakeGraph
) -> Wired:
    # A roomy per-chat limit: these tests send several replies to one chat in a row.
    fast = {"rate_limit": {"per_second": 30, "per_chat_per_second": 50}}
    return wire(demo, fake_twilio, fake_telegram, fake_graph, {"tg": fast})


def _callback(query_id: str, data: str, sent_message_id: int) -> dict[str, Any]:
    return {
        "update_id": 810000000 + sent_message_id,
        "callback_query": {
            "id": query_id,
            "from": {"id": CHAT, "is_bot": False, "first_name": "Lucía"},
            "message": {
                "message_id": sent_message_id,
                "from": {"id": 123456, "is_bot": True, "first_name": "Test"},
                "chat": {"id": CHAT, "type": "private"},
                "date": int(time.time()),
                "text": "Which one?",
            },
            "chat_instance": "-1",
            "data": data,
        },
    }


def test_a_message_is_answered_with_send_message_and_buttons_with_an_inline_keyboard(
    client: FlaskClient, wired: Wired, worker_pool: WorkerPool
) -> None:
    assert post_telegram(client, tg_message("hello", 1)).status_code == 200
    worker_pool.start(1)
    [first] = wait_for(lambda: wired.telegram.method_calls("sendMessage"))
    params = wired.telegram.params(first)
    assert int(params["chat_id"]) == CHAT and params["text"]
    options = (Button("cleaning", "Cleaning"), Button(LONG_ID, "Dr García, Monday 10:00"))
    queue_reply(wired.rt, "tg", Draft(text="Which one?", buttons=options))
    calls = wait_for(
        lambda: (c := wired.telegram.method_calls("sendMessage")) and len(c) == 2 and c
    )
    markup = wired.telegram.params(calls[1])["reply_markup"]
    keyboard = [button for row in markup["inline_keyboard"] for button in row]
    assert [b["text"] for b in keyboard] == ["Cleaning", "Dr García, Monday 10:00"]
    assert keyboard[0]["callback_data"] == "cleaning"
    hashed = keyboard[1]["callback_data"]
    assert hashed == callback_data_for(LONG_ID) and len(hashed.encode()) <= 64
    # The customer presses the long-id button: the press is answered, the option understood.
    sent = [r for r in rows(wired.rt, "out") if r.buttons][0]
    sent_message_id = int((sent.provider_message_id or "0:0").split(":")[1])
    assert post_telegram(client, _callback("cbq-1", hashed, sent_message_id)).status_code == 200
    [answer] = wait_for(lambda: wired.telegram.method_calls("answerCallbackQuery"))
    assert wired.telegram.params(answer)["callback_query_id"] == "cbq-1"
    pressed = wait_for(lambda: [m for m in rows(wired.rt, "in") if m.status == "processed"
                                and m.kind == "button"])  # fmt: skip
    assert pressed[0].payload == LONG_ID


def test_an_edited_message_is_recorded_as_an_edit_and_not_answered_again(
    client: FlaskClient, wired: Wired
) -> None:
    post_telegram(client, tg_message("see you at 5", 7))
    drain(wired.rt)
    edited = tg_message("see you at 6", 7, update_id=900000001)
    edited["edited_message"] = {**edited.pop("message"), "edit_date": int(time.time()) + 5}
    assert post_telegram(client, edited).status_code == 200
    drain(wired.rt)
    original, edit = rows(wired.rt, "in")
    assert (edit.kind, edit.edit_of_id, edit.text) == ("edit", original.id, "see you at 6")
    assert original.text == "see you at 5"
    assert len(wired.telegram.method_calls("sendMessage")) == 1


def test_a_redelivered_update_is_stored_and_answered_once(
    client: FlaskClient, wired: Wired
) -> None:
    update = tg_message("hi", 3)
    assert post_telegram(client, update).status_code == 200
    assert post_telegram(client, update).get_json() == {"stored": 0, "duplicates": 1, "statuses": 0}
    drain(wired.rt)
    assert len(rows(wired.rt, "in")) == 1
    assert len(wired.telegram.method_calls("sendMessage")) == 1


@pytest.mark.parametrize("secret", [None, "wrong-secret", "tg-secret_012"])
def test_a_missing_or_wrong_secret_token_is_refused(
    client: FlaskClient, wired: Wired, secret: str | None
) -> None:
    assert post_telegram(client, tg_message("hi", 4), secret=secret).status_code == 403
    assert rows(wired.rt) == []


def test_kinds_we_do_not_handle_get_2xx_and_are_ignored(client: FlaskClient, wired: Wired) -> None:
    poll = {"update_id": 5, "poll": {"id": "1", "question": "?", "options": []}}
    member = {"update_id": 6, "my_chat_member": {"chat": {"id": CHAT, "type": "private"}}}
    for update in (poll, member):
        assert post_telegram(client, update).status_code == 200
    assert rows(wired.rt) == []


def test_a_shared_own_contact_card_links_telegram_to_the_phone_contact(
    client: FlaskClient, wired: Wired
) -> None:
    post_twilio(client, sms("hi from my phone", "SM" + "1" * 32))
    post_telegram(client, tg_message("hi from telegram", 10))
    settle(wired.rt)
    with session_scope(wired.rt.engine) as session:
        assert len(session.exec(select(Contact)).all()) == 2
    card = tg_message("", 11)
    del card["message"]["text"]
    card["message"]["contact"] = {
        "phone_number": "34600111222",
        "first_name": "Lucía",
        "user_id": CHAT,
    }
    assert post_telegram(client, card).status_code == 200
    settle(wired.rt)
    with session_scope(wired.rt.engine) as session:
        [contact] = session.exec(select(Contact)).all()
        identities = {(i.kind, i.address) for i in session.exec(select(ContactIdentity)).all()}
        convs = session.exec(select(Conversation)).all()
    assert contact.phone == "+34600111222"
    assert identities == {("phone", "+34600111222"), ("telegram", str(CHAT))}
    assert {c.contact_id for c in convs} == {contact.id} and len(convs) == 2


def test_someone_elses_contact_card_links_nothing(client: FlaskClient, wired: Wired) -> None:
    post_twilio(client, sms("hi", "SM" + "2" * 32))
    card = tg_message("", 12)
    del card["message"]["text"]
    card["message"]["contact"] = {"phone_number": "+34600111222", "first_name": "Mum", "user_id": 5}
    post_telegram(client, card)
    settle(wired.rt)
    with session_scope(wired.rt.engine) as session:
        assert len(session.exec(select(Contact)).all()) == 2


def test_stop_on_telegram_holds_back_proactive_messages_only(
    client: FlaskClient, wired: Wired
) -> None:
    post_telegram(client, tg_message("stop", 20))
    drain(wired.rt)
    [confirmation] = wired.telegram.method_calls("sendMessage")
    assert "START" in wired.telegram.params(confirmation)["text"]
    [proactive] = queue_reply(wired.rt, "tg", Draft(text="Time for your check-up!"))
    answer_to = last_inbound_id(wired.rt, "tg")
    [reply] = queue_reply(
        wired.rt, "tg", Draft(text="Here is what you asked"), reply_to_id=answer_to
    )
    drain(wired.rt)
    by_id = {r.id: r for r in rows(wired.rt, "out")}
    assert (by_id[proactive].status, by_id[proactive].error_message) == ("failed", "opted out")
    assert by_id[reply].status == "sent"
    assert len(wired.telegram.method_calls("sendMessage")) == 2


def test_429_keeps_the_row_pending_until_retry_after(client: FlaskClient, wired: Wired) -> None:
    wired.telegram.fail_next(1, status=429, retry_after=3)
    post_telegram(client, tg_message("hi", 30))
    drain(wired.rt)
    [reply] = rows(wired.rt, "out")
    assert (reply.status, reply.error_code) == ("pending", "429")
    [(job_id, due)] = scheduled_jobs(wired.rt)
    assert job_id.startswith(f"out-{reply.id}-r1")
    assert due.timestamp() - time.time() > 1  # waits for retry_after, not an immediate retry
