"""Delivering one stored reply (`tasks.SEND_OUTBOUND`).

`send_outbound` claims a row, checks consent (after STOP only the keyword answers go out on
SMS; proactive messages are held back on the other networks) and the WhatsApp 24-hour window
(outside it the channel's approved template for the draft's purpose is sent instead, or the row
fails and staff are told), takes a token from the channel's rate limit (re-scheduling the send
when there is none), then calls the provider; failures retry with backoff or the provider's
retry-after.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from channels.base import (
    Attachment,
    Button,
    Location,
    Network,
    OutboundMessage,
    SendError,
    TemplateRef,
)
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.handoff.requests import request_handoff
from gateway.messaging import ratelimit
from gateway.messaging.live import business_topic, conversation_topic, publish
from gateway.messaging.outbound import DEFAULT_PURPOSE, template_json
from gateway.messaging.providers import channel_config, provider_for
from gateway.store import consent
from gateway.store.models import (
    Business,
    Channel,
    Contact,
    Conversation,
    Direction,
    Message,
    MessageStatus,
    utcnow,
)
from gateway.worker import tasks
from gateway.worker.queueing import enqueue_in

log = logging.getLogger(__name__)

SENDING_LEASE = timedelta(seconds=120)
OPTED_OUT = "opted_out"
WINDOW_CLOSED = "window_closed"
# Provider codes: a free-form WhatsApp message outside the window; a recipient who opted out.
WINDOW_CLOSED_CODES = frozenset({"63016", "131047"})
PROVIDER_OPTED_OUT_CODES = frozenset({"21610"})
HUMAN_AUTHORS = frozenset({"staff"})


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


def _release(rt: Runtime, message_id: int) -> None:
    """Give a claimed row back (pending, the attempt not counted): it was only throttled."""
    with session_scope(rt.engine) as session:
        session.execute(
            update(Message)
            .where(col(Message.id) == message_id, col(Message.status) == MessageStatus.SENDING)
            .values(
                status=MessageStatus.PENDING, attempts=Message.attempts - 1, updated_at=utcnow()
            )
        )


def _to_wire(row: Message, conv: Conversation) -> OutboundMessage:
    location = None
    if row.latitude is not None and row.longitude is not None:
        names = row.annotations.get("location") or {}
        location = Location(
            latitude=row.latitude,
            longitude=row.longitude,
            name=names.get("name"),
            address=names.get("address"),
        )
    template = None
    if row.template:
        template = TemplateRef(
            name=row.template["name"],
            language=row.template.get("language", "en"),
            variables=tuple(str(v) for v in row.template.get("variables", ())),
        )
    return OutboundMessage(
        recipient_id=conv.address,
        network=Network(conv.network),
        text=row.text,
        buttons=tuple(
            Button(id=b["id"], title=b["title"], description=b.get("description"))
            for b in row.buttons
        ),
        attachments=tuple(Attachment(**a) for a in row.attachments),
        location=location,
        template=template,
    )


@dataclass(frozen=True)
class _Refusal:
    code: str
    reason: str
    tell_staff: bool = False


def is_proactive(row: Message) -> bool:
    """A message the customer did not prompt: marked so, or a bot message answering nothing."""
    if row.annotations.get("proactive") is True:
        return True
    return row.reply_to_id is None and row.author not in HUMAN_AUTHORS


def _consent_refusal(session: Session, row: Message, conv: Conversation) -> _Refusal | None:
    """After STOP: nothing but keyword answers on SMS; no proactive messages elsewhere."""
    if row.annotations.get("keyword"):
        return None
    if not consent.is_opted_out(session, conv.business_id, conv.contact_id, conv.network):
        return None
    if conv.network == Network.SMS or is_proactive(row):
        return _Refusal(OPTED_OUT, "opted out")
    return None


def _window_template(
    session: Session, row: Message, conv: Conversation, channel: Channel
) -> TemplateRef | _Refusal | None:
    """Outside the WhatsApp 24 h window: the approved template to send instead, or a refusal.

    None means the row may go out as it is (not WhatsApp, inside the window, already a template).
    """
    if conv.network != Network.WHATSAPP or row.template:
        return None
    if consent.whatsapp_window_open(conv.last_inbound_at):
        return None
    purpose = str(row.annotations.get("purpose") or DEFAULT_PURPOSE)
    configured = _template_setting(channel.settings, purpose)
    if configured is None:
        return _Refusal(
            WINDOW_CLOSED,
            f"whatsapp window closed: the customer last wrote more than 24 h ago and no "
            f"approved template is configured for {purpose!r} (channel settings.templates)",
            tell_staff=True,
        )
    index = (row.annotations.get("part") or [0, 1])[0]
    if index:
        return _Refusal(
            WINDOW_CLOSED,
            f"whatsapp window closed: the template {configured['name']!r} was sent in place of "
            "this reply's first part",
        )
    return TemplateRef(
        name=configured["name"],
        language=configured["language"],
        variables=_template_variables(session, configured["variables"], row, conv),
    )


def _template_setting(settings: Mapping[str, Any], purpose: str) -> dict[str, Any] | None:
    templates = settings.get("templates")
    if not isinstance(templates, dict):
        return None
    entry = templates.get(purpose) or templates.get("default")
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
        return None
    variables = entry.get("variables") or []
    return {
        "name": entry["name"],
        "language": str(entry.get("language") or "en"),
        "variables": [str(v) for v in variables] if isinstance(variables, list) else [],
    }


def _template_variables(
    session: Session, patterns: list[str], row: Message, conv: Conversation
) -> tuple[str, ...]:
    """Fill `{name}`, `{business}` and `{text}` in the configured variables."""
    contact = session.get(Contact, conv.contact_id)
    business = session.get(Business, conv.business_id)
    values = {
        "name": (contact.display_name if contact else None) or "",
        "business": business.name if business else "",
        "text": row.text,
    }
    out = []
    for pattern in patterns:
        try:
            out.append(pattern.format(**values))
        except (KeyError, IndexError, ValueError):
            out.append(pattern)
    return tuple(out)


def _refuse(
    rt: Runtime, session: Session, row: Message, conv: Conversation, refusal: _Refusal
) -> None:
    row.status = MessageStatus.FAILED
    row.error_code = refusal.code
    row.error_message = refusal.reason[:500]
    row.updated_at = utcnow()
    if refusal.tell_staff:
        _tell_staff(rt, session, conv, refusal.reason[:200])
    log.warning(
        "outbound refused",
        extra={
            "business_id": row.business_id,
            "conversation_id": row.conversation_id,
            "message_id": row.id,
            "code": refusal.code,
        },
    )


def send_outbound(rt: Runtime, message_id: int) -> str:
    """Deliver one stored reply through its provider; returns what happened to the row."""
    if not _claim(rt, message_id):
        return "skipped"
    with session_scope(rt.engine) as session:
        row = session.get(Message, message_id)
        assert row is not None
        conv = session.get(Conversation, row.conversation_id)
        channel = session.get(Channel, row.channel_id)
        assert conv is not None and channel is not None
        refusal = _consent_refusal(session, row, conv)
        template = None if refusal else _window_template(session, row, conv, channel)
        if isinstance(template, _Refusal):
            refusal = template
        if refusal is not None:
            _refuse(rt, session, row, conv, refusal)
        elif isinstance(template, TemplateRef):
            row.template = template_json(template)
            row.kind = "template"
            row.annotations = {**row.annotations, "window": "closed: sent as template"}
        wire = _to_wire(row, conv)
        if row.template:
            wire = replace(wire, text="", buttons=(), attachments=(), location=None)
        attempts = row.attempts
        business_id, conversation_id = row.business_id, row.conversation_id
    if refusal is not None:
        publish(rt.redis, conversation_topic(conversation_id), business_topic(business_id))
        return "refused"
    limits = ratelimit.limits_for(provider_for(channel), channel.settings)
    wait = ratelimit.acquire(rt.redis, channel.id, conv.address, limits, rt.settings.queue_prefix)
    if wait > 0:
        _release(rt, message_id)
        _schedule(rt, message_id, wait, "t")
        return "throttled"
    try:
        result = provider_for(channel).send(wire, channel_config(rt.settings, channel))
    except SendError as exc:
        return _after_failure(rt, message_id, attempts, exc)
    with session_scope(rt.engine) as session:
        row = session.get(Message, message_id)
        assert row is not None
        row.provider_message_id = result.provider_message_ids[0]
        if len(result.provider_message_ids) > 1:
            row.annotations = {**row.annotations, "more_ids": list(result.provider_message_ids)}
        row.status = MessageStatus.SENT
        row.sent_at = row.updated_at = utcnow()
        row.error_code = row.error_message = None
    _log("outbound sent", row, channel)
    publish(rt.redis, conversation_topic(row.conversation_id), business_topic(row.business_id))
    return "sent"


def _schedule(rt: Runtime, message_id: int, delay: float, tag: str) -> None:
    enqueue_in(
        rt.queue("outbound"),
        delay,
        tasks.SEND_OUTBOUND,
        f"out-{message_id}-{tag}{int(time.time() * 1000)}",
        {"message_id": message_id},
    )


def _after_failure(rt: Runtime, message_id: int, attempts: int, exc: SendError) -> str:
    retry = exc.retryable and attempts < rt.settings.send_max_attempts
    with session_scope(rt.engine) as session:
        row = session.get(Message, message_id)
        assert row is not None
        row.status = MessageStatus.PENDING if retry else MessageStatus.FAILED
        row.error_code = exc.code
        row.error_message = str(exc)[:500]
        row.updated_at = utcnow()
        if not retry:
            _after_final_failure(rt, session, row, exc.code)
    if retry:
        delay = exc.retry_after if exc.retry_after is not None else min(2.0**attempts, 300.0)
        _schedule(rt, message_id, delay, f"r{attempts}-")
        log.warning(
            "send failed, will retry",
            extra={"message_id": message_id, "code": exc.code, "delay": delay},
        )
        return "retrying"
    log.error("send failed for good", extra={"message_id": message_id, "code": exc.code})
    publish(rt.redis, conversation_topic(row.conversation_id), business_topic(row.business_id))
    return "failed"


def _after_final_failure(rt: Runtime, session: Session, row: Message, code: str | None) -> None:
    """Act on what the provider's code tells us: staff must pick up a closed window; a
    provider-side opt-out is recorded so we stop trying."""
    conv = session.get(Conversation, row.conversation_id)
    if conv is None or code is None:
        return
    if code in WINDOW_CLOSED_CODES:
        _tell_staff(rt, session, conv, f"whatsapp window closed: provider refused ({code})")
    elif code in PROVIDER_OPTED_OUT_CODES:
        consent.opt_out(
            session, conv.business_id, conv.contact_id, conv.network, f"provider:{code}"
        )


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


def _tell_staff(rt: Runtime, session: Session, conv: Conversation, reason: str) -> None:
    """Hand the conversation to a person because a message could not go out."""
    request_handoff(rt, session, conv, reason)
