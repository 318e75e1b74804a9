"""Replies: stored first, then delivered by a job with retries, backoff and a claim on the row."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col

from channels.base import (
    Attachment,
    Button,
    Location,
    OutboundMessage,
    SendError,
    TemplateRef,
)
from gateway.channel_config import channel_config, provider_for
from gateway.db import session_scope
from gateway.live import business_topic, conversation_topic, publish
from gateway.models import (
    Channel,
    Conversation,
    Direction,
    Message,
    MessageStatus,
    utcnow,
)
from gateway.queueing import enqueue_in, safe_enqueue
from gateway.runtime import Runtime
from gateway.text import split_text

log = logging.getLogger(__name__)

SEND_OUTBOUND = "gateway.jobs.send_outbound"
SENDING_LEASE = timedelta(seconds=120)


@dataclass(frozen=True)
class Draft:
    """A reply to store: text plus the optional features a channel may render."""

    text: str
    buttons: tuple[Button, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    location: Location | None = None
    template: TemplateRef | None = None


def store_replies(
    session: Session,
    conv: Conversation,
    drafts: Sequence[Draft],
    *,
    author: str = "bot",
    reply_to_id: int | None = None,
) -> list[int]:
    """Store replies as pending outbound messages, split to the channel's text limit."""
    channel = session.get(Channel, conv.channel_id)
    assert channel is not None and conv.id is not None
    limit = provider_for(channel).max_text
    ids: list[int] = []
    for draft in drafts:
        parts = split_text(draft.text, limit) or [""]
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            row = Message(
                business_id=conv.business_id,
                conversation_id=conv.id,
                channel_id=conv.channel_id,
                direction=Direction.OUT,
                text=part,
                buttons=[{"id": b.id, "title": b.title} for b in draft.buttons] if last else [],
                attachments=[vars(a) for a in draft.attachments] if index == 0 else [],
                latitude=draft.location.latitude if draft.location and last else None,
                longitude=draft.location.longitude if draft.location and last else None,
                template=vars(draft.template) | {"variables": list(draft.template.variables)}
                if draft.template
                else None,
                status=MessageStatus.PENDING,
                author=author,
                reply_to_id=reply_to_id,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            ids.append(row.id)
    return ids


def enqueue_send(rt: Runtime, message_id: int) -> bool:
    """Ask a worker to deliver a stored outbound message (harmless when repeated)."""
    return safe_enqueue(
        rt.queue("outbound"), SEND_OUTBOUND, f"out-{message_id}", {"message_id": message_id}
    )


def _claim(rt: Runtime, message_id: int) -> bool:
    """Move the row from pending (or a stale sending) to sending; only one worker wins."""
    now = utcnow()
    with session_scope(rt.engine) as session:
        result = session.execute(
            update(Message)
            .where(
                col(Message.id) == message_id,
                col(Message.direction) == Direction.OUT,
                (col(Message.status) == MessageStatus.PENDING)
                | (
                    (col(Message.status) == MessageStatus.SENDING)
                    & (col(Message.updated_at) < now - SENDING_LEASE)
                ),
            )
            .values(status=MessageStatus.SENDING, attempts=Message.attempts + 1, updated_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _to_wire(row: Message, conv: Conversation) -> OutboundMessage:
    location = None
    if row.latitude is not None and row.longitude is not None:
        location = Location(latitude=row.latitude, longitude=row.longitude)
    template = None
    if row.template:
        template = TemplateRef(
            name=row.template["name"],
            language=row.template.get("language", "en"),
            variables=tuple(row.template.get("variables", ())),
        )
    return OutboundMessage(
        recipient_id=conv.address,
        network=conv.network,  # type: ignore[arg-type]
        text=row.text,
        buttons=tuple(Button(id=b["id"], title=b["title"]) for b in row.buttons),
        attachments=tuple(Attachment(**a) for a in row.attachments),
        location=location,
        template=template,
        idempotency_key=f"sb-{row.id}",
    )


def send_outbound(rt: Runtime, message_id: int) -> str:
    """Deliver one stored reply through its provider; returns the row's resulting status."""
    if not _claim(rt, message_id):
        return "skipped"
    with session_scope(rt.engine) as session:
        row = session.get(Message, message_id)
        assert row is not None
        conv = session.get(Conversation, row.conversation_id)
        channel = session.get(Channel, row.channel_id)
        assert conv is not None and channel is not None
        wire = _to_wire(row, conv)
        attempts = row.attempts
    try:
        result = provider_for(channel).send(wire, channel_config(rt.settings, channel))
    except SendError as exc:
        return _after_failure(rt, message_id, attempts, exc)
    with session_scope(rt.engine) as session:
        row = session.get(Message, message_id)
        assert row is not None
        row.provider_message_id = result.provider_message_ids[0]
        row.status = MessageStatus.SENT
        row.sent_at = row.updated_at = utcnow()
    _log("outbound sent", row, channel)
    publish(rt.redis, conversation_topic(row.conversation_id), business_topic(row.business_id))
    return "sent"


def _after_failure(rt: Runtime, message_id: int, attempts: int, exc: SendError) -> str:
    retry = exc.retryable and attempts < rt.settings.send_max_attempts
    with session_scope(rt.engine) as session:
        row = session.get(Message, message_id)
        assert row is not None
        row.status = MessageStatus.PENDING if retry else MessageStatus.FAILED
        row.error_code = exc.code
        row.error_message = str(exc)[:500]
        row.updated_at = utcnow()
    if retry:
        delay = exc.retry_after if exc.retry_after is not None else min(2.0**attempts, 300.0)
        enqueue_in(
            rt.queue("outbound"),
            delay,
            SEND_OUTBOUND,
            f"out-{message_id}-r{attempts}",
            {"message_id": message_id},
        )
        log.warning(
            "send failed, will retry",
            extra={"message_id": message_id, "code": exc.code, "delay": delay},
        )
        return "retrying"
    log.error("send failed for good", extra={"message_id": message_id, "code": exc.code})
    publish(rt.redis, conversation_topic(row.conversation_id), business_topic(row.business_id))
    return "failed"


def _log(event: str, row: Message, channel: Channel) -> None:
    log.info(
        event,
        extra={
            "business_id": row.business_id,
            "channel_id": channel.id,
            "conversation_id": row.conversation_id,
            "message_id": row.id,
        },
    )
