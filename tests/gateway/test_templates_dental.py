"""Dental clinic conversations through the real pipeline (web chat, database, brain)."""

# ruff: noqa: F811  (the fixtures are imported from tests.gateway.template_chat)

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import Appointment, BookedSlot, ScheduledMessage
from tests.gateway.chat_helpers import messages
from tests.gateway.template_chat import (  # noqa: F401
    Chat,
    close_conversations,
    handoffs,
    local,
    other_visitor,
    post,
    set_settings,
    shop,
    shop_app,
    visitor,
)
from tests.support import WorkerPool, wait_for

pytestmark = pytest.mark.db

SLUG = "smile-dental"


def appointments(rt: Runtime) -> list[Appointment]:
    with session_scope(rt.engine) as session:
        return list(session.exec(select(Appointment)).all())


def test_english_casual_booking_with_a_question_and_a_correction(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("hi! can I book a cleaning on Tuesday at 10am? it's my first visit")
    assert "what name" in chat.text(r).lower()  # service, day, time and first visit kept
    assert "been to our clinic" not in chat.text(r) and "When would" not in chat.text(r)
    r = chat.say("do you have parking?")
    assert "car park" in chat.text(r) and "what name" in chat.text(r).lower()  # answered, resumed
    r = chat.say("I'm Ana Lopez")
    assert "Cleaning" in chat.text(r) and "10:00" in chat.text(r) and "Shall I book" in chat.text(r)
    r = chat.say("actually make it 11:30")
    assert "11:30" in chat.text(r) and "Shall I book" in chat.text(r), chat.transcript()
    assert appointments(shop) == []  # nothing committed before the yes
    r = chat.say("yes")
    assert "booked" in chat.text(r) and "24 hours and 2 hours" in chat.text(r)
    (appt,) = appointments(shop)
    assert appt.service == "cleaning" and local(appt.starts_at).strftime("%a %H:%M") == "Tue 11:30"
    assert appt.details["patient"] == "new"
    with session_scope(shop.engine) as session:
        units = session.exec(select(BookedSlot).where(BookedSlot.appointment_id == appt.id)).all()
    assert len(units) == 3  # 45 minutes in 15-minute units
    assert "six months" in chat.text(r)
    r = chat.say("yes please")
    assert "remind you in six months" in chat.text(r)
    with session_scope(shop.engine) as session:
        rows = session.exec(select(ScheduledMessage)).all()
    reminders = [m for m in rows if m.related_type == "appointment" and m.kind != "recall"]
    assert reminders and all(m.related_id == appt.id for m in reminders)
    (recall,) = [m for m in rows if m.kind == "recall"]
    assert recall.payload["key"] == f"recall:{appt.id}"
    assert (recall.due_at - appt.starts_at).days >= 179


def test_spanish_formal_booking_and_the_name_is_not_asked_again(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say(
        "Buenos días, me llamo Luis Pérez. "
        "Quisiera pedir cita para una revisión el martes a las 17:00"
    )
    text = chat.text(r)
    assert "Le confirmo" in text and "Luis Pérez" in text  # usted, in Spanish
    assert "¿Se la reservo?" in text and "Revisión" in text and "17:00" in text
    assert "Ha venido antes" not in text and "nombre de quién" not in text
    r = chat.say("sí, por favor")
    assert "queda reservada" in chat.text(r)
    close_conversations(shop)
    r = chat.say("Hola, quisiera otra cita para una limpieza el jueves a las 10:00")
    assert "Luis" in chat.text(r)  # welcomed back
    asked = chat.all_bot_text()
    assert asked.count("¿A nombre de quién") == 0 and asked.count("a nombre de quién") == 0
    assert "Le confirmo" in chat.text(r) or "Te confirmo" in chat.text(r), chat.transcript()
    assert "Ha venido antes" not in chat.text(r)  # a returning patient now
    chat.say("sí")
    assert len(appointments(shop)) == 2


def test_reschedule_then_cancel_free_the_slot(shop: Runtime, visitor: FlaskClient) -> None:
    chat = Chat(shop, visitor, SLUG)
    chat.say("I'd like a check-up on Thursday at 9am, I'm Tom Hardy, first visit")
    r = chat.history[-1][1]
    if "been to our clinic" in chat.text(r):
        r = chat.press(r, "new")
    chat.say("yes")
    (appt,) = appointments(shop)
    r = chat.say("I need to move my appointment")
    assert "new day and time" in chat.text(r)
    r = chat.say("Friday at 12:00")
    assert "Move your" in chat.text(r) and "12:00" in chat.text(r)
    r = chat.say("yes")
    assert "now on" in chat.text(r)
    (moved,) = appointments(shop)
    assert local(moved.starts_at).strftime("%a %H:%M") == "Fri 12:00"
    r = chat.say("please cancel my appointment")
    assert "Cancel your" in chat.text(r)
    r = chat.say("yes")
    assert "cancelled" in chat.text(r)
    assert appointments(shop)[0].status == "cancelled"
    with session_scope(shop.engine) as session:
        assert session.exec(select(BookedSlot)).all() == []


def test_emergency_gets_the_earliest_urgent_slot(shop: Runtime, visitor: FlaskClient) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("me duele muchísimo una muela y tengo la cara hinchada")
    text = chat.text(r)
    if handoffs(shop):  # the clinic is closed for more than a day: a person at once
        assert "equipo" in text and handoffs(shop)[0].priority == 3
        return
    assert "dolor" in text and "primer hueco urgente" in text
    r = chat.say("Marta Ruiz")
    r = chat.say("sí")
    (appt,) = appointments(shop)
    assert appt.urgent and appt.service == "emergency"
    assert "urgente" in chat.text(r)


def test_emergency_with_no_slot_soon_goes_to_a_person_at_once(
    shop: Runtime, visitor: FlaskClient
) -> None:
    closed = {day: [] for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
    set_settings(shop, SLUG, hours=closed, emergency_window_hours=24)
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("My tooth is bleeding a lot and the pain is terrible, help")
    assert "passing you to our team" in chat.text(r)
    (handoff,) = handoffs(shop)
    assert handoff.priority == 3 and "emergency" in handoff.reason


def test_insurance_and_prices_then_two_misunderstandings_offer_a_person(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("Do you accept Sanitas insurance?")
    assert "we work with Sanitas" in chat.text(r)
    r = chat.say("And how much is a whitening?")
    assert "250" in chat.text(r)
    r = chat.say("book a filling please")
    assert "When would suit" in chat.text(r)
    r = chat.say("xyzzy plugh")
    assert "a day and a time" in chat.text(r).lower()  # the re-ask explains
    r = chat.say("the moon is square")
    assert "person" in chat.text(r)
    assert handoffs(shop) == []
    chat.press(r, "person")
    (handoff,) = handoffs(shop)  # the bot steps aside (the gateway's escalation or the engine)
    assert handoff.status == "open"


def test_two_customers_racing_for_the_last_slot(
    shop: Runtime, visitor: FlaskClient, other_visitor: FlaskClient, worker_pool: WorkerPool
) -> None:
    set_settings(shop, SLUG, resources=["chair-1"])  # one chair: 10:00 is the last slot then
    ana, ben = Chat(shop, visitor, SLUG), Chat(shop, other_visitor, SLUG)
    for chat, name in ((ana, "Ana Gil"), (ben, "Ben Cole")):
        r = chat.say(f"Hi, I'm {name}, I'd like a check-up on Wednesday at 10:00, first visit")
        if "been to our clinic" in chat.text(r):
            r = chat.press(r, "new")
        assert "Shall I book" in chat.text(r) and "10:00" in chat.text(r), chat.transcript()
    before = {m.id for m in messages(shop, "out")}
    post(visitor, SLUG, "yes")
    post(other_visitor, SLUG, "yes")
    worker_pool.start(2)  # both confirmations are processed at the same time
    answers = wait_for(
        lambda: (
            (r := [m for m in messages(shop, "out") if m.id not in before])
            and len({m.conversation_id for m in r}) >= 2  # both answered (the winner is also
            and r  # asked for marketing consent after the booking)
        ),
        timeout=180,
    )
    texts = sorted(m.text for m in answers)
    assert sum("booked" in t for t in texts) == 1, texts
    (lost,) = [t for t in texts if "just taken" in t]
    assert "10:30" in lost  # the next free start with one chair (30-minute check-up)
    (won,) = appointments(shop)
    assert local(won.starts_at).strftime("%H:%M") == "10:00"
