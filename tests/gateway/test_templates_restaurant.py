"""Restaurant conversations through the real pipeline (web chat, database, brain)."""

# ruff: noqa: F811  (the fixtures are imported from tests.gateway.template_chat)
from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import Business, Contact, Reservation
from tests.gateway.template_chat import (  # noqa: F401
    Chat,
    close_conversations,
    handoffs,
    local,
    set_settings,
    shop,
    shop_app,
    visitor,
)

pytestmark = pytest.mark.db

SLUG = "casa-lucia"


def reservations(rt: Runtime) -> list[Reservation]:
    with session_scope(rt.engine) as session:
        return list(session.exec(select(Reservation)).all())


def test_spanish_casual_reservation_with_a_menu_question_and_a_correction(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("hola! quería reservar mesa para 4 el sábado a las 21:00")
    assert "a nombre de quién" in chat.text(r)
    r = chat.say("¿tenéis opciones veganas?")
    assert "vegana" in chat.text(r) and "a nombre de quién" in chat.text(r)  # answered, resumed
    r = chat.say("Marta")
    assert "mesa para 4" in chat.text(r) and "¿Te la confirmo?" in chat.text(r)
    assert "alergia" not in chat.text(r)  # not asked; kept when said
    r = chat.say("uno de nosotros es celíaco")
    assert "mesa para 4" in chat.text(r) and "celíaco" in chat.text(r)
    r = chat.say("mejor a las 21:30")
    assert "21:30" in chat.text(r) and "¿Te la confirmo?" in chat.text(r), chat.transcript()
    assert reservations(shop) == []
    r = chat.say("sí")
    assert "¡Listo!" in chat.text(r)
    (row,) = reservations(shop)
    assert row.party_size == 4 and row.status == "booked" and "celíaco" in row.requests
    assert local(row.starts_at).strftime("%a %H:%M") == "Sat 21:30"


def test_english_formal_reservation_and_requests_offered_back_next_time(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("Good evening. I would like to reserve a table for two on Friday at 9pm, please.")
    r = chat.say("Daniel Webb")
    r = chat.say("One of us is vegetarian, and it's our anniversary")
    assert "table for 2" in chat.text(r)
    chat.say("Yes, please confirm")
    close_conversations(shop)
    r = chat.say("Hello again. Could we book a table for 2 on Thursday at 8:30pm?")
    assert "Daniel" in chat.text(r)
    assert "Last time you mentioned: One of us is vegetarian" in chat.text(r), chat.transcript()
    r = chat.press(r, "yes")
    assert "vegetarian" in chat.text(r) and "Shall I confirm" in chat.text(r)
    chat.say("yes")
    rows = reservations(shop)
    assert len(rows) == 2 and "vegetarian" in rows[1].requests
    assert chat.all_bot_text().lower().count("what name should i put it under") == 1


def test_full_slot_offers_other_times_and_the_waitlist(shop: Runtime, visitor: FlaskClient) -> None:
    set_settings(shop, SLUG, capacity=6)
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("table for 6 on Saturday at 14:00, name Lola")
    assert "Shall I confirm" in chat.text(r)  # nothing else asked
    chat.say("yes")
    assert len(reservations(shop)) == 1, chat.transcript()
    r = chat.say("I'd also like a table for 2 on Saturday at 14:00")
    assert "full" in chat.text(r) and any(b["id"] == "waitlist" for m in r for b in m.buttons)
    r = chat.press(r, "waitlist")
    assert "waitlist" in chat.text(r).lower() or "Shall I confirm" in chat.text(r)
    if "Shall I confirm" in chat.text(r):
        r = chat.say("yes")
    assert "on the waitlist" in chat.text(r), chat.transcript()
    statuses = sorted(row.status for row in reservations(shop))
    assert statuses == ["booked", "waitlist"]


def test_opening_hours_closed_day_and_cancellation(shop: Runtime, visitor: FlaskClient) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("what time do you open?")
    assert "Tuesday" in chat.text(r) and "13:00" in chat.text(r)
    r = chat.say("book a table for 3 on Monday at 21:00")
    assert "not serving" in chat.text(r)  # closed on Mondays: nearest times offered
    r = chat.say("Tuesday at 21:00 then")
    assert "what name" in chat.text(r).lower()
    chat.say("Sam")
    chat.say("no thanks")
    chat.say("yes")
    (row,) = reservations(shop)
    r = chat.say("I need to cancel my reservation")
    assert "Cancel your table for 3" in chat.text(r)
    r = chat.say("yes")
    assert "cancelled" in chat.text(r)
    assert reservations(shop)[0].status == "cancelled"
    assert row.id == reservations(shop)[0].id


def test_large_group_goes_to_a_person(shop: Runtime, visitor: FlaskClient) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("Buenas, queremos reservar para 14 personas el viernes a las 21:00")
    assert "más de 10" in chat.text(r)
    (handoff,) = handoffs(shop)
    assert "large group" in handoff.reason
    assert reservations(shop) == []


def test_silence_expires_a_half_filled_reservation(shop: Runtime, visitor: FlaskClient) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("quiero reservar una mesa")
    assert "Cuántas personas" in chat.text(r) or "cuántas personas" in chat.text(r)
    # 40 minutes of silence (the form expires after 30)
    from gateway.store.models import Conversation

    with session_scope(shop.engine) as session:
        conv = session.exec(select(Conversation)).one()
        form = dict(conv.flow_state["form"])
        form["at"] = (local(conv.created_at) - timedelta(minutes=40)).isoformat()
        conv.flow_state = {**conv.flow_state, "form": form}
    r = chat.say("5")
    assert "empezamos de nuevo" in chat.text(r), chat.transcript()
    assert reservations(shop) == []
    with session_scope(shop.engine) as session:
        assert session.exec(select(Business)).first() is not None
        assert session.exec(select(Contact)).first() is not None
