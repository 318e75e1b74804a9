"""Asking for marketing consent after a booking, with Yes/No buttons, and recording the answer.

The question is asked once per conversation, in the first turn after a booking (made in the last
day) where the bot has no question of its own pending, and only while no statement about
marketing exists on that network. The answer
(a button press, or a numbered reply mapped to it) is appended to the consent ledger with the
exact words the customer was shown and the message that answered.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from channels.base import Button
from gateway.core.wording import tone_of, variant
from gateway.messaging.outbound import Draft
from gateway.store import consent
from gateway.store.models import (
    Appointment,
    Business,
    Contact,
    Conversation,
    Direction,
    Message,
    Reservation,
    Viewing,
)

YES = "consent:marketing:yes"
NO = "consent:marketing:no"
ASK_MARK = "consent_ask"

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "ask": "{business} would like to send you occasional news, offers and check-up "
        "reminders here. Do you agree? You can say STOP at any time.",
        "yes": "Yes, I agree",
        "no": "No, thanks",
        "granted": "Thank you. We will send you occasional news here; send STOP at any time "
        "to stop them.",
        "refused": "Understood: we will not send you news or offers.",
    },
    "es": {
        "ask": "A {business} le gustaría enviarte de vez en cuando novedades, ofertas y "
        "recordatorios de revisión por aquí. ¿Estás de acuerdo? Puedes escribir BAJA cuando "
        "quieras.",
        "yes": "Sí, acepto",
        "no": "No, gracias",
        "granted": "Gracias. Te enviaremos novedades de vez en cuando; escribe BAJA cuando "
        "quieras para dejar de recibirlas.",
        "refused": "Entendido: no te enviaremos novedades ni ofertas.",
    },
    "es_formal": {
        "ask": "A {business} le gustaría enviarle de vez en cuando novedades, ofertas y "
        "recordatorios de revisión por aquí. ¿Está usted de acuerdo? Puede escribir BAJA "
        "cuando lo desee.",
        "yes": "Sí, acepto",
        "no": "No, gracias",
        "granted": "Gracias. Le enviaremos novedades de vez en cuando; escriba BAJA cuando lo "
        "desee para dejar de recibirlas.",
        "refused": "Entendido: no le enviaremos novedades ni ofertas.",
    },
}
BOOKINGS = (Appointment, Reservation, Viewing)
RECENT = timedelta(days=1)


def _texts(conv: Conversation, contact: Contact) -> dict[str, str]:
    return variant(TEXTS, conv.language or contact.language, tone_of(conv.flow_state))


def booked_since(session: Session, business_id: int, contact_id: int, since: datetime) -> bool:
    """Whether the contact has a booking created at or after `since`."""
    for table in BOOKINGS:
        found = session.exec(
            select(table.id).where(
                table.business_id == business_id,
                table.contact_id == contact_id,
                col(table.created_at) >= since,
            )
        ).first()
        if found is not None:
            return True
    return False


def _asked(session: Session, conv: Conversation) -> Message | None:
    """The newest consent question in this conversation."""
    rows = session.exec(
        select(Message)
        .where(
            Message.business_id == conv.business_id,
            Message.conversation_id == conv.id,
            Message.direction == Direction.OUT,
        )
        .order_by(col(Message.id).desc())
        .limit(50)
    ).all()
    return next((r for r in rows if r.annotations.get(ASK_MARK)), None)


def ask_after_booking(
    session: Session, business: Business, conv: Conversation, contact: Contact, now: datetime
) -> list[Draft]:
    """The consent question to add to this turn's replies, after a booking made in the last
    day, once the bot has no yes/no offer of its own pending (a recall, a person...)."""
    assert business.id is not None and contact.id is not None
    if conv.flow_state.get("offer") or conv.flow_state.get("form"):
        return []
    if not booked_since(session, business.id, contact.id, now - RECENT):
        return []
    if consent.latest(session, business.id, contact.id, conv.network, "marketing") is not None:
        return []
    if consent.is_opted_out(session, business.id, contact.id, conv.network):
        return []
    if _asked(session, conv) is not None:
        return []
    t = _texts(conv, contact)
    wording = t["ask"].format(business=business.name)
    buttons = (Button(id=YES, title=t["yes"]), Button(id=NO, title=t["no"]))
    marks = {ASK_MARK: "marketing", "wording": wording}
    return [Draft(text=wording, buttons=buttons, annotations=marks)]


def handle_answer(
    session: Session, business: Business, conv: Conversation, contact: Contact, message: Message
) -> list[Draft] | None:
    """Record a Yes/No to the consent question; None when the message is not such an answer."""
    if message.payload not in (YES, NO):
        return None
    assert business.id is not None and contact.id is not None
    asked = _asked(session, conv)
    wording = str(asked.annotations.get("wording", "")) if asked is not None else ""
    granted = message.payload == YES
    consent.record(
        session, business.id, contact.id, conv.network, "marketing", granted,
        source="button:after-booking", wording=wording, message_id=message.id,
    )  # fmt: skip
    message.annotations = {**message.annotations, "consent": "granted" if granted else "refused"}
    t = _texts(conv, contact)
    return [Draft(text=t["granted" if granted else "refused"])]
