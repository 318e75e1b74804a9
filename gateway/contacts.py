"""Who wrote: one contact per person across channels, and their open conversation."""

from __future__ import annotations

from sqlmodel import Session, col, select

from channels.base import InboundMessage, Network
from gateway.models import (
    Business,
    Channel,
    Contact,
    ContactIdentity,
    Conversation,
    ConversationState,
    utcnow,
)

_IDENTITY_KIND = {
    Network.SMS: "phone",
    Network.WHATSAPP: "phone",
    Network.TELEGRAM: "telegram",
    Network.WEBCHAT: "webchat",
}


def identity_kind(network: str) -> str:
    """The identity namespace of a network: SMS and WhatsApp share phone numbers."""
    return _IDENTITY_KIND.get(Network(network), network)


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
    kind = identity_kind(msg.network)
    contact = find_contact(session, business.id, kind, msg.sender_id)
    if contact is None:
        contact = Contact(business_id=business.id, display_name=msg.sender_name)
        if kind == "phone":
            contact.phone = msg.sender_id
        session.add(contact)
        session.flush()
        link_identity(session, contact, kind, msg.sender_id)
    elif msg.sender_name and not contact.display_name:
        contact.display_name = msg.sender_name
    contact.last_seen_at = utcnow()
    return contact


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
