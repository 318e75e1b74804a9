"""Asking for marketing consent after a booking, with Yes/No buttons, and recording the answer.

The question is asked once per conversation, in the first turn after a booking (made in the last
day) where the bot has no question of its own pending, and only while no statement about
marketing exists on that network. The answer
(a button press, or a numbered reply mapped to it) is appended to the consent ledger with the
exact words the customer was shown and the message that answered. The web chat also offers it
unasked, as a button under the conversation (`offer_label`): pressing it is a grant whose
wording is that label.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from channels.base import Button
from gateway.core.texts import load_texts
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

BOOKINGS = (Appointment, Reservation, Viewing)
RECENT = timedelta(days=1)


TEXTS = Path(__file__).with_name("texts.yaml")


def _say(conv: Conversation, contact: Contact, key: str, **kw: str) -> str:
    """A text of this room in the customer's language and tone (usted when they write so)."""
    language = conv.language or contact.language or "en"
    tone = str(conv.flow_state.get("tone", "casual"))
    return load_texts(TEXTS).get(key, language, tone, **kw)


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
    wording = _say(conv, contact, "consent_ask", business=business.name)
    buttons = (
        Button(id=YES, title=_say(conv, contact, "consent_yes")),
        Button(id=NO, title=_say(conv, contact, "consent_no")),
    )
    marks = {ASK_MARK: "marketing", "wording": wording}
    return [Draft(text=wording, buttons=buttons, annotations=marks)]


def offer_label(business: Business, language: str) -> str:
    """The web chat's own consent button: the exact words a grant from it records."""
    return load_texts(TEXTS).get("consent_offer", language, "casual", business=business.name)


def handle_answer(
    session: Session, business: Business, conv: Conversation, contact: Contact, message: Message
) -> list[Draft] | None:
    """Record a Yes/No to the consent question; None when the message is not such an answer."""
    if message.payload not in (YES, NO):
        return None
    assert business.id is not None and contact.id is not None
    granted = message.payload == YES
    asked = _asked(session, conv)
    if message.text in {offer_label(business, language) for language in ("en", "es")}:
        source, wording = "button:chat-offer", message.text  # the chat's standing offer
    elif asked is not None:
        source, wording = "button:after-booking", str(asked.annotations.get("wording", ""))
    else:
        source, wording = "button", ""
    consent.record(
        session, business.id, contact.id, conv.network, "marketing", granted,
        source=source, wording=wording, message_id=message.id,
    )  # fmt: skip
    message.annotations = {**message.annotations, "consent": "granted" if granted else "refused"}
    return [Draft(text=_say(conv, contact, "consent_granted" if granted else "consent_refused"))]
