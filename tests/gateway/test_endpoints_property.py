# ruff: noqa: F811  (the staff fixture is imported from tests.gateway.test_console)
"""Property: no public endpoint answers 5xx, whatever the body, headers or ids, and a refused
request (4xx) stores nothing (issue 16). Every rule of the app's URL map is covered; examples
are bounded so the test runs well under a minute.

Live streams are opened and closed at once (their content is tested elsewhere), and a well-formed
`/api/v1/knowledge/ask` with the right token is skipped: with no worker running it waits 30 s
and answers 503 by design.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import SQLModel, select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import (
    ConsentEvent,
    Contact,
    Conversation,
    DataRequest,
    KnowledgeSource,
    Message,
    ScheduledMessage,
    StaffUser,
)
from tests.fakes import FakeGraph, FakeTelegram, FakeTwilio
from tests.gateway.channel_helpers import Wired, wire
from tests.gateway.chat_helpers import open_chat
from tests.gateway.test_console import ACME, csrf, sign_in, staff  # noqa: F401

pytestmark = pytest.mark.db

TOKENS = ["acme-admin-token-0123456789", "other-admin-token-0123456789", "nope", ""]
STORED: list[type[SQLModel]] = [
    Message, Contact, Conversation, ConsentEvent, DataRequest, KnowledgeSource,
    ScheduledMessage, StaffUser,
]  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
known_keys = st.sampled_from(
    ["text", "id", "payload", "question", "url", "confirm", "update_id", "message", "object",
     "entry", "language", "crawl", "email", "password"]
)  # fmt: skip
json_objects = st.builds(
    lambda base, extra: {**base, **extra},
    st.fixed_dictionaries(  # what a well-meaning client sends, so the deep paths are reached
        {},
        optional={
            "id": st.text(min_size=1, max_size=70),
            "text": st.text(min_size=1, max_size=30) | json_values,
            "question": st.text(min_size=1, max_size=30),
            "update_id": st.integers(-(2**70), 2**70),
            "object": st.just("whatsapp_business_account"),
            "entry": st.lists(json_values, max_size=2),
        },
    ),
    st.dictionaries(known_keys, json_values, max_size=3),
)


def _with_surrogate(body: str, draw_it: bool) -> str:
    """Put a lone surrogate escape at the start of the last string of a JSON text."""
    if not draw_it or '"' not in body:
        return body
    at = body.rindex('"', 0, body.rindex('"'))
    return body[: at + 1] + "\\ud800" + body[at + 1 :]


@st.composite
def bodies(draw: st.DrawFn) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["json", "json-any", "form", "bytes", "nested", "empty"]))
    if kind == "json":
        text = _with_surrogate(json.dumps(draw(json_objects)), draw(st.booleans()))
        return text.encode("utf-8", "surrogatepass"), "application/json"
    if kind == "json-any":
        return json.dumps(draw(json_values)).encode(), "application/json"
    if kind == "form":
        pairs = draw(st.dictionaries(known_keys, st.text(max_size=20), max_size=4))
        body = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in pairs.items())
        return body.encode(), "application/x-www-form-urlencoded"
    if kind == "nested":
        depth = draw(st.integers(1, 50_000))
        return b'{"question": ' + b"[" * depth + b"]" * depth + b"}", "application/json"
    if kind == "empty":
        return b"", draw(st.sampled_from(["", "application/json", "text/plain"]))
    ctype = draw(st.sampled_from(["application/json", "text/plain", "multipart/form-data"]))
    return draw(st.binary(max_size=200)), ctype


ids = st.one_of(
    st.integers(0, 5).map(str),
    st.integers(0, 10**40).map(str),
    st.text(max_size=12),
)


def _counts(rt: Runtime) -> dict[str, int]:
    with session_scope(rt.engine) as db:
        return {m.__name__: int(db.exec(select(func.count()).select_from(m)).one()) for m in STORED}


def _fill(rule: Any, draw: st.DrawFn) -> str:
    values: dict[str, str] = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        if name == "slug":
            value = draw(st.sampled_from(["acme-dental", "other-biz"]) | st.text(max_size=10))
        elif name == "provider":
            value = draw(st.sampled_from(["twilio", "telegram", "whatsapp", "webchat", "x"]))
        elif name == "channel_id":
            value = draw(st.sampled_from(["tw", "tg", "wa", "acme-web", "nope"]))
        elif type(converter).__name__ in ("BoundedInt", "IntegerConverter"):
            value = draw(st.integers(0, 10**40).map(str) | st.integers(0, 5).map(str))
        else:
            value = draw(ids)
        values[name] = quote(value, safe="") or "x"
    path = rule.rule
    for name, value in values.items():
        path = path.replace(f"<{name}>", value).replace(f"<int:{name}>", value)
        path = path.replace(f"<path:{name}>", value)
    return path


_BROWSERS: dict[int, list[FlaskClient]] = {}
_CSRF: dict[int, str] = {}


def _browsers(app: Flask) -> list[FlaskClient]:
    """An anonymous client, a web-chat visitor and a signed-in owner, made once per app."""
    if id(app) not in _BROWSERS:
        anonymous, visitor, owner = app.test_client(), app.test_client(), app.test_client()
        open_chat(visitor)
        sign_in(owner, *ACME)
        _CSRF[id(owner)] = csrf(owner, "/console/")
        _BROWSERS.clear()
        _BROWSERS[id(app)] = [anonymous, visitor, owner]
    return _BROWSERS[id(app)]


@pytest.fixture
def wired(
    demo: Runtime, fake_twilio: FakeTwilio, fake_telegram: FakeTelegram, fake_graph: FakeGraph
) -> Wired:
    return wire(demo, fake_twilio, fake_telegram, fake_graph)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_endpoint_answers_5xx_and_refusals_store_nothing(
    wired: Wired, app: Flask, staff: dict[str, int], data: st.DataObject
) -> None:
    client = data.draw(st.sampled_from(_browsers(app)))
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    rule = data.draw(st.sampled_from(sorted(rules, key=lambda r: r.rule)))
    methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    method = data.draw(st.sampled_from(methods))
    path = _fill(rule, data.draw)
    body, ctype = data.draw(bodies())
    token = data.draw(st.sampled_from(TOKENS))
    headers = {
        "X-CSRF-Token": data.draw(st.sampled_from([_CSRF.get(id(client), ""), "x"])),
        "Authorization": f"Bearer {token}",
        "X-Telegram-Bot-Api-Secret-Token": data.draw(st.sampled_from(["tg-secret_0123", "x"])),
        "X-Hub-Signature-256": data.draw(st.text(max_size=20)),
        "X-Twilio-Signature": data.draw(st.text(max_size=20)),
        "Last-Event-ID": data.draw(ids),
    }
    headers = {k: v for k, v in headers.items() if v.isascii() and "\n" not in v and "\r" not in v}
    keys = st.sampled_from(
        ["next", "after", "conversation", "hub.mode", "hub.verify_token", "hub.challenge"]
    )
    query = data.draw(st.dictionaries(keys, st.text(max_size=12), max_size=3))
    if rule.rule.endswith("/knowledge/ask") and token == TOKENS[0]:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        assume(not (isinstance(parsed, dict) and isinstance(parsed.get("question"), str)))
    before = _counts(wired.rt)
    response = client.open(
        path, method=method, data=body, content_type=ctype or None, headers=headers,
        query_string=query, buffered=False,
    )  # fmt: skip
    status = response.status_code
    response.close()
    assert status < 500, (method, path, status, body[:200])
    if status >= 400:
        assert _counts(wired.rt) == before, (method, path, status, body[:200])
