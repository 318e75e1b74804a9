"""Legal intake conversations through the real pipeline (web chat, database, brain)."""

# ruff: noqa: F811  (the fixtures are imported from tests.gateway.template_chat)
from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import Appointment, IntakeCase
from tests.gateway.template_chat import (  # noqa: F401
    Chat,
    close_conversations,
    handoffs,
    set_settings,
    shop,
    shop_app,
    visitor,
)

pytestmark = pytest.mark.db

SLUG = "ortega-law"
NOTICE_EN = "nothing in this chat is legal advice"


def cases(rt: Runtime) -> list[IntakeCase]:
    with session_scope(rt.engine) as session:
        return list(session.exec(select(IntakeCase)).all())


def test_english_employment_intake_with_a_digression_and_a_consultation(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("Hi, I was fired from my job last week after asking for my overtime pay")
    assert NOTICE_EN in chat.text(r) and "full name" in chat.text(r)  # what happened is kept
    assert "Where is this happening" not in chat.text(r) and "other side" not in chat.text(r)
    r = chat.say("how much does a consultation cost?")
    assert "60" in chat.text(r) and "full name" in chat.text(r)  # answered, then resumed
    r = chat.say("Sarah Collins")
    assert "phone number or email" in chat.text(r)
    r = chat.say("the company is Globex Iberia S.L. and my manager Peter Jones")
    assert "phone number or email" in chat.text(r) and "full name" not in chat.text(r)
    r = chat.say("sarah.collins@example.com")
    assert "summary I'll pass to the attorney" in chat.text(r) and "Employment" in chat.text(r)
    assert "Globex Iberia S.L." in chat.text(r) and "overtime" in chat.text(r)
    assert cases(shop) == []
    r = chat.say("yes")
    assert "employment contract" in chat.text(r) and "book a consultation" in chat.text(r)
    (case,) = cases(shop)
    assert case.practice_area == "employment" and case.priority == "normal"
    assert "overtime" in case.summary and "Globex Iberia S.L." in case.parties
    r = chat.say("yes")
    r = chat.press(r, "at:")
    assert "Shall I book it?" in chat.text(r)
    r = chat.say("yes")
    assert "Booked: consultation" in chat.text(r)
    with session_scope(shop.engine) as session:
        (appt,) = session.exec(select(Appointment)).all()
    assert appt.service == "consultation" and appt.details["intake_id"] == case.id
    # the case and the consultation are on the attorney's list: the bot keeps answering
    assert handoffs(shop) == []
    assert chat.all_bot_text().count(NOTICE_EN) == 1  # once per conversation


def test_spanish_formal_court_date_within_14_days_is_a_priority_handoff(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, SLUG)
    # A hearing within days is an emergency (the shared taxonomy): an urgent case and an attorney
    # at once, in usted, instead of the intake questions first.
    r = chat.say("Buenos días. Necesito un abogado, tengo juicio de divorcio el próximo martes")
    assert "urgente" in chat.text(r) and "le contactará" in chat.text(r), chat.transcript()
    (case,) = cases(shop)
    assert case.priority == "urgent" and case.practice_area == "family"
    assert case.court_date is not None
    (handoff,) = handoffs(shop)
    assert handoff.priority == 3


def test_conflict_with_an_existing_matter_stops_politely_and_alerts_staff(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("hola, me han despedido y quiero reclamar")
    r = chat.say("la empresa es Acme Logistics")  # an existing client of the firm
    assert "conflicto" in chat.text(r)
    assert cases(shop) == []
    (handoff,) = handoffs(shop)
    assert "conflict" in handoff.reason and "Acme Logistics" in handoff.reason


def test_intake_questions_of_the_business_are_asked_and_kept(
    shop: Runtime, visitor: FlaskClient
) -> None:
    set_settings(
        shop,
        SLUG,
        intake_questions=[
            {
                "en": "Have you spoken to another lawyer about this?",
                "es": "¿Ha hablado ya con otro abogado?",
            }
        ],
    )
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("I need help with my residency permit renewal, it was refused in January")
    assert "another lawyer" in chat.text(r)  # the business's own question is always asked
    r = chat.say("No, this is the first time I ask a lawyer")
    r = chat.say("My name is Oleksandr Kovalenko")
    r = chat.say("+34 699 111 222")
    assert "first time" in chat.text(r), chat.transcript()
    chat.say("yes")
    (case,) = cases(shop)
    assert case.practice_area == "immigration" and "first time" in case.summary


def test_a_correction_while_confirming_and_not_now_hands_to_an_attorney(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("I want to talk to a lawyer about a car accident")
    assert "full name" in chat.text(r)
    r = chat.say("the other driver is Mark Stone")
    assert "full name" in chat.text(r)
    r = chat.say("A car hit mine from behind at a red light on 2 March; my neck hurts since")
    assert handoffs(shop) == [] and "name" in chat.text(r)  # a past accident is no emergency
    r = chat.say("I'm Priya Nair")
    r = chat.say("priya@example.org")
    assert "Personal injury" in chat.text(r) and "Mark Stone" in chat.text(r)
    r = chat.say("no")
    r = chat.press(r, "edit:parties")
    r = chat.say("Mark Stone and Allianz Seguros")
    assert "Allianz" in chat.text(r) and "Is it correct?" in chat.text(r), chat.transcript()
    r = chat.say("yes")
    r = chat.say("not now, thanks")
    assert "attorney will review" in chat.text(r)
    (case,) = cases(shop)
    assert case.parties == ["Mark Stone", "Allianz Seguros"]
    (handoff,) = handoffs(shop)
    assert handoff.priority == 1


def test_returning_client_is_not_asked_their_contact_again(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, SLUG)
    chat.say(
        "Hola, soy Pablo Ortiz, mi email es pablo@example.com y tengo un problema con una herencia"
    )
    close_conversations(shop)
    with session_scope(shop.engine) as session:
        for row in session.exec(select(IntakeCase)).all():
            session.delete(row)
    r = chat.say("hola de nuevo, quiero contaros mi caso de herencia")
    assert "qué ha pasado" in chat.text(r), chat.transcript()
    r = chat.say("Mi padre falleció y mis hermanos no quieren repartir la casa")
    assert "Es correcto" in chat.text(r), chat.transcript()
    assert "pablo@example.com" in chat.text(r) and "Pablo Ortiz" in chat.text(r)
    bot = chat.all_bot_text()
    assert "teléfono o email" not in bot and "nombre completo" not in bot
