"""The confirm / reschedule / cancel buttons of a reminder, on every channel.

Payloads look like `rem:<action>:<scheduled_message_id>`. Channels with native buttons bring
the payload back; on SMS (numbered options) a reply such as "1" or "Confirm" is matched against
the buttons of the last outbound reminder in the conversation.

- confirm: the booking's status becomes "confirmed" and we thank the customer;
- cancel: the booking is cancelled (its calendar slots freed, its pending reminders cancelled)
  and we confirm it;
- reschedule: nothing is changed here; `flow_state["reschedule"] = {"kind", "record_id"}` is set
  and the bot answers (None returned).
"""

from __future__ import annotations

import logging

from sqlmodel import Session, col, select

from channels.text import pick_numbered_option
from flows.outreach import zone
from gateway.messaging.outbound import Draft, options_of
from gateway.outreach import texts
from gateway.outreach.records import CANCELLED, CONFIRMED, RECORD_TYPES, load_booking, set_status
from gateway.outreach.reminders import sync_reminders
from gateway.store.models import (
    Business,
    Contact,
    Conversation,
    Direction,
    Message,
    ScheduledMessage,
)

log = logging.getLogger(__name__)

PREFIX = "rem:"
ACTIONS = ("confirm", "reschedule", "cancel")


def parse_payload(payload: str | None) -> tuple[str, int] | None:
    """`rem:confirm:12` -> ("confirm", 12); anything else -> None."""
    if not payload or not payload.startswith(PREFIX):
        return None
    parts = payload.split(":")
    if len(parts) != 3 or parts[1] not in ACTIONS or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2])


def _numbered_choice(session: Session, conv: Conversation, message: Message) -> str | None:
    """On channels without buttons, map "1" / "Confirm" to the last reminder's payload."""
    if not message.text or conv.id is None:
        return None
    last = session.exec(
        select(Message)
        .where(
            Message.conversation_id == conv.id,
            Message.direction == Direction.OUT,
            col(Message.id) < (message.id or 0),
        )
        .order_by(col(Message.id).desc())
    ).first()
    if last is None or last.author != "outreach":
        return None
    chosen = pick_numbered_option(message.text, options_of(last))
    return chosen.id if chosen and chosen.id.startswith(PREFIX) else None


def handle_reminder_reply(
    session: Session, conv: Conversation, message: Message
) -> list[Draft] | None:
    """Act on a reminder button; the replies to store, or None to let the bot answer."""
    parsed = parse_payload(message.payload) or parse_payload(
        _numbered_choice(session, conv, message)
    )
    if parsed is None:
        return None
    action, scheduled_id = parsed
    row = session.get(ScheduledMessage, scheduled_id)
    if (
        row is None
        or row.business_id != conv.business_id
        or row.contact_id != conv.contact_id
        or row.related_type not in RECORD_TYPES
        or row.related_id is None
    ):
        log.info("reminder reply for an unknown reminder", extra={"conversation_id": conv.id})
        return None
    kind, record_id = row.related_type, row.related_id
    booking = load_booking(session, kind, record_id)
    if booking is None:
        return None
    if action == "reschedule":
        conv.flow_state = {
            **conv.flow_state,
            "reschedule": {"kind": kind, "record_id": record_id},
        }
        session.add(conv)
        return None
    business = session.get(Business, conv.business_id)
    contact = session.get(Contact, conv.contact_id)
    assert business is not None and contact is not None
    language = texts.pick_language(contact.language, conv.language, *business.languages)
    tz = zone(contact.timezone, business.timezone)

    def say(key: str) -> list[Draft]:
        when = texts.format_when(booking.starts_at, tz, language)
        return [
            Draft(
                text=texts.render(
                    key,
                    language,
                    business=business.name,
                    name=contact.display_name,
                    when=when,
                    record_kind=kind,
                    tone=str(conv.flow_state.get("tone", "casual")),
                )
            )
        ]

    if not booking.active:
        return say("already_cancelled") if booking.status in ("cancelled", "canceled") else None
    if action == "confirm":
        set_status(session, kind, record_id, CONFIRMED)
        return say("confirmed")
    set_status(session, kind, record_id, CANCELLED)
    session.flush()
    sync_reminders(session, kind, record_id)
    return say("cancelled")
