"""Who wrote: one contact per person across channels, and their open conversation.

SMS and WhatsApp share the "phone" identity, keyed by the E.164 number (`sender_phone`), so the
same number on both is one contact. A Telegram user who shares their own contact card (the
card's `user_id` is the sender's) is linked to the contact of that phone number: the two
contacts are merged into the one that already had the number.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Table, UniqueConstraint, and_, delete, exists, update
from sqlmodel import Session, SQLModel, col, select

from channels.base import InboundMessage, Network
from gateway.store.models import (
    Business,
    Channel,
    Contact,
    ContactIdentity,
    Conversation,
    ConversationState,
    utcnow,
)

log = logging.getLogger(__name__)

PHONE = "phone"
_IDENTITY_KIND = {
    Network.SMS: PHONE,
    Network.WHATSAPP: PHONE,
    Network.TELEGRAM: "telegram",
    Network.WEBCHAT: "webchat",
}


def identity_kind(network: str) -> str:
    """The identity namespace of a network: SMS and WhatsApp share phone numbers."""
    try:
        return _IDENTITY_KIND.get(Network(network), network)
    except ValueError:
        return network


def identity_address(msg: InboundMessage) -> str:
    """The address a sender is known by: the E.164 number for phone networks."""
    if identity_kind(msg.network) == PHONE and msg.sender_phone:
        return msg.sender_phone
    return msg.sender_id


def find_contact(session: Session, business_id: int, kind: str, address: str) -> Contact | None:
    """The contact known by this address in this business, if any."""
    stmt = (
        select(Contact)
        .join(ContactIdentity, col(ContactIdentity.contact_id) == col(Contact.id))
        .where(
            ContactIdentity.business_id == business_id,
            ContactIdentity.kind == kind,
            ContactIdentity.address == address,
        )
    )
    return session.exec(stmt).first()


def link_identity(session: Session, contact: Contact, kind: str, address: str) -> None:
    """Record that `contact` is also known by this address (no-op when already linked)."""
    assert contact.id is not None
    existing = session.exec(
        select(ContactIdentity).where(
            ContactIdentity.business_id == contact.business_id,
            ContactIdentity.kind == kind,
            ContactIdentity.address == address,
        )
    ).first()
    if existing is None:
        session.add(
            ContactIdentity(
                business_id=contact.business_id, contact_id=contact.id, kind=kind, address=address
            )
        )


def resolve_contact(session: Session, business: Business, msg: InboundMessage) -> Contact:
    """Find or create the contact behind an inbound message, refreshing what we learn."""
    assert business.id is not None
    kind, address = identity_kind(msg.network), identity_address(msg)
    contact = find_contact(session, business.id, kind, address)
    if contact is None:
        contact = Contact(business_id=business.id, display_name=msg.sender_name)
        if kind == PHONE:
            contact.phone = address
        session.add(contact)
        session.flush()
        link_identity(session, contact, kind, address)
    elif msg.sender_name and contact.display_name is None:  # "" is a name erased on request
        contact.display_name = msg.sender_name
    contact.last_seen_at = utcnow()
    shared_phone = own_shared_phone(msg)
    if shared_phone:
        contact = link_phone(session, contact, shared_phone)
    return contact


def own_shared_phone(msg: InboundMessage) -> str | None:
    """The phone of a Telegram contact card the sender shared of themselves, else None."""
    card = msg.contact
    if msg.network != Network.TELEGRAM or card is None or not card.phone:
        return None
    if not card.phone.startswith("+") or card.user_id is None:
        return None  # not an E.164 number, or someone else's card without a Telegram account
    return card.phone if card.user_id == _telegram_user_id(msg.raw) else None


def _telegram_user_id(update: Any) -> str | None:
    if not isinstance(update, dict):
        return None
    message = update.get("message") or update.get("edited_message")
    sender = message.get("from") if isinstance(message, dict) else None
    user_id = sender.get("id") if isinstance(sender, dict) else None
    return str(user_id) if isinstance(user_id, int) and not isinstance(user_id, bool) else None


def link_phone(session: Session, contact: Contact, phone: str) -> Contact:
    """Attach a phone number to `contact`; when another contact has it, merge into that one."""
    assert contact.id is not None
    owner = find_contact(session, contact.business_id, PHONE, phone)
    if owner is None:
        link_identity(session, contact, PHONE, phone)
        contact.phone = contact.phone or phone
        return contact
    if owner.id == contact.id:
        return contact
    merge_contacts(session, keep=owner, drop=contact)
    return owner


def merge_contacts(session: Session, keep: Contact, drop: Contact) -> None:
    """Move everything of `drop` (identities, conversations, facts, consent...) to `keep`.

    Where both have a row that must be unique per contact (a profile fact's key, a consent's
    network and purpose), `keep`'s row wins.
    """
    assert keep.id is not None and drop.id is not None and keep.business_id == drop.business_id
    session.flush()
    for table in SQLModel.metadata.sorted_tables:
        if table.name == Contact.__tablename__ or "contact_id" not in table.c:
            continue
        _drop_conflicts(session, table, keep.id, drop.id)
        session.execute(
            update(table).where(table.c.contact_id == drop.id).values(contact_id=keep.id)
        )
    keep.display_name = keep.display_name or drop.display_name
    keep.language = keep.language or drop.language
    keep.timezone = keep.timezone or drop.timezone
    keep.phone = keep.phone or drop.phone
    keep.last_seen_at = utcnow()
    session.delete(drop)
    session.flush()
    session.expire_all()
    log.info(
        "contacts merged",
        extra={"business_id": keep.business_id, "contact_id": keep.id, "merged_id": drop.id},
    )


def _drop_conflicts(session: Session, table: Table, keep_id: int, drop_id: int) -> None:
    """Delete `drop`'s rows that would collide with `keep`'s under a unique constraint."""
    for constraint in table.constraints:
        if not isinstance(constraint, UniqueConstraint):
            continue
        columns = [c.name for c in constraint.columns]
        if "contact_id" not in columns:
            continue
        others = [c for c in columns if c != "contact_id"]
        twin = table.alias()
        same = and_(twin.c.contact_id == keep_id, *(twin.c[c] == table.c[c] for c in others))
        session.execute(delete(table).where(table.c.contact_id == drop_id, exists().where(same)))


def open_conversation(
    session: Session,
    business: Business,
    channel: Channel,
    contact: Contact,
    address: str,
    network: str,
) -> Conversation:
    """The contact's current conversation on this channel, or a new one."""
    assert business.id is not None and contact.id is not None
    conv = session.exec(
        select(Conversation)
        .where(
            Conversation.business_id == business.id,
            Conversation.contact_id == contact.id,
            Conversation.channel_id == channel.id,
            # One Twilio channel carries SMS and WhatsApp from the same number: two threads.
            Conversation.network == network,
            Conversation.address == address,
            Conversation.state != ConversationState.CLOSED,
        )
        .order_by(col(Conversation.id).desc())
    ).first()
    if conv is None:
        conv = Conversation(
            business_id=business.id,
            contact_id=contact.id,
            channel_id=channel.id,
            network=network,
            address=address,
            language=contact.language,
        )
        session.add(conv)
        session.flush()
    return conv
