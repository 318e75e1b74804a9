"""The job behind every scheduled row: re-read the row and its booking, apply the policy, send once.

The row is claimed with a conditional UPDATE (pending and due) inside the same transaction that
stores the outbound message and marks the row sent, so two workers never both send it and a
worker killed half-way leaves the row pending for the next attempt. Delivery then takes the
normal outbound path (`store_replies` + `enqueue_send`): channel retries and limits apply.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from channels.base import Network, TemplateRef
from flows.outreach import (
    MARKETING,
    REMINDER,
    Decision,
    Route,
    Situation,
    TemplateChoice,
    decide,
    policy_from_settings,
    zone,
)
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.outbound import Draft, enqueue_send, store_replies
from gateway.outreach import texts
from gateway.outreach.records import RECORD_TYPES, BookingView, load_booking
from gateway.outreach.reminders import sync_reminders
from gateway.outreach.scheduling import PENDING, enqueue_row
from gateway.outreach.segments import refresh_segments
from gateway.store.consent import PURPOSES, allows, whatsapp_window_open
from gateway.store.contacts import open_conversation
from gateway.store.models import (
    Business,
    Channel,
    Contact,
    Conversation,
    ConversationState,
    ScheduledMessage,
    utcnow,
)

log = logging.getLogger(__name__)

SENDING = "sending"
SENT = "sent"
EARLY_TOLERANCE = timedelta(seconds=1)


@dataclass
class Result:
    """What one run did, and what must be enqueued once it is committed."""

    status: str
    send_ids: list[int] = field(default_factory=list)
    reschedule: list[tuple[int, datetime]] = field(default_factory=list)


def run_scheduled(rt: Runtime, scheduled_id: int) -> str:
    """Handle one scheduled row now; returns what happened (sent, deferred, blocked, ...)."""
    now = utcnow()
    with session_scope(rt.engine) as session:
        if _claim(session, scheduled_id, now):
            row = session.get(ScheduledMessage, scheduled_id)
            assert row is not None
            result = handle_row(session, row, now)
        else:
            row = session.get(ScheduledMessage, scheduled_id)
            if row is None:
                return "missing"
            if row.status != PENDING:
                return "done"
            due_at = row.due_at
            result = Result("not due")
    if result.status == "not due":
        enqueue_row(rt, scheduled_id, due_at)  # the row moved later: make sure its job waits
        return result.status
    for message_id in result.send_ids:
        enqueue_send(rt, message_id)
    for row_id, due in result.reschedule:
        enqueue_row(rt, row_id, due)
    log.info(
        "scheduled message handled", extra={"scheduled_id": scheduled_id, "status": result.status}
    )
    return result.status


def _claim(session: Session, scheduled_id: int, now: datetime) -> bool:
    """pending and due -> sending, in this transaction; only one worker's UPDATE matches."""
    result = session.execute(
        update(ScheduledMessage)
        .where(
            col(ScheduledMessage.id) == scheduled_id,
            col(ScheduledMessage.status) == PENDING,
            col(ScheduledMessage.due_at) <= now + EARLY_TOLERANCE,
        )
        .values(status=SENDING)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def handle_row(session: Session, row: ScheduledMessage, now: datetime) -> Result:
    """Apply the policy to one claimed row and store its message (or say why not)."""
    business = session.get(Business, row.business_id)
    contact = session.get(Contact, row.contact_id)
    assert business is not None and contact is not None and row.id is not None
    booking = _booking(session, row)
    if (
        booking is not None
        and booking.active
        and row.kind in (REMINDER, "feedback")
        and row.payload.get("starts_at") != booking.starts_at.isoformat()
    ):
        # The booking moved and nobody re-synced its reminders: do it now.
        row.status = PENDING
        session.flush()
        ids = sync_reminders(session, booking.kind, booking.id)
        session.flush()
        moved = session.exec(
            select(ScheduledMessage.id, ScheduledMessage.due_at).where(
                col(ScheduledMessage.id).in_(ids)
            )
        ).all()
        return Result("moved", reschedule=[(i, d) for i, d in moved if i is not None])
    settings = dict(business.settings)
    tz = zone(contact.timezone, business.timezone)
    purpose = row.purpose if row.purpose in PURPOSES else MARKETING
    if purpose == MARKETING:
        refresh_segments(session, contact.id or 0, now)  # reminders do not depend on segments
    reachable = _reachable(session, row, booking, purpose, now)
    situation = Situation(
        kind=row.kind,
        purpose=purpose,
        due_at=row.due_at,
        now=now,
        timezone=tz,
        record_active=None
        if row.related_type not in RECORD_TYPES
        else bool(booking and booking.active),
        record_label=row.related_type or "booking",
        starts_at=booking.starts_at if booking else None,
        marketing_sent=marketing_sent(session, row, now) if purpose == MARKETING else (),
        routes=tuple(route for route, _ in reachable),
    )
    decision = decide(situation, policy_from_settings(settings))
    convs = {route.channel_id: conv for route, conv in reachable}
    return _apply(session, row, decision, business, contact, booking, tz, convs)


def _booking(session: Session, row: ScheduledMessage) -> BookingView | None:
    if row.related_type in RECORD_TYPES and row.related_id is not None:
        return load_booking(session, row.related_type, row.related_id)
    return None


def marketing_sent(session: Session, row: ScheduledMessage, now: datetime) -> tuple[datetime, ...]:
    """When the contact last received marketing messages (any channel, the last month)."""
    since = now - timedelta(days=31)
    times = session.exec(
        select(ScheduledMessage.sent_at).where(
            ScheduledMessage.business_id == row.business_id,
            ScheduledMessage.contact_id == row.contact_id,
            ScheduledMessage.purpose == MARKETING,
            ScheduledMessage.status == SENT,
            col(ScheduledMessage.sent_at) > since,
        )
    ).all()
    return tuple(t for t in times if t is not None)


def _template_for(channel: Channel, row: ScheduledMessage, purpose: str) -> TemplateChoice | None:
    templates = channel.settings.get("templates")
    if not isinstance(templates, Mapping):
        return None
    wanted = row.payload.get("template")
    entry = templates.get(wanted) if wanted else None
    entry = entry or templates.get(row.kind) or templates.get(purpose)
    if not isinstance(entry, Mapping) or not entry.get("name"):
        return None
    fields = entry.get("variables") or ()
    return TemplateChoice(
        name=str(entry["name"]),
        language=str(entry.get("language", "en")),
        variables=tuple(str(f) for f in fields) if isinstance(fields, list | tuple) else (),
    )


def candidate_conversations(
    session: Session, business_id: int, contact_id: int, preferred: int | None
) -> list[Conversation]:
    """One conversation per channel address, the preferred one first, then the most recent."""
    convs = list(
        session.exec(
            select(Conversation).where(
                Conversation.business_id == business_id, Conversation.contact_id == contact_id
            )
        ).all()
    )
    floor = datetime.min.replace(tzinfo=utcnow().tzinfo)
    convs.sort(key=lambda c: (c.id != preferred, -(c.last_inbound_at or floor).timestamp()))
    seen: dict[tuple[str, str], Conversation] = {}
    for conv in convs:
        seen.setdefault((conv.channel_id, conv.address), conv)
    return list(seen.values())


def routes_for(
    session: Session,
    row: ScheduledMessage,
    booking: BookingView | None,
    purpose: str,
    now: datetime,
) -> list[Route]:
    """Every channel the contact can be reached on, with consent, window and template."""
    return [route for route, _ in _reachable(session, row, booking, purpose, now)]


def _reachable(
    session: Session,
    row: ScheduledMessage,
    booking: BookingView | None,
    purpose: str,
    now: datetime,
) -> list[tuple[Route, Conversation]]:
    preferred = (booking.conversation_id if booking else None) or row.conversation_id
    convs = candidate_conversations(session, row.business_id, row.contact_id, preferred)
    routes: list[tuple[Route, Conversation]] = []
    for conv in convs:
        channel = session.get(Channel, conv.channel_id)
        if channel is None:
            continue
        last_in = _last_inbound(session, conv)
        route = Route(
            channel_id=conv.channel_id,
            network=conv.network,
            consent=allows(session, row.business_id, row.contact_id, conv.network, purpose),
            window_open=whatsapp_window_open(last_in, now),
            template=_template_for(channel, row, purpose),
        )
        routes.append((route, conv))
    return routes


def _last_inbound(session: Session, conv: Conversation) -> datetime | None:
    if conv.network != Network.WHATSAPP:
        return conv.last_inbound_at
    times = session.exec(
        select(Conversation.last_inbound_at).where(
            Conversation.business_id == conv.business_id,
            Conversation.channel_id == conv.channel_id,
            Conversation.address == conv.address,
        )
    ).all()
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _apply(
    session: Session,
    row: ScheduledMessage,
    d: Decision,
    business: Business,
    contact: Contact,
    booking: BookingView | None,
    tz: Any,
    convs: Mapping[str, Conversation],
) -> Result:
    assert row.id is not None
    row.status_reason = d.reason or None
    if d.action == "defer":
        assert d.at is not None
        row.status, row.due_at = PENDING, d.at
        return Result("deferred", reschedule=[(row.id, d.at)])
    if d.action in ("cancel", "skip", "block"):
        row.status = {"cancel": "cancelled", "skip": "skipped", "block": "blocked"}[d.action]
        log.info(
            "scheduled message not sent",
            extra={"scheduled_id": row.id, "status": row.status, "reason": d.reason},
        )
        return Result(row.status)
    assert d.route is not None
    conv = convs[d.route.channel_id]
    tone = str(conv.flow_state.get("tone", "casual"))
    if conv.state == ConversationState.CLOSED:
        channel = session.get(Channel, conv.channel_id)
        assert channel is not None
        conv = open_conversation(session, business, channel, contact, conv.address, conv.network)
    language = texts.pick_language(contact.language, conv.language, *business.languages)
    drafts = [_draft(row, business, contact, booking, tz, language, d.template, tone)]
    ids = store_replies(session, conv, drafts, author="outreach")
    row.status, row.sent_at, row.conversation_id = SENT, utcnow(), conv.id
    row.payload = {
        **row.payload,
        "message_ids": ids,
        "channel_id": conv.channel_id,
        "late_seconds": round(d.late_seconds, 3),
        "language": language,
    }
    return Result(SENT, send_ids=ids)


def _draft(
    row: ScheduledMessage,
    business: Business,
    contact: Contact,
    booking: BookingView | None,
    tz: Any,
    language: str,
    template: TemplateChoice | None,
    tone: str = "casual",
) -> Draft:
    when = texts.format_when(booking.starts_at, tz, language) if booking else ""
    outreach = business.settings.get("outreach")
    custom_all = outreach.get("templates") if isinstance(outreach, Mapping) else None
    key = str(row.payload.get("template") or row.payload.get("text_key") or row.kind)
    custom = custom_all.get(key) if isinstance(custom_all, Mapping) else None
    text = texts.render(
        key,
        language,
        business=business.name,
        name=contact.display_name,
        when=when,
        record_kind=booking.kind if booking else "appointment",
        custom=custom if isinstance(custom, Mapping) else None,
        tone=tone,
    )
    buttons = texts.reminder_buttons(row.id or 0, language) if row.kind == REMINDER else ()
    ref = None
    if template is not None:
        values = {"name": contact.display_name or "", "when": when, "business": business.name}
        variables = tuple(values.get(f, "") for f in template.variables)
        ref = TemplateRef(name=template.name, language=template.language, variables=variables)
    return Draft(text=text, buttons=buttons, template=ref, purpose=row.purpose, proactive=True)
