"""The inbox: each inbound event as the webhook received it, written once on the request path."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from gateway.store.models.base import _created, _json

INBOX_PENDING = "pending"
INBOX_DONE = "done"


class InboxEvent(SQLModel, table=True):
    """A parsed inbound event waiting for a worker to turn it into a message (one insert,
    unique on channel + provider id, so a provider's redelivery is a no-op)."""

    __table_args__ = (
        UniqueConstraint("channel_id", "provider_message_id"),
        Index("ix_inboxevent_status", "status", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    channel_id: str = Field(foreign_key="channel.id", max_length=64)
    provider_message_id: str = Field(max_length=255)
    sender_id: str = Field(default="", max_length=255)
    event: dict[str, Any] = _json()
    status: str = Field(default=INBOX_PENDING, max_length=16)
    message_id: int | None = Field(default=None, foreign_key="message.id")
    created_at: datetime = _created()
