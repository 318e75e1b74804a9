"""Plain data the flow engine takes in and gives back; the gateway loads and saves it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flows.understanding.types import Annotations


@dataclass(frozen=True)
class Option:
    """A choice offered to the customer; channels render it as a button, list row or number."""

    id: str
    title: str


@dataclass(frozen=True)
class Reply:
    """One message the bot wants to send."""

    text: str
    options: tuple[Option, ...] = ()
    image_url: str | None = None


@dataclass(frozen=True)
class BusinessInfo:
    """What the flows need to know about the business they speak for."""

    slug: str
    name: str
    template: str
    timezone: str = "UTC"
    languages: tuple[str, ...] = ("en",)
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Turn:
    """One customer message, with everything known around it, ready for the engine.

    `annotations` is what understanding made of the text; `facts` are the contact's profile
    facts (key -> value) as remembered across conversations and channels; `state` is the
    conversation's flow state as the engine left it last time; `now` is aware (UTC).
    """

    business: BusinessInfo
    text: str
    payload: str | None = None
    language: str = "en"
    customer_name: str | None = None
    state: Mapping[str, Any] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)
    annotations: Annotations | None = None
    returning: bool = False
    now: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    """What the engine decided: replies to send and the conversation's next state."""

    replies: tuple[Reply, ...]
    state: Mapping[str, Any] = field(default_factory=dict)
    handoff_reason: str | None = None
    handoff_priority: int = 1
