"""What the console shows, read from the database: the inbox, a transcript, live events.

Every query filters on the business it is given (the signed-in staff member's).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import url_for
from sqlmodel import Session, col, select

from gateway.console.filters import InboxFilter, narrow, narrow_handoffs, unread
from gateway.console.wording import display_name, reason_text, state_text, status_text
from gateway.handoff.requests import OPEN_STATUSES, open_handoff
from gateway.handoff.summary import priority_label
from gateway.store.models import Contact, Conversation, Direction, Handoff, Message, StaffUser

TRANSCRIPT = 200
"""The most messages a conversation page shows."""


def inbox_items(
    db: Session, business_id: int, f: InboxFilter | None = None, staff_id: int | None = None
) -> list[dict[str, Any]]:
    """The open handoffs of a business as plain dicts (the page and the live stream share it)."""
    stmt = (
        select(Handoff, Conversation, Contact)
        .join(Conversation, col(Conversation.id) == col(Handoff.conversation_id))
        .join(Contact, col(Contact.id) == col(Conversation.contact_id))
        .where(
            Handoff.business_id == business_id,
            Conversation.business_id == business_id,
            Contact.business_id == business_id,
            col(Handoff.status).in_(OPEN_STATUSES),
        )
        .order_by(col(Handoff.priority).desc(), col(Handoff.created_at), col(Handoff.id))
    )
    rows = db.exec(narrow_handoffs(stmt, f or InboxFilter(), business_id, staff_id)).all()
    staff_emails = dict(
        db.exec(
            select(StaffUser.id, StaffUser.email).where(StaffUser.business_id == business_id)
        ).all()
    )
    items = []
    for handoff, conv, contact in rows:
        last = db.exec(
            select(Message.text)
            .where(
                Message.business_id == business_id,
                Message.conversation_id == conv.id,
                Message.direction == Direction.IN,
            )
            .order_by(col(Message.id).desc())
        ).first()
        items.append(
            {
                "conversation_id": conv.id,
                "handoff_id": handoff.id,
                "who": display_name(db, contact),
                "network": conv.network,
                "reason": reason_text(handoff.reason),
                "priority": handoff.priority,
                "priority_label": priority_label(handoff.priority),
                "status": status_text(handoff.status),
                "assigned": staff_emails.get(handoff.assigned_to) if handoff.assigned_to else None,
                "since": _iso(handoff.created_at),
                "last": (last or "")[:160],
                "unread": unread(db, business_id, conv.id or 0),
                "vip": any(str(s).lower() == "vip" for s in contact.segments or []),
                "url": url_for("console.conversation", conv_id=conv.id),
            }
        )
    return items


def recent_conversations(
    db: Session, business_id: int, f: InboxFilter | None = None
) -> list[dict[str, Any]]:
    """The business's latest conversations (channel and search filters apply)."""
    stmt = (
        select(Conversation, Contact)
        .join(Contact, col(Contact.id) == col(Conversation.contact_id))
        .where(Conversation.business_id == business_id, Contact.business_id == business_id)
        .order_by(col(Conversation.updated_at).desc())
        .limit(20)
    )
    rows = db.exec(narrow(stmt, f or InboxFilter(), business_id)).all()
    return [
        {
            "conversation_id": conv.id,
            "who": display_name(db, contact),
            "network": conv.network,
            "state": state_text(conv.state),
            "updated": _iso(conv.updated_at),
            "url": url_for("console.conversation", conv_id=conv.id),
        }
        for conv, contact in rows
    ]


def transcript(db: Session, conv: Conversation, after: int) -> list[dict[str, Any]]:
    """The conversation's messages (the latest ones) as plain dicts, oldest first."""
    rows = db.exec(
        select(Message)
        .where(
            Message.business_id == conv.business_id,
            Message.conversation_id == conv.id,
            col(Message.id) > after,
            Message.kind != "edit",
        )
        .order_by(col(Message.id).desc())
        .limit(TRANSCRIPT)
    ).all()
    return [
        {
            "id": m.id,
            "direction": str(m.direction),
            "author": _author(m),
            "text": m.text or f"[{m.kind}]",
            "status": m.status,
            "at": _iso(m.created_at),
        }
        for m in reversed(rows)
    ]


def _author(m: Message) -> str:
    if m.direction == Direction.IN:
        return "customer"
    return "staff" if m.author.startswith("staff:") else m.author


def fact_text(raw: str) -> str:
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _iso(when: datetime | None) -> str:
    return when.isoformat() if when else ""


def conversation_events(
    db: Session, business_id: int, conv_id: int, after: int, seen: dict[int, str]
) -> list[str]:
    conv = db.exec(
        select(Conversation).where(
            Conversation.id == conv_id, Conversation.business_id == business_id
        )
    ).first()
    if conv is None:
        return []
    out = []
    for item in transcript(db, conv, after):
        if seen.get(item["id"]) == item["status"]:
            continue
        seen[item["id"]] = item["status"]
        out.append(f"event: message\ndata: {json.dumps(item)}\n\n")
    return out


def state_json(db: Session, business_id: int, conv_id: int) -> str:
    conv = db.exec(
        select(Conversation).where(
            Conversation.id == conv_id, Conversation.business_id == business_id
        )
    ).first()
    handoff = open_handoff(db, conv) if conv else None
    return json.dumps(
        {
            "state": state_text(conv.state) if conv else None,
            "handoff": status_text(handoff.status) if handoff else None,
        }
    )
