"""Conversations, their messages, handoffs to staff and scheduled outbound messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from gateway.store.models.base import (
    ConversationState,
    _created,
    _json,
    _ts,
    _when,
)


class Conversation(SQLModel, table=True):
    """A contact's thread on one channel: who answers it and where the flow stands."""

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    channel_id: str = Field(foreign_key="channel.id", index=True)
    network: str = Field(max_length=16)
    address: str = Field(max_length=128)
    state: str = Field(default=ConversationState.BOT, max_length=24, index=True)
    flow_state: dict[str, Any] = _json()
    language: str | None = None
    last_inbound_at: datetime | None = _ts()
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Message(SQLModel, table=True):
    """One message in or out, with its annotations and delivery status."""

    __table_args__ = (
        UniqueConstraint("channel_id", "direction", "provider_message_id"),
        Index("ix_message_pending", "status", "direction"),
    )
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    channel_id: str = Field(foreign_key="channel.id")
    direction: str = Field(max_length=3)
    provider_message_id: str | None = Field(default=None, max_length=255)
    kind: str = "text"
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    payload: str | None = None
    attachments: list[dict[str, Any]] = _json(list)
    buttons: list[dict[str, Any]] = _json(list)
    latitude: float | None = None
    longitude: float | None = None
    template: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    annotations: dict[str, Any] = _json()
    raw: dict[str, Any] = _json()
    status: str = Field(max_length=16)
    error_code: str | None = None
    error_message: str | None = None
    attempts: int = 0
    author: str = "customer"
    edit_of_id: int | None = Field(default=None, foreign_key="message.id")
    reply_to_id: int | None = Field(default=None, foreign_key="message.id")
    created_at: datetime = _created()
    processed_at: datetime | None = _ts()
    sent_at: datetime | None = _ts()
    updated_at: datetime = _created()


class Handoff(SQLModel, table=True):
    """A conversation escalated to a person, with why, how urgent and a summary."""

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    reason: str
    priority: int = 1
    status: str = "open"
    assigned_to: int | None = Field(default=None, foreign_key="staffuser.id")
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = _created()
    taken_at: datetime | None = _ts()
    resolved_at: datetime | None = _ts()
    alerted_at: datetime | None = _ts()


class StaffNote(SQLModel, table=True):
    """A private note staff leave on a conversation; never sent to the customer."""

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    author: str = Field(max_length=255)
    """The staff member's e-mail when they wrote it (the note outlives a removed account)."""
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _created()


class ScheduledMessage(SQLModel, table=True):
    """A proactive message due at a time; the row is the truth, the RQ job a convenience."""

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id")
    kind: str = Field(max_length=32)
    purpose: str = "reminders"
    due_at: datetime = _when(index=True)
    reason: str = ""
    status: str = Field(default="pending", index=True)
    status_reason: str | None = None
    related_type: str | None = None
    related_id: int | None = None
    payload: dict[str, Any] = _json()
    sent_at: datetime | None = _ts()
    created_at: datetime = _created()
