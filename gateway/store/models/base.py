"""Column types, field helpers and enums shared by every table of the data model."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field

from gateway.core import clock


def utcnow() -> datetime:
    """The deployment's current time (gateway.core.clock), timezone-aware in UTC."""
    return clock.now()


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
