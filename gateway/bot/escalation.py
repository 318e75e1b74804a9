"""The generic escalation policy: when any business's bot steps aside for a person.

Template-specific reasons (a dental emergency, a court date, a hot lead) are the flow engine's,
raised through `Outcome.handoff_reason`. Here live the ones every business shares: the customer
asks for a person, is frustrated past the business's threshold, or is a VIP. The reply tells
the customer a person will answer here, and when, if the business is closed right now.

Settings read (all optional, read defensively): `Business.settings["handoff"]` with
`frustration_threshold` (0..1, default 0.9), `vip` (bool, default true), `timeout_seconds`;
`Business.settings["hours"]` as `{"monday": [["09:00", "18:00"]], ...}` in the business timezone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, select

from flows.types import Outcome, Reply
from flows.understanding import Annotations
from gateway.store.models import Business, Contact, Conversation, Handoff, utcnow

log = logging.getLogger(__name__)

DEFAULT_FRUSTRATION = 0.9
"""The calibrated scorer reads 0.7-0.85 for a calm complaint ("nobody called me back, a bit
disappointing"), which deserves an apology, not a person; very annoyed (0.9+) goes to a
person at once, and the flow engine hands over a customer annoyed twice."""
DEFAULT_TIMEOUT_SECONDS = 600.0
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_ALIASES = {d[:3]: d for d in DAYS} | {
    "lunes": "monday",
    "martes": "tuesday",
    "miercoles": "wednesday",
    "miércoles": "wednesday",
    "jueves": "thursday",
    "viernes": "friday",
    "sabado": "saturday",
    "sábado": "saturday",
    "domingo": "sunday",
}
_DAY_NAMES = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
_TEXTS = {
    "en": {
        "passing": "I'm passing you to a person from {business}; they'll answer here.",
        "closed": " We're closed right now, so a person will answer {when}.",
        "today": "today at {hm}",
        "tomorrow": "tomorrow at {hm}",
        "day": "on {day} at {hm}",
        "sorry": (
            "Sorry for the wait: everyone at {business} is busy right now. "
            "A person will answer you here as soon as possible."
        ),
    },
    "es": {
        "passing": "Te paso con una persona de {business}; te contestará por aquí.",
        "closed": " Ahora estamos cerrados, así que una persona te contestará {when}.",
        "today": "hoy a las {hm}",
        "tomorrow": "mañana a las {hm}",
        "day": "el {day} a las {hm}",
        "sorry": (
            "Perdona la espera: ahora mismo todo el equipo de {business} está ocupado. "
            "Una persona te contestará por aquí lo antes posible."
        ),
    },
}

Interval = tuple[time, time]


@dataclass(frozen=True)
class Escalation:
    """Why a conversation goes to a person, and how urgent it is (higher is sooner)."""

    reason: str
    priority: int


def handoff_settings(business: Business) -> dict[str, Any]:
    """The business's `handoff` settings block, or an empty one."""
    raw = (business.settings or {}).get("handoff")
    return raw if isinstance(raw, dict) else {}


def frustration_threshold(business: Business) -> float:
    """Frustration (0..1) at or above which the customer goes to a person."""
    value = handoff_settings(business).get("frustration_threshold", DEFAULT_FRUSTRATION)
    try:
        return min(max(float(value), 0.0), 1.0)
    except (TypeError, ValueError):
        return DEFAULT_FRUSTRATION


def timeout_seconds(business: Business) -> float:
    """How long a handoff may wait for a person before the customer hears from us again."""
    block = handoff_settings(business)
    try:
        if "timeout_seconds" in block:
            return max(float(block["timeout_seconds"]), 1.0)
        if "timeout_minutes" in block:
            return max(float(block["timeout_minutes"]) * 60.0, 1.0)
    except (TypeError, ValueError):
        pass
    return DEFAULT_TIMEOUT_SECONDS


def decide(
    session: Session, business: Business, conv: Conversation, contact: Contact, ann: Annotations
) -> Escalation | None:
    """The generic reason to hand this message's conversation to a person, if any."""
    vip = "vip" in (contact.segments or [])
    bump = 1 if vip else 0
    if ann.intent == "human" and not ann.needs_clarification():
        return Escalation("customer_asked", 2 + bump)
    if ann.frustration >= frustration_threshold(business) > 0.0:
        return Escalation("frustrated", (3 if ann.frustration >= 0.9 else 2) + bump)
    # A VIP goes to a person once per conversation; after staff hand back, the bot may answer.
    if vip and handoff_settings(business).get("vip", True) is not False:
        earlier = session.exec(
            select(Handoff.id).where(
                Handoff.business_id == conv.business_id, Handoff.conversation_id == conv.id
            )
        ).first()
        if earlier is None:
            return Escalation("vip", 3)
    return None


def escalate(
    session: Session,
    business: Business,
    conv: Conversation,
    contact: Contact,
    ann: Annotations,
    now: datetime | None = None,
) -> Outcome | None:
    """The bot's last words before a person takes over, with the handoff reason; else None."""
    decision = decide(session, business, conv, contact, ann)
    if decision is None:
        return None
    text = passing_text(business, ann.language, now or utcnow())
    log.info(
        "escalating to staff",
        extra={
            "business_id": business.id,
            "conversation_id": conv.id,
            "reason": decision.reason,
            "priority": decision.priority,
        },
    )
    return Outcome(
        replies=(Reply(text=text),),
        state=dict(conv.flow_state),
        handoff_reason=decision.reason,
        handoff_priority=decision.priority,
    )


def _texts(language: str | None) -> dict[str, str]:
    return _TEXTS.get(language or "en", _TEXTS["en"])


def passing_text(business: Business, language: str | None, now: datetime) -> str:
    """ "A person will answer here", plus when, if the business is closed at `now`."""
    texts = _texts(language)
    text = texts["passing"].format(business=business.name)
    when = when_open_text(business, language, now)
    return text + texts["closed"].format(when=when) if when else text


def sorry_text(business: Business, language: str | None, now: datetime) -> str:
    """The polite message when nobody picked the conversation up in time."""
    texts = _texts(language)
    text = texts["sorry"].format(business=business.name)
    when = when_open_text(business, language, now)
    return text + texts["closed"].format(when=when) if when else text


def when_open_text(business: Business, language: str | None, now: datetime) -> str | None:
    """ "tomorrow at 09:00" when the business is closed at `now`; None when open or unknown."""
    tz = business_zone(business)
    hours = parse_hours((business.settings or {}).get("hours"))
    if not hours:
        return None
    local = now.astimezone(tz)
    if is_open(hours, local):
        return None
    opening = next_opening(hours, local)
    if opening is None:
        return None
    texts = _texts(language)
    hm = opening.strftime("%H:%M")
    days = (opening.date() - local.date()).days
    if days == 0:
        return texts["today"].format(hm=hm)
    if days == 1:
        return texts["tomorrow"].format(hm=hm)
    names = _DAY_NAMES.get(language or "en", _DAY_NAMES["en"])
    return texts["day"].format(day=names[opening.weekday()], hm=hm)


def business_zone(business: Business) -> ZoneInfo:
    """The business's timezone (UTC when unknown)."""
    try:
        return ZoneInfo(business.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def parse_hours(raw: Any) -> dict[str, list[Interval]]:
    """Weekly opening hours by day name; anything unreadable is left out (and logged)."""
    if not isinstance(raw, dict):
        return {}
    out: dict[str, list[Interval]] = {}
    for key, spans in raw.items():
        day = _DAY_ALIASES.get(str(key).strip().lower(), str(key).strip().lower())
        if day not in DAYS:
            continue
        intervals = [iv for iv in (_interval(span) for span in _spans(spans)) if iv]
        out[day] = sorted(out.get(day, []) + intervals)  # type: ignore[arg-type]
    return out


def _spans(spans: Any) -> list[Any]:
    if isinstance(spans, str | dict):
        return [spans]
    if isinstance(spans, list) and len(spans) == 2 and all(isinstance(s, str) for s in spans):
        return [spans] if ":" in spans[0] and "-" not in spans[0] else list(spans)
    return list(spans) if isinstance(spans, list | tuple) else []


def _interval(span: Any) -> Interval | None:
    if isinstance(span, str):
        span = span.replace("–", "-").split("-")
    elif isinstance(span, dict):
        span = [span.get("open") or span.get("from"), span.get("close") or span.get("to")]
    if not isinstance(span, list | tuple) or len(span) != 2:
        log.debug("unreadable opening hours", extra={"span": repr(span)[:80]})
        return None
    try:
        start, end = (_hm(str(s)) for s in span)
    except ValueError:
        log.debug("unreadable opening hours", extra={"span": repr(span)[:80]})
        return None
    return (start, end) if start != end else None


def _hm(value: str) -> time:
    value = value.strip()
    if value in ("24:00", "24"):
        return time(23, 59, 59)
    parts = value.split(":")
    return time(int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)


def is_open(hours: dict[str, list[Interval]], local: datetime) -> bool:
    """Whether `local` (in the business timezone) falls inside the opening hours."""
    now_t = local.time()
    for start, end in hours.get(DAYS[local.weekday()], []):
        if start <= now_t < end or (end < start and (now_t >= start or now_t < end)):
            return True
    # An overnight span of yesterday (e.g. 20:00-02:00) may still be running.
    yesterday = DAYS[(local.weekday() - 1) % 7]
    return any(end < start and now_t < end for start, end in hours.get(yesterday, []))


def next_opening(hours: dict[str, list[Interval]], local: datetime) -> datetime | None:
    """The next moment the business opens after `local`, within a week."""
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        for start, _ in hours.get(DAYS[day.weekday()], []):
            candidate = datetime.combine(day, start, tzinfo=local.tzinfo)
            if candidate > local:
                return candidate
    return None
