"""Consent as an append-only ledger: grants and withdrawals with their wording and source,
the state derived from history, the ask after a booking, STOP on the web chat, the campaign dry
run checking consent first, and the planner's recall sent only with consent (issue 16)."""

# ruff: noqa: F811  (the fixtures are imported from tests.gateway.template_chat)

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from pydantic import ValidationError
from sqlmodel import col, select

from gateway.bot.brain import Brain
from gateway.cli.config_schema import BusinessSettings
from gateway.cli.main import cli
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.processing import process_inbound
from gateway.outreach.planner import plan
from gateway.outreach.send import run_scheduled
from gateway.rights import ask
from gateway.store import consent
from gateway.store.models import (
    Appointment,
    Business,
    ConsentEvent,
    Conversation,
    Direction,
    ScheduledMessage,
    utcnow,
)
from tests.gateway.chat_helpers import messages, open_chat, say
from tests.gateway.template_chat import (  # noqa: F401
    Chat,
    shop,
    shop_app,
    visitor,
)
from tests.gateway.test_outreach import (
    NEVER_QUIET,
    business_id,
    make_contact,
    outreach_messages,
    set_outreach_settings,
)
from tests.support import settings_env

pytestmark = pytest.mark.db


def events(rt: Runtime) -> list[ConsentEvent]:
    with session_scope(rt.engine) as s:
        return list(s.exec(select(ConsentEvent).order_by(col(ConsentEvent.id))).all())


def test_grants_and_withdrawals_are_appended_and_the_state_is_the_newest(demo: Runtime) -> None:
    contact_id, _ = make_contact(demo)
    bid = business_id(demo)
    with session_scope(demo.engine) as s:
        consent.record(s, bid, contact_id, "webchat", "marketing", True, source="t", wording="A?")
        consent.record(s, bid, contact_id, "webchat", "marketing", False, source="t")
        consent.record(s, bid, contact_id, "sms", "marketing", True, source="t")
    with session_scope(demo.engine) as s:
        assert not consent.allows(s, bid, contact_id, "webchat", "marketing")
        assert consent.allows(s, bid, contact_id, "sms", "marketing")
        assert consent.current(s, bid, contact_id) == {
            ("sms", "marketing"): True,
            ("webchat", "marketing"): False,
        }
    assert [(e.granted, e.wording) for e in events(demo)] == [
        (True, "A?"),
        (False, ""),
        (True, ""),
    ]
    with session_scope(demo.engine) as s:  # the ORM refuses to rewrite history
        first = s.exec(select(ConsentEvent)).first()
        assert first is not None
        first.granted = False
        with pytest.raises(ValueError, match="append-only"):
            s.flush()
        s.rollback()


def test_stop_and_baja_work_on_the_web_chat(demo: Runtime, client: FlaskClient) -> None:
    open_chat(client)
    assert say(client, "BAJA").status_code == 202
    inbound = messages(demo, Direction.IN)[-1]
    process_inbound(demo, Brain(), inbound.id or 0)
    (reply,) = [m for m in messages(demo, Direction.OUT)]
    assert "ya no te enviaremos" in reply.text
    withdrawn = events(demo)
    assert {(e.purpose, e.granted) for e in withdrawn} == {
        ("reminders", False),
        ("marketing", False),
    }
    assert all(e.wording == "BAJA" and e.source_message_id == inbound.id for e in withdrawn)
    assert all(e.network == "webchat" and e.actor == "customer" for e in withdrawn)


def test_consent_is_asked_after_a_booking_and_the_answer_is_recorded_with_its_words(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, "smile-dental")
    r = chat.say("hi! can I book a cleaning on Tuesday at 10am?")
    r = chat.say("I'm Ana Lopez")
    r = chat.say("yes")
    assert "booked" in chat.text(r)
    if "six months" in chat.text(r):  # the clinic's own recall offer comes first
        r = chat.say("no thanks")
    question = [m for m in r if m.annotations.get(ask.ASK_MARK)]
    assert question, chat.transcript()
    assert [b["id"] for b in question[0].buttons] == [ask.YES, ask.NO]
    assert events(shop) == []
    r = chat.press(r, ask.YES)
    (event,) = events(shop)
    assert event.granted and event.purpose == "marketing" and event.network == "webchat"
    assert event.wording == question[0].text and "news" in event.wording
    pressed = [m for m in messages(shop, Direction.IN) if m.payload == ask.YES]
    assert event.source_message_id == pressed[0].id
    assert "Thank you" in chat.text(r)
    chat.say("what time is my appointment?")  # asked once per conversation
    assert sum(1 for m in messages(shop, Direction.OUT) if m.annotations.get(ask.ASK_MARK)) == 1


def test_dry_run_reports_missing_consent_even_in_quiet_hours(
    demo: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_outreach_settings(demo, {"quiet_hours": {"start": "00:00", "end": "23:59"}})
    long_ago = utcnow() - timedelta(days=120)
    make_contact(demo, "Carl", last_inbound=long_ago)
    for key, value in settings_env(demo.settings).items():
        monkeypatch.setenv(key, value)
    args = ["outreach", "run", "--business", "acme-dental", "--segment", "new", "--dry-run"]
    result = CliRunner().invoke(cli, [*args, "--template", "re_engagement"])
    assert result.exit_code == 0, result.output
    assert "0 would receive" in result.output
    assert "no marketing consent" in result.output and "quiet hours" not in result.output
    bad = CliRunner().invoke(cli, [*args, "--template", "no-such-text"])
    assert bad.exit_code != 0 and "unknown template 'no-such-text'" in bad.output


@pytest.mark.parametrize("granted", [True, False])
def test_planned_recall_is_sent_with_consent_and_blocked_with_the_reason_without(
    demo: Runtime, granted: bool
) -> None:
    set_outreach_settings(demo, NEVER_QUIET)
    bid = business_id(demo)
    with session_scope(demo.engine) as s:
        business = s.get(Business, bid)
        assert business is not None
        business.template = "dental"
    contact_id, conv_id = make_contact(demo, "Ana")
    with session_scope(demo.engine) as s:
        when = utcnow() - timedelta(days=200)
        s.add(
            Appointment(
                business_id=bid,
                contact_id=contact_id,
                conversation_id=conv_id,
                service="Cleaning",
                starts_at=when,
                ends_at=when + timedelta(minutes=30),
            )
        )
        if granted:
            consent.record(
                s, bid, contact_id, "webchat", "marketing", True,
                source="button:after-booking", wording="May we send news?",
            )  # fmt: skip
    assert plan(demo, utcnow()) == 1
    with session_scope(demo.engine) as s:
        (row,) = s.exec(select(ScheduledMessage)).all()
        assert row.kind == "recall" and row.purpose == "marketing"
        row_id = row.id or 0
    status = run_scheduled(demo, row_id)
    with session_scope(demo.engine) as s:
        row = s.get(ScheduledMessage, row_id)
        assert row is not None
        if granted:
            assert status == "sent" == row.status
            (sent,) = outreach_messages(demo)
            assert "six months" in sent.text and sent.conversation_id == conv_id
        else:
            assert status == "blocked" == row.status
            assert "webchat (acme-web): no marketing consent" in (row.status_reason or "")
            assert outreach_messages(demo) == []


def _press_offer(rt: Runtime, client: FlaskClient, label: str) -> None:
    body = {"id": "offer-1", "text": label, "payload": ask.YES}
    answer = client.post("/chat/acme-dental/messages", json=body)
    assert answer.status_code == 202
    process_inbound(rt, Brain(), messages(rt, Direction.IN)[-1].id or 0)


def test_the_chat_offer_button_is_a_grant_recorded_with_its_label(
    demo: Runtime, client: FlaskClient
) -> None:
    page = client.get("/chat/acme-dental?lang=en").get_data(as_text=True)
    with session_scope(demo.engine) as s:
        business = s.get(Business, business_id(demo))
        assert business is not None
        label = ask.offer_label(business, "en")
    assert 'id="offers"' in page and label in page
    _press_offer(demo, client, label)
    (event,) = events(demo)
    assert (event.purpose, event.granted, event.network) == ("marketing", True, "webchat")
    assert (event.source, event.wording) == ("button:chat-offer", label)
    assert "Thank you" in messages(demo, Direction.OUT)[-1].text


def _join_keywords(rt: Runtime) -> str:
    wording = "Envía OFERTAS y te mandaremos nuestras ofertas del mes. BAJA para dejarlo."
    with session_scope(rt.engine) as s:
        business = s.get(Business, business_id(rt))
        assert business is not None
        entry = {"keyword": "OFERTAS", "wording": wording, "language": "es"}
        business.settings = {**business.settings, "join_keywords": [entry]}
    return wording


def test_a_campaign_keyword_grants_marketing_with_the_campaign_words(
    demo: Runtime, client: FlaskClient
) -> None:
    wording = _join_keywords(demo)
    open_chat(client)
    for text in ("BAJA", "¡Ofertas!"):
        assert say(client, text).status_code == 202
        process_inbound(demo, Brain(), messages(demo, Direction.IN)[-1].id or 0)
    joined = [e for e in events(demo) if e.source == "keyword:ofertas"]
    assert {(e.purpose, e.granted) for e in joined} == {("reminders", True), ("marketing", True)}
    assert all(e.wording == wording for e in joined)
    with session_scope(demo.engine) as s:
        contact_id = joined[0].contact_id
        assert consent.allows(s, business_id(demo), contact_id, "webchat", "marketing")
        assert not consent.is_opted_out(s, business_id(demo), contact_id, "webchat")
    assert "te has suscrito" in messages(demo, Direction.OUT)[-1].text


@pytest.mark.parametrize("keyword", ["STOP", "baja", "two words", "x"])
def test_a_join_keyword_cannot_shadow_stop_or_be_several_words(keyword: str) -> None:
    entry = {"keyword": keyword, "wording": "Send it to get our offers."}
    with pytest.raises(ValidationError):
        BusinessSettings(join_keywords=[entry])


@pytest.mark.parametrize(
    ("typed", "said"),
    [("No, thanks.", False), ("no gracias", False), ("sí, vale", True), ("maybe", None)],
)
def test_a_typed_yes_or_no_answers_a_yes_no_question(typed: str, said: bool | None) -> None:
    assert ask.typed_yes_no(typed, {"yes", "si", "vale"}, {"no", "no thanks", "no gracias"}) == said


@pytest.mark.parametrize(
    ("typed", "said"),
    [("Sí, confirmo. Gracias.", None), ("sí, vale", True), ("No, gracias.", False)],
)
def test_consent_is_never_read_into_a_yes_that_may_confirm_something_else(
    typed: str, said: bool | None
) -> None:
    assert ask.typed_yes_no(typed, {"si", "si vale"}, {"no"}, strict_yes=True) == said


def test_a_typed_no_to_the_consent_question_is_recorded_as_a_refusal(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, "smile-dental")
    chat.say("hi! can I book a cleaning on Tuesday at 10am?")
    chat.say("I'm Ana Lopez")
    r = chat.say("yes")
    if "six months" in chat.text(r):  # the clinic's own recall offer comes first
        r = chat.say("no thanks")
    assert any(m.annotations.get(ask.ASK_MARK) for m in r), chat.transcript()
    r = chat.say("no thanks")
    (event,) = events(shop)
    assert not event.granted and event.purpose == "marketing"
    assert "will not send" in chat.text(r)


def test_stop_cancels_what_is_pending_for_the_contact(demo: Runtime, client: FlaskClient) -> None:
    open_chat(client)
    assert say(client, "hello").status_code == 202
    inbound = messages(demo, Direction.IN)[-1]
    with session_scope(demo.engine) as s:
        conv = s.get(Conversation, inbound.conversation_id)
        assert conv is not None
        for kind in ("reminder", "feedback", "campaign"):
            s.add(
                ScheduledMessage(
                    business_id=inbound.business_id, contact_id=conv.contact_id, kind=kind,
                    conversation_id=inbound.conversation_id, due_at=utcnow() + timedelta(days=1),
                )
            )  # fmt: skip
    assert say(client, "STOP").status_code == 202
    process_inbound(demo, Brain(), messages(demo, Direction.IN)[-1].id or 0)
    with session_scope(demo.engine) as s:
        rows = s.exec(select(ScheduledMessage)).all()
        assert [r.status for r in rows] == ["cancelled"] * 3
        assert all(r.status_reason == "opted out on webchat" for r in rows)
