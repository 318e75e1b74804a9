"""Fixes of issue 16: VIP customers reach a person, formal Spanish customers stay on usted in
gateway-level texts, and reminder syncs do not report "moved" for an unchanged booking."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from flows import memory
from flows.understanding import Annotations
from gateway.bot import escalation
from gateway.bot.brain import Brain
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.processing import process_inbound
from gateway.outreach import texts
from gateway.outreach.reminders import sync_reminders
from gateway.store.models import (
    Appointment,
    Business,
    Contact,
    Conversation,
    Direction,
    ScheduledMessage,
    utcnow,
)
from tests.gateway.chat_helpers import messages, open_chat, say
from tests.gateway.test_outreach import business_id, make_contact

pytestmark = pytest.mark.db


def test_a_vip_customer_is_handed_to_a_person(demo: Runtime) -> None:
    contact_id, conv_id = make_contact(demo)
    with session_scope(demo.engine) as s:
        contact, conv = s.get(Contact, contact_id), s.get(Conversation, conv_id)
        business = s.get(Business, business_id(demo))
        assert contact is not None and conv is not None and business is not None
        contact.segments = ["returning", "VIP"]  # as flows.outreach computes it
        decision = escalation.decide(s, business, conv, contact, Annotations("en", "greeting", 0.9))
    assert decision is not None and decision.reason == "vip"


def test_formal_spanish_customers_keep_usted_in_gateway_texts(
    demo: Runtime, client: FlaskClient
) -> None:
    open_chat(client)
    say(client, "Buenas tardes")
    with session_scope(demo.engine) as s:
        conv = s.exec(select(Conversation)).one()
        conv.flow_state = {**conv.flow_state, "tone": "formal"}
        business = s.get(Business, conv.business_id)
        assert business is not None
        now = utcnow()
        assert escalation.passing_text(business, "es", now, "formal").startswith("Le paso")
        assert "Disculpe" in escalation.sorry_text(business, "es", now, "formal")
        assert "Te paso" in escalation.passing_text(business, "es", now)
    inbound = messages(demo, Direction.IN)
    with session_scope(demo.engine) as s:  # the greeting was not processed: mark it done
        from gateway.store.models import Message

        row = s.get(Message, inbound[0].id)
        assert row is not None
        row.status = "processed"
    say(client, "BAJA")
    process_inbound(demo, Brain(), messages(demo, Direction.IN)[-1].id or 0)
    reply = messages(demo, Direction.OUT)[-1].text
    assert "ya no le enviaremos" in reply and "te " not in reply.lower().replace("siempre", "")
    when = "mar 3 de feb a las 10:00"
    formal = texts.render("reminder", "es", business="Acme", when=when, tone="formal")
    assert "Le recordamos su cita" in formal
    assert "Te recordamos tu cita" in texts.render("reminder", "es", business="Acme", when=when)
    everything = memory.ForgetRequest(everything=True)
    assert "de usted" in memory.forget_confirmation(everything, [], "es", formal=True)
    assert "sobre usted" in memory.render_known([], "es", formal=True)


def test_reminder_sync_does_not_report_moved_when_only_the_offset_differs(demo: Runtime) -> None:
    contact_id, conv_id = make_contact(demo)
    madrid = ZoneInfo("Europe/Madrid")
    starts = (
        (utcnow() + timedelta(days=3))
        .astimezone(madrid)
        .replace(hour=12, minute=0, second=0, microsecond=0)
    )
    with session_scope(demo.engine) as s:  # as the chat books: a local time in the session
        appt = Appointment(
            business_id=business_id(demo),
            contact_id=contact_id,
            conversation_id=conv_id,
            service="cleaning",
            starts_at=starts,
            ends_at=starts + timedelta(minutes=30),
        )
        s.add(appt)
        s.flush()
        assert appt.id is not None
        appt_id = appt.id
        created = sync_reminders(s, "appointment", appt_id)
        assert created
    with session_scope(demo.engine) as s:  # read back in UTC: the same instant
        assert sync_reminders(s, "appointment", appt_id) == []
        rows = s.exec(select(ScheduledMessage)).all()
        assert len(rows) == len(created)
        assert [r.status_reason for r in rows] == [None] * len(rows)
