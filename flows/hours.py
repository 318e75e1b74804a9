"""Opening hours, holidays and slot arithmetic in the business's timezone (pure)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_range(text: str) -> tuple[time, time]:
    """Parse "09:00-14:00" into (start, end); raises ValueError on a bad or empty range."""
    start_s, sep, end_s = text.replace(" ", "").partition("-")
    try:
        if not sep:
            raise ValueError("no dash")
        start, end = time.fromisoformat(start_s), time.fromisoformat(end_s)
    except ValueError:
        raise ValueError(f"expected HH:MM-HH:MM, got {text!r}") from None
    if end <= start:
        raise ValueError(f"the range {text!r} ends before it starts")
    return start, end


@dataclass(frozen=True)
class Hours:
    """Weekly opening ranges plus closed days, in one timezone."""

    timezone: str
    week: Mapping[int, tuple[tuple[time, time], ...]]
    holidays: frozenset[date] = frozenset()

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], timezone: str) -> Hours:
        """Build from a business's `settings` (`hours`, `holidays`).

        No hours configured means no opening ranges (`known` is False): nothing is bookable and
        no hours are ever stated, rather than a made-up Monday-Friday 9-18.
        """
        raw = settings.get("hours") or {}
        week: dict[int, tuple[tuple[time, time], ...]] = {}
        for i, day in enumerate(WEEKDAYS):
            ranges = raw.get(day) or ()
            week[i] = tuple(parse_range(r) for r in ranges)
        holidays = frozenset(date.fromisoformat(str(d)) for d in settings.get("holidays") or ())
        return cls(timezone=timezone, week=week, holidays=holidays)

    @property
    def known(self) -> bool:
        """Whether the business configured any opening range at all."""
        return any(self.week.values())

    @property
    def tz(self) -> ZoneInfo:
        """The timezone object."""
        return ZoneInfo(self.timezone)

    def ranges_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """Opening ranges of one local day as aware datetimes (none on holidays)."""
        if day in self.holidays:
            return ()
        return tuple(
            (datetime.combine(day, a, self.tz), datetime.combine(day, b, self.tz))
            for a, b in self.week.get(day.weekday(), ())
        )

    def fits(self, start: datetime, minutes: int) -> bool:
        """Whether [start, start+minutes) lies inside one opening range."""
        local = start.astimezone(self.tz)
        end = local + timedelta(minutes=minutes)
        return any(a <= local and end <= b for a, b in self.ranges_on(local.date()))

    def starts(
        self, after: datetime, minutes: int, step: int, days: int = 21
    ) -> Iterator[datetime]:
        """Every start on the `step` grid after `after` where `minutes` fit, in order."""
        local = after.astimezone(self.tz)
        for offset in range(days + 1):
            day = local.date() + timedelta(days=offset)
            for a, b in self.ranges_on(day):
                t = a
                while t + timedelta(minutes=minutes) <= b:
                    if t > local:
                        yield t
                    t += timedelta(minutes=step)

    def describe(self, language: str) -> list[tuple[str, str]]:
        """(day name, "09:00-14:00, 16:00-20:00" or closed) for each weekday."""
        names = _DAY_NAMES[language if language in _DAY_NAMES else "en"]
        closed = "cerrado" if language == "es" else "closed"
        out = []
        for i in range(7):
            ranges = self.week.get(i, ())
            shown = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in ranges) or closed
            out.append((names[i], shown))
        return out


_DAY_NAMES = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
}


def fmt_day(d: date, language: str) -> str:
    """ "Thu 13 Mar" / "jueves 13 de marzo"."""
    if language == "es":
        return f"{_DAY_NAMES['es'][d.weekday()]} {d.day} de {_MONTHS['es'][d.month - 1]}"
    return f"{_DAY_NAMES['en'][d.weekday()][:3]} {d.day} {_MONTHS['en'][d.month - 1]}"


def fmt_when(dt: datetime, language: str, timezone: str) -> str:
    """A local date and time the way a receptionist says it."""
    local = dt.astimezone(ZoneInfo(timezone))
    sep = ", a las " if language == "es" else " at "
    return f"{fmt_day(local.date(), language)}{sep}{local:%H:%M}"


def fmt_time(dt: datetime, timezone: str) -> str:
    """Local HH:MM."""
    return f"{dt.astimezone(ZoneInfo(timezone)):%H:%M}"


def describe_hours(hours: Hours, language: str) -> str:
    """Opening hours as short lines, consecutive equal days grouped."""
    rows = hours.describe(language)
    lines: list[str] = []
    i = 0
    while i < 7:
        j = i
        while j + 1 < 7 and rows[j + 1][1] == rows[i][1]:
            j += 1
        days = rows[i][0] if i == j else f"{rows[i][0]}–{rows[j][0]}"
        lines.append(f"{days}: {rows[i][1]}")
        i = j + 1
    return "\n".join(lines)


def nearest(candidates: Sequence[datetime], wanted: datetime, limit: int) -> list[datetime]:
    """The `limit` candidates closest to `wanted`, in time order."""
    ranked = sorted(candidates, key=lambda c: abs((c - wanted).total_seconds()))[:limit]
    return sorted(ranked)


_SHORT_DAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "es": ("lun", "mar", "mié", "jue", "vie", "sáb", "dom"),
}


def short_when(dt: datetime, language: str, timezone: str) -> str:
    """A button-sized date and time: "Thu 13 Mar 10:00" / "jue 13 mar 10:00"."""
    local = dt.astimezone(ZoneInfo(timezone))
    lang = language if language in _SHORT_DAYS else "en"
    month = _MONTHS[lang][local.month - 1][:3]
    return f"{_SHORT_DAYS[lang][local.weekday()]} {local.day} {month} {local:%H:%M}"
