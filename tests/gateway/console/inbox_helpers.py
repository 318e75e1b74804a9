"""Seed handoffs straight into the database for the inbox tests (no worker, no chat)."""

from __future__ import annotations

from sqlmodel import select

from gateway.console.staff import business_by_slug
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import Channel, Contact, Conversation, Handoff, Message


def seed_handoff(  # noqa: PLR0913  (a test row has many columns)
    rt: Runtime,
    slug: str,
    *,
    name: str | None = None,
    phone: str | None = None,
    text: str = "hello",
    reason: str = "customer_asked",
    priority: int = 2,
    summary: str = "",
    assigned_to: int | None = None,
    network: str | None = None,
) -> int:
    """A contact, its conversation waiting for staff with one message, and an open handoff."""
    with session_scope(rt.engine) as db:
        business = business_by_slug(db, slug)
        assert business is not None and business.id is not None
        channel = db.exec(select(Channel).where(Channel.business_id == business.id)).first()
        assert channel is not None
        contact = Contact(business_id=business.id, display_name=name, phone=phone)
        db.add(contact)
        db.flush()
        assert contact.id is not None
        conv = Conversation(
            business_id=business.id,
            contact_id=contact.id,
            channel_id=channel.id,
            network=network or channel.provider,
            address="kSqrMzrD6DECG9znlaHZKg",
            state="waiting_for_staff",
        )
        db.add(conv)
        db.flush()
        assert conv.id is not None
        db.add(
            Message(
                business_id=business.id,
                conversation_id=conv.id,
                channel_id=channel.id,
                direction="in",
                text=text,
                status="processed",
            )
        )
        db.add(
            Handoff(
                business_id=business.id,
                conversation_id=conv.id,
                reason=reason,
                priority=priority,
                summary=summary,
                status="taken" if assigned_to else "open",
                assigned_to=assigned_to,
            )
        )
        return conv.id
