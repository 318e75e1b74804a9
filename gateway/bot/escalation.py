"""The generic escalation policy: when any business's bot steps aside for a person.

Template-specific reasons (a dental emergency, a court date, a hot lead) are the flow engine's,
raised through `Outcome.handoff_reason`. Here live the ones every business shares: the customer
asks for a person, is frustrated past the business's threshold, or is a VIP. The reply tells
the customer a person will answer here, and when, if the business is closed right now.

Settings read (all optional, read defensively): `Business.settings["handoff"]` with
`frustration_threshold` (0..1, default 0.9), `vip` (bool, default true), `timeout_seconds`;
`Business.settings["hours"]` and `holidays`, read by `flows.hours` exactly as the booking flows
read them (`{"monday": ["09:00-14:00", "16:00-19:00"], ...}` in the business timezone).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, select

from flows.engine import asks_for_person
from flows.hours import Hours
from flows.types import Outcome, Reply
from flows.understanding import Annotations
from flows.understanding.signals import HANDOFF_FRUSTRATION
from flows.understanding.types import INTENT_THRESHOLD
from gateway.core.texts import load_texts
from gateway.store.models import Business, Contact, Conversation, Handoff, utcnow

log = logging.getLogger(__name__)

DEFAULT_FRUSTRATION = HANDOFF_FRUSTRATION
"""One value with the understanding bench, so the number it reports is the one acted on: a
calm complaint deserves an apology, not a person; very annoyed (0.9+) goes to a person at once,
and the flow engine hands over a customer annoyed twice."""
DEFAULT_TIMEOUT_SECONDS = 600.0
TEXTS = Path(__file__).with_name("texts.yaml")


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


def is_vip(contact: Contact) -> bool:
    """Whether the contact is in the VIP segment (flows.outreach names it "VIP")."""
    return any(str(s).lower() == "vip" for s in contact.segments or [])


def decide(
    session: Session, business: Business, conv: Conversation, contact: Contact, ann: Annotations
) -> Escalation | None:
    """The generic reason to hand this message's conversation to a person, if any."""
    vip = is_vip(contact)
    bump = 1 if vip else 0
    if ann.intent == "human" and asks_for_person(ann, "", INTENT_THRESHOLD):
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
    tone = str(conv.flow_state.get("tone", "casual"))
    text = passing_text(business, ann.language, now or utcnow(), tone)
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


def _say(key: str, language: str | None, tone: str, **values: str) -> str:
    return load_texts(TEXTS).get(key, language or "en", tone, **values)


def passing_text(
    business: Business, language: str | None, now: datetime, tone: str = "casual"
) -> str:
    """ "A person will answer here", plus when, if the business is closed at `now`."""
    text = _say("passing", language, tone, business=business.name)
    when = when_open_text(business, language, now)
    return f"{text} {_say('closed', language, tone, when=when)}" if when else text


def sorry_text(
    business: Business, language: str | None, now: datetime, tone: str = "casual"
) -> str:
    """The polite message when nobody picked the conversation up in time."""
    text = _say("sorry", language, tone, business=business.name)
    when = when_open_text(business, language, now)
    return f"{text} {_say('closed', language, tone, when=when)}" if when else text


def when_open_text(business: Business, language: str | None, now: datetime) -> str | None:
    """ "tomorrow at 09:00" when the business is closed at `now`; None when open or unknown."""
    hours = business_hours(business)
    if hours is None or is_open(hours, now):
        return None
    opening = next_opening(hours, now)
    if opening is None:
        return None
    local = now.astimezone(hours.tz)
    hm = opening.strftime("%H:%M")
    days = (opening.date() - local.date()).days
    if days == 0:
        return _say("today", language, "casual", hm=hm)
    if days == 1:
        return _say("tomorrow", language, "casual", hm=hm)
    day_name, _ = hours.describe(language or "en")[opening.weekday()]
    return _say("day", language, "casual", day=day_name, hm=hm)


def business_zone(business: Business) -> ZoneInfo:
    """The business's timezone (UTC when unknown)."""
    try:
        return ZoneInfo(business.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def business_hours(business: Business) -> Hours | None:
    """The opening hours the booking flows use (`flows.hours`); None when the business gave
    none or they do not read, so no one is promised a time we cannot know."""
    settings = business.settings or {}
    if not settings.get("hours"):
        return None
    try:
        return Hours.from_settings(settings, business_zone(business).key)
    except (ValueError, TypeError, AttributeError) as exc:
        log.debug("unreadable opening hours", extra={"business_id": business.id, "error": str(exc)})
        return None


def is_open(hours: Hours, when: datetime) -> bool:
    """Whether `when` falls inside an opening range of its local day."""
    local = when.astimezone(hours.tz)
    return any(start <= local < end for start, end in hours.ranges_on(local.date()))


def next_opening(hours: Hours, when: datetime) -> datetime | None:
    """The next moment the business opens after `when`, within a week (holidays skipped)."""
    local = when.astimezone(hours.tz)
    for offset in range(8):
        for start, _ in hours.ranges_on(local.date() + timedelta(days=offset)):
            if start > local:
                return start
    return None
