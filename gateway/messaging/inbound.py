"""The request path: store each inbound event once, enqueue its processing, answer at once."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from channels import get_provider
from channels.base import Event, InboundMessage, StatusUpdate
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.handoff.requests import request_handoff
from gateway.messaging.live import business_topic, conversation_topic, publish
from gateway.messaging.provider_jobs import enqueue_callback_answer, enqueue_media_download
from gateway.messaging.sending import WINDOW_CLOSED_CODES
from gateway.store.contacts import open_conversation, resolve_contact
from gateway.store.models import (
    Business,
    Channel,
    Conversation,
    Direction,
    Message,
    MessageStatus,
    utcnow,
)
from gateway.worker import tasks
from gateway.worker.queueing import safe_enqueue

log = logging.getLogger(__name__)


_STATUS_RANK: dict[str, int] = {
    MessageStatus.PENDING: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.READ: 4,
}


@dataclass(frozen=True)
class Accepted:
    """What one webhook call stored."""

    stored: tuple[int, ...] = ()
    duplicates: int = 0
    statuses: int = 0


def accept_events(rt: Runtime, channel: Channel, events: list[Event]) -> Accepted:
    """Store every event of one request, then enqueue processing of the new messages."""
    stored: list[int] = []
    side_jobs: list[tuple[InboundMessage, int]] = []
    duplicates = statuses = 0
    for event in events:
        if isinstance(event, StatusUpdate):
            statuses += apply_status(rt, channel, event)
            continue
        message_id = store_inbound(rt, channel, event)
        if message_id is None:
            duplicates += 1
        else:
            stored.append(message_id)
            side_jobs.append((event, message_id))
    for message_id in stored:
        enqueue_processing(rt, message_id)
    for event, message_id in side_jobs:
        enqueue_side_jobs(rt, channel, event, message_id)
    return Accepted(stored=tuple(stored), duplicates=duplicates, statuses=statuses)


def enqueue_processing(rt: Runtime, message_id: int) -> bool:
    """Ask a worker to process a stored inbound message (harmless when repeated)."""
    return safe_enqueue(
        rt.queue("inbound"), tasks.PROCESS_INBOUND, f"in-{message_id}", {"message_id": message_id}
    )


def enqueue_side_jobs(rt: Runtime, channel: Channel, msg: InboundMessage, message_id: int) -> None:
    """Jobs that must run soon after arrival, when the provider has them: acknowledge the event
    (a Telegram button spins until answered), fetch media by id (Cloud API ids expire)."""
    provider = get_provider(channel.provider)
    if provider is None:
        return
    if msg.ack_token and provider.acknowledge is not None:
        enqueue_callback_answer(rt, message_id)
    if provider.fetch_media is not None and any(a.media_id for a in msg.attachments):
        enqueue_media_download(rt, message_id)


def find_inbound(session: Session, channel_id: str, provider_id: str) -> int | None:
    """The id of the inbound message stored for this provider id on this channel, if any."""
    return session.exec(
        select(Message.id).where(
            Message.channel_id == channel_id,
            Message.direction == Direction.IN,
            Message.provider_message_id == provider_id,
        )
    ).first()


def store_inbound(rt: Runtime, channel: Channel, msg: InboundMessage) -> int | None:
    """Store one inbound message; None when it was already stored (a provider's redelivery)."""
    for _ in range(3):
        try:
            with session_scope(rt.engine) as session:
                if find_inbound(session, channel.id, msg.provider_message_id) is not None:
                    return None
                row = insert_message(session, channel, msg)
                log.info(
                    "inbound stored",
                    extra={
                        "business_id": row.business_id,
                        "channel_id": channel.id,
                        "conversation_id": row.conversation_id,
                        "message_id": row.id,
                        "kind": row.kind,
                    },
                )
                message_id = row.id
            publish(rt.redis, business_topic(channel.business_id))
            return message_id
        except IntegrityError:
            # A concurrent delivery of the same message (or first contact) won the race.
            continue
    return None


def insert_message(session: Session, channel: Channel, msg: InboundMessage) -> Message:
    """Resolve contact and conversation and add the message row (flushed, not committed)."""
    business = session.get(Business, channel.business_id)
    assert business is not None
    contact = resolve_contact(session, business, msg)
    conv = open_conversation(session, business, channel, contact, msg.sender_id, msg.network)
    edit_of = find_inbound(session, channel.id, msg.edit_of) if msg.edit_of else None
    assert conv.id is not None
    row = Message(
        business_id=business.id,  # type: ignore[arg-type]
        conversation_id=conv.id,
        channel_id=channel.id,
        direction=Direction.IN,
        provider_message_id=msg.provider_message_id,
        kind="edit" if msg.edit_of else str(msg.kind),
        text=msg.text,
        payload=msg.button_payload,
        attachments=[asdict(a) for a in msg.attachments],
        latitude=msg.location.latitude if msg.location else None,
        longitude=msg.location.longitude if msg.location else None,
        raw=_raw_with_extras(msg),
        status=MessageStatus.IGNORED if msg.edit_of else MessageStatus.RECEIVED,
        edit_of_id=edit_of,
    )
    session.add(row)
    if not msg.edit_of:
        conv.last_inbound_at = utcnow()
        conv.updated_at = utcnow()
    session.flush()
    return row


def _raw_with_extras(msg: InboundMessage) -> dict[str, object]:
    raw: dict[str, object] = {"provider": no_nul(dict(msg.raw))} if msg.raw else {}
    if msg.location:
        raw["location"] = asdict(msg.location)
    if msg.contact:
        raw["shared_contact"] = asdict(msg.contact)
    if msg.ack_token:
        raw["ack_token"] = msg.ack_token
    if msg.sender_name:
        raw["sender_name"] = msg.sender_name
    return raw


def no_nul(value: Any) -> Any:
    """The provider payload without NUL characters (PostgreSQL text cannot hold them)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {no_nul(str(k)): no_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [no_nul(v) for v in value]
    return value


def apply_status(rt: Runtime, channel: Channel, update: StatusUpdate) -> int:
    """Record a provider's delivery report on our outbound message; never move backwards."""
    with session_scope(rt.engine) as session:
        row = session.exec(
            select(Message).where(
                Message.channel_id == channel.id,
                Message.direction == Direction.OUT,
                Message.provider_message_id == update.provider_message_id,
            )
        ).first()
        if row is None:
            log.debug("status for unknown message", extra={"channel_id": channel.id})
            return 0
        new = _status_of(update.status)
        if new == MessageStatus.FAILED:
            row.status = new
            row.error_code = update.error_code
            row.error_message = update.error_message
            if update.error_code in WINDOW_CLOSED_CODES:
                _tell_staff_window_closed(rt, session, row, update.error_code)
        elif _STATUS_RANK.get(new, 0) > _STATUS_RANK.get(row.status, 99):
            row.status = new
        row.updated_at = utcnow()
        conv_id = row.conversation_id
    publish(rt.redis, conversation_topic(conv_id))
    return 1


def _tell_staff_window_closed(rt: Runtime, session: Session, row: Message, code: str) -> None:
    """The provider refused a free-form WhatsApp message outside the 24 h window: staff must
    know, or the customer never hears back."""
    conv = session.get(Conversation, row.conversation_id)
    if conv is not None:
        request_handoff(
            rt, session, conv, f"whatsapp window closed: provider refused message {row.id} ({code})"
        )


def _status_of(status: str) -> MessageStatus:
    if status in ("failed", "undelivered"):
        return MessageStatus.FAILED
    if status in ("sent", "delivered", "read"):
        return MessageStatus(status)
    return MessageStatus.SENDING
