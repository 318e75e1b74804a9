"""The summary a person reads when taking over: who, what they want, mood, what the bot did."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from gateway.bot.escalation import (
    business_zone,
)
from gateway.store.models import (
    Appointment,
    Business,
    Contact,
    Conversation,
    Direction,
    IntakeCase,
    Lead,
    Message,
    ProfileFact,
    Reservation,
    Viewing,
)

LAST_MESSAGES = 8
PRIORITY_LABELS = {1: "normal", 2: "high", 3: "urgent"}
_QUIET_INTENTS = {"greeting", "thanks", "goodbye", "affirm", "deny", "unknown", "human"}


def build_summary(session: Session, conv: Conversation, reason: str = "") -> str:
    """Plain text for the person taking over: who, what they want, mood, what the bot did, last
    messages."""
    contact = session.get(Contact, conv.contact_id)
    lines: list[str] = []
    if reason:
        lines.append(f"Why: {reason.replace('_', ' ')}")
    lines.append("Who: " + _who(session, conv, contact))
    recent = _recent_messages(session, conv, LAST_MESSAGES * 2)
    inbound = [m for m in recent if m.direction == Direction.IN]
    wants = _wants(inbound)
    if wants:
        lines.append("Wants: " + wants)
    mood = _mood(inbound)
    if mood:
        lines.append("Mood: " + mood)
    done = _bot_did(session, conv)
    lines.append("Bot already did: " + ("; ".join(done) if done else "nothing booked or recorded"))
    lines.append("Last messages:")
    for m in recent[-LAST_MESSAGES:]:
        lines.append(f"  {_speaker(m)}: {_clip(m.text or '[' + m.kind + ']', 200)}")
    return "\n".join(lines)


def _who(session: Session, conv: Conversation, contact: Contact | None) -> str:
    if contact is None:
        return f"unknown contact on {conv.network}"
    parts = [contact.display_name or "name unknown", f"via {conv.network}"]
    if contact.phone:
        parts.append(contact.phone)
    if contact.language or conv.language:
        parts.append(f"speaks {conv.language or contact.language}")
    if contact.segments:
        parts.append("segments: " + ", ".join(contact.segments))
    facts = session.exec(
        select(ProfileFact)
        .where(ProfileFact.business_id == conv.business_id, ProfileFact.contact_id == contact.id)
        .order_by(col(ProfileFact.key))
    ).all()
    known = [f"{f.key}={_fact_text(f.value)}" for f in facts if f.key != "language"]
    text = ", ".join(parts)
    return text + (" | knows: " + "; ".join(known) if known else "")


def _fact_text(raw: str) -> str:
    try:
        value = json.loads(raw)
    except ValueError:
        return _clip(raw, 60)
    if isinstance(value, list):
        return _clip(", ".join(str(v) for v in value), 60)
    return _clip(str(value), 60)


def _recent_messages(session: Session, conv: Conversation, limit: int) -> list[Message]:
    rows = session.exec(
        select(Message)
        .where(
            Message.business_id == conv.business_id,
            Message.conversation_id == conv.id,
            Message.kind != "edit",
        )
        .order_by(col(Message.id).desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def _wants(inbound: list[Message]) -> str:
    intents: list[str] = []
    entities: list[str] = []
    for m in inbound[-5:]:
        ann = m.annotations or {}
        intent = ann.get("intent")
        if isinstance(intent, str) and intent not in _QUIET_INTENTS and intent not in intents:
            intents.append(intent)
        for ent in ann.get("entities") or []:
            if isinstance(ent, dict) and ent.get("kind") and ent.get("text"):
                item = f'{ent["kind"]} "{_clip(str(ent["text"]), 40)}"'
                if item not in entities:
                    entities.append(item)
    parts = []
    if intents:
        parts.append(", ".join(i.replace("_", " ") for i in intents))
    if entities:
        parts.append("mentioned " + ", ".join(entities[:6]))
    return "; ".join(parts)


def _mood(inbound: list[Message]) -> str:
    readings = [m.annotations for m in inbound[-5:] if m.annotations]
    if not readings:
        return ""
    frustration = max(float(a.get("frustration", 0.0) or 0.0) for a in readings)
    urgency = max(float(a.get("urgency", 0.0) or 0.0) for a in readings)
    sentiment = float(readings[-1].get("sentiment", 0.0) or 0.0)
    words = []
    if frustration >= 0.7:
        words.append("frustrated")
    elif frustration >= 0.4:
        words.append("annoyed")
    if urgency >= 0.6:
        words.append("urgent")
    if not words:
        words.append("negative" if sentiment < -0.3 else "positive" if sentiment > 0.3 else "calm")
    return (
        f"{', '.join(words)} (frustration {frustration:.2f}, urgency {urgency:.2f}, "
        f"sentiment {sentiment:+.2f})"
    )


def _bot_did(session: Session, conv: Conversation) -> list[str]:
    biz, contact_id = conv.business_id, conv.contact_id
    business = session.get(Business, biz)
    tz = business_zone(business) if business else UTC

    def at(when: datetime) -> str:
        return when.astimezone(tz).strftime("%Y-%m-%d %H:%M")

    done: list[str] = []
    for a in session.exec(
        select(Appointment)
        .where(Appointment.business_id == biz, Appointment.contact_id == contact_id)
        .order_by(col(Appointment.starts_at).desc())
        .limit(3)
    ).all():
        urgent = ", urgent" if a.urgent else ""
        done.append(f"appointment {a.service} {at(a.starts_at)} ({a.status}{urgent})")
    for r in session.exec(
        select(Reservation)
        .where(Reservation.business_id == biz, Reservation.contact_id == contact_id)
        .order_by(col(Reservation.starts_at).desc())
        .limit(3)
    ).all():
        done.append(f"table for {r.party_size} {at(r.starts_at)} ({r.status})")
    for v in session.exec(
        select(Viewing)
        .where(Viewing.business_id == biz, Viewing.contact_id == contact_id)
        .order_by(col(Viewing.starts_at).desc())
        .limit(3)
    ).all():
        done.append(f"viewing of listing {v.listing_id} {at(v.starts_at)}")
    for lead in session.exec(
        select(Lead)
        .where(Lead.business_id == biz, Lead.contact_id == contact_id)
        .order_by(col(Lead.id).desc())
        .limit(2)
    ).all():
        budget = f", budget {lead.budget:,.0f}" if lead.budget else ""
        done.append(f"lead {lead.operation or '?'} score {lead.score}{budget} ({lead.status})")
    for case in session.exec(
        select(IntakeCase)
        .where(IntakeCase.business_id == biz, IntakeCase.contact_id == contact_id)
        .order_by(col(IntakeCase.id).desc())
        .limit(2)
    ).all():
        court = f", court date {case.court_date:%Y-%m-%d}" if case.court_date else ""
        text = f"intake {case.practice_area} ({case.priority}{court})"
        if case.summary:
            text += ": " + _clip(case.summary, 160)
        done.append(text)
    return done


def _speaker(m: Message) -> str:
    if m.direction == Direction.IN:
        return "Customer"
    if m.author.startswith("staff:"):
        return "Staff"
    return "Bot"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def priority_label(priority: int) -> str:
    """A word for a priority number."""
    return PRIORITY_LABELS.get(priority, "urgent" if priority > 3 else "normal")
