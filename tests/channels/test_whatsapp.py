"""WhatsApp Cloud API: handshake, HMAC over the raw body, every payload, Graph API sends."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from channels import whatsapp
from channels.base import (
    Attachment,
    BadRequest,
    Button,
    Location,
    Network,
    OutboundMessage,
    SendError,
    TemplateRef,
    WebhookRequest,
)
from tests.channels.conftest import (
    WHATSAPP,
    expected_for,
    fixture_files,
    snapshot,
    whatsapp_request,
)
from tests.fakes import FakeGraph

TEXT = (Path(__file__).parent.parent / "fixtures/whatsapp/text.json").read_bytes()


def test_subscription_handshake() -> None:
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": "verify-me",
        "hub.challenge": "1158201444",
    }
    assert whatsapp.verify_subscription(query, WHATSAPP) == "1158201444"
    assert whatsapp.verify_subscription({**query, "hub.verify_token": "nope"}, WHATSAPP) is None
    assert whatsapp.verify_subscription({**query, "hub.mode": "unsubscribe"}, WHATSAPP) is None
    assert whatsapp.verify_subscription({"hub.challenge": "1"}, WHATSAPP) is None


def test_verify_accepts_the_hmac_of_the_raw_body() -> None:
    assert whatsapp.verify(whatsapp_request(TEXT), WHATSAPP)


def test_verify_rejects_a_reserialized_body() -> None:
    signed = whatsapp_request(TEXT)
    reserialized = json.dumps(json.loads(TEXT)).encode()
    assert reserialized != TEXT
    assert not whatsapp.verify(replace(signed, body=reserialized), WHATSAPP)


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/json"},
        {"X-Hub-Signature-256": "sha256=" + "0" * 64},
        {"X-Hub-Signature-256": "not-even-the-format"},
    ],
    ids=["missing", "forged", "garbage"],
)
def test_verify_rejects_missing_or_forged_signatures(headers: dict[str, str]) -> None:
    assert not whatsapp.verify(replace(whatsapp_request(TEXT), headers=headers), WHATSAPP)
    assert not whatsapp.verify(whatsapp_request(TEXT, secret="other-secret"), WHATSAPP)


@pytest.mark.parametrize("path", fixture_files("whatsapp"), ids=lambda p: p.stem)
def test_parse_recorded_payloads(path: Path) -> None:
    request = whatsapp_request(path.read_bytes())
    assert whatsapp.verify(request, WHATSAPP)
    assert [snapshot(e) for e in whatsapp.parse(request, WHATSAPP)] == expected_for(path)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b"{not json"),
        ("application/json", b"\xff\xfe{}"),
        ("application/json", b"[1, 2]"),
        ("application/json", b"null"),
        ("text/plain", TEXT),
    ],
)
def test_parse_rejects_bodies_that_are_not_json_objects(content_type: str, body: bytes) -> None:
    request = WebhookRequest("POST", "https://x/", {"Content-Type": content_type}, body)
    with pytest.raises(BadRequest):
        whatsapp.parse(request, WHATSAPP)


# --- sending --------------------------------------------------------------------------------


def _send(fake: FakeGraph, message: OutboundMessage) -> list[dict[str, object]]:
    whatsapp.send(message, replace(WHATSAPP, api_base=fake.base_url))
    calls = fake.messages()
    assert {c.path for c in calls} == {"/v21.0/106540352242922/messages"}
    assert {c.headers["authorization"] for c in calls} == {"Bearer EAAG-test-token"}
    return [c.json for c in calls]


def _out(**fields: object) -> OutboundMessage:
    return OutboundMessage(recipient_id="+34600111222", network=Network.WHATSAPP, **fields)  # type: ignore[arg-type]


def test_send_text(fake_graph: FakeGraph) -> None:
    (body,) = _send(fake_graph, _out(text="Hola 👋"))
    assert body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "34600111222",
        "type": "text",
        "text": {"body": "Hola 👋", "preview_url": False},
    }


def test_send_reply_buttons_truncates_titles(fake_graph: FakeGraph) -> None:
    buttons = (Button("tue", "Martes a las 17:00 en punto"), Button("wed", "Miércoles"))
    (body,) = _send(fake_graph, _out(text="¿Qué día?", buttons=buttons))
    interactive = body["interactive"]
    assert body["type"] == "interactive" and interactive["type"] == "button"  # type: ignore[index]
    replies = [b["reply"] for b in interactive["action"]["buttons"]]  # type: ignore[index]
    assert [r["id"] for r in replies] == ["tue", "wed"]
    assert all(len(r["title"]) <= 20 for r in replies)
    assert replies[0]["title"].endswith("…")


def test_send_list_for_four_to_ten_options(fake_graph: FakeGraph) -> None:
    buttons = tuple(
        Button(f"s{i}", f"Servicio número {i} muy largo de verdad", "30 min") for i in range(7)
    )
    (body,) = _send(fake_graph, _out(text="Elige", buttons=buttons))
    interactive = body["interactive"]
    assert interactive["type"] == "list"  # type: ignore[index]
    rows = interactive["action"]["sections"][0]["rows"]  # type: ignore[index]
    assert len(rows) == 7 and all(len(r["title"]) <= 24 for r in rows)
    assert interactive["action"]["button"] == "Options"  # type: ignore[index]


def test_more_than_ten_options_fall_back_to_numbered_text(fake_graph: FakeGraph) -> None:
    buttons = tuple(Button(str(i), f"Option {i}") for i in range(12))
    (body,) = _send(fake_graph, _out(text="Pick", buttons=buttons))
    assert body["type"] == "text"
    assert "12. Option 11" in body["text"]["body"]  # type: ignore[index]


def test_send_media_location_and_long_text(fake_graph: FakeGraph) -> None:
    message = _out(
        text="palabra " * 1000,
        attachments=(
            Attachment(kind="image", url="https://cdn.example.com/a.jpg", caption="Mapa"),
            Attachment(kind="document", url="https://cdn.example.com/p.pdf", filename="p.pdf"),
        ),
        location=Location(40.41, -3.70, name="Clínica Sol", address="Sol, Madrid"),
    )
    bodies = _send(fake_graph, message)
    assert [b["type"] for b in bodies] == ["text", "text", "image", "document", "location"]
    assert all(len(b["text"]["body"]) <= 4096 for b in bodies[:2])  # type: ignore[index]
    assert bodies[2]["image"] == {"link": "https://cdn.example.com/a.jpg", "caption": "Mapa"}
    assert bodies[3]["document"] == {"link": "https://cdn.example.com/p.pdf", "filename": "p.pdf"}
    assert bodies[4]["location"] == {
        "latitude": 40.41, "longitude": -3.70, "name": "Clínica Sol", "address": "Sol, Madrid"
    }  # fmt: skip


def test_send_template(fake_graph: FakeGraph) -> None:
    template = TemplateRef(name="appointment_reminder", language="es", variables=("Lucía", "10:00"))
    (body,) = _send(fake_graph, _out(text="free-form text is not sent", template=template))
    assert body["type"] == "template"
    assert body["template"] == {
        "name": "appointment_reminder",
        "language": {"code": "es"},
        "components": [
            {"type": "body", "parameters": [
                {"type": "text", "text": "Lucía"}, {"type": "text", "text": "10:00"}]}
        ],
    }  # fmt: skip


def test_rate_limit_then_success(fake_graph: FakeGraph) -> None:
    config = replace(WHATSAPP, api_base=fake_graph.base_url)
    fake_graph.fail_next(1, status=400, code=130429, retry_after=30)
    with pytest.raises(SendError) as caught:
        whatsapp.send(_out(text="hi"), config)
    assert caught.value.retryable and caught.value.code == "130429"
    assert caught.value.retry_after == 30.0
    assert whatsapp.send(_out(text="hi"), config).provider_message_ids[0].startswith("wamid.")


@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [(429, None, True), (500, None, True), (400, 131056, True), (400, 131047, False),
     (400, 100, False), (401, 190, False)],
)  # fmt: skip
def test_error_classification(
    fake_graph: FakeGraph, status: int, code: int | None, retryable: bool
) -> None:
    fake_graph.fail_next(1, status=status, code=code)
    with pytest.raises(SendError) as caught:
        whatsapp.send(_out(text="hi"), replace(WHATSAPP, api_base=fake_graph.base_url))
    assert caught.value.retryable is retryable
    if code is not None:
        assert caught.value.code == str(code)


def test_download_media_two_steps(fake_graph: FakeGraph) -> None:
    fake_graph.media["1479537139650973"] = (b"\x89PNG fake", "image/png")
    data, content_type = whatsapp.download_media(
        "1479537139650973", replace(WHATSAPP, api_base=fake_graph.base_url)
    )
    assert (data, content_type) == (b"\x89PNG fake", "image/png")
    assert [r.path for r in fake_graph.requests] == [
        "/v21.0/1479537139650973",
        "/media-blob/1479537139650973",
    ]
    assert all(r.headers["authorization"] == "Bearer EAAG-test-token" for r in fake_graph.requests)


def test_download_of_an_expired_media_id_fails_for_good(fake_graph: FakeGraph) -> None:
    with pytest.raises(whatsapp.MediaFetchError) as caught:
        whatsapp.download_media("gone", replace(WHATSAPP, api_base=fake_graph.base_url))
    assert not caught.value.retryable


def test_parts_are_stable() -> None:
    message = _out(text="x " * 3000, buttons=(Button("a", "A"),), location=Location(1.0, 2.0))
    for part in whatsapp.parts(message, WHATSAPP):
        assert whatsapp.parts(part, WHATSAPP) == [part]
