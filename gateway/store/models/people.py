"""Contacts, their identities on each channel, what we know about them and their consent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from gateway.store.models.base import (
    _created,
    _json,
    _ts,
)


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


class ConsentEvent(SQLModel, table=True):
    """One statement of consent, never changed: a grant or a withdrawal of a purpose on a network.

    Append-only (the ORM refuses updates and deletes; erasure of the person removes them in
    bulk). The current state of a purpose is the newest event (`gateway.store.consent`).
    """

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    network: str = Field(max_length=16)
    purpose: str = Field(max_length=16)
    granted: bool
    source: str = Field(default="", max_length=64)
    wording: str = Field(default="", sa_column=Column(Text, nullable=False))
    source_message_id: int | None = Field(default=None, foreign_key="message.id")
    actor: str = Field(default="customer", max_length=64)
    created_at: datetime = _created()


def _append_only(mapper: object, connection: object, target: ConsentEvent) -> None:
    raise ValueError("consent events are append-only: record a new statement instead")


event.listen(ConsentEvent, "before_update", _append_only)
event.listen(ConsentEvent, "before_delete", _append_only)


class DataRequest(SQLModel, table=True):
    """An audit record of an export or an erasure: what was done, never whose data it was."""

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    kind: str = Field(max_length=16)
    contact_id: int | None = None
    via: str = Field(default="", max_length=32)
    counts: dict[str, int] = _json()
    created_at: datetime = _created()
