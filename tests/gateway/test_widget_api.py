"""The widget's API: signed visitor tokens (forged, expired or foreign tokens are a 4xx, never a
5xx), idempotent sends, and CORS only for the public chat endpoints, as the business allows."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import Channel
from gateway.web import visitors
from gateway.web.chat import staff_name
from tests.gateway.chat_helpers import messages

pytestmark = pytest.mark.db

BASE = "/chat/acme-dental"
SITE = "https://shop.example"


def token_for(client: FlaskClient, slug: str = "acme-dental") -> str:
    """A fresh visitor token, as the widget asks for one."""
    response = client.post(f"/chat/{slug}/session")
    assert response.status_code == 200
    return str(response.get_json()["token"])


def send(client: FlaskClient, token: str, text: str = "hi", msg_id: str | None = None) -> object:
    """Post one message with a visitor token (no cookie), as the widget does."""
    body = json.dumps({"id": msg_id or uuid.uuid4().hex, "text": text})
    return client.post(
        f"{BASE}/messages",
        data=body,
        content_type="application/json",
        headers={visitors.TOKEN_HEADER: token},
    )


def restrict(rt: Runtime, channel_id: str, origins: list[str]) -> None:
    """Allow only `origins` to use a channel's chat."""
    with session_scope(rt.engine) as db:
        channel = db.exec(select(Channel).where(Channel.id == channel_id)).one()
        channel.settings = {**channel.settings, "allowed_origins": origins}
        db.add(channel)


def test_a_token_alone_identifies_the_visitor(client: FlaskClient, demo: Runtime) -> None:
    token = token_for(client)
    assert "Set-Cookie" not in client.post(f"{BASE}/session").headers
    response = send(client, token, "hello from another site")
    assert response.status_code == 202  # type: ignore[attr-defined]
    [stored] = messages(demo, "in")
    assert stored.text == "hello from another site"
    # a renewed token names the same visitor
    renewed = client.post(f"{BASE}/session", headers={visitors.TOKEN_HEADER: token}).get_json()
    secret = demo.settings.secret_key
    assert visitors.decode(secret, renewed["token"]) == visitors.decode(secret, token)


def test_a_retried_send_with_the_same_id_is_stored_once(client: FlaskClient, demo: Runtime) -> None:
    token = token_for(client)
    first = send(client, token, "book a cleaning", msg_id="client-msg-1")
    again = send(client, token, "book a cleaning", msg_id="client-msg-1")
    assert first.get_json() == {"stored": 1, "duplicates": 0}  # type: ignore[attr-defined]
    assert again.status_code == 202  # type: ignore[attr-defined]
    assert again.get_json() == {"stored": 0, "duplicates": 1}  # type: ignore[attr-defined]
    assert [m.text for m in messages(demo, "in")] == ["book a cleaning"]


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "eyJiIjoxLCJ2IjoieCJ9.Zz9abc.forgedsignature",
        "x" * 5000,
        "ñandú-☃",
    ],
)
def test_forged_tokens_are_401(client: FlaskClient, demo: Runtime, token: str) -> None:
    response = send(client, token)
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response.get_json()["error"]  # type: ignore[attr-defined]
    assert client.get(f"{BASE}/events", query_string={"token": token}).status_code == 401
    assert messages(demo) == []


def test_a_token_signed_with_another_key_is_401(client: FlaskClient, demo: Runtime) -> None:
    assert send(client, visitors.issue("another-secret-key-0123456789", 1, "v")).status_code == 401  # type: ignore[attr-defined]


def test_an_expired_token_is_401_and_a_new_session_starts_a_new_visitor(
    client: FlaskClient, demo: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = demo.settings.secret_key
    long_ago = time.time() - visitors.TOKEN_SECONDS - 60
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: long_ago)
        old = visitors.issue(secret, 1, "old-visitor")
    response = send(client, old)
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert "expired" in response.get_json()["detail"]  # type: ignore[attr-defined]
    fresh = client.post(f"{BASE}/session", headers={visitors.TOKEN_HEADER: old}).get_json()
    found = visitors.decode(secret, fresh["token"])
    assert found is not None and found.visitor != "old-visitor"


def test_another_business_token_is_403(client: FlaskClient, demo: Runtime) -> None:
    other = token_for(client, "other-biz")
    assert send(client, other).status_code == 403  # type: ignore[attr-defined]
    assert client.get(f"{BASE}/events", query_string={"token": other}).status_code == 403
    assert messages(demo) == []


def test_any_site_may_use_the_public_chat_endpoints_by_default(client: FlaskClient) -> None:
    pre = client.options(
        f"{BASE}/messages",
        headers={"Origin": SITE, "Access-Control-Request-Method": "POST"},
    )
    assert pre.status_code == 204
    assert pre.headers["Access-Control-Allow-Origin"] == SITE
    assert "X-Visitor-Token" in pre.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in pre.headers
    token = client.post(f"{BASE}/session", headers={"Origin": SITE})
    assert token.headers["Access-Control-Allow-Origin"] == SITE
    panel = client.get(f"{BASE}/widget")
    assert "frame-ancestors *" in panel.headers["Content-Security-Policy"]


def test_a_business_can_limit_the_sites(client: FlaskClient, demo: Runtime) -> None:
    restrict(demo, "acme-web", [SITE])
    evil = {"Origin": "https://evil.example"}
    pre = client.options(f"{BASE}/messages", headers=evil)
    assert pre.status_code == 403 and "Access-Control-Allow-Origin" not in pre.headers
    assert client.post(f"{BASE}/session", headers=evil).status_code == 403
    token = token_for(client)
    refused = client.post(
        f"{BASE}/messages",
        data=json.dumps({"text": "hi"}),
        content_type="application/json",
        headers={**evil, visitors.TOKEN_HEADER: token},
    )
    assert refused.status_code == 403 and messages(demo) == []
    allowed = client.options(f"{BASE}/messages", headers={"Origin": SITE})
    assert allowed.headers["Access-Control-Allow-Origin"] == SITE
    # the gateway's own pages (the hosted page, the widget's frame) always may
    own = client.post(f"{BASE}/session", headers={"Origin": "http://localhost"})
    assert own.status_code == 200
    csp = client.get(f"{BASE}/widget").headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {SITE}" in csp


def test_console_and_admin_never_answer_cross_origin(client: FlaskClient) -> None:
    for path in ("/console/login", "/console/", "/api/v1/knowledge/sources", "/widget.js"):
        for method in (client.get, client.options):
            response = method(path, headers={"Origin": SITE})
            assert response.status_code < 500
            if path != "/widget.js":
                assert "Access-Control-Allow-Origin" not in response.headers


def test_the_widget_script_and_panel_are_served(client: FlaskClient) -> None:
    script = client.get("/widget.js")
    assert script.status_code == 200 and "javascript" in script.content_type
    assert "attachShadow" in script.get_data(as_text=True)
    spanish = client.get(f"{BASE}/widget", headers={"Accept-Language": "es-ES,es;q=0.9"})
    page = spanish.get_data(as_text=True)
    assert '<html lang="es">' in page and "Enviar" in page
    assert "Enviar" not in client.get(f"{BASE}/widget?lang=en").get_data(as_text=True)
    assert client.get("/chat/nobody-here/widget").status_code == 404


def test_staff_sign_with_the_first_word_of_their_name() -> None:
    assert staff_name("ana.lopez@acme.example") == "Ana"
    assert staff_name("bob@acme.example") == "Bob"
