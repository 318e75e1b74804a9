"""Export and erasure by business slug and contact, in their own transaction (CLI, API, console).

`find_contact` takes a contact id, a phone number or any identity address (a Telegram user, a
web visitor, an e-mail the customer gave as a profile fact).
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from gateway.core.db import session_scope
from gateway.core.errors import NotFound
from gateway.core.runtime import Runtime
from gateway.rights.erase import after_commit, erase_contact
from gateway.rights.export import export_contact
from gateway.store.models import Business, Contact, ContactIdentity, ProfileFact


def business_by_slug(session: Session, slug: str) -> Business:
    """The business with this slug, or NotFound."""
    business = session.exec(select(Business).where(Business.slug == slug)).first()
    if business is None or business.id is None:
        raise NotFound(f"no business {slug!r}")
    return business


def find_contact(session: Session, business: Business, ref: str) -> Contact:
    """The contact of `business` that `ref` names (id, phone, identity address or e-mail)."""
    ref = ref.strip()
    bid = business.id
    found: Contact | None = None
    if ref.isdigit() and len(ref) < 12:
        found = session.get(Contact, int(ref))
    if found is None:
        found = session.exec(
            select(Contact).where(Contact.business_id == bid, Contact.phone == ref)
        ).first()
    if found is None:
        ident = session.exec(
            select(ContactIdentity).where(
                ContactIdentity.business_id == bid, ContactIdentity.address == ref
            )
        ).first()
        fact = session.exec(
            select(ProfileFact).where(
                ProfileFact.business_id == bid,
                col(ProfileFact.value).in_((ref, json.dumps(ref))),  # values are stored as JSON
            )
        ).first()
        owner = ident or fact
        found = session.get(Contact, owner.contact_id) if owner is not None else None
    if found is None or found.business_id != bid:
        raise NotFound(f"no contact {ref!r} in {business.slug}")
    return found


def export(rt: Runtime, slug: str, ref: str, via: str) -> dict[str, Any]:
    """The export document of a contact (an audit record is stored)."""
    with session_scope(rt.engine) as session:
        business = business_by_slug(session, slug)
        doc: dict[str, Any] = export_contact(
            session, business, find_contact(session, business, ref), via
        )
        return doc


def erase(rt: Runtime, slug: str, ref: str, via: str) -> dict[str, int]:
    """Erase a contact; what was removed, by kind."""
    with session_scope(rt.engine) as session:
        business = business_by_slug(session, slug)
        erasure = erase_contact(session, business, find_contact(session, business, ref), via)
    after_commit(rt, erasure)
    return erasure.counts


def erase_by_id(rt: Runtime, contact_id: int, via: str, audit: bool = True) -> dict[str, int]:
    """Erase a contact by id (the second pass after a confirmed chat request: `audit=False`)."""
    with session_scope(rt.engine) as session:
        contact = session.get(Contact, contact_id)
        if contact is None:
            return {}
        business = session.get(Business, contact.business_id)
        assert business is not None
        erasure = erase_contact(session, business, contact, via, audit=audit)
    after_commit(rt, erasure)
    return erasure.counts
