"""Domain records the templates keep: appointments, reservations, leads, listings, cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from gateway.store.models.base import (
    _created,
    _json,
    _ts,
    _when,
)


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
