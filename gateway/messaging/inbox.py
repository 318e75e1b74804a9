"""The inbox: the webhook's one write per event, and the worker step that turns it into a message.

The request inserts each parsed event (`INSERT ... ON CONFLICT DO NOTHING`, unique on channel +
provider id, so a redelivery is a no-op) and enqueues `process_inbox`; contact, conversation
and edit resolution run in the worker. The worker claims the row with a conditional update in
the same transaction that adds the message, so a repeated or duplicated job never adds two.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from channels.base import (
    Attachment,
    Event,
    InboundMessage,
    Kind,
    Location,
    Network,
    SharedContact,
    StatusUpdate,
)
from gateway.core.db import is_sqlite, session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.inbound import (
    Accepted,
    apply_status,
    enqueue_side_jobs,
    find_inbound,
    insert_message,
    no_nul,
)
from gateway.messaging.live import business_topic, publish
from gateway.store.models import (
    INBOX_DONE,
    INBOX_PENDING,
    Channel,
    InboxEvent,
    utcnow,
)
from gateway.worker import tasks
from gateway.worker.queueing import safe_enqueue

log = logging.getLogger(__name__)

_INBOX = InboxEvent.__table__  # type: ignore[attr-defined]
_UNIQUE = ["channel_id", "provider_message_id"]
# Built once: executed with a parameter dict, the compiled statement is reused per request.
_INSERT_SQLITE = (
    sqlite_insert(_INBOX).on_conflict_do_nothing(index_elements=_UNIQUE).returning(_INBOX.c.id)
)
_INSERT_PG = pg_insert(_INBOX).on_conflict_do_nothing(index_elements=_UNIQUE).returning(_INBOX.c.id)


def record_events(rt: Runtime, channel: Channel, events: list[Event]) -> Accepted:
    """The request path: every new message in one insert statement each, one commit, enqueues."""
    messages = [e for e in events if isinstance(e, InboundMessage)]
    statuses = sum(apply_status(rt, channel, e) for e in events if isinstance(e, StatusUpdate))
    stored = insert_events(rt, channel, messages) if messages else []
    for inbox_id in stored:
        enqueue_inbox(rt, inbox_id)
    return Accepted(stored=tuple(stored), duplicates=len(messages) - len(stored), statuses=statuses)


def insert_events(rt: Runtime, channel: Channel, messages: list[InboundMessage]) -> list[int]:
    """Insert the events not seen before (one transaction); the new inbox ids."""
    stmt = _INSERT_SQLITE if is_sqlite(rt.engine) else _INSERT_PG
    now = utcnow()
    ids: list[int] = []
    with rt.engine.begin() as conn:
        for msg in messages:
            values = {
                "business_id": channel.business_id,
                "channel_id": channel.id,
                "provider_message_id": msg.provider_message_id,
                "sender_id": msg.sender_id[:255],
                "event": event_json(msg),
                "status": INBOX_PENDING,
                "message_id": None,
                "created_at": now,
            }
            new_id = conn.execute(stmt, values).scalar()
            if new_id is not None:
                ids.append(int(new_id))
    return ids


def enqueue_inbox(rt: Runtime, inbox_id: int) -> bool:
    """Ask a worker to turn an inbox row into a message and process it (harmless repeated)."""
    return safe_enqueue(
        rt.queue("inbound"),
        tasks.PROCESS_INBOX,
        f"inbox-{inbox_id}",
        {"inbox_id": inbox_id},
        fresh=True,  # a new row's id: no job of that id can be waiting (one Redis round trip)
    )


def event_json(msg: InboundMessage) -> dict[str, Any]:
    """The normalized event as JSON (the provider's raw payload kept beside it)."""
    data = {
        "provider_message_id": msg.provider_message_id,
        "sender_id": msg.sender_id,
        "network": str(msg.network),
        "text": msg.text,
        "kind": str(msg.kind),
        "sender_name": msg.sender_name,
        "sender_phone": msg.sender_phone,
        "timestamp": msg.timestamp.isoformat() if msg.timestamp else None,
        "attachments": [asdict(a) for a in msg.attachments],
        "location": asdict(msg.location) if msg.location else None,
        "contact": asdict(msg.contact) if msg.contact else None,
        "button_payload": msg.button_payload,
        "edit_of": msg.edit_of,
        "ack_token": msg.ack_token,
        "raw": dict(msg.raw),
    }
    result: dict[str, Any] = no_nul(data)
    return result


def event_from_json(data: dict[str, Any]) -> InboundMessage:
    """The event `event_json` stored."""
    stamp, loc, shared = data.get("timestamp"), data.get("location"), data.get("contact")
    return InboundMessage(
        provider_message_id=data["provider_message_id"],
        sender_id=data["sender_id"],
        network=Network(data["network"]),
        text=data.get("text") or "",
        kind=Kind(data.get("kind") or Kind.TEXT),
        sender_name=data.get("sender_name"),
        sender_phone=data.get("sender_phone"),
        timestamp=datetime.fromisoformat(stamp) if stamp else None,
        attachments=tuple(Attachment(**a) for a in data.get("attachments") or ()),
        location=Location(**loc) if loc else None,
        contact=SharedContact(**shared) if shared else None,
        button_payload=data.get("button_payload"),
        edit_of=data.get("edit_of"),
        ack_token=data.get("ack_token"),
        raw=data.get("raw") or {},
    )


def materialize(rt: Runtime, inbox_id: int) -> int | None:
    """Turn the inbox row into contact, conversation and message, once; the message's id."""
    for attempt in range(3):
        try:
            return _materialize(rt, inbox_id, retry=attempt > 0)
        except IntegrityError:
            # A concurrent first message of the same contact created it first: try again.
            continue
    return None


def _materialize(rt: Runtime, inbox_id: int, *, retry: bool) -> int | None:
    with session_scope(rt.engine) as session:
        row = session.get(InboxEvent, inbox_id)
        if row is None or row.status != INBOX_PENDING:
            return row.message_id if row is not None else None
        if not _claim(session, inbox_id):
            return None  # another worker holds or finished it
        if not row.event:
            return None  # erased before a worker got to it
        channel = session.get(Channel, row.channel_id)
        assert channel is not None
        msg = event_from_json(row.event)
        existing = find_inbound(session, channel.id, msg.provider_message_id) if retry else None
        message_id = existing if existing is not None else insert_message(session, channel, msg).id
        assert message_id is not None
        session.execute(
            update(InboxEvent)
            .where(InboxEvent.id == inbox_id)  # type: ignore[arg-type]
            .values(message_id=message_id, event={}, sender_id="")
        )
    publish(rt.redis, business_topic(channel.business_id))
    if existing is None:
        enqueue_side_jobs(rt, channel, msg, message_id)
    return message_id


def _claim(session: Session, inbox_id: int) -> bool:
    """The conditional update that makes one worker the owner (the row lock on PostgreSQL)."""
    result = session.execute(
        update(InboxEvent)
        .where(InboxEvent.id == inbox_id, InboxEvent.status == INBOX_PENDING)  # type: ignore[arg-type]
        .values(status=INBOX_DONE)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def materialize_pending(rt: Runtime, batch: int = 500) -> list[int]:
    """Every pending inbox row turned into a message now (the CLI chat and tests); the ids."""
    with session_scope(rt.engine) as session:
        ids = session.exec(
            select(InboxEvent.id)
            .where(InboxEvent.status == INBOX_PENDING)
            .order_by(InboxEvent.id)  # type: ignore[arg-type]
            .limit(batch)
        ).all()
    done = [materialize(rt, i) for i in ids if i is not None]
    return [m for m in done if m is not None]
