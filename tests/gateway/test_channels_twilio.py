"""Twilio SMS and WhatsApp end to end: signed webhook in -> stored -> worker -> the fake API."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from channels.base import Attachment, Button
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.outbound import Draft
from gateway.messaging.sending import send_outbound
from gateway.store.models import Contact, Conversation, Handoff
from tests.fakes import FakeGraph, FakeTelegram, FakeTwilio
from tests.gateway.channel_helpers import (
    CUSTOMER,
    TW_NUMBER,
    Wired,
    age_conversation,
    drain,
    post_twilio,
    queue_reply,
    rows,
    scheduled_jobs,
    sms,
    twilio_whatsapp,
    wire,
)
from tests.support import WorkerPool, wait_for

pytestmark = pytest.mark.db

TEMPLATES = {
    "templates": {"reply": {"name": "HX0123456789", "language": "es", "variables": ["{name}"]}}
}


@pytest.fixture
def wired(
    demo: Runtime, fake_twilio: FakeTwilio, fake_telegram: FakeTelegram, fake_graph: FakeGraph
) -> Wired:
    return wire(demo, fake_twilio, fake_telegram, fake_graph, {"tw": TEMPLATES})


def test_sms_and_whatsapp_replies_reach_twilio_through_a_real_worker(
    client: FlaskClient, wired: Wired, worker_pool: WorkerPool
) -> None:
    response = post_twilio(client, sms("Hello there", "SM" + "1" * 32))
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    assert response.get_data(as_text=True).endswith("<Response/>")
    assert post_twilio(client, twilio_whatsapp("Hola", "SM" + "2" * 32)).status_code == 200
    worker_pool.start(1)
    sent = wait_for(lambda: len(wired.twilio.messages()) >= 2 and wired.twilio.messages())
    by_to = {r.param("To"): r for r in sent}
    assert set(by_to) == {CUSTOMER, f"whatsapp:{CUSTOMER}"}
    assert by_to[CUSTOMER].param("From") == TW_NUMBER
    assert by_to[f"whatsapp:{CUSTOMER}"].param("From") == f"whatsapp:{TW_NUMBER}"
    assert all(r.param("Body") for r in sent)
    assert (
        by_to[CUSTOMER].param("StatusCallback")
        == "https://bot.example.test/webhooks/twilio/tw/status"
    )
    assert [m.status for m in rows(wired.rt, "in")] == ["processed", "processed"]


def test_images_go_out_as_media_urls(client: FlaskClient, wired: Wired) -> None:
    post_twilio(client, sms("hi", "SM" + "3" * 32))
    drain(wired.rt)
    wired.twilio.reset()
    photo = Attachment(kind="image", url="https://cdn.example.test/x-ray.jpg")
    queue_reply(wired.rt, "tw", Draft(text="Your x-ray", attachments=(photo,)))
    drain(wired.rt)
    [sent] = wired.twilio.messages()
    assert sent.form["MediaUrl"] == ["https://cdn.example.test/x-ray.jpg"]
    assert sent.param("Body") == "Your x-ray"


def test_status_callbacks_update_the_outbound_row(client: FlaskClient, wired: Wired) -> None:
    post_twilio(client, sms("hi", "SM" + "4" * 32))
    drain(wired.rt)
    [reply] = rows(wired.rt, "out")
    assert reply.status == "sent" and reply.provider_message_id
    status = {"MessageSid": reply.provider_message_id, "AccountSid": "AC1", "To": CUSTOMER}
    # Signed over the inbound URL instead of the /status URL it was posted to: refused.
    forged = post_twilio(
        client,
        {**status, "MessageStatus": "delivered"},
        status=True,
        signed_path="/webhooks/twilio/tw",
    )
    assert forged.status_code == 403
    ok = post_twilio(client, {**status, "MessageStatus": "delivered"}, status=True)
    assert ok.status_code == 200 and ok.mimetype == "text/xml"
    assert rows(wired.rt, "out")[0].status == "delivered"
    post_twilio(client, {**status, "MessageStatus": "sent"}, status=True)  # late, out of order
    assert rows(wired.rt, "out")[0].status == "delivered"
    failed = {**status, "MessageStatus": "undelivered", "ErrorCode": "30008"}
    post_twilio(client, failed, status=True)
    row = rows(wired.rt, "out")[0]
    assert (row.status, row.error_code) == ("failed", "30008")


@pytest.mark.parametrize("signature", ["forged", "missing", "other-token"])
def test_unsigned_or_forged_requests_are_refused_and_nothing_is_stored(
    client: FlaskClient, wired: Wired, signature: str
) -> None:
    params = sms("hi", "SM" + "5" * 32)
    if signature == "other-token":
        response = post_twilio(client, params, token="not-the-token")
    else:
        headers = {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"} if signature == "forged" else {}
        response = client.post(
            "/webhooks/twilio/tw",
            data=params,
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
    assert response.status_code == 403
    assert rows(wired.rt) == []


def test_a_redelivered_message_is_stored_and_answered_once(
    client: FlaskClient, wired: Wired
) -> None:
    params = sms("hello", "SM" + "6" * 32)
    assert post_twilio(client, params).status_code == 200
    drain(wired.rt)
    assert post_twilio(client, params).status_code == 200
    drain(wired.rt)
    assert len(rows(wired.rt, "in")) == 1
    assert len(wired.twilio.messages()) == 1


def test_stop_sends_one_confirmation_then_blocks_everything_until_start(
    client: FlaskClient, wired: Wired
) -> None:
    post_twilio(client, sms("hi", "SM" + "7" * 32))
    drain(wired.rt)
    wired.twilio.reset()
    post_twilio(client, sms("Stop", "SM" + "8" * 32))
    drain(wired.rt)
    [confirmation] = wired.twilio.messages()
    assert "START" in (confirmation.param("Body") or "")
    post_twilio(client, sms("STOP", "SM" + "9" * 32))  # a repeated STOP gets no second answer
    drain(wired.rt)
    [blocked] = queue_reply(wired.rt, "tw", Draft(text="We have a special offer"))
    post_twilio(client, sms("are you open?", "SM" + "a" * 32))  # the bot's answer is held too
    drain(wired.rt)
    assert len(wired.twilio.messages()) == 1
    refused = [r for r in rows(wired.rt, "out") if r.status == "failed"]
    assert blocked in [r.id for r in refused] and len(refused) == 2
    assert {(r.error_code, r.error_message) for r in refused} == {("opted_out", "opted out")}
    post_twilio(client, sms("start", "SM" + "b" * 32))
    drain(wired.rt)
    queue_reply(wired.rt, "tw", Draft(text="Welcome back"))
    drain(wired.rt)
    bodies = [r.param("Body") or "" for r in wired.twilio.messages()]
    assert len(bodies) == 3 and "STOP" in bodies[1] and bodies[2] == "Welcome back"


def test_spanish_baja_and_help_are_answered_in_kind(client: FlaskClient, wired: Wired) -> None:
    post_twilio(client, sms("AYUDA", "SM" + "c" * 32))
    drain(wired.rt)
    post_twilio(client, sms("¡Baja!", "SM" + "d" * 32))
    drain(wired.rt)
    help_text, stop_text = [r.param("Body") or "" for r in wired.twilio.messages()]
    assert "Acme Dental" in help_text and "BAJA" in help_text
    assert "ALTA" in stop_text


def test_a_numbered_sms_reply_is_understood_as_the_option(
    client: FlaskClient, wired: Wired
) -> None:
    post_twilio(client, sms("hi", "SM" + "e" * 32))
    drain(wired.rt)
    wired.twilio.reset()
    options = (Button("slot_tue_17", "Tuesday 17:00"), Button("slot_wed_10", "Wednesday 10:00"))
    queue_reply(wired.rt, "tw", Draft(text="Which day suits you?", buttons=options))
    drain(wired.rt)
    [sent] = wired.twilio.messages()
    assert sent.param("Body") == "Which day suits you?\n\n1. Tuesday 17:00\n2. Wednesday 10:00"
    post_twilio(client, sms(" 2. ", "SM" + "f" * 32))
    drain(wired.rt)
    answer = rows(wired.rt, "in")[-1]
    assert answer.payload == "slot_wed_10"


def test_429_honours_retry_after_then_succeeds_through_a_real_worker(
    client: FlaskClient, wired: Wired, worker_pool: WorkerPool
) -> None:
    wired.twilio.fail_next(1, status=429, retry_after=1)
    post_twilio(client, sms("hello", "SM" + "1" * 31 + "0"))
    worker_pool.start(1)
    wait_for(lambda: [r for r in rows(wired.rt, "out") if r.status == "sent"])
    [reply] = rows(wired.rt, "out")
    assert reply.attempts == 2
    assert len(wired.twilio.messages()) == 2  # the refused call and the accepted one


def test_server_errors_back_off_and_client_errors_fail_for_good(
    client: FlaskClient, wired: Wired
) -> None:
    post_twilio(client, sms("hi", "SM" + "2" * 31 + "0"))
    wired.twilio.fail_next(1, status=503)
    drain(wired.rt)
    [reply] = rows(wired.rt, "out")
    assert (reply.status, reply.error_code) == ("pending", "503")
    assert any(job.startswith(f"out-{reply.id}-r1") for job, _ in scheduled_jobs(wired.rt))
    assert send_outbound(wired.rt, reply.id or 0) == "sent"
    wired.twilio.fail_next(1, status=400, code=21211, message="Invalid 'To' Phone Number")
    [bad] = queue_reply(wired.rt, "tw", Draft(text="again"))
    drain(wired.rt)
    row = [r for r in rows(wired.rt, "out") if r.id == bad][0]
    assert (row.status, row.error_code) == ("failed", "21211")


def test_outside_the_whatsapp_window_the_content_template_is_sent(
    client: FlaskClient, wired: Wired
) -> None:
    post_twilio(client, twilio_whatsapp("hola", "SM" + "3" * 31 + "0"))
    drain(wired.rt)
    wired.twilio.reset()
    age_conversation(wired.rt, "tw", hours=30)
    queue_reply(wired.rt, "tw", Draft(text="Your appointment is confirmed"))
    drain(wired.rt)
    [sent] = wired.twilio.messages()
    assert sent.param("ContentSid") == "HX0123456789"
    assert json.loads(sent.param("ContentVariables") or "{}") == {"1": "Lucía"}
    assert sent.param("Body") is None
    assert sent.param("To") == f"whatsapp:{CUSTOMER}"


def test_outside_the_window_without_a_template_the_row_fails_and_staff_are_told(
    client: FlaskClient,
    demo: Runtime,
    fake_twilio: FakeTwilio,
    fake_telegram: FakeTelegram,
    fake_graph: FakeGraph,
) -> None:
    wired = wire(demo, fake_twilio, fake_telegram, fake_graph)  # no templates configured
    post_twilio(client, twilio_whatsapp("hola", "SM" + "4" * 31 + "0"))
    drain(demo)
    fake_twilio.reset()
    age_conversation(demo, "tw", hours=25)
    [row_id] = queue_reply(demo, "tw", Draft(text="Are you still interested?"))
    drain(demo)
    assert wired.twilio.messages() == []
    row = [r for r in rows(demo, "out") if r.id == row_id][0]
    assert row.status == "failed" and row.error_code == "window_closed"
    assert "24 h" in (row.error_message or "")
    with session_scope(demo.engine) as session:
        [handoff] = session.exec(select(Handoff)).all()
    assert handoff.reason.startswith("whatsapp window closed")


def test_sms_and_whatsapp_from_one_number_are_one_contact(
    client: FlaskClient, wired: Wired
) -> None:
    post_twilio(client, sms("hi by sms", "SM" + "5" * 31 + "0"))
    post_twilio(client, twilio_whatsapp("hi on whatsapp", "SM" + "6" * 31 + "0"))
    inbound = rows(wired.rt, "in")
    assert len(inbound) == 2
    with session_scope(wired.rt.engine) as session:
        contacts = session.exec(select(Contact)).all()
        convs = session.exec(select(Conversation)).all()
    assert len(contacts) == 1 and contacts[0].phone == CUSTOMER
    assert {c.network for c in convs} == {"sms", "whatsapp"}
    assert {c.contact_id for c in convs} == {contacts[0].id}
