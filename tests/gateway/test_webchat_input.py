"""Bad input on the web chat endpoint: a clear 4xx or a safely stored message, never a 5xx."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from gateway.core.runtime import Runtime
from tests.gateway.chat_helpers import messages, open_chat, say

pytestmark = pytest.mark.db

URL = "/chat/acme-dental/messages"


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"not json at all", "application/json", 400),
        (b"", "application/json", 400),
        (b'{"text": "\xff\xfe broken"}', "application/json", 400),
        (b'["a list"]', "application/json", 400),
        (b'{"text": ""}', "application/json", 400),
        (b'{"text": "   "}', "application/json", 400),
        (b'{"text": 42}', "application/json", 400),
        (b'{"text": "hi", "id": {"x": 1}}', "application/json", 400),
        (json.dumps({"text": "x" * 5000}).encode(), "application/json", 400),
        (b"x" * (1024 * 1024 + 10), "application/json", 413),
        (b"text=hello", "application/x-www-form-urlencoded", 400),
    ],
)
def test_bad_bodies_get_a_4xx_and_leave_no_trace(
    client: FlaskClient, demo: Runtime, body: bytes, content_type: str, status: int
) -> None:
    open_chat(client)
    response = client.post(URL, data=body, content_type=content_type)
    assert response.status_code == status
    assert response.is_json and response.get_json()["error"]
    assert messages(demo) == []


def test_posting_without_the_chat_cookie_is_refused(client: FlaskClient, demo: Runtime) -> None:
    response = client.post(URL, data=json.dumps({"text": "hi"}), content_type="application/json")
    assert response.status_code == 403
    assert messages(demo) == []


def test_unknown_business_is_404(client: FlaskClient) -> None:
    assert client.get("/chat/nobody-here").status_code == 404
    assert client.post("/chat/nobody-here/messages", json={"text": "hi"}).status_code == 404


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "'; DROP TABLE message; --",
        "שלום مرحبا \u200b\u200f zero-width and RTL",
        "emoji 👩‍👩‍👧 and accents ñáé",
    ],
)
def test_odd_but_valid_text_is_stored_exactly_as_sent(
    client: FlaskClient, demo: Runtime, text: str
) -> None:
    open_chat(client)
    assert say(client, text).status_code == 202
    assert [m.text for m in messages(demo, "in")] == [text]


def test_null_bytes_are_dropped_not_stored(client: FlaskClient, demo: Runtime) -> None:
    open_chat(client)
    assert say(client, "a\x00b").status_code == 202
    assert [m.text for m in messages(demo, "in")] == ["ab"]


def test_the_chat_page_never_renders_message_text_as_html(
    client: FlaskClient, demo: Runtime
) -> None:
    open_chat(client)
    page = client.get("/chat/acme-dental").get_data(as_text=True)
    assert "innerHTML" not in page
    script = client.get("/chat-static/chat.js").get_data(as_text=True)
    assert "textContent" in script and "innerHTML" not in script
