"""Twilio: signatures, every recorded payload, and sends through the real SDK to the fake."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from channels import twilio
from channels.base import (
    Attachment,
    BadRequest,
    Button,
    InboundMessage,
    Location,
    Network,
    OutboundMessage,
    SendError,
    SentOptions,
    TemplateRef,
    WebhookRequest,
)
from channels.text import sms_segments
from tests.channels.conftest import (
    TWILIO,
    TWILIO_URL,
    expected_for,
    fixture_files,
    snapshot,
    twilio_request,
)
from tests.fakes import FakeTwilio

PARAMS = {"MessageSid": "SM1", "From": "+14155552671", "To": "+14155550100", "Body": "Hi"}


def test_verify_accepts_a_correct_signature() -> None:
    assert twilio.verify(twilio_request(PARAMS), TWILIO)


def test_verify_accepts_the_signature_computed_with_the_port() -> None:
    with_port = TWILIO_URL.replace(".com/", ".com:443/")
    assert twilio.verify(twilio_request(PARAMS, url=with_port), TWILIO)


@pytest.mark.parametrize(
    "request_",
    [
        twilio_request(PARAMS, token="someone-else"),
        twilio_request(PARAMS, url=TWILIO_URL + "/status"),
        replace(twilio_request(PARAMS), body=b"MessageSid=SM1&From=%2B1999&Body=Hi"),
        replace(
            twilio_request(PARAMS), headers={"Content-Type": "application/x-www-form-urlencoded"}
        ),
        replace(twilio_request(PARAMS), body=b"\xff\xfe"),
    ],
    ids=["wrong-token", "wrong-url", "tampered-body", "missing-header", "invalid-utf8"],
)
def test_verify_rejects_forged_or_unsigned_requests(request_: WebhookRequest) -> None:
    assert not twilio.verify(request_, TWILIO)


def test_verify_needs_the_public_url_and_token() -> None:
    assert not twilio.verify(twilio_request(PARAMS), replace(TWILIO, webhook_url=""))
    assert not twilio.verify(twilio_request(PARAMS), replace(TWILIO, credentials={}))


@pytest.mark.parametrize("path", fixture_files("twilio"), ids=lambda p: p.stem)
def test_parse_recorded_payloads(path: Path) -> None:
    params = json.loads(path.read_text(encoding="utf-8"))
    request = twilio_request(params)
    assert twilio.verify(request, TWILIO)
    events = twilio.parse(request, TWILIO)
    assert [snapshot(e) for e in events] == expected_for(path)
    for event in events:
        assert event.raw == params


def test_whatsapp_raw_keeps_the_prefixed_address() -> None:
    path = Path(__file__).parent.parent / "fixtures/twilio/whatsapp_text.json"
    (event,) = twilio.parse(twilio_request(json.loads(path.read_text())), TWILIO)
    assert isinstance(event, InboundMessage)
    assert event.raw["From"] == "whatsapp:+34600111222"
    assert event.sender_id == "+34600111222"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"MessageSid": "SM1"}'),
        ("application/x-www-form-urlencoded", b"Body=%FF%FE&MessageSid=SM1"),
        ("application/x-www-form-urlencoded", b"\xc3\x28"),
    ],
)
def test_parse_rejects_what_is_not_a_utf8_form(content_type: str, body: bytes) -> None:
    request = WebhookRequest("POST", TWILIO_URL, {"Content-Type": content_type}, body)
    with pytest.raises(BadRequest):
        twilio.parse(request, TWILIO)


def test_parse_survives_odd_values() -> None:
    params = {
        **PARAMS,
        "Body": "a\x00b" + "x" * 10_000,
        "NumMedia": "many",
        "MediaUrl7": "https://example.com/m.png",
        "Latitude": "1e400",
        "Longitude": "",
    }
    (event,) = twilio.parse(twilio_request(params), TWILIO)
    assert isinstance(event, InboundMessage)
    assert event.text.startswith("ab") and len(event.text) == 10_002
    assert event.location is None
    assert [a.url for a in event.attachments] == ["https://example.com/m.png"]


# --- sending through twilio.rest.Client to the fake -----------------------------------------


def test_send_sms_with_numbered_options(fake_twilio: FakeTwilio) -> None:
    message = OutboundMessage(
        recipient_id="+14155552671",
        network=Network.SMS,
        text="Can you come on Tuesday?",
        buttons=(Button("yes", "Yes"), Button("no", "No")),
    )
    result = twilio.send(message, replace(TWILIO, api_base=fake_twilio.base_url))
    (call,) = fake_twilio.messages()
    assert call.path == "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json"
    assert call.param("To") == "+14155552671"
    assert call.param("From") == "+14155550100"
    assert call.param("Body") == "Can you come on Tuesday?\n\n1. Yes\n2. No"
    assert call.param("StatusCallback") == TWILIO_URL + "/status"
    assert result.provider_message_ids[0].startswith("SM")
    sent = [SentOptions(result.provider_message_ids[0], message.buttons)]
    assert twilio.match_option(" 2 ", None, {}, sent) == Button("no", "No")
    assert twilio.match_option("2", "yes", {}, sent) is None  # a quick reply carries its id


def test_send_whatsapp_media_and_location(fake_twilio: FakeTwilio) -> None:
    message = OutboundMessage(
        recipient_id="+34600111222",
        network=Network.WHATSAPP,
        text="Aquí tienes",
        attachments=(
            Attachment(kind="image", url="https://cdn.example.com/map.png"),
            Attachment(kind="document", url="https://cdn.example.com/prices.pdf"),
        ),
        location=Location(40.4167754, -3.7037902, name="Clínica Sol"),
    )
    result = twilio.send(message, replace(TWILIO, api_base=fake_twilio.base_url))
    calls = fake_twilio.messages()
    assert len(result.provider_message_ids) == len(calls) == 3
    assert {c.param("To") for c in calls} == {"whatsapp:+34600111222"}
    assert {c.param("From") for c in calls} == {"whatsapp:+14155550100"}
    assert calls[0].form["MediaUrl"] == ["https://cdn.example.com/map.png"]
    assert calls[0].param("Body") == "Aquí tienes"
    assert calls[1].form["MediaUrl"] == ["https://cdn.example.com/prices.pdf"]
    assert calls[2].form["PersistentAction"] == ["geo:40.4167754,-3.7037902|Clínica Sol"]


def test_send_template_uses_content_sid_and_variables(fake_twilio: FakeTwilio) -> None:
    message = OutboundMessage(
        recipient_id="+34600111222",
        network=Network.WHATSAPP,
        text="ignored outside the window",
        template=TemplateRef("HX0123456789abcdef", language="es", variables=("Lucía", "10:00")),
    )
    twilio.send(message, replace(TWILIO, api_base=fake_twilio.base_url))
    (call,) = fake_twilio.messages()
    assert call.param("ContentSid") == "HX0123456789abcdef"
    assert json.loads(call.param("ContentVariables") or "") == {"1": "Lucía", "2": "10:00"}
    assert call.param("Body") is None


def test_long_sms_is_split_into_bodies_of_at_most_ten_segments(fake_twilio: FakeTwilio) -> None:
    text = " ".join(["palabra"] * 400)  # 3,199 GSM-7 characters
    twilio.send(
        OutboundMessage(recipient_id="+14155552671", network=Network.SMS, text=text),
        replace(TWILIO, api_base=fake_twilio.base_url),
    )
    bodies = [c.param("Body") or "" for c in fake_twilio.messages()]
    assert len(bodies) == 3
    assert all(sms_segments(b) <= 10 for b in bodies)
    assert " ".join(bodies) == text


def test_parts_are_stable() -> None:
    message = OutboundMessage(
        recipient_id="+1", network=Network.WHATSAPP, text="hi " * 900,
        buttons=(Button("a", "A"),), attachments=(Attachment(kind="image", url="https://x/y"),),
    )  # fmt: skip
    for part in twilio.parts(message, TWILIO):
        assert twilio.parts(part, TWILIO) == [part]


def test_429_then_success(fake_twilio: FakeTwilio) -> None:
    config = replace(TWILIO, api_base=fake_twilio.base_url)
    message = OutboundMessage(recipient_id="+14155552671", network=Network.SMS, text="hi")
    fake_twilio.fail_next(1, status=429, retry_after=7)
    with pytest.raises(SendError) as caught:
        twilio.send(message, config)
    assert caught.value.retryable and caught.value.retry_after == 7.0
    assert caught.value.code == "20429"
    assert twilio.send(message, config).provider_message_ids


@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [(500, None, True), (503, None, True), (400, 63016, False), (400, 21610, False)],
)
def test_error_classification(
    fake_twilio: FakeTwilio, status: int, code: int | None, retryable: bool
) -> None:
    fake_twilio.fail_next(1, status=status, code=code)
    message = OutboundMessage(recipient_id="+34600111222", network=Network.WHATSAPP, text="hi")
    with pytest.raises(SendError) as caught:
        twilio.send(message, replace(TWILIO, api_base=fake_twilio.base_url))
    assert caught.value.retryable is retryable
    if code is not None:
        assert caught.value.code == str(code)


def test_network_error_is_retryable() -> None:
    message = OutboundMessage(recipient_id="+14155552671", network=Network.SMS, text="hi")
    with pytest.raises(SendError) as caught:
        twilio.send(message, replace(TWILIO, api_base="http://127.0.0.1:9"))
    assert caught.value.retryable
