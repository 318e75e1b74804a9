"""Business, businesses' channels, staff accounts and knowledge sources."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from gateway.store.models.base import (
    _created,
    _json,
)


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


class StaffUser(SQLModel, table=True):
    """A person of the business who signs in to the console."""

    __table_args__ = (UniqueConstraint("business_id", "email"),)
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    email: str = Field(max_length=255)
    password_hash: str
    role: str = "agent"
    session_epoch: int = 0
    """Bumped on sign-out and password reset: a console session of an older epoch is void."""
    created_at: datetime = _created()


class CannedReply(SQLModel, table=True):
    """A reply staff of a business saved to send again, by a short title."""

    __table_args__ = (UniqueConstraint("business_id", "title"),)
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    title: str = Field(max_length=80)
    text: str = Field(sa_column=Column(Text, nullable=False))
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
