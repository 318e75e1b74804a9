"""Everything stored about one contact, as one JSON document (the right of access).

Profile facts come with the message they were learnt from, consents with their full history,
and every message, booking, handoff and scheduled message of the contact's conversations,
their satisfaction ratings, unanswered questions and A/B test exposures.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from gateway.store import consent
from gateway.store.inbox import inbox_of
from gateway.store.models import (
    AbExposure,
    Appointment,
    Business,
    Contact,
    ContactIdentity,
    Conversation,
    CsatRating,
    DataRequest,
    DeclinedQuestion,
    Handoff,
    IntakeCase,
    Lead,
    Message,
    ProfileFact,
    Reservation,
    ScheduledMessage,
    StaffNote,
    Viewing,
    utcnow,
)

FORMAT = "switchboard.contact-export/1"
RECORDS: dict[str, Any] = {
    "appointments": Appointment,
    "reservations": Reservation,
    "viewings": Viewing,
    "leads": Lead,
    "intake_cases": IntakeCase,
}
_SKIP = {"password_hash", "credentials_encrypted"}


def _plain(row: SQLModel) -> dict[str, Any]:
    data = row.model_dump(mode="json")
    return {k: v for k, v in data.items() if k not in _SKIP}


def _of_contact(session: Session, table: Any, business_id: int, contact_id: int) -> list[Any]:
    return list(
        session.exec(
            select(table)
            .where(table.business_id == business_id, table.contact_id == contact_id)
            .order_by(col(table.id))
        ).all()
    )


def contact_document(session: Session, business: Business, contact: Contact) -> dict[str, Any]:
    """The export document of one contact (plain JSON types only)."""
    assert business.id is not None and contact.id is not None
    bid, cid = business.id, contact.id
    convs = _of_contact(session, Conversation, bid, cid)
    conv_ids = [c.id for c in convs]
    messages = list(
        session.exec(
            select(Message)
            .where(Message.business_id == bid, col(Message.conversation_id).in_(conv_ids))
            .order_by(col(Message.id))
        ).all()
    )
    texts = {m.id: m.text for m in messages}
    facts = []
    for fact in _of_contact(session, ProfileFact, bid, cid):
        entry = _plain(fact)
        with contextlib.suppress(ValueError):
            entry["value"] = json.loads(fact.value)  # facts are stored as JSON values
        entry["source_text"] = texts.get(fact.source_message_id)
        facts.append(entry)
    handoffs = list(
        session.exec(
            select(Handoff)
            .where(Handoff.business_id == bid, col(Handoff.conversation_id).in_(conv_ids))
            .order_by(col(Handoff.id))
        ).all()
    )
    state = consent.current(session, bid, cid)
    return {
        "format": FORMAT,
        "exported_at": utcnow().isoformat(),
        "business": {"slug": business.slug, "name": business.name},
        "contact": _plain(contact),
        "identities": [_plain(r) for r in _of_contact(session, ContactIdentity, bid, cid)],
        "profile_facts": facts,
        "conversations": [_plain(c) for c in convs],
        "messages": [_plain(m) for m in messages],
        "inbox": [_plain(r) for r in inbox_of(session, bid, convs)],
        "bookings": {
            name: [_plain(r) for r in _of_contact(session, table, bid, cid)]
            for name, table in RECORDS.items()
        },
        "consents": {
            "current": [
                {"network": n, "purpose": p, "granted": g} for (n, p), g in sorted(state.items())
            ],
            "history": [_plain(e) for e in consent.history(session, bid, cid)],
        },
        "handoffs": [_plain(h) for h in handoffs],
        "staff_notes": [
            _plain(n)
            for n in session.exec(
                select(StaffNote)
                .where(StaffNote.business_id == bid, col(StaffNote.conversation_id).in_(conv_ids))
                .order_by(col(StaffNote.id))
            ).all()
        ],
        "scheduled_messages": [_plain(s) for s in _of_contact(session, ScheduledMessage, bid, cid)],
        "csat_ratings": [_plain(r) for r in _of_contact(session, CsatRating, bid, cid)],
        "unanswered_questions": [
            _plain(q) for q in _of_contact(session, DeclinedQuestion, bid, cid)
        ],
        "experiments": [_plain(x) for x in _of_contact(session, AbExposure, bid, cid)],
    }


def export_contact(session: Session, business: Business, contact: Contact, via: str) -> Any:
    """The export document, with an audit record of the request (no personal data in it)."""
    assert business.id is not None
    doc = contact_document(session, business, contact)
    session.add(
        DataRequest(
            business_id=business.id,
            kind="export",
            contact_id=contact.id,
            via=via[:32],
            counts={"messages": len(doc["messages"]), "facts": len(doc["profile_facts"])},
        )
    )
    return doc
