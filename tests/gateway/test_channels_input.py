"""Adversarial input on every provider route: a 4xx or a faithfully stored message, never 5xx."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from gateway.core.runtime import Runtime
from tests.fakes import FakeGraph, FakeTelegram, FakeTwilio
from tests.gateway.channel_helpers import (
    TG_SECRET,
    WA_SECRET,
    Wired,
    cloud_message,
    post_telegram,
    post_twilio,
    post_whatsapp,
    rows,
    sms,
    tg_message,
    wire,
)

pytestmark = pytest.mark.db

NASTY_TEXTS = {
    "sql": "'; DROP TABLE message; -- SELECT * FROM contact WHERE 1=1",
    "html": "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "rtl_zero_width": "שלום مرحبا \u200b\u200f\u202e zero\u200dwidth \ufeff",
    "emoji": "👩🏽‍⚕️ cita 🦷 ¿mañana?",
    "long": "palabra " * 1250,  # 10,000 characters
}


@pytest.fixture
def wired(
    demo: Runtime, fake_twilio: FakeTwilio, fake_telegram: FakeTelegram, fake_graph: FakeGraph
) -> Wired:
    return wire(demo, fake_twilio, fake_telegram, fake_graph)


Poster = Callable[[FlaskClient, str, str], TestResponse]


def _twilio(client: FlaskClient, text: str, msg_id: str) -> TestResponse:
    return post_twilio(client, sms(text, "SM" + msg_id.rjust(32, "0")))


def _telegram(client: FlaskClient, text: str, msg_id: str) -> TestResponse:
    return post_telegram(client, tg_message(text, int(msg_id, 16) % 100000 + 1))


def _whatsapp(client: FlaskClient, text: str, msg_id: str) -> TestResponse:
    return post_whatsapp(client, cloud_message(f"wamid.{msg_id}", "text", {"body": text}))


POSTERS: dict[str, Poster] = {"twilio": _twilio, "telegram": _telegram, "whatsapp": _whatsapp}


@pytest.mark.parametrize("provider", POSTERS)
@pytest.mark.parametrize("name", NASTY_TEXTS)
def test_odd_but_valid_text_is_stored_exactly_as_sent(
    client: FlaskClient, wired: Wired, provider: str, name: str
) -> None:
    text = NASTY_TEXTS[name]
    response = POSTERS[provider](client, text, "abc123")
    assert response.status_code == 200
    [stored] = rows(wired.rt, "in")
    expected = text.strip() if provider == "telegram" else text
    assert stored.text in (text, expected)


@pytest.mark.parametrize("provider", POSTERS)
def test_null_bytes_are_dropped_and_the_rest_is_kept(
    client: FlaskClient, wired: Wired, provider: str
) -> None:
    assert POSTERS[provider](client, "hola\x00 mundo", "def456").status_code == 200
    [stored] = rows(wired.rt, "in")
    assert stored.text == "hola mundo"


def _bodies() -> list[tuple[str, bytes, str, int | tuple[int, ...]]]:
    nested = b"[" * 100000 + b"]" * 100000
    big = b"{" + b" " * (1024 * 1024 + 10) + b"}"
    return [
        ("malformed json", b'{"update_id": 1, "message": {', "application/json", 400),
        ("not an object", b'["a", "list"]', "application/json", 400),
        ("invalid utf-8", b'{"text": "\xff\xfe"}', "application/json", 400),
        ("wrong content type", b"update_id=1", "application/x-www-form-urlencoded", 400),
        ("deeply nested", nested, "application/json", 400),
        ("over 1 MB", big, "application/json", 413),
        ("empty", b"", "application/json", 400),
        # Required fields missing: not from the provider, refused (issue 16; was 200).
        ("missing fields", b"{}", "application/json", 400),
        ("null everywhere", b'{"update_id": null, "entry": null, "object": null}',
         "application/json", 400),
    ]  # fmt: skip


@pytest.mark.parametrize(("name", "body", "content_type", "status"), _bodies())
def test_bad_json_bodies_on_telegram_and_whatsapp_never_5xx(
    client: FlaskClient, wired: Wired, name: str, body: bytes, content_type: str, status: int
) -> None:
    for post, secret in ((post_telegram, TG_SECRET), (post_whatsapp, WA_SECRET)):
        response = post(client, body, secret=secret, content_type=content_type)  # type: ignore[operator]
        assert response.status_code == status, (name, post.__name__, response.status_code)
    assert rows(wired.rt) == []


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"Body=%FF%FE&From=%2B34600111222&MessageSid=SMx", "application/x-www-form-urlencoded",
         403),
        (b'{"Body": "hi"}', "application/json", 403),
        (b"x" * (1024 * 1024 + 10), "application/x-www-form-urlencoded", 413),
        (b"&&&===&&", "application/x-www-form-urlencoded", 403),
    ],
)  # fmt: skip
def test_bad_twilio_bodies_never_5xx(
    client: FlaskClient, wired: Wired, body: bytes, content_type: str, status: int
) -> None:
    response = client.post(
        "/webhooks/twilio/tw",
        data=body,
        content_type=content_type,
        headers={"X-Twilio-Signature": "c2lnbmF0dXJl"},
    )
    assert response.status_code == status
    assert rows(wired.rt) == []


def test_a_signed_twilio_form_missing_fields_is_acknowledged_and_ignored(
    client: FlaskClient, wired: Wired
) -> None:
    assert post_twilio(client, {"Body": "no sid, no sender"}).status_code == 200
    assert post_twilio(client, {}).status_code == 200
    assert rows(wired.rt) == []


@pytest.mark.parametrize(
    "path",
    [
        "/webhooks/twilio/nope",
        "/webhooks/twilio/tg",  # a Telegram channel on the Twilio route
        "/webhooks/telegram/%00",
        "/webhooks/whatsapp/" + "x" * 300,
        "/webhooks/webchat/acme-web",
        "/webhooks/telegram/tg/status",
    ],
)
def test_unknown_channels_are_404(client: FlaskClient, wired: Wired, path: str) -> None:
    response = client.post(path, data=b"{}", content_type="application/json")
    assert response.status_code in (404, 405)
    assert rows(wired.rt) == []


def test_a_batch_with_one_odd_message_keeps_the_good_ones(
    client: FlaskClient, wired: Wired
) -> None:
    payload: dict[str, Any] = cloud_message("wamid.G1", "text", {"body": "good"})
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"] += [
        {"from": "34600111222", "id": "wamid.G2", "type": "text", "text": {"body": None}},
        {"id": "wamid.G3", "type": "text"},
        "not even a dict",
        {"from": "34600111222", "id": "wamid.G4", "type": "hologram", "hologram": {}},
    ]
    response = post_whatsapp(client, json.dumps(payload).encode())
    assert response.status_code == 200
    assert [m.provider_message_id for m in rows(wired.rt, "in")] == ["wamid.G1", "wamid.G2"]
