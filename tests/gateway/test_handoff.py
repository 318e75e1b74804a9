"""Escalation policy and the handoff life cycle, through real workers where the bot is involved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from flows.hours import WEEKDAYS as DAYS
from flows.hours import Hours
from flows.understanding import Annotations
from gateway.bot import escalation
from gateway.console.staff import add_staff, business_by_slug
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.handoff import lifecycle as handoffs
from gateway.handoff.requests import request_handoff
from gateway.handoff.summary import build_summary
from gateway.messaging.outbound import enqueue_send
from gateway.store.models import (
    Appointment,
    Business,
    Contact,
    Conversation,
    Handoff,
    Message,
    ProfileFact,
    StaffUser,
)
from tests.gateway.chat_helpers import messages, open_chat, say, sent_replies
from tests.support import WorkerPool, wait_for

pytestmark = pytest.mark.db

WEEKDAYS = {day: ["09:00-18:00"] for day in DAYS[:5]}


def ann(intent: str = "book", frustration: float = 0.0, language: str = "en") -> Annotations:
    """Annotations as understanding would give them."""
    return Annotations(
        language=language, intent=intent, intent_confidence=0.95, frustration=frustration
    )


def madrid(**settings: object) -> Business:
    """An unsaved business in Madrid with these settings."""
    return Business(
        slug="x", name="Acme Dental", template="echo", timezone="Europe/Madrid", settings=settings
    )


def test_asking_for_a_person_or_being_frustrated_escalates_and_plain_talk_does_not(
    demo: Runtime,
) -> None:
    business, contact, conv = (
        Business(slug="a", name="A", template="echo"),
        Contact(business_id=1),
        Conversation(business_id=1, contact_id=1, channel_id="c", network="web", address="v"),
    )
    with session_scope(demo.engine) as db:
        assert escalation.decide(db, business, conv, contact, ann("human")) == (
            escalation.Escalation("customer_asked", 2)
        )
        assert escalation.decide(db, business, conv, contact, ann("book", 0.9)) == (
            escalation.Escalation("frustrated", 3)
        )
        # a calm complaint reads 0.7-0.85: an apology, not a person (the default is 0.9)
        assert escalation.decide(db, business, conv, contact, ann("book", 0.85)) is None
        assert escalation.decide(db, business, conv, contact, ann("book", 0.5)) is None
        unsure = Annotations(language="en", intent="human", intent_confidence=0.2)
        assert escalation.decide(db, business, conv, contact, unsure) is None
        strict = Business(
            slug="b",
            name="B",
            template="echo",
            settings={"handoff": {"frustration_threshold": 0.4}},
        )
        assert escalation.decide(db, strict, conv, contact, ann("book", 0.5)) is not None


def test_a_vip_goes_to_a_person_once_per_conversation(client: FlaskClient, demo: Runtime) -> None:
    open_chat(client)
    say(client, "hello")
    with session_scope(demo.engine) as db:
        conv = db.exec(select(Conversation)).one()
        contact = db.get(Contact, conv.contact_id)
        business = db.get(Business, conv.business_id)
        assert contact is not None and business is not None
        contact.segments = ["vip"]
        first = escalation.decide(db, business, conv, contact, ann("greeting"))
        assert first == escalation.Escalation("vip", 3)
        asked = escalation.decide(db, business, conv, contact, ann("human"))
        assert asked == escalation.Escalation("customer_asked", 3)
        request_handoff(demo, db, conv, "vip", 3)
        staff = add_staff(db, business, "a@acme.example", "long-password-1")
        handoffs.return_to_bot(db, conv, staff)
        assert escalation.decide(db, business, conv, contact, ann("greeting")) is None


@pytest.mark.parametrize(
    ("now", "language", "expected"),
    [
        # Saturday noon in Madrid: Monday.
        (datetime(2026, 1, 3, 11, 0, tzinfo=UTC), "en", "a person will answer on Monday at 09:00"),
        (datetime(2026, 1, 3, 11, 0, tzinfo=UTC), "es", "te contestará el lunes a las 09:00"),
        # Monday 07:00 in Madrid: later today.
        (datetime(2026, 1, 5, 6, 0, tzinfo=UTC), "en", "will answer today at 09:00"),
        # Tuesday 20:00 in Madrid: tomorrow.
        (datetime(2026, 1, 6, 19, 0, tzinfo=UTC), "es", "te contestará mañana a las 09:00"),
    ],
)
def test_outside_hours_the_customer_is_told_when_a_person_will_answer(
    now: datetime, language: str, expected: str
) -> None:
    text = escalation.passing_text(madrid(hours=WEEKDAYS), language, now)
    assert expected in text
    assert "Acme Dental" in text


def test_inside_hours_or_without_readable_hours_there_is_no_when() -> None:
    tuesday_noon = datetime(2026, 1, 6, 11, 0, tzinfo=UTC)
    assert escalation.passing_text(madrid(hours=WEEKDAYS), "en", tuesday_noon) == (
        "I'm passing you to a person from Acme Dental; they'll answer here."
    )
    junk = (None, "9 to 5", {"monday": "soon"}, {"funday": ["09:00-18:00"]}, [], {"monday": [1]})
    for hours in junk:
        text = escalation.passing_text(madrid(hours=hours), "es", tuesday_noon)
        assert text == "Te paso con una persona de Acme Dental; te contestará por aquí."


def test_the_hours_are_the_booking_flows_hours_split_days_and_holidays_included() -> None:
    business = madrid(
        hours={"monday": ["10:00-14:00", "17:00-20:00"], "wednesday": ["09:00-13:00"]},
        holidays=["2026-01-07"],
    )
    hours = escalation.business_hours(business)
    assert hours == Hours.from_settings(business.settings, "Europe/Madrid")
    tz = hours.tz
    monday_15 = datetime(2026, 1, 5, 15, 0, tzinfo=tz)
    assert not escalation.is_open(hours, monday_15)
    assert escalation.next_opening(hours, monday_15) == datetime(2026, 1, 5, 17, 0, tzinfo=tz)
    assert escalation.is_open(hours, datetime(2026, 1, 5, 18, 0, tzinfo=tz))
    # Wednesday 7 January is a holiday: after Monday evening the next opening is a week later.
    monday_21 = datetime(2026, 1, 5, 21, 0, tzinfo=tz)
    assert escalation.next_opening(hours, monday_21) == datetime(2026, 1, 12, 10, 0, tzinfo=tz)


def test_the_summary_says_who_what_mood_what_the_bot_did_and_the_last_messages(
    client: FlaskClient, demo: Runtime
) -> None:
    open_chat(client)
    say(client, "my tooth hurts and nobody answers!!!")
    with session_scope(demo.engine) as db:
        conv = db.exec(select(Conversation)).one()
        contact = db.get(Contact, conv.contact_id)
        assert contact is not None
        contact.display_name, contact.segments = "Ana Gómez", ["vip"]
        msg = db.exec(select(Message)).one()
        msg.annotations = {
            "intent": "book",
            "frustration": 0.8,
            "urgency": 0.7,
            "sentiment": -0.6,
            "entities": [{"kind": "symptom", "text": "tooth hurts"}],
        }
        db.add(
            ProfileFact(
                business_id=conv.business_id,
                contact_id=contact.id,
                key="email",
                value='"ana@example.com"',
            )
        )
        start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        db.add(
            Appointment(
                business_id=conv.business_id,
                contact_id=contact.id,
                service="cleaning",
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
            )
        )
        db.flush()
        summary = build_summary(db, conv, "frustrated")
    assert "Why: frustrated" in summary
    assert "Ana Gómez" in summary and "vip" in summary and "email=ana@example.com" in summary
    assert "Wants: book" in summary and 'symptom "tooth hurts"' in summary
    assert "Mood: frustrated, urgent" in summary
    assert "appointment cleaning 2026-03-02 10:00 (booked)" in summary  # Madrid time
    assert "Customer: my tooth hurts and nobody answers!!!" in summary


def test_request_handoff_opens_once_and_raises_priority(client: FlaskClient, demo: Runtime) -> None:
    open_chat(client)
    say(client, "hi")
    with session_scope(demo.engine) as db:
        conv = db.exec(select(Conversation)).one()
        first = request_handoff(demo, db, conv, "customer_asked", 1)
        again = request_handoff(demo, db, conv, "dental_emergency", 3)
        assert first.id == again.id and again.priority == 3
        assert conv.state == "waiting_for_staff"
        assert "Customer: hi" in first.summary


def test_asking_for_a_person_hands_over_the_bot_stays_quiet_and_comes_back_when_returned(
    client: FlaskClient, demo: Runtime, worker_pool: WorkerPool
) -> None:
    worker_pool.start(1)
    open_chat(client)
    say(client, "Quiero hablar con una persona")
    reply = wait_for(lambda: sent_replies(demo), timeout=60)[0]  # models load first
    assert reply.text == "Te paso con una persona de Acme Dental; te contestará por aquí."
    with session_scope(demo.engine) as db:
        handoff = db.exec(select(Handoff)).one()
        assert (handoff.reason, handoff.priority, handoff.status) == ("customer_asked", 2, "open")
        assert "Customer: Quiero hablar con una persona" in handoff.summary
        conv = db.get(Conversation, handoff.conversation_id)
        assert conv is not None and conv.state == "waiting_for_staff"

    # While waiting for (and then with) a person, the bot says nothing at all.
    say(client, "hello? anyone?")
    wait_for(lambda: all(m.status == "processed" for m in messages(demo, "in")))
    with session_scope(demo.engine) as db:
        business = business_by_slug(db, "acme-dental")
        staff = add_staff(db, business, "ana@acme.example", "long-password-1")
        conv = db.exec(select(Conversation)).one()
        ids = handoffs.staff_reply(db, conv, staff, "Hi, this is Ana from the front desk")
        staff_id = staff.id
    for message_id in ids:
        enqueue_send(demo, message_id)
    wait_for(lambda: len(sent_replies(demo)) == 2)
    staff_msg = sent_replies(demo)[1]
    assert (staff_msg.text, staff_msg.author) == (
        "Hi, this is Ana from the front desk",
        f"staff:{staff_id}",
    )
    say(client, "thanks, I'll wait")
    wait_for(lambda: all(m.status == "processed" for m in messages(demo, "in")))
    assert len(messages(demo, "out")) == 2

    with session_scope(demo.engine) as db:
        conv = db.exec(select(Conversation)).one()
        staff = db.get(StaffUser, staff_id)
        assert staff is not None
        handoffs.return_to_bot(db, conv, staff)
    say(client, "hello again")
    wait_for(lambda: len(sent_replies(demo)) == 3)
    assert sent_replies(demo)[2].author == "bot"
    with session_scope(demo.engine) as db:
        assert db.exec(select(Handoff)).one().status == "returned"


def test_a_taken_or_finished_handoff_never_times_out(client: FlaskClient, demo: Runtime) -> None:
    open_chat(client)
    say(client, "hi")
    with session_scope(demo.engine) as db:
        conv = db.exec(select(Conversation)).one()
        business = business_by_slug(db, "acme-dental")
        handoff = request_handoff(demo, db, conv, "customer_asked", 2)
        handoff.created_at = handoff.created_at - timedelta(hours=1)
        staff = add_staff(db, business, "ana@acme.example", "long-password-1")
        handoffs.take(db, conv, staff)
        handoff_id = handoff.id
    assert handoff_id is not None
    assert handoffs.handle_timeout(demo, handoff_id) == "skipped"
    assert messages(demo, "out") == []
