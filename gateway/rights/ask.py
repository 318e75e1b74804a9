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

import re
from collections.abc import Collection
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from channels.base import Button
from flows.understanding.text import fold
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


def recent_replies(session: Session, conv: Conversation, limit: int) -> list[Message]:
    """The bot's newest messages in this conversation, newest first."""
    return list(
        session.exec(
            select(Message)
            .where(
                Message.business_id == conv.business_id,
                Message.conversation_id == conv.id,
                Message.direction == Direction.OUT,
            )
            .order_by(col(Message.id).desc())
            .limit(limit)
        ).all()
    )


def _asked(session: Session, conv: Conversation) -> Message | None:
    """The newest consent question in this conversation."""
    return next((r for r in recent_replies(session, conv, 50) if r.annotations.get(ASK_MARK)), None)


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


_CONSENT_YES = frozenset(
    {"yes", "y", "yeah", "yep", "sure", "ok", "okay", "si", "vale", "claro", "acepto", "agree",
     "i agree", "de acuerdo", "yes please", "yes i agree", "si acepto", "si vale", "vale gracias",
     "si gracias", "si de acuerdo", "por supuesto", "yes thanks", "ok thanks"}
)  # fmt: skip
_CONSENT_NO = frozenset({"no", "n", "nope", "nah", "no thanks", "no gracias", "not now"})


def typed_yes_no(
    text: str, yes: Collection[str], no: Collection[str], strict_yes: bool = False
) -> bool | None:
    """A typed yes (True) or no (False) to a yes/no question, None when it is neither.

    The whole message may be a listed answer ("no thanks"), or its first word answers ("sí,
    bórralo todo", "no, prefiero no recibir publicidad") unless a "no" follows a yes. With
    `strict_yes`, only a whole listed answer is a yes: consent is never read into "sí, confirmo"
    (which may confirm the booking)."""
    said = fold(text).strip(" .!¡?¿,")
    words = " ".join(re.sub(r"[^\w\s']", " ", said).split())
    if said in yes or words in yes:
        return True
    if said in no or words in no:
        return False
    first, _, rest = words.partition(" ")
    if first in {"no", "nope", "nah"}:
        return False
    if not strict_yes and first in yes and not re.search(r"\b(?:no|not|don'?t)\b", rest):
        return True
    return None


def _just_asked(session: Session, conv: Conversation) -> bool:
    """Whether the bot's newest message in this conversation is the consent question."""
    return any(r.annotations.get(ASK_MARK) for r in recent_replies(session, conv, 1))


def _typed_payload(session: Session, conv: Conversation, message: Message) -> str | None:
    """YES or NO for a typed answer right after the consent question (buttons are optional)."""
    if message.payload or message.kind != "text" or not _just_asked(session, conv):
        return None
    said = typed_yes_no(message.text or "", _CONSENT_YES, _CONSENT_NO, strict_yes=True)
    return None if said is None else YES if said else NO


def handle_answer(
    session: Session, business: Business, conv: Conversation, contact: Contact, message: Message
) -> list[Draft] | None:
    """Record a Yes/No to the consent question; None when the message is not such an answer."""
    typed = _typed_payload(session, conv, message)
    if typed is not None:
        message.payload = typed
    if message.payload not in (YES, NO):
        return None
    assert business.id is not None and contact.id is not None
    granted = message.payload == YES
    asked = _asked(session, conv)
    if message.text in {offer_label(business, language) for language in ("en", "es")}:
        source, wording = "button:chat-offer", message.text  # the chat's standing offer
    elif asked is not None:
        how = "typed" if typed is not None else "button"
        source, wording = f"{how}:after-booking", str(asked.annotations.get("wording", ""))
    else:
        source, wording = "button", ""
    consent.record(
        session, business.id, contact.id, conv.network, "marketing", granted,
        source=source, wording=wording, message_id=message.id,
    )  # fmt: skip
    message.annotations = {**message.annotations, "consent": "granted" if granted else "refused"}
    return [Draft(text=_say(conv, contact, "consent_granted" if granted else "consent_refused"))]
