"""Profile facts in the database, as `flows.memory.Fact` values (the value column holds JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, delete, select

from flows.memory import Fact
from gateway.store.models import Contact, ProfileFact, utcnow


def load_facts(session: Session, contact: Contact) -> list[Fact]:
    """Every fact we keep about a contact (of this contact's business only)."""
    rows = session.exec(
        select(ProfileFact).where(
            ProfileFact.business_id == contact.business_id,
            ProfileFact.contact_id == contact.id,
        )
    ).all()
    return [
        Fact(
            key=row.key,
            value=json.loads(row.value),
            confidence=row.confidence,
            source_message_id=str(row.source_message_id) if row.source_message_id else None,
            at=row.updated_at,
        )
        for row in rows
    ]


def save_facts(session: Session, contact: Contact, facts: Iterable[Fact]) -> int:
    """Upsert facts by key; returns how many rows changed."""
    assert contact.id is not None
    existing = {
        row.key: row
        for row in session.exec(
            select(ProfileFact).where(
                ProfileFact.business_id == contact.business_id,
                ProfileFact.contact_id == contact.id,
            )
        ).all()
    }
    changed = 0
    for fact in facts:
        value = json.dumps(fact.value, ensure_ascii=False, sort_keys=True)
        row = existing.get(fact.key)
        source = int(fact.source_message_id) if fact.source_message_id else None
        if row is None:
            row = ProfileFact(
                business_id=contact.business_id, contact_id=contact.id, key=fact.key, value=value
            )
        elif row.value == value and row.confidence == fact.confidence:
            continue
        row.value, row.confidence, row.source_message_id = value, fact.confidence, source
        row.updated_at = utcnow()
        session.add(row)
        changed += 1
    return changed


def delete_facts(session: Session, contact: Contact, keys: Sequence[str] | None) -> None:
    """Delete some facts (by key) or, with None, every fact of the contact."""
    stmt = delete(ProfileFact).where(
        col(ProfileFact.business_id) == contact.business_id,
        col(ProfileFact.contact_id) == contact.id,
    )
    if keys is not None:
        stmt = stmt.where(col(ProfileFact.key).in_(list(keys)))
    session.execute(stmt)
