"""The data model (DESIGN.md "Data"): every row that belongs to a business carries business_id."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Dialect, Index, Text, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always reads back an aware datetime (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=True, index=index))


def _created() -> Any:
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


def _when(index: bool = False) -> Any:
    return Field(sa_column=Column(UTCDateTime(), nullable=False, index=index))


def _json(default: Any = dict) -> Any:
    return Field(default_factory=default, sa_column=Column(JSON, nullable=False))


class ConversationState(StrEnum):
    """Who is answering a conversation."""

    BOT = "bot"
    WAITING = "waiting_for_staff"
    STAFF = "with_staff"
    CLOSED = "closed"


class Direction(StrEnum):
    """Which way a message travelled."""

    IN = "in"
    OUT = "out"


class MessageStatus(StrEnum):
    """Lifecycle of a stored message (inbound: received/processed; outbound: the rest)."""

    RECEIVED = "received"
    PROCESSED = "processed"
    IGNORED = "ignored"
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


class Business(SQLModel, table=True):
    """A tenant: one business with its template, languages and settings."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=64)
    name: str
    template: str = Field(max_length=32)
    timezone: str = "UTC"
    country: str = "US"
    languages: list[str] = _json(list)
    settings: dict[str, Any] = _json()
    api_token_hash: str | None = None
    created_at: datetime = _created()


class Channel(SQLModel, table=True):
    """A configured provider endpoint of a business; its id appears in the webhook URL."""

    id: str = Field(primary_key=True, max_length=64)
    business_id: int = Field(foreign_key="business.id", index=True)
    provider: str = Field(max_length=32)
    credentials_encrypted: str = Field(default="", sa_column=Column(Text, nullable=False))
    api_base: str | None = None
    settings: dict[str, Any] = _json()
    created_at: datetime = _created()


class Contact(SQLModel, table=True):
    """One person, across all the channels they used to reach one business."""

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    display_name: str | None = None
    phone: str | None = Field(default=None, index=True)
    language: str | None = None
    timezone: str | None = None
    segments: list[str] = _json(list)
    created_at: datetime = _created()
    last_seen_at: datetime | None = _ts()


class ContactIdentity(SQLModel, table=True):
    """An address a contact is known by: a phone number, a Telegram user, a web visitor."""

    __table_args__ = (UniqueConstraint("business_id", "kind", "address"),)
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    kind: str = Field(max_length=16)
    address: str = Field(max_length=128)


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


class ProfileFact(SQLModel, table=True):
    """Something a contact told us, with where it came from and how sure we are."""

    __table_args__ = (UniqueConstraint("contact_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    key: str = Field(max_length=64)
    value: str = Field(sa_column=Column(Text, nullable=False))
    confidence: float = 1.0
    source_message_id: int | None = Field(default=None, foreign_key="message.id")
    updated_at: datetime = _created()


class Consent(SQLModel, table=True):
    """Whether a contact accepts proactive messages of a purpose on a network."""

    __table_args__ = (UniqueConstraint("business_id", "contact_id", "network", "purpose"),)
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    network: str = Field(max_length=16)
    purpose: str = Field(max_length=16)
    granted: bool
    source: str = ""
    updated_at: datetime = _created()


class StaffUser(SQLModel, table=True):
    """A person of the business who signs in to the console."""

    __table_args__ = (UniqueConstraint("business_id", "email"),)
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    email: str = Field(max_length=255)
    password_hash: str
    role: str = "agent"
    created_at: datetime = _created()


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


class Appointment(SQLModel, table=True):
    """A booked visit (dental) or consultation (legal)."""

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id")
    service: str
    resource: str = "default"
    starts_at: datetime = _when()
    ends_at: datetime = _when()
    status: str = "booked"
    urgent: bool = False
    details: dict[str, Any] = _json()
    created_at: datetime = _created()


class BookedSlot(SQLModel, table=True):
    """One occupied slot unit of a resource: the unique key makes double booking impossible."""

    __table_args__ = (UniqueConstraint("business_id", "resource", "starts_at"),)
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    resource: str
    starts_at: datetime = _when()
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id")
    viewing_id: int | None = Field(default=None, foreign_key="viewing.id")


class Reservation(SQLModel, table=True):
    """A restaurant table booking (or a waitlist entry when status is 'waitlist')."""

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id")
    party_size: int
    starts_at: datetime = _when()
    status: str = "booked"
    requests: str = ""
    details: dict[str, Any] = _json()
    created_at: datetime = _created()


class Lead(SQLModel, table=True):
    """A qualified (or qualifying) real-estate lead with its score."""

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id")
    operation: str | None = None
    budget: float | None = None
    bedrooms: int | None = None
    areas: list[str] = _json(list)
    timeline: str | None = None
    financing: str | None = None
    score: int = 0
    status: str = "open"
    details: dict[str, Any] = _json()
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Listing(SQLModel, table=True):
    """A property a real-estate business offers, imported from CSV."""

    __table_args__ = (UniqueConstraint("business_id", "ref"),)
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    ref: str
    title: str
    operation: str = "buy"
    property_type: str = "apartment"
    price: float
    bedrooms: int = 0
    area: str = ""
    address: str = ""
    photo_url: str | None = None
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    details: dict[str, Any] = _json()


class Viewing(SQLModel, table=True):
    """A booked visit to a listing."""

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    listing_id: int = Field(foreign_key="listing.id")
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id")
    starts_at: datetime = _when()
    status: str = "booked"
    created_at: datetime = _created()


class Matter(SQLModel, table=True):
    """An existing legal matter, for the conflict-of-interest check."""

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    client_name: str
    parties: list[str] = _json(list)
    practice_area: str = ""


class IntakeCase(SQLModel, table=True):
    """A legal intake: what happened, who is involved, how urgent, for an attorney."""

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id")
    practice_area: str = "other"
    jurisdiction: str | None = None
    parties: list[str] = _json(list)
    court_date: datetime | None = _ts()
    priority: str = "normal"
    status: str = "open"
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    details: dict[str, Any] = _json()
    created_at: datetime = _created()


class KnowledgeSource(SQLModel, table=True):
    """A document or page a business added to its knowledge base."""

    __table_args__ = (UniqueConstraint("business_id", "uri"),)
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    uri: str = Field(max_length=1024)
    kind: str = ""
    title: str = ""
    status: str = "pending"
    chunks: int = 0
    error: str | None = None
    updated_at: datetime = _created()
