"""Outreach policy over plain data: when a proactive message may go, by which route, to whom.

Nothing here touches a database or a clock of its own: the gateway gathers the facts (the
customer's timezone, what was sent lately, the consent and window of each channel) and asks.

- Quiet hours are read in the customer's timezone (default 21:00 to 09:00); a message due inside
  them waits for the next allowed time. A reminder is instead moved *earlier* when waiting would
  leave too little time before the booking.
- The frequency cap counts marketing messages on every channel (default 2 in 7 days).
- A route is a channel the customer can be reached on; the booking's own channel comes first.
  WhatsApp outside the 24-hour window needs an approved template; a channel without consent is
  skipped; when nothing is left the message is blocked with every reason collected.
- Segments are computed from a contact's activity (see `compute_segments`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Action = Literal["send", "defer", "block", "skip", "cancel"]

REMINDER = "reminder"
MARKETING = "marketing"
SEGMENTS = (
    "new",
    "returning",
    "high-intent",
    "information-seeker",
    "at-risk",
    "support-heavy",
    "VIP",
)


# --- Policy settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """The rules one business applies to proactive messages (defaults in brackets)."""

    quiet_start: time = time(21, 0)
    quiet_end: time = time(9, 0)
    cap_messages: int = 2
    cap_days: int = 7
    stale_after: timedelta = timedelta(hours=72)
    reminder_min_lead: timedelta = timedelta(minutes=30)
    late_grace: timedelta = timedelta(seconds=60)


def _parse_time(value: Any, default: time) -> time:
    if isinstance(value, time):
        return value
    try:
        hours, minutes = str(value).split(":", 1)
        return time(int(hours), int(minutes))
    except (ValueError, TypeError):
        return default


def _number(value: Any, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except (TypeError, ValueError):
        return default


def policy_from_settings(settings: Mapping[str, Any]) -> Policy:
    """Read `settings["outreach"]` of a business; missing or bad values take the defaults."""
    raw = settings.get("outreach") if isinstance(settings, Mapping) else None
    conf: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    base = Policy()
    quiet = conf.get("quiet_hours")
    quiet = quiet if isinstance(quiet, Mapping) else {}
    cap = conf.get("frequency_cap")
    cap = cap if isinstance(cap, Mapping) else {}
    return Policy(
        quiet_start=_parse_time(quiet.get("start"), base.quiet_start),
        quiet_end=_parse_time(quiet.get("end"), base.quiet_end),
        cap_messages=int(_number(cap.get("max_messages"), base.cap_messages)),
        cap_days=int(_number(cap.get("days"), base.cap_days)),
        stale_after=timedelta(hours=_number(conf.get("stale_after_hours"), 72)),
        reminder_min_lead=timedelta(minutes=_number(conf.get("reminder_min_lead_minutes"), 30)),
        late_grace=timedelta(seconds=_number(conf.get("late_grace_seconds"), 60)),
    )


def reminder_offsets(settings: Mapping[str, Any]) -> tuple[float, ...]:
    """Hours before a booking at which reminders go (`settings["reminders"]`, default 24 and 2)."""
    raw = settings.get("reminders") if isinstance(settings, Mapping) else None
    conf: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    if conf.get("enabled") is False:
        return ()
    offsets = conf.get("offsets_hours", (24, 2))
    if not isinstance(offsets, Sequence) or isinstance(offsets, str):
        return (24.0, 2.0)
    good = {_number(o, -1.0) for o in offsets}
    return tuple(sorted((o for o in good if o > 0), reverse=True))


# --- Time of day -------------------------------------------------------------------------------


def zone(name: str | None, fallback: str = "UTC") -> ZoneInfo:
    """A timezone by name; an unknown name falls back (never raises)."""
    for candidate in (name, fallback, "UTC"):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def is_quiet(local: time, policy: Policy) -> bool:
    """Whether a local wall-clock time falls inside the quiet hours (which may wrap midnight)."""
    start, end = policy.quiet_start, policy.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def next_allowed(at: datetime, tz: ZoneInfo, policy: Policy) -> datetime:
    """`at` itself when allowed, else the end of the quiet period it falls in (UTC)."""
    local = at.astimezone(tz)
    if not is_quiet(local.time(), policy):
        return at.astimezone(UTC)
    day = local.date()
    if local.time() >= policy.quiet_end and policy.quiet_start > policy.quiet_end:
        day += timedelta(days=1)
    return datetime.combine(day, policy.quiet_end, tzinfo=tz).astimezone(UTC)


def last_allowed_before(at: datetime, tz: ZoneInfo, policy: Policy) -> datetime:
    """`at` itself when allowed, else the last minute before its quiet period began (UTC)."""
    local = at.astimezone(tz)
    if not is_quiet(local.time(), policy):
        return at.astimezone(UTC)
    day = local.date()
    if local.time() < policy.quiet_start:
        day -= timedelta(days=1)
    start = datetime.combine(day, policy.quiet_start, tzinfo=tz)
    return (start - timedelta(minutes=1)).astimezone(UTC)


def reminder_due(
    starts_at: datetime, offset_hours: float, tz: ZoneInfo, policy: Policy, now: datetime
) -> datetime | None:
    """When the reminder `offset_hours` before a booking should go, or None if it is too late.

    Inside quiet hours it waits for the morning, unless the morning is too close to the
    booking; then it goes in the evening before the quiet hours instead.
    """
    due = starts_at - timedelta(hours=offset_hours)
    latest = starts_at - policy.reminder_min_lead
    later = next_allowed(due, tz, policy)
    due = later if later <= latest else last_allowed_before(due, tz, policy)
    if due <= now or due > latest:
        return None
    return due


# --- Frequency ---------------------------------------------------------------------------------


def within_cap(sent_times: Sequence[datetime], now: datetime, policy: Policy) -> bool:
    """Whether one more marketing message keeps the contact under the cap."""
    window_start = now - timedelta(days=policy.cap_days)
    recent = [t for t in sent_times if t > window_start]
    return len(recent) < policy.cap_messages


# --- Routes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateChoice:
    """An approved provider template to use outside the WhatsApp window."""

    name: str
    language: str = "en"
    variables: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    """One channel a contact can be reached on, with what we know about it right now."""

    channel_id: str
    network: str
    consent: bool
    window_open: bool = True
    template: TemplateChoice | None = None


@dataclass(frozen=True)
class RouteDecision:
    """The channel chosen (and the template to use), or None with why nothing fits."""

    route: Route | None
    template: TemplateChoice | None = None
    reason: str = ""


def choose_route(routes: Sequence[Route], purpose: str) -> RouteDecision:
    """Take the first route (the booking's channel first) that consent and the window allow."""
    refused: list[str] = []
    for route in routes:
        where = f"{route.network} ({route.channel_id})"
        if not route.consent:
            refused.append(f"{where}: no {purpose} consent")
            continue
        if route.network == "whatsapp" and not route.window_open:
            if route.template is None:
                refused.append(f"{where}: 24-hour window closed and no approved template")
                continue
            return RouteDecision(route=route, template=route.template)
        return RouteDecision(route=route)
    if not routes:
        return RouteDecision(route=None, reason="no channel to reach the contact on")
    return RouteDecision(route=None, reason="; ".join(refused))


# --- The decision at send time -----------------------------------------------------------------


@dataclass(frozen=True)
class Situation:
    """Everything known when a scheduled message is about to go out."""

    kind: str
    purpose: str
    due_at: datetime
    now: datetime
    timezone: ZoneInfo
    record_active: bool | None = None
    record_label: str = "booking"
    starts_at: datetime | None = None
    marketing_sent: tuple[datetime, ...] = ()
    routes: tuple[Route, ...] = ()


@dataclass(frozen=True)
class Decision:
    """What to do with a scheduled message now, and why (the reason is stored on the row)."""

    action: Action
    reason: str = ""
    at: datetime | None = None
    route: Route | None = None
    template: TemplateChoice | None = None
    late_seconds: float = 0.0


def _fmt(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def decide(s: Situation, policy: Policy) -> Decision:
    """Cancel, skip as stale, block without consent, defer for quiet hours, block (cap,
    window) or send."""
    if s.record_active is False:
        return Decision("cancel", f"{s.record_label} is no longer active")
    if s.starts_at is not None and s.kind == REMINDER:
        if s.now >= s.starts_at - policy.reminder_min_lead:
            return Decision(
                "skip",
                f"stale: found at {_fmt(s.now, s.timezone)}, the {s.record_label} starts "
                f"{_fmt(s.starts_at, s.timezone)}",
            )
    elif s.now - s.due_at > policy.stale_after:
        hours = (s.now - s.due_at).total_seconds() / 3600
        return Decision("skip", f"stale: {hours:.1f} h after its due time")
    if s.routes and not any(r.consent for r in s.routes):
        # No consent anywhere: say so now, not "waits until the morning" (quiet hours come after).
        return Decision("block", choose_route(s.routes, s.purpose).reason)
    later = next_allowed(s.now, s.timezone, policy)
    if later > s.now:
        window = f"{policy.quiet_start:%H:%M}-{policy.quiet_end:%H:%M} {s.timezone.key}"
        if s.kind == REMINDER and s.starts_at and later > s.starts_at - policy.reminder_min_lead:
            return Decision("skip", f"quiet hours ({window}) last until the {s.record_label}")
        return Decision(
            "defer", f"quiet hours ({window}): waits until {_fmt(later, s.timezone)}", at=later
        )
    if s.purpose == MARKETING and not within_cap(s.marketing_sent, s.now, policy):
        return Decision(
            "block",
            f"frequency cap: {policy.cap_messages} marketing messages in {policy.cap_days} days",
        )
    choice = choose_route(s.routes, s.purpose)
    if choice.route is None:
        return Decision("block", choice.reason)
    late = max(0.0, (s.now - s.due_at).total_seconds())
    reason = f"sent {late:.0f} s late" if late > policy.late_grace.total_seconds() else ""
    return Decision("send", reason, route=choice.route, template=choice.template, late_seconds=late)


# --- Segments ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentRules:
    """Thresholds of the segment rules (`settings["outreach"]["segments"]`)."""

    new_days: int = 30
    at_risk_days: int = 60
    info_questions: int = 2
    support_events: int = 2
    vip_visits: int = 5
    vip_value: float = 1000.0


def segment_rules_from_settings(settings: Mapping[str, Any]) -> SegmentRules:
    """Read segment thresholds from business settings, defaults for what is missing."""
    raw = settings.get("outreach") if isinstance(settings, Mapping) else None
    conf = raw.get("segments") if isinstance(raw, Mapping) else None
    conf = conf if isinstance(conf, Mapping) else {}
    base = SegmentRules()
    return SegmentRules(
        new_days=int(_number(conf.get("new_days"), base.new_days)),
        at_risk_days=int(_number(conf.get("at_risk_days"), base.at_risk_days)),
        info_questions=int(_number(conf.get("info_questions"), base.info_questions)),
        support_events=int(_number(conf.get("support_events"), base.support_events)),
        vip_visits=int(_number(conf.get("vip_visits"), base.vip_visits)),
        vip_value=_number(conf.get("vip_value"), base.vip_value),
    )


@dataclass(frozen=True)
class Activity:
    """What a contact did, counted by the gateway from messages, bookings and handoffs."""

    first_seen: datetime | None = None
    last_inbound: datetime | None = None
    last_visit: datetime | None = None
    inbound_count: int = 0
    active_days: int = 0
    visits: int = 0
    upcoming: int = 0
    value: float = 0.0
    unfinished_booking: bool = False
    listing_interest: int = 0
    info_questions: int = 0
    complaints: int = 0
    handoffs: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)


def compute_segments(a: Activity, now: datetime, rules: SegmentRules) -> list[str]:
    """The segments a contact belongs to, in a stable order."""
    out: set[str] = set()
    recent = a.first_seen is not None and now - a.first_seen <= timedelta(days=rules.new_days)
    if recent and a.visits == 0 and a.active_days <= 1:
        out.add("new")
    elif a.visits >= 1 or a.active_days >= 2:
        out.add("returning")
    if a.upcoming == 0 and (a.unfinished_booking or a.listing_interest > 0):
        out.add("high-intent")
    if (
        a.info_questions >= rules.info_questions
        and a.visits == 0
        and a.upcoming == 0
        and not a.unfinished_booking
    ):
        out.add("information-seeker")
    engaged = a.visits >= 1 or a.inbound_count >= 3
    seen = [t for t in (a.last_inbound, a.last_visit) if t is not None]
    silent = bool(seen) and now - max(seen) > timedelta(days=rules.at_risk_days)
    if engaged and silent and a.upcoming == 0:
        out.add("at-risk")
    if a.complaints + a.handoffs >= rules.support_events:
        out.add("support-heavy")
    if a.visits >= rules.vip_visits or a.value >= rules.vip_value:
        out.add("VIP")
    return [s for s in SEGMENTS if s in out]
