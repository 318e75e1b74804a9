"""Analytics tables: daily roll-ups, CSAT ratings, declined questions, A/B tests.

Rows tied to a contact (ratings, declined questions, A/B exposures) are removed when the
contact is erased (`gateway.rights.erase`); the roll-ups hold counts only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from gateway.store.models.base import _created, _json, _ts


class DailyStat(SQLModel, table=True):
    """One number of one business's day on one channel: `metric` (and `key`, e.g. a reason)."""

    __table_args__ = (
        UniqueConstraint("business_id", "day", "channel_id", "metric", "key"),
        Index("ix_dailystat_business_day", "business_id", "day"),
    )
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id")
    day: str = Field(max_length=10)
    channel_id: str = Field(default="", max_length=64)
    metric: str = Field(max_length=32)
    key: str = Field(default="", max_length=64)
    value: float = 0.0


class RollupMark(SQLModel, table=True):
    """How far a business's daily roll-ups are complete (the next run starts a little before)."""

    business_id: int = Field(foreign_key="business.id", primary_key=True)
    through_day: str = Field(max_length=10)
    updated_at: datetime = _created()


class CsatRating(SQLModel, table=True):
    """One satisfaction question asked after a conversation, and its 1-5 answer if any."""

    __table_args__ = (UniqueConstraint("conversation_id"),)
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    conversation_id: int = Field(foreign_key="conversation.id")
    channel_id: str = Field(max_length=64)
    staff_id: int | None = Field(default=None, foreign_key="staffuser.id")
    template: str = Field(default="", max_length=64)
    score: int | None = None
    comment: str = Field(default="", sa_column=Column(Text, nullable=False))
    asked_at: datetime = _created()
    answered_at: datetime | None = _ts()


class DeclinedQuestion(SQLModel, table=True):
    """A customer's question the knowledge base could not answer."""

    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id")
    message_id: int | None = Field(default=None, foreign_key="message.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    language: str = Field(default="", max_length=8)
    status: str = Field(default="open", max_length=16)
    group_id: int | None = Field(default=None, index=True)
    """The id of the question that stands for its group (same meaning); None until grouped."""
    created_at: datetime = _created()


class AbTest(SQLModel, table=True):
    """An experiment on one template text: its variants, goal, minimum sample and horizon."""

    __table_args__ = (UniqueConstraint("business_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    name: str = Field(max_length=64)
    text_key: str = Field(max_length=64)
    variants: list[str] = _json(list)
    goal: str = Field(default="booking", max_length=32)
    min_sample: int = 100
    horizon_days: int = 14
    status: str = Field(default="running", max_length=16)
    winner: int | None = None
    settings: dict[str, Any] = _json()
    started_at: datetime = _created()


class AbExposure(SQLModel, table=True):
    """A contact shown one variant of a test (sticky), and when they reached the goal."""

    __table_args__ = (UniqueConstraint("test_id", "contact_id"),)
    id: int | None = Field(default=None, primary_key=True)
    business_id: int = Field(foreign_key="business.id", index=True)
    test_id: int = Field(foreign_key="abtest.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    variant: int
    exposed_at: datetime = _created()
    converted_at: datetime | None = _ts()
