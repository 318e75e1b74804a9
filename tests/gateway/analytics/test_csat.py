"""CSAT: one question after a resolved conversation, native buttons on each provider's fake,
numbered on SMS, consent and frequency respected, the answer stored with staff and template."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.analytics import csat
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging import sending
from gateway.store import consent
from gateway.store.models import (
    Business,
    Contact,
    Conversation,
    CsatRating,
    Message,
    StaffUser,
    utcnow,
)
from tests.fakes.graph_api import FakeGraph
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio
from tests.gateway.analytics.seed import business
from tests.gateway.channel_helpers import Wired, wire
from tests.gateway.chat_helpers import open_chat, say
from tests.gateway.test_console import ACME, csrf, sign_in

pytestmark = pytest.mark.db

NETWORK = {"tw": "sms", "tg": "telegram", "wa": "whatsapp", "acme-web": "webchat"}


@pytest.fixture
def wired(
    demo: Runtime, fake_twilio: FakeTwilio, fake_telegram: FakeTelegram, fake_graph: FakeGraph
) -> Wired:
    """acme-dental with a channel on every provider's fake."""
    return wire(demo, fake_twilio, fake_telegram, fake_graph)


def _resolved(rt: Runtime, channel: str, address: str = "+34600111222") -> int:
    """A conversation that staff just resolved; its id."""
    with session_scope(rt.engine) as s:
        b = business(s, "acme-dental")
        contact = Contact(business_id=b.id, phone=address)
        s.add(contact)
        s.flush()
        conv = Conversation(
            business_id=b.id, contact_id=contact.id, channel_id=channel,
            network=NETWORK[channel], address=address if channel != "tg" else "4242",
            state="closed", last_inbound_at=utcnow(),
        )  # fmt: skip
        s.add(conv)
        s.flush()
        assert conv.id is not None
        return conv.id


def _staff(rt: Runtime) -> StaffUser:
    with session_scope(rt.engine) as s:
        b = business(s, "acme-dental")
        user = StaffUser(business_id=b.id or 0, email="a@acme.example", password_hash="x")
        s.add(user)
        s.flush()
        return user


def _ask(rt: Runtime, conv_id: int, staff: StaffUser | None = None) -> list[int]:
    with session_scope(rt.engine) as s:
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        b = s.get(Business, conv.business_id)
        assert b is not None
        return csat.ask(s, b, conv, staff)


def _answer(rt: Runtime, conv_id: int, payload: str | None, text: str) -> list[Any] | None:
    with session_scope(rt.engine) as s:
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        return csat.handle_reply(s, conv, payload, text)


def test_the_question_goes_out_with_native_buttons_on_every_provider(wired: Wired) -> None:
    rt = wired.rt
    for channel, address in (("tg", "4242"), ("wa", "+34600111333"), ("tw", "+34600111444")):
        (message_id,) = _ask(rt, _resolved(rt, channel, address))
        assert sending.send_outbound(rt, message_id) == "sent"
    (tg,) = wired.telegram.calls("/sendMessage")
    keyboard = json.loads(tg.param("reply_markup") or "{}")["inline_keyboard"]
    datas = [b["callback_data"] for row in keyboard for b in row]
    assert [d.rsplit(":", 1)[1] for d in datas] == ["1", "2", "3", "4", "5"]
    assert all(d.startswith("csat:") for d in datas)
    (wa,) = wired.graph.messages()
    interactive = json.dumps(wa.json)
    assert "interactive" in interactive and interactive.count('"csat:') == 5
    (sms,) = wired.twilio.messages()
    body = sms.param("Body") or ""
    assert "1 (poor) to 5 (excellent)" in body and "1." in body and "5." in body  # numbered


def test_one_ask_per_conversation_and_not_too_often(demo: Runtime) -> None:
    first = _resolved(demo, "acme-web", "v1")
    assert len(_ask(demo, first, _staff(demo))) == 1
    assert _ask(demo, first) == []  # once per conversation
    with session_scope(demo.engine) as s:
        conv = s.get(Conversation, first)
        assert conv is not None
        again = Conversation(
            business_id=conv.business_id, contact_id=conv.contact_id, channel_id="acme-web",
            network="webchat", address="v1",
        )  # fmt: skip
        s.add(again)
        s.flush()
        second = again.id or 0
    assert _ask(demo, second) == []  # the same contact within 30 days
    with session_scope(demo.engine) as s:
        b = business(s, "acme-dental")
        b.settings = {**b.settings, "csat": {"min_days": 0}}
        s.add(b)
    assert len(_ask(demo, second)) == 1


def test_no_question_after_stop_or_when_turned_off(demo: Runtime) -> None:
    stopped = _resolved(demo, "acme-web", "v2")
    with session_scope(demo.engine) as s:
        conv = s.get(Conversation, stopped)
        assert conv is not None
        consent.opt_out(s, conv.business_id, conv.contact_id, "webchat", "keyword")
    assert _ask(demo, stopped) == []
    with session_scope(demo.engine) as s:
        b = business(s, "acme-dental")
        b.settings = {**b.settings, "csat": {"enabled": False}}
        s.add(b)
    assert _ask(demo, _resolved(demo, "acme-web", "v3")) == []


def test_a_button_or_a_bare_number_is_the_rating(demo: Runtime) -> None:
    staff = _staff(demo)
    conv_id = _resolved(demo, "acme-web", "v4")
    (message_id,) = _ask(demo, conv_id, staff)
    with session_scope(demo.engine) as s:
        asked = s.get(Message, message_id)
        assert asked is not None
        payloads = [b["id"] for b in asked.buttons]
    assert _answer(demo, conv_id, None, "hello there") is None  # not a rating: the bot answers
    thanks = _answer(demo, conv_id, payloads[3], "4")
    assert thanks is not None and "Thank you" in thanks[0].text
    with session_scope(demo.engine) as s:
        (rating,) = s.exec(select(CsatRating)).all()
        assert (rating.score, rating.staff_id, rating.template) == (4, staff.id, "echo")
        assert rating.answered_at is not None
    assert _answer(demo, conv_id, None, "5") is None  # answered: a later "5" is just a message

    sms = _resolved(demo, "acme-web", "v5")
    _ask(demo, sms)
    assert _answer(demo, sms, None, " 2. ") is not None  # numbered answer on SMS
    assert _answer(demo, sms, "csat:999:5", "5") is None  # someone else's (or no) question
    with session_scope(demo.engine) as s:
        scores = sorted(r.score or 0 for r in s.exec(select(CsatRating)).all())
    assert scores == [2, 4]


def test_resolving_in_the_console_asks(
    demo: Runtime, client: FlaskClient, staff: dict[str, int]
) -> None:
    open_chat(client)
    assert say(client, "hello").status_code == 202
    with session_scope(demo.engine) as s:
        (conv,) = s.exec(select(Conversation)).all()
    sign_in(client, *ACME)
    token = csrf(client, f"/console/c/{conv.id}")
    assert (
        client.post(f"/console/c/{conv.id}/resolve", data={"csrf_token": token}).status_code == 302
    )
    with session_scope(demo.engine) as s:
        (rating,) = s.exec(select(CsatRating)).all()
        assert rating.conversation_id == conv.id and rating.staff_id == staff["acme"]
        (asked,) = s.exec(select(Message).where(Message.direction == "out")).all()
    assert demo.queue("outbound").count == 1 and len(asked.buttons) == 5
