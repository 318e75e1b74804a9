"""WhatsApp Cloud API end to end: signed events in -> stored -> worker -> the fake Graph API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from channels.base import Button
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.outbound import Draft
from gateway.store.models import Handoff
from tests.fakes import FakeGraph, FakeTelegram, FakeTwilio
from tests.gateway.channel_helpers import (
    CUSTOMER,
    WA_SECRET,
    WA_VERIFY,
    Wired,
    age_conversation,
    cloud_message,
    cloud_status,
    drain,
    post_whatsapp,
    queue_reply,
    rows,
    wire,
)
from tests.support import WorkerPool, wait_for

pytestmark = pytest.mark.db

TEMPLATES = {
    "templates": {
        "default": {"name": "follow_up", "language": "es", "variables": ["{name}", "{business}"]}
    }
}


@pytest.fixture
def wired(
    demo: Runtime, fake_twilio: FakeTwilio, fake_telegram: FakeTelegram, fake_graph: FakeGraph
) -> Wired:
    return wire(demo, fake_twilio, fake_telegram, fake_graph, {"wa": TEMPLATES})


def _text(wamid: str, body: str) -> dict[str, object]:
    return cloud_message(wamid, "text", {"body": body})


def test_the_verification_handshake_answers_the_challenge_only_to_the_right_token(
    client: FlaskClient, wired: Wired
) -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": WA_VERIFY, "hub.challenge": "1158201444"}
    ok = client.get("/webhooks/whatsapp/wa", query_string=query)
    assert (ok.status_code, ok.mimetype, ok.get_data(as_text=True)) == (
        200,
        "text/plain",
        "1158201444",
    )
    wrong = client.get("/webhooks/whatsapp/wa", query_string={**query, "hub.verify_token": "x"})
    assert wrong.status_code == 403
    assert client.get("/webhooks/telegram/tg", query_string=query).status_code == 405


def test_a_text_is_answered_through_the_graph_api_by_a_real_worker(
    client: FlaskClient, wired: Wired, worker_pool: WorkerPool
) -> None:
    assert post_whatsapp(client, _text("wamid.A1", "Hola")).status_code == 200
    worker_pool.start(1)
    [sent] = wait_for(lambda: wired.graph.messages())
    assert sent.path == "/v21.0/106540352242922/messages"
    body = sent.json
    assert (body["messaging_product"], body["to"], body["type"]) == (
        "whatsapp",
        "34600111222",
        "text",
    )
    assert body["text"]["body"]
    reply = wait_for(lambda: [r for r in rows(wired.rt, "out") if r.status == "sent"])[0]
    assert reply.provider_message_id == "wamid.FAKE00000001"


def test_buttons_are_interactive_and_the_reply_carries_the_option_id(
    client: FlaskClient, wired: Wired
) -> None:
    post_whatsapp(client, _text("wamid.B1", "hola"))
    drain(wired.rt)
    three = tuple(Button(f"b{i}", f"Option {i}") for i in range(3))
    five = tuple(Button(f"r{i}", f"Row {i}") for i in range(5))
    queue_reply(wired.rt, "wa", Draft(text="Pick one", buttons=three))
    queue_reply(wired.rt, "wa", Draft(text="Or one of these", buttons=five))
    drain(wired.rt)
    buttons, listed = [r.json["interactive"] for r in wired.graph.messages()[1:]]
    assert buttons["type"] == "button"
    assert [b["reply"]["id"] for b in buttons["action"]["buttons"]] == ["b0", "b1", "b2"]
    assert listed["type"] == "list"
    assert [r["id"] for r in listed["action"]["sections"][0]["rows"]] == [b.id for b in five]
    press = {"type": "button_reply", "button_reply": {"id": "b1", "title": "Option 1"}}
    post_whatsapp(client, cloud_message("wamid.B2", "interactive", press))
    drain(wired.rt)
    assert rows(wired.rt, "in")[-1].payload == "b1"


def test_media_is_downloaded_by_a_job_soon_after_arrival(
    client: FlaskClient, wired: Wired, settings: object
) -> None:
    wired.graph.media["1479537139650973"] = (b"\xff\xd8jpeg-bytes", "image/jpeg")
    image = {"id": "1479537139650973", "mime_type": "image/jpeg", "caption": "Mi radiografía"}
    post_whatsapp(client, cloud_message("wamid.M1", "image", image))
    drain(wired.rt)
    [message] = rows(wired.rt, "in")
    [attachment] = message.attachments
    assert attachment["content_type"] == "image/jpeg" and attachment["size"] == 12
    assert Path(attachment["path"]).read_bytes() == b"\xff\xd8jpeg-bytes"
    assert message.text == "Mi radiografía" and message.kind == "image"


def test_statuses_update_the_row_and_a_closed_window_tells_staff(
    client: FlaskClient, wired: Wired
) -> None:
    post_whatsapp(client, _text("wamid.S1", "hola"))
    drain(wired.rt)
    [reply] = rows(wired.rt, "out")
    wamid = reply.provider_message_id or ""
    for status in ("delivered", "read"):
        assert post_whatsapp(client, cloud_status(wamid, status)).status_code == 200
    assert rows(wired.rt, "out")[0].status == "read"
    post_whatsapp(client, cloud_status(wamid, "failed", code=131047))
    row = rows(wired.rt, "out")[0]
    assert (row.status, row.error_code) == ("failed", "131047")
    with session_scope(wired.rt.engine) as session:
        [handoff] = session.exec(select(Handoff)).all()
    assert "window" in handoff.reason


def test_outside_the_window_the_approved_template_is_sent_instead(
    client: FlaskClient, wired: Wired
) -> None:
    post_whatsapp(client, _text("wamid.W1", "hola"))
    drain(wired.rt)
    age_conversation(wired.rt, "wa", hours=48)
    long_text = "We have news about your treatment. " * 200  # several parts
    ids = queue_reply(wired.rt, "wa", Draft(text=long_text))
    assert len(ids) > 1
    drain(wired.rt)
    [sent] = wired.graph.messages()[1:]
    assert sent.json["type"] == "template"
    assert sent.json["template"] == {
        "name": "follow_up",
        "language": {"code": "es"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "Lucía Pérez"},
                    {"type": "text", "text": "Acme Dental"},
                ],
            }
        ],
    }
    out = [r for r in rows(wired.rt, "out") if r.id in ids]
    assert out[0].status == "sent" and out[0].template and out[0].template["name"] == "follow_up"
    assert {r.error_code for r in out[1:]} == {"window_closed"}


def test_outside_the_window_with_no_template_nothing_is_sent_and_staff_are_told(
    client: FlaskClient,
    demo: Runtime,
    fake_twilio: FakeTwilio,
    fake_telegram: FakeTelegram,
    fake_graph: FakeGraph,
) -> None:
    wire(demo, fake_twilio, fake_telegram, fake_graph)
    post_whatsapp(client, _text("wamid.W2", "hola"))
    drain(demo)
    age_conversation(demo, "wa", hours=24.5)
    [row_id] = queue_reply(demo, "wa", Draft(text="Shall we book your check-up?"))
    drain(demo)
    assert len(fake_graph.messages()) == 1  # only the in-window answer to "hola"
    row = [r for r in rows(demo, "out") if r.id == row_id][0]
    assert (row.status, row.error_code) == ("failed", "window_closed")
    with session_scope(demo.engine) as session:
        [handoff] = session.exec(select(Handoff)).all()
    assert handoff.reason.startswith("whatsapp window closed")


@pytest.mark.parametrize("how", ["missing", "other-secret", "reserialized"])
def test_bad_signatures_are_refused_and_nothing_is_stored(
    client: FlaskClient, wired: Wired, how: str
) -> None:
    payload = _text("wamid.F1", "hola")
    if how == "missing":
        response = post_whatsapp(client, payload, secret=None)
    elif how == "other-secret":
        response = post_whatsapp(client, payload, secret="not-the-app-secret")
    else:
        from channels.whatsapp import signature_for

        signed = signature_for(json.dumps(payload, indent=2).encode(), WA_SECRET)
        response = client.post(
            "/webhooks/whatsapp/wa",
            data=json.dumps(payload).encode(),
            content_type="application/json",
            headers={"X-Hub-Signature-256": signed},
        )
    assert response.status_code == 403
    assert rows(wired.rt) == []


def test_a_redelivered_event_is_stored_and_answered_once(client: FlaskClient, wired: Wired) -> None:
    payload = _text("wamid.R1", "hola")
    assert post_whatsapp(client, payload).status_code == 200
    drain(wired.rt)
    assert post_whatsapp(client, payload).status_code == 200
    drain(wired.rt)
    assert len(rows(wired.rt, "in")) == 1
    assert len(wired.graph.messages()) == 1
    assert rows(wired.rt, "in")[0].raw["sender_name"] == "Lucía Pérez"
    assert CUSTOMER.lstrip("+") in wired.graph.messages()[0].json["to"]
