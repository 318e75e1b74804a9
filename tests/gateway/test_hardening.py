"""Holes found by probing the running gateway (issue 16): each answers 4xx now, never 5xx, and
nothing is stored when a request is refused."""

# ruff: noqa: F811  (the staff fixture is imported from tests.gateway.test_console)

from __future__ import annotations

import dataclasses
import importlib
import json
import threading
import time
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from rq.job import Job
from sqlmodel import select
from werkzeug.serving import make_server

from gateway.app import create_app
from gateway.console.staff import add_staff, business_by_slug
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.kb.jobs import AskTimeout, ask_and_wait
from gateway.store.models import Business, Message
from tests.fakes import FakeGraph, FakeTelegram, FakeTwilio
from tests.gateway.channel_helpers import (
    TG_SECRET,
    Wired,
    cloud_event,
    cloud_message,
    post_telegram,
    post_whatsapp,
    rows,
    tg_message,
    wire,
)
from tests.gateway.chat_helpers import open_chat
from tests.gateway.test_console import ACME, csrf, sign_in, staff  # noqa: F401

pytestmark = pytest.mark.db

SURROGATE = b'{"id": "s1", "text": "hi \\ud800 there"}'
ADMIN = {"Authorization": "Bearer acme-admin-token-0123456789"}


@pytest.fixture
def wired(
    demo: Runtime, fake_twilio: FakeTwilio, fake_telegram: FakeTelegram, fake_graph: FakeGraph
) -> Wired:
    return wire(demo, fake_twilio, fake_telegram, fake_graph)


def _lone_surrogate(payload: dict[str, Any], text_path: str = "TEXT") -> bytes:
    return json.dumps(payload).replace(text_path, "\\ud800").encode()


def test_a_lone_surrogate_is_a_400_everywhere_and_nothing_is_stored(
    wired: Wired, client: FlaskClient
) -> None:
    open_chat(client)
    chat = client.post(
        "/chat/acme-dental/messages", data=SURROGATE, content_type="application/json"
    )
    assert chat.status_code == 400
    tg = post_telegram(client, _lone_surrogate(tg_message("TEXT", 7)))
    assert tg.status_code == 400
    wa = post_whatsapp(client, _lone_surrogate(cloud_message("wamid.s", "text", {"body": "TEXT"})))
    assert wa.status_code == 400
    ask = client.post(
        "/api/v1/knowledge/ask", data=b'{"question": "\\udfff?"}', headers=ADMIN,
        content_type="application/json",
    )  # fmt: skip
    assert ask.status_code == 400
    pair = client.post(  # a proper pair (an emoji) is fine
        "/chat/acme-dental/messages", data=b'{"id": "ok", "text": "\\ud83d\\ude00"}',
        content_type="application/json",
    )  # fmt: skip
    assert pair.status_code == 202
    assert [m.text for m in rows(wired.rt)] == ["😀"]


def test_webhooks_missing_required_fields_or_with_numeric_text_are_refused(
    wired: Wired, client: FlaskClient
) -> None:
    update = tg_message("x", 8)
    del update["update_id"]
    assert post_telegram(client, update).status_code == 400
    assert post_whatsapp(client, {"object": "whatsapp_business_account"}).status_code == 400
    assert post_whatsapp(client, {"entry": []}).status_code == 400
    numeric = tg_message("x", 9)
    numeric["message"]["text"] = 12345
    assert post_telegram(client, numeric).status_code == 400
    assert (
        post_whatsapp(client, cloud_message("wamid.n", "text", {"body": 12345})).status_code == 400
    )
    open_chat(client)
    assert client.post("/chat/acme-dental/messages", json={"text": 12345}).status_code == 400
    assert rows(wired.rt) == []
    assert post_whatsapp(client, cloud_event({})).status_code == 200  # a valid empty envelope


def test_deeply_nested_json_to_the_admin_api_is_a_400(client: FlaskClient) -> None:
    body = b'{"question": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = client.post(
        "/api/v1/knowledge/ask", data=body, headers=ADMIN, content_type="application/json"
    )
    assert response.status_code == 400


def test_huge_ids_in_urls_are_404(
    client: FlaskClient, staff: dict[str, int], demo: Runtime
) -> None:
    huge = "9" * 30
    open_chat(client)
    assert client.get(f"/chat/acme-dental/events?after={huge}").status_code == 404
    events = client.get("/chat/acme-dental/events", headers={"Last-Event-ID": huge})
    assert events.status_code == 404
    sign_in(client, *ACME)
    assert client.get(f"/console/c/{huge}").status_code == 404
    assert client.get(f"/console/c/{2**31}").status_code == 404
    assert client.get(f"/console/events?conversation={huge}").status_code == 404
    assert client.delete(f"/api/v1/knowledge/sources/{huge}", headers=ADMIN).status_code == 404


@pytest.mark.parametrize(
    "target", ["/console/\nSet-Cookie: x=1", "/console/\r\n", "//evil.example", "/console\\..\\x"]
)
def test_a_sign_in_next_with_a_newline_or_elsewhere_lands_on_the_inbox(
    client: FlaskClient, staff: dict[str, int], target: str
) -> None:
    token = csrf(client)
    response = client.post(
        "/console/login",
        query_string={"next": target},
        data={"email": ACME[0], "password": ACME[1], "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/console/"


def test_console_pages_forbid_framing_and_sniffing(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    for response in (client.get("/console/login"), client.get("/chat/acme-dental")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    sign_in(client, *ACME)
    page = client.get("/console/")
    csp = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self' 'nonce-" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in page.get_data(as_text=True)


def test_sessions_are_revoked_on_sign_out_and_on_password_reset(
    app: Flask, staff: dict[str, int], demo: Runtime
) -> None:
    browser = app.test_client()
    sign_in(browser, *ACME)
    stolen = app.test_client()
    cookie = browser.get_cookie("session")
    assert cookie is not None
    stolen.set_cookie("session", cookie.value)
    assert stolen.get("/console/").status_code == 200
    token = csrf(browser, "/console/")
    assert browser.post("/console/logout", data={"csrf_token": token}).status_code == 302
    assert stolen.get("/console/").status_code == 302  # the copied cookie is void too
    sign_in(browser, *ACME)
    assert browser.get("/console/").status_code == 200
    with session_scope(demo.engine) as db:
        add_staff(db, business_by_slug(db, "acme-dental"), ACME[0], "a-new-password-456", "owner")
    assert browser.get("/console/").status_code == 302


def test_sign_in_limit_holds_while_redis_is_down(demo: Runtime, staff: dict[str, int]) -> None:
    import redis

    down = dataclasses.replace(demo, redis=redis.Redis(port=1, socket_connect_timeout=0.2))
    app = create_app(runtime=down)
    app.config["TESTING"] = True
    client = app.test_client()
    codes = []
    for _ in range(7):
        token = csrf(client)
        response = client.post(
            "/console/login",
            data={
                "email": "limit@acme.example",
                "password": "wrong-password-1",
                "csrf_token": token,
            },
        )
        codes.append(response.status_code)
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]


def test_live_streams_are_limited_per_visitor_and_process_and_webhooks_still_answer(
    demo: Runtime, wired: Wired
) -> None:
    limited = dataclasses.replace(
        demo,
        settings=demo.settings.model_copy(
            update={"max_streams": 3, "max_streams_per_address": 3, "max_streams_per_visitor": 2}
        ),
    )
    app = create_app(runtime=limited)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        ana, ben = requests.Session(), requests.Session()
        for browser in (ana, ben):
            assert browser.get(f"{base}/chat/acme-dental", timeout=5).status_code == 200

        def stream(browser: requests.Session) -> requests.Response:
            cookies = dict(browser.cookies)  # the session cookie is Secure: sent by hand
            url = f"{base}/chat/acme-dental/events"
            return browser.get(url, stream=True, timeout=5, cookies=cookies)

        held = [stream(ana), stream(ana)]
        assert [r.status_code for r in held] == [200, 200]
        refused = stream(ana)
        assert refused.status_code == 429  # per visitor
        held.append(stream(ben))
        assert held[-1].status_code == 200
        assert stream(ben).status_code == 429  # per process (and address)
        body = json.dumps(tg_message("still here", 11)).encode()
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
        hook = requests.post(f"{base}/webhooks/telegram/tg", data=body, timeout=5, headers=headers)
        assert hook.status_code == 200
        for response in held:
            response.close()
        deadline = time.monotonic() + 20  # a closed stream gives its slot back
        while stream(ana).status_code != 200:
            assert time.monotonic() < deadline, "the slots were never released"
            time.sleep(0.5)
    finally:
        server.shutdown()


def test_verify_token_and_questions_stay_out_of_the_logs(
    demo: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_main = importlib.import_module("gateway.cli.main")
    captured: list[list[str]] = []
    monkeypatch.setattr(cli_main.os, "execv", lambda _exe, args: captured.append(list(args)))
    monkeypatch.setenv("DATABASE_URL", demo.settings.database_url)
    monkeypatch.setenv("SWITCHBOARD_SECRET_KEY", demo.settings.secret_key)
    assert CliRunner().invoke(cli_main.cli, ["serve"]).exit_code == 0
    (args,) = captured
    fmt = args[args.index("--access-logformat") + 1]
    assert "%(r)s" not in fmt and "%(q)s" not in fmt and "%(U)s" in fmt
    with session_scope(demo.engine) as db:
        business = db.exec(select(Business)).first()
        assert business is not None
    with pytest.raises(AskTimeout):
        ask_and_wait(demo, business, "is my diagnosis private?", None, timeout=0.05)
    canceled = demo.queue("inbound").canceled_job_registry.get_job_ids()
    (job,) = [Job.fetch(i, connection=demo.redis) for i in canceled]
    assert "diagnosis" in str(job.kwargs)  # the job has it; what RQ logs at INFO does not
    assert "diagnosis" not in job.description


def test_nothing_is_stored_for_refused_requests(demo: Runtime, client: FlaskClient) -> None:
    client.post("/chat/acme-dental/messages", data=SURROGATE, content_type="application/json")
    with session_scope(demo.engine) as db:
        assert db.exec(select(Message)).all() == []
