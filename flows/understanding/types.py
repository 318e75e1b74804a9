"""Plain data of understanding: the context a message is read in and what we read from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

INTENT_THRESHOLD = 0.55
"""Below this intent confidence the flow should ask a clarifying question instead of guessing.

The offline confidence is the classifier's probability after temperature scaling fitted on the
dev sets (see `flows.understanding.train`), restricted to the template's intents: at 0.55 the
reading is more likely right than wrong, and the top intent clearly ahead of the next (two
intents cannot both pass it). Messages without words and noise read as `unknown`."""

UNKNOWN_INTENT = "unknown"


@dataclass(frozen=True)
class Context:
    """What is known around one message: business settings, conversation so far, the clock."""

    timezone: str = "UTC"
    default_country: str = "US"
    language: str | None = None
    now: datetime | None = None
    profile_name: str | None = None
    recent_texts: tuple[str, ...] = ()

    def current_time(self) -> datetime:
        """Return `now` as an aware datetime in the business timezone."""
        tz = ZoneInfo(self.timezone)
        if self.now is None:
            return datetime.now(tz)
        if self.now.tzinfo is None:
            return self.now.replace(tzinfo=tz)
        return self.now.astimezone(tz)


@dataclass(frozen=True)
class Entity:
    """One thing found in a message: its kind, normalized JSON-ready value and where it was."""

    kind: str
    value: Any
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serializable dict."""
        return {
            "kind": self.kind,
            "value": self.value,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Entity:
        """Build from `to_dict()` output."""
        return cls(
            kind=str(data["kind"]),
            value=data.get("value"),
            text=str(data.get("text", "")),
            start=int(data.get("start", 0)),
            end=int(data.get("end", 0)),
        )


@dataclass(frozen=True)
class Annotations:
    """Everything understanding says about one inbound message; stored as JSON beside it."""

    language: str
    intent: str
    intent_confidence: float
    entities: tuple[Entity, ...] = ()
    sentiment: float = 0.0
    frustration: float = 0.0
    urgency: float = 0.0
    tone: str = "casual"
    source: str = "offline"
    alternatives: tuple[tuple[str, float], ...] = field(default_factory=tuple)

    def needs_clarification(self, threshold: float = INTENT_THRESHOLD) -> bool:
        """True when the intent is too uncertain to act on."""
        return self.intent == UNKNOWN_INTENT or self.intent_confidence < threshold

    def first(self, kind: str) -> Entity | None:
        """Return the first entity of a kind, if any."""
        return next((e for e in self.entities if e.kind == kind), None)

    def of_kind(self, kind: str) -> tuple[Entity, ...]:
        """Return every entity of a kind."""
        return tuple(e for e in self.entities if e.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serializable dict for a JSON column."""
        return {
            "language": self.language,
            "intent": self.intent,
            "intent_confidence": round(self.intent_confidence, 4),
            "entities": [e.to_dict() for e in self.entities],
            "sentiment": round(self.sentiment, 4),
            "frustration": round(self.frustration, 4),
            "urgency": round(self.urgency, 4),
            "tone": self.tone,
            "source": self.source,
            "alternatives": [[name, round(score, 4)] for name, score in self.alternatives],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Annotations:
        """Build from `to_dict()` output; missing optional fields take their defaults."""
        return cls(
            language=str(data.get("language", "en")),
            intent=str(data.get("intent", UNKNOWN_INTENT)),
            intent_confidence=float(data.get("intent_confidence", 0.0)),
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", ())),
            sentiment=float(data.get("sentiment", 0.0)),
            frustration=float(data.get("frustration", 0.0)),
            urgency=float(data.get("urgency", 0.0)),
            tone=str(data.get("tone", "casual")),
            source=str(data.get("source", "offline")),
            alternatives=tuple(
                (str(name), float(score)) for name, score in data.get("alternatives", ())
            ),
        )
