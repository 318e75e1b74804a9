"""Dates, times and durations in English and Spanish chat.

We find candidate spans ourselves (weekdays, today/mañana, "next week", "15 de marzo", "a las 9 de
la noche", "17h") and resolve them against the business clock, preferring the future. `dateparser`
only ever sees a span we cut out (numeric dates, whose day/month order depends on the country):
on whole chat messages it invents dates from "we", "mi", phone numbers and durations.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dateparser
from dateutil.easter import easter

from flows.understanding.text import NUMBER_WORD_RE, fold, to_number
from flows.understanding.types import Entity

log = logging.getLogger(__name__)

_MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("january", "jan", "enero", "ene"),
        ("february", "feb", "febrero"),
        ("march", "mar", "marzo"),
        ("april", "apr", "abril", "abr"),
        ("may", "mayo"),
        ("june", "jun", "junio"),
        ("july", "jul", "julio"),
        ("august", "aug", "agosto", "ago"),
        ("september", "sept", "sep", "septiembre", "setiembre"),
        ("october", "oct", "octubre"),
        ("november", "nov", "noviembre"),
        ("december", "dec", "diciembre", "dic"),
    ],
    start=1,
):
    for _n in _names:
        _MONTHS[_n] = _i

_WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "mon": 0,
    "lunes": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "martes": 1,
    "wednesday": 2,
    "wed": 2,
    "weds": 2,
    "miercoles": 2,
    "thursday": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "jueves": 3,
    "friday": 4,
    "fri": 4,
    "viernes": 4,
    "saturday": 5,
    "sabado": 5,
    "sunday": 6,
    "domingo": 6,
}


def _alt(names: Mapping[str, object]) -> str:
    return "|".join(sorted(names, key=len, reverse=True))


MONTH = _alt(_MONTHS)
WEEKDAY = _alt(_WEEKDAYS)
ORD = r"(?:st|nd|rd|th|º|o)?"
PART = r"(?:manana|tarde|noche|madrugada|morning|afternoon|evening|night|mediodia)"
_PART_AFTER = re.compile(rf"^[\s,]*(?:(?:de|por|en|a) la|in the|at|this|esta|el|la)?\s*({PART})\b")
_AMPM_AFTER = re.compile(r"^\s*(a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z])")
_DURATION_BEFORE = re.compile(
    r"(?:\bfor|\bdurante|\bpor|\bin|\ben|\bdentro de|\blasts?|\bdura)\s*$"
)
_NOT_TIME_AFTER = re.compile(
    r"^\s*(?:people|persons|guests|pax|adults|kids|ppl|personas|comensales|adultos|ninos|"
    r"years?|anos|dias|days|weeks|semanas|months|meses|%|k\b|mil\b|euros?|dollars|€|\$|usd|eur)"
)
_EVENING_PARTS = {"tarde", "noche", "afternoon", "evening", "night"}
_MORNING_PARTS = {"manana", "morning", "madrugada"}


@dataclass
class _Hit:
    start: int
    end: int
    day: date | None = None
    clock: time | None = None
    span: tuple[date, date] | None = None
    part: str | None = None


@dataclass(frozen=True)
class DateSettings:
    """How to read dates for one business: its clock, timezone and numeric date order."""

    now: datetime
    timezone: str
    date_order: str = "DMY"
    pm_until: int = 7
    """Bare hours 1..pm_until ("at 5", "a las 9") are read as afternoon/evening."""

    @property
    def today(self) -> date:
        """The business's current local date."""
        return self.now.date()


def _next_weekday(today: date, weekday: int, this: bool = False) -> date:
    delta = (weekday - today.weekday()) % 7
    if delta == 0 and not this:
        delta = 7
    return today + timedelta(days=delta)


def _next_day_of_month(today: date, day: int) -> date | None:
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        month += 1
        if month > 12:
            month, year = 1, year + 1
    return None


def _month_day(today: date, month: int, day: int, year: int | None) -> date | None:
    try:
        if year is not None:
            return date(year if year > 99 else 2000 + year, month, day)
        candidate = date(today.year, month, day)
        if candidate < today:
            candidate = date(today.year + 1, month, day)
        return candidate
    except ValueError:
        return None


def _part_after(f: str, end: int) -> tuple[str | None, int]:
    m = _PART_AFTER.match(f[end:])
    if m and m.group(1) != "mediodia":
        return m.group(1), end + m.end()
    return None, end


# ---------------------------------------------------------------- date finders

_DateFinder = Callable[[re.Match[str], str, DateSettings], _Hit | None]


def _d_after_tomorrow(m: re.Match[str], f: str, s: DateSettings) -> _Hit:
    return _Hit(m.start(), m.end(), day=s.today + timedelta(days=2))


def _d_next_week(m: re.Match[str], f: str, s: DateSettings) -> _Hit:
    monday = s.today + timedelta(days=7 - s.today.weekday())
    return _Hit(m.start(), m.end(), span=(monday, monday + timedelta(days=6)))


def _d_weekend(m: re.Match[str], f: str, s: DateSettings) -> _Hit:
    sat = s.today + timedelta(days=(5 - s.today.weekday()) % 7)
    if s.today.weekday() == 6:
        sat = s.today - timedelta(days=1)
    if m.group("nxt") and s.today.weekday() >= 5:
        sat += timedelta(days=7)
    return _Hit(m.start(), m.end(), span=(max(sat, s.today), sat + timedelta(days=1)))


def _d_in_days(m: re.Match[str], f: str, s: DateSettings) -> _Hit | None:
    if re.search(
        r"(?:n't\b|\b(?:havent|hasnt|didnt|dont|not|never|nothing|nobody|no|nada|ni|first\s+time)\b)"
        r"[^.?!]{0,30}$",
        f[: m.start()],
    ):
        return None  # "haven't heard back in 2 weeks" is a duration
    n = to_number(m.group("n"))
    if n is None:
        return None
    unit = m.group("unit")
    days = n * 7 if unit.startswith(("week", "semana")) else n
    return _Hit(m.start(), m.end(), day=s.today + timedelta(days=days))


def _d_ago(m: re.Match[str], f: str, s: DateSettings) -> _Hit | None:
    """A past day counted back from today: "3 days ago", "a week ago"."""
    n = 1 if m.group("n") in ("a", "an") else to_number(m.group("n"))
    if n is None:
        return None
    days = n * 7 if m.group("unit").startswith("week") else n
    return _Hit(m.start(), m.end(), day=s.today - timedelta(days=days))


def _d_from_base(m: re.Match[str], f: str, s: DateSettings) -> _Hit | None:
    """A day counted from today or tomorrow ("a week from today"), or "in a fortnight"."""
    if m.group("f"):
        return _Hit(m.start(), m.end(), day=s.today + timedelta(days=14))
    n = to_number(m.group("n"))
    if n is None:
        return None
    days = n * 7 if m.group("unit").startswith("week") else n
    base = s.today + timedelta(days=1 if m.group("base") == "tomorrow" else 0)
    return _Hit(m.start(), m.end(), day=base + timedelta(days=days))


def _d_day_month(m: re.Match[str], f: str, s: DateSettings) -> _Hit | None:
    year = int(m.group("y")) if m.group("y") else None
    d = _month_day(s.today, _MONTHS[m.group("m")], int(m.group("d")), year)
    return _Hit(m.start(), m.end(), day=d) if d else None


def _d_numeric(m: re.Match[str], f: str, s: DateSettings) -> _Hit | None:
    if (
        m.group("mo") == "10"
        and not m.group("y")
        and re.search(
            r"\b(?:pain|dolor|rate|rated|score|nota|puntuacion)\b[^.?!]{0,15}$", f[: m.start()]
        )
    ):
        return None  # "pain 10/10" is a score
    span = m.group(0)
    settings = {
        "DATE_ORDER": s.date_order,
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": s.now.replace(tzinfo=None),
        "REQUIRE_PARTS": ["day", "month"],
    }
    try:
        parsed = dateparser.parse(span, settings=settings)  # type: ignore[arg-type]
    except (ValueError, TypeError, OverflowError) as exc:
        log.debug("dateparser failed on %r: %s", span, exc)
        return None
    if parsed is None:
        return None
    d = parsed.date()
    if not m.group("y") and d < s.today:
        try:
            d = d.replace(year=d.year + 1)
        except ValueError:
            return None
    return _Hit(m.start(), m.end(), day=d)


def _d_day_of_month(m: re.Match[str], f: str, s: DateSettings) -> _Hit | None:
    groups = m.groupdict()
    n = int(groups.get("d") or groups.get("d2") or 0)
    if not 1 <= n <= 31:
        return None
    d = _next_day_of_month(s.today, n)
    return _Hit(m.start(), m.end(), day=d) if d else None


def _d_weekday(m: re.Match[str], f: str, s: DateSettings) -> _Hit | None:
    if re.search(r"\b(?:los|every|cada)\s+$", f[: m.start("wd")]):
        return None  # "los lunes" / "every monday" is a habit, not a date
    wd = _WEEKDAYS[m.group("wd")]
    if m.group("dom"):
        d = _next_day_of_month(s.today, int(m.group("dom")))
        if d is not None:
            return _Hit(m.start(), m.end(), day=d)
    mod = (m.group("mod") or "").strip()
    day = _next_weekday(s.today, wd, this=mod in ("this", "este", "esta"))
    if m.group("nw"):
        day = _next_weekday(s.today + timedelta(days=7 - s.today.weekday() - 1), wd)
    part, end = _part_after(f, m.end())
    return _Hit(m.start(), end, day=day, part=part)


_CLOSING_BEFORE = re.compile(
    r"\b(?:(?:that'?s|that\s+is|thats|it'?s)\s+(?:all|it)|enough|eso\s+es\s+todo|nada\s+mas|"
    r"es\s+todo|(?:ya\s+)?esta|suficiente)\s+(?:for|por)\s*$"
)


def _d_today(m: re.Match[str], f: str, s: DateSettings) -> _Hit | None:
    if _CLOSING_BEFORE.search(f[: m.start()]):
        return None  # "that's all for today" closes a chat; it names no day
    word = m.group(0)
    part = None
    if "night" in word or "noche" in word or "tonite" in word:
        part = "noche"
    elif "tarde" in word or "afternoon" in word or "evening" in word:
        part = "tarde"
    elif "morning" in word or "manana" in word:
        part = "manana"
    end = m.end()
    if part is None:
        part, end = _part_after(f, end)
    return _Hit(m.start(), end, day=s.today, part=part)


def _d_tomorrow(m: re.Match[str], f: str, s: DateSettings) -> _Hit | None:
    before = f[: m.start()]
    if m.group(0) == "manana" and re.search(r"(?:\bla|\besta|\bpor|\bcada|\bde\s+la)\s+$", before):
        return None
    part, end = _part_after(f, m.end())
    return _Hit(m.start(), end, day=s.today + timedelta(days=1), part=part)


def _previous_weekday(today: date, weekday: int) -> date:
    return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)


def _d_past_weekday(m: re.Match[str], f: str, s: DateSettings) -> _Hit:
    wd = _WEEKDAYS[m.group("wd") or m.group("wd2") or m.group("wd3")]
    part, end = _part_after(f, m.end())
    return _Hit(m.start(), end, day=_previous_weekday(s.today, wd), part=part)


def _d_yesterday(m: re.Match[str], f: str, s: DateSettings) -> _Hit:
    word = m.group(0)
    back = 2 if ("ante" in word or "before" in word) else 1
    part = "noche" if ("anoche" in word or "night" in word) else None
    end = m.end()
    if part is None:
        part, end = _part_after(f, end)
    return _Hit(m.start(), end, day=s.today - timedelta(days=back), part=part)


_HOLIDAYS = {
    "christmas eve": (12, 24),
    "nochebuena": (12, 24),
    "new years eve": (12, 31),
    "new year's eve": (12, 31),
    "nochevieja": (12, 31),
    "new year's day": (1, 1),
    "new years day": (1, 1),
    "new year's": (1, 1),
    "new years": (1, 1),
    "ano nuevo": (1, 1),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "xmas": (12, 25),
    "navidad": (12, 25),
    "navidades": (12, 25),
    "reyes": (1, 6),
    "epiphany": (1, 6),
    "epifania": (1, 6),
    "valentine's day": (2, 14),
    "valentine's": (2, 14),
    "san valentin": (2, 14),
    "st patrick's day": (3, 17),
    "saint patrick's day": (3, 17),
    "st paddy's day": (3, 17),
    "dia del padre": (3, 19),
    "fourth of july": (7, 4),
    "4th of july": (7, 4),
    "independence day": (7, 4),
    "halloween": (10, 31),
    "dia de la hispanidad": (10, 12),
    "todos los santos": (11, 1),
    "dia de la constitucion": (12, 6),
    "la inmaculada": (12, 8),
    "noche de san juan": (6, 23),
    "dia de san juan": (6, 24),
    "boxing day": (12, 26),
}
_NTH_WEEKDAY: dict[str, tuple[int, int, int, int]] = {
    "thanksgiving": (11, 3, 4, 0),
    "black friday": (11, 3, 4, 1),
    "day after thanksgiving": (11, 3, 4, 1),
    "memorial day": (5, 0, -1, 0),
    "labor day": (9, 0, 1, 0),
    "labour day": (9, 0, 1, 0),
    "mlk day": (1, 0, 3, 0),
    "martin luther king day": (1, 0, 3, 0),
    "presidents' day": (2, 0, 3, 0),
    "columbus day": (10, 0, 2, 0),
    "mother's day": (5, 6, 2, 0),
    "father's day": (6, 6, 3, 0),
    "dia de la madre": (5, 6, 1, 0),
}
"""US holidays on the n-th (or, with -1, the last) weekday of a month: (month, weekday, n, days
after it); Spain's Mother's Day is the first Sunday of May, its Father's Day 19 March."""


def _nth_weekday(year: int, rule: tuple[int, int, int, int]) -> date:
    month, weekday, n, after = rule
    if n > 0:
        first = date(year, month, 1)
        day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    else:
        last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        day = last - timedelta(days=(last.weekday() - weekday) % 7)
    return day + timedelta(days=after)


def _holiday_day(key: str, year: int) -> date:
    if key in _NTH_WEEKDAY:
        return _nth_weekday(year, _NTH_WEEKDAY[key])
    month, day = _HOLIDAYS[key]
    return date(year, month, day)


_EASTER: dict[str, int | tuple[int, int]] = {
    "easter sunday": 0,
    "easter day": 0,
    "easter": 0,
    "domingo de resurreccion": 0,
    "domingo de pascua": 0,
    "good friday": -2,
    "viernes santo": -2,
    "maundy thursday": -3,
    "holy thursday": -3,
    "jueves santo": -3,
    "easter monday": 1,
    "lunes de pascua": 1,
    "palm sunday": -7,
    "domingo de ramos": -7,
    "semana santa": (-7, 0),
    "holy week": (-7, 0),
    "easter week": (-7, 0),
    "easter weekend": (-2, 1),
}
"""Movable feasts: days from Easter Sunday (dateutil's Western Easter), or a span of them."""
_HOLIDAY = _alt({**_HOLIDAYS, **_NTH_WEEKDAY, **_EASTER}).replace("'", "'?").replace(" ", r"\s+")
_PAST_MARK = re.compile(r"\b(?:last|past|pasad[oa]s?|anterior(?:es)?)\s*$")


def _d_holiday(m: re.Match[str], f: str, s: DateSettings) -> _Hit | None:
    name = re.sub(r"\s+", " ", m.group("h")).replace("'", "")
    if name in _EASTER:
        return _easter_hit(m, f, s, _EASTER[name])
    key = next((k for k in (*_HOLIDAYS, *_NTH_WEEKDAY) if k.replace("'", "") == name), None)
    if key is None:
        return None
    before = f[: m.start("h")]
    if key == "reyes" and not re.search(r"\b(?:dia\s+de|de|para|en|por|hasta|tras)\s+$", before):
        return None  # "Ana Reyes" is a surname
    after = f[m.end() : m.end() + 12]
    past = bool(_PAST_MARK.search(before[-12:])) or bool(re.match(r"\s+pasad[oa]s?\b", after))
    candidate = _holiday_day(key, s.today.year)
    if past:
        if candidate >= s.today:
            candidate = _holiday_day(key, s.today.year - 1)
    elif candidate < s.today:
        candidate = _holiday_day(key, s.today.year + 1)
    end = m.end()
    tail = re.match(r"\s+pasad[oa]s?\b", after)
    if tail:
        end += tail.end()
    return _Hit(m.start(), end, day=candidate)


def _easter_hit(m: re.Match[str], f: str, s: DateSettings, offset: int | tuple[int, int]) -> _Hit:
    """The next (or, after "last"/"pasada", the previous) Easter-relative day or span."""
    lo, hi = offset if isinstance(offset, tuple) else (offset, offset)
    before = f[: m.start("h")]
    after = f[m.end() : m.end() + 12]
    tail = re.match(r"\s+pasad[oa]s?\b", after)
    past = bool(_PAST_MARK.search(before[-12:])) or bool(tail)
    year = s.today.year
    if past:
        while easter(year) + timedelta(days=hi) >= s.today:
            year -= 1
    elif easter(year) + timedelta(days=hi) < s.today:
        year += 1
    sunday = easter(year)
    end = m.end() + (tail.end() if tail else 0)
    if lo == hi:
        return _Hit(m.start(), end, day=sunday + timedelta(days=lo))
    return _Hit(m.start(), end, span=(sunday + timedelta(days=lo), sunday + timedelta(days=hi)))


_DATE_PATTERNS: list[tuple[re.Pattern[str], _DateFinder]] = [
    (re.compile(rf"\b(?:(?:el\s+)?dia\s+de\s+)?(?P<h>{_HOLIDAY})\b"), _d_holiday),
    (
        re.compile(
            r"\b(?:anteayer|antes\s+de\s+ayer|the\s+day\s+before\s+yesterday|yesterday|ayer|"
            r"anoche|last\s+night)\b"
        ),
        _d_yesterday,
    ),
    (
        re.compile(
            rf"\b(?:last|past|since)\s+(?P<wd>{WEEKDAY})\b"
            rf"|\b(?:el\s+)?(?P<wd2>{WEEKDAY})\s+pasado\b"
            rf"|\b(?P<wd3>{WEEKDAY})\s+(?:before\s+last|de\s+la\s+semana\s+pasada)\b"
        ),
        _d_past_weekday,
    ),
    (re.compile(r"\bpasado\s+manana\b|\b(?:the\s+)?day\s+after\s+tomorrow\b"), _d_after_tomorrow),
    (
        re.compile(rf"\b(?P<n>\d{{1,2}}|{NUMBER_WORD_RE}|an?)\s+(?P<unit>days?|weeks?)\s+ago\b"),
        _d_ago,
    ),
    (
        re.compile(
            r"\b(?:la\s+)?semana\s+que\s+viene\b|\b(?:la\s+)?(?:proxima|siguiente)\s+semana\b"
            r"|\bla\s+semana\s+proxima\b|\bnext\s+week\b"
        ),
        _d_next_week,
    ),
    (
        re.compile(
            r"\b(?:(?:this|este|el|the)\s+)?(?P<nxt>next\s+|(?:el\s+)?proximo\s+)?"
            r"(?:weekend|wknd|fin\s+de\s+semana|finde)\b(?:\s+que\s+viene)?"
        ),
        _d_weekend,
    ),
    (
        re.compile(
            rf"\b(?:in|en|dentro\s+de)\s+(?:a\s+|an\s+)?(?P<n>\d{{1,2}}|{NUMBER_WORD_RE}|a)\s+"
            r"(?P<unit>days?|dias?|weeks?|semanas?)\b"
        ),
        _d_in_days,
    ),
    (
        re.compile(
            rf"\b(?:(?P<n>\d{{1,2}}|{NUMBER_WORD_RE}|a)\s+(?P<unit>days?|weeks?)\s+(?:from|after)\s+"
            r"(?P<base>today|now|tomorrow)|in\s+a\s+(?P<f>fortnight))\b"
        ),
        _d_from_base,
    ),
    (
        re.compile(
            rf"(?:\b(?:{WEEKDAY}),?\s+)?(?:\b(?:el|the)\s+)?(?:\bdia\s+)?\b(?P<d>\d{{1,2}}){ORD}"
            rf"(?:\s+de|\s+of)?\s+(?P<m>{MONTH})\b\.?(?:,?\s+(?:de\s+|del\s+)?(?P<y>\d{{4}}))?"
        ),
        _d_day_month,
    ),
    (
        re.compile(
            rf"(?:\b(?:{WEEKDAY}),?\s+)?\b(?P<m>{MONTH})\.?\s+(?:the\s+)?(?P<d>\d{{1,2}}){ORD}"
            rf"(?![\d:.])\b(?:,?\s+(?P<y>\d{{4}}))?"
        ),
        _d_day_month,
    ),
    (
        re.compile(
            r"(?<!\bfrom\s)(?<!\bbetween\s)\b(?P<d>\d{1,2})[/-](?P<mo>\d{1,2})"
            r"(?:[/-](?P<y>\d{2,4}))?(?![\d/-])(?!\s*(?:[ap]\.?\s?m\b|h\b|hs\b|:\d))"
        ),
        _d_numeric,
    ),
    (
        re.compile(
            rf"\b(?:(?P<mod>next|this|coming|on|el\s+proximo|el\s+siguiente|proximo|este|el|"
            rf"this\s+coming)\s+)?(?P<wd>{WEEKDAY})\b\.?"
            rf"(?:\s+(?:the\s+)?(?P<dom>\d{{1,2}})(?:st|nd|rd|th)?\b(?![:.h]\d|\s*(?:h\b|am|pm|ish\b)|"
            r"\s+(?:in\s+the|de\s+la|por\s+la)\s+(?:morning|afternoon|evening|night|manana|tarde|noche)\b))?"
            rf"(?P<nw>\s+(?:of\s+)?next\s+week|\s+de\s+la\s+semana\s+que\s+viene)?"
            rf"(?:\s+(?:que\s+viene|proximo))?"
        ),
        _d_weekday,
    ),
    (
        re.compile(
            r"\b(?:(?:on\s+)?the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b"
            r"|(?:el\s+)?dia\s+(?P<d2>\d{1,2})\b)"
        ),
        _d_day_of_month,
    ),
    (
        re.compile(r"\bel\s+(?P<d>\d{1,2})(?=\s+a\s+las?\b|\s+por\s+la\b|\s*[,.!?]|\s*$)"),
        _d_day_of_month,
    ),
    (
        re.compile(
            r"\b(?:today|hoy|tonight|tonite|esta\s+noche|esta\s+tarde|esta\s+manana|"
            r"this\s+(?:morning|afternoon|evening))\b"
        ),
        _d_today,
    ),
    (
        re.compile(r"\b(?:tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow|2morrow|manana)\b"),
        _d_tomorrow,
    ),
]


# ---------------------------------------------------------------- time finders

_TIME_PREFIX = (
    r"(?:at|@|a\s+las|a\s+la|sobre\s+las|sobre\s+la|hacia\s+las|tipo|around|about|by|"
    r"at\s+around|at\s+about|como\s+a\s+las|a\s+eso\s+de\s+las|before|after|antes\s+de\s+las|"
    r"despues\s+de\s+las|desde\s+las|a\s+partir\s+de\s+las|from)"
)
_HOUR_WORD = rf"(?P<h>\d{{1,2}}|{NUMBER_WORD_RE})"
_TIME_PATTERNS: list[re.Pattern[str]] = [
    # "quarter to 5", "a quarter past 4", "half past 3", British "half 7" (= 7:30).
    re.compile(
        rf"(?:\b{_TIME_PREFIX}\s+)?\b(?P<q>(?:a\s+)?quarter\s+(?:past|after|to|til|before)|"
        rf"half\s+past|half)\s+{_HOUR_WORD}\b(?!\s+(?:an?|hours?|days?|weeks?|of)\b)"
    ),
    # "7ish", "around 10ish".
    re.compile(rf"(?:\b{_TIME_PREFIX}\s+)?\b(?P<h>\d{{1,2}})\s*ish\b"),
    # "5 in the afternoon", "9 de la noche" (the part of day says it is a clock time).
    re.compile(
        r"(?:\b(?:at|a\s+las|a\s+la|around|sobre\s+las)\s+)?\b(?P<h>\d{1,2})(?=\s+(?:in\s+the|de\s+la|"
        r"por\s+la)\s+(?:morning|afternoon|evening|night|manana|tarde|noche)\b)"
    ),
    re.compile(
        rf"(?:\b{_TIME_PREFIX}\s+)?\b(?P<h>\d{{1,2}})[:.](?P<mi>\d{{2}})(?!\d)"
        r"\s*(?P<ap>a\.?\s?m\.?|p\.?\s?m\.?|hs?\b|hrs\b)?"
    ),
    re.compile(
        rf"(?:\b{_TIME_PREFIX}\s+)?\b(?P<h>\d{{1,2}})\s*(?P<ap>a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z])"
    ),
    re.compile(rf"(?:\b{_TIME_PREFIX}\s+)?\b(?P<h>\d{{1,2}})\s*(?P<ap>h|hs|hrs)\b"),
    re.compile(
        rf"\b{_TIME_PREFIX}\s+(?P<h>\d{{1,2}}|{NUMBER_WORD_RE})\b"
        r"(?P<q>\s+y\s+media|\s+y\s+cuarto|\s+menos\s+cuarto|\s+o'?clock|\s+en\s+punto|"
        r"\s+and\s+a\s+half|:30)?"
    ),
    re.compile(rf"\bhalf\s+past\s+(?P<h>\d{{1,2}}|{NUMBER_WORD_RE})\b"),
    re.compile(rf"\b(?P<h>\d{{1,2}}|{NUMBER_WORD_RE})\s+(?:o'?clock|en\s+punto)"),
    re.compile(r"\b(?P<noon>noon|midday|mediodia|medio\s+dia|midnight|medianoche)(?:\s*-?ish)?\b"),
    # The start of a range: "de las 21 a las 22".
    re.compile(r"\bde\s+las?\s+(?P<h>\d{1,2})(?=\s+a\s+las?\s+\d)"),
]


def _time_hit(m: re.Match[str], f: str) -> _Hit | None:
    groups = m.groupdict()
    if groups.get("noon"):
        if f[: m.start()].rstrip().endswith(("de", "del", "al", "por el", "before", "after")) and (
            "medio" in groups["noon"] or "mediodia" in groups["noon"]
        ):
            pass
        hour = 0 if groups["noon"] in ("midnight", "medianoche") else 12
        return _Hit(m.start(), m.end(), clock=time(hour, 0), part="fixed")
    h = to_number(groups["h"])
    if h is None or h > 24:
        return None
    minute = int(groups["mi"]) if groups.get("mi") else 0
    if minute > 59:
        return None
    ap = fold(groups.get("ap") or "").replace(".", "").replace(" ", "")
    if ap in ("h", "hs", "hrs") and _DURATION_BEFORE.search(f[: m.start()]):
        return None
    if not groups.get("mi") and not ap and _NOT_TIME_AFTER.match(f[m.end() :]):
        return None
    q = " ".join((groups.get("q") or "").split())
    if "half past" in m.group(0) or q in ("y media", "and a half", ":30", "half"):
        minute = 30
    elif q == "y cuarto" or q.endswith(("quarter past", "quarter after")):
        minute = 15
    elif q == "menos cuarto" or q.endswith(("quarter to", "quarter til", "quarter before")):
        h, minute = (h - 1) % 24 or 12, 45
    end = m.end()
    part: str | None = None
    if ap in ("am", "pm"):
        part = ap
    else:
        ap_m = _AMPM_AFTER.match(f[end:])
        if ap_m:
            part = fold(ap_m.group(1)).replace(".", "").replace(" ", "")
            end += ap_m.end()
        else:
            part, end = _part_after(f, end)
    if h == 24:
        h = 0
    return _Hit(m.start(), end, clock=time(h % 24, minute), part=part or ("24h" if ap else None))


_RANGE = re.compile(
    r"(?:\b(?P<pre>from|between|entre(?:\s+las?)?|desde(?:\s+las?)?|de\s+las?|around|about|at|"
    r"sobre\s+las?)\s+)?(?<![\d:/.,-])\b(?P<h1>\d{1,2})(?:[:.](?P<m1>\d{2}))?(?![\d/])\s*"
    r"(?P<a1>[ap]\.?\s?m\.?(?![a-z]))?\s*"
    r"(?:-|–|\bto\b|\btill?\b|\buntil\b|\band\b|\by(?:\s+las?)?\b|\ba\s+las?\b|\bhasta(?:\s+las?)?\b)\s*"
    r"(?P<h2>\d{1,2})(?:[:.](?P<m2>\d{2}))?(?![\d/])\s*(?P<a2>[ap]\.?\s?m\.?(?![a-z])|hs?\b)?"
)
"""A time range: "2-4pm", "between 3 and 5", "from 7 to 8", "entre las 5 y las 7". Both ends are
times; a range needs a lead word, an am/pm or minutes, so "2 adults and 3 kids" is none."""


def _range_hits(m: re.Match[str], f: str) -> list[_Hit]:
    g = m.groupdict()
    if not (g["pre"] or g["a1"] or g["a2"] or g["m1"] or g["m2"]):
        return []
    if _NOT_TIME_AFTER.match(f[m.end() :]):
        return []
    h1, h2 = int(g["h1"]), int(g["h2"])
    m1, m2 = int(g["m1"] or 0), int(g["m2"] or 0)
    if max(h1, h2) > 24 or max(m1, m2) > 59:
        return []
    a2 = fold(g["a2"] or "").replace(".", "").replace(" ", "")
    part2 = "24h" if a2 in ("h", "hs") else (a2 or None)
    a1 = fold(g["a1"] or "").replace(".", "").replace(" ", "")
    part1 = a1 or ("am" if part2 == "pm" and h2 != 12 and h1 > h2 and h1 != 12 else part2)
    if part1 is None and h1 < 12 == h2:
        part1 = "am"  # "11:30-12:30" is the late morning
    end = m.end()
    if part2 is None:
        part2, end = _part_after(f, end)
        part1 = part1 or part2
    first_end = max(m.end(k) for k in ("h1", "m1", "a1") if g[k])
    first = _Hit(m.start(), first_end, clock=time(h1 % 24, m1), part=part1)
    second = _Hit(m.start("h2"), end, clock=time(h2 % 24, m2), part=part2)
    return [first, second]


def _time_candidates(f: str) -> list[_Hit]:
    """Every time hit, ranges first, in the order the patterns rank them."""
    out = [hit for m in _RANGE.finditer(f) for hit in _range_hits(m, f)]
    for pattern in _TIME_PATTERNS:
        for m in pattern.finditer(f):
            hit = _time_hit(m, f)
            if hit is not None:
                out.append(hit)
    return out


def _resolve_hour(clock: time, part: str | None, pm_until: int = 7) -> time:
    h = clock.hour
    if part == "fixed":
        return clock
    if part == "pm" or part in _EVENING_PARTS:
        if h < 12 and not (part in ("noche", "night") and h < 4):
            h += 12
    elif part == "am" or part in _MORNING_PARTS:
        if h == 12:
            h = 0
    elif part == "24h" or h >= 12 or h == 0:
        pass
    elif 1 <= h <= pm_until:
        # A bare "at 5" / "a las 5" for a business means the afternoon.
        h += 12
    return time(h, clock.minute)


# ---------------------------------------------------------------- assembly

_GAP = re.compile(r"^[\s,]*(?:-|at|a|on|el|del|para|para\s+el|for|y|and|,)?[\s,]*$")


_RANGE_GAP = re.compile(r"^\s*(?:-|–|a|to|till|til|until|hasta|and|y)?(?:\s+las?)?\s*$")


def _overlaps(a: _Hit, taken: list[_Hit]) -> bool:
    return any(a.start < b.end and b.start < a.end for b in taken)


def _find(f: str, s: DateSettings) -> tuple[list[_Hit], list[_Hit]]:
    dates: list[_Hit] = []
    for pattern, finder in _DATE_PATTERNS:
        for m in pattern.finditer(f):
            hit = finder(m, f, s)
            if hit is not None and not _overlaps(hit, dates):
                dates.append(hit)
    times: list[_Hit] = []
    for hit in _time_candidates(f):
        if _overlaps(hit, times):
            continue
        overlapping = [d for d in dates if hit.start < d.end and d.start < hit.end]
        if overlapping and all(d.start >= hit.start + 1 for d in overlapping):
            # The time only swallowed a date after it as its part of day ("a las 22 esta
            # noche", "sobre las 22 mañana" = tomorrow): the time ends where the date
            # starts and takes its part of day from the date when they pair.
            cut = min(d.start for d in overlapping)
            if f[hit.start : cut].strip() and cut > hit.start:
                hit.end = len(f[:cut].rstrip())
                if hit.part not in ("am", "pm", "24h", "fixed"):
                    hit.part = None
                overlapping = []
        if overlapping:
            # A time pattern wins over a date whose only overlap is a trailing part of day.
            if all(d.part and d.start < hit.start for d in overlapping):
                for d in overlapping:
                    d.end = min(d.end, hit.start)
            else:
                continue
        times.append(hit)
    return sorted(dates, key=lambda h: h.start), sorted(times, key=lambda h: h.start)


def _aware(d: date, t: time, tz: str) -> datetime:
    return datetime.combine(d, t).replace(tzinfo=ZoneInfo(tz))


def extract_dates(text: str, settings: DateSettings) -> list[Entity]:
    """Find dates, times and date ranges in a message; values are ISO strings."""
    f = fold(text)
    dates, times = _find(f, settings)
    used_dates: set[int] = set()
    partners: list[int | None] = []
    for t in times:
        partner = None
        for i, d in enumerate(dates):
            if i in used_dates or d.day is None:
                continue
            gap = f[d.end : t.start] if d.end <= t.start else f[t.end : d.start]
            if len(gap) <= 14 and _GAP.match(gap):
                partner = i
                used_dates.add(i)
                break
        partners.append(partner)
    direct = list(partners)
    for k in range(len(times) - 1, -1, -1):
        # "de las 21 a las 22 esta noche": both ends of a range share the date of one of them.
        for j in (k + 1, k - 1):
            if partners[k] is None and 0 <= j < len(times) and partners[j] is not None:
                a, b = sorted((times[k], times[j]), key=lambda h: h.start)
                if _RANGE_GAP.match(f[a.end : b.start]):
                    partners[k] = partners[j]
    out: list[Entity] = []
    for k, (t, partner) in enumerate(zip(times, partners, strict=True)):
        assert t.clock is not None
        if partner is not None:
            d = dates[partner]
            assert d.day is not None
            clock = _resolve_hour(t.clock, t.part or d.part, settings.pm_until)
            start, end = min(d.start, t.start), max(d.end, t.end)
            if direct[k] is None:
                start, end = t.start, t.end
            value = _aware(d.day, clock, settings.timezone).isoformat()
        else:
            clock = _resolve_hour(t.clock, t.part, settings.pm_until)
            day = settings.today
            if _aware(day, clock, settings.timezone) <= settings.now:
                day += timedelta(days=1)
            start, end = t.start, t.end
            value = _aware(day, clock, settings.timezone).isoformat()
        out.append(Entity("datetime", value, text[start:end], start, end))
    for i, d in enumerate(dates):
        if i in used_dates:
            continue
        if d.span is not None:
            value_r = {"start": d.span[0].isoformat(), "end": d.span[1].isoformat()}
            out.append(Entity("daterange", value_r, text[d.start : d.end], d.start, d.end))
        elif d.day is not None:
            out.append(Entity("date", d.day.isoformat(), text[d.start : d.end], d.start, d.end))
    return sorted(out, key=lambda e: e.start)


# ---------------------------------------------------------------- durations

_UNITS = {
    "minute": "M",
    "minutes": "M",
    "min": "M",
    "mins": "M",
    "minuto": "M",
    "minutos": "M",
    "hour": "H",
    "hours": "H",
    "hr": "H",
    "hrs": "H",
    "h": "H",
    "hora": "H",
    "horas": "H",
    "day": "D",
    "days": "D",
    "dia": "D",
    "dias": "D",
    "week": "W",
    "weeks": "W",
    "semana": "W",
    "semanas": "W",
    "month": "MO",
    "months": "MO",
    "mes": "MO",
    "meses": "MO",
    "year": "Y",
    "years": "Y",
    "yrs": "Y",
    "ano": "Y",
    "anos": "Y",
}
_DURATION = re.compile(
    rf"\b(?P<n>\d+(?:[.,]5)?|{NUMBER_WORD_RE}|a|an|media|half\s+an?)\s+"
    rf"(?P<u>{_alt(_UNITS)})\b(?P<half>\s+y\s+media|\s+and\s+a\s+half)?"
)


def _iso_duration(amount: float, unit: str) -> str:
    if unit == "H" and amount != int(amount):
        return f"PT{int(amount * 60)}M"
    n = int(amount) if amount == int(amount) else amount
    if unit in ("H", "M"):
        return f"PT{n}{unit}"
    if unit == "MO":
        return f"P{n}M"
    return f"P{n}{unit}"


def extract_durations(text: str, taken: list[tuple[int, int]]) -> list[Entity]:
    """Find durations ("45 minutes", "media hora", "2 years") as ISO 8601 strings."""
    f = fold(text)
    out: list[Entity] = []
    for m in _DURATION.finditer(f):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        raw = m.group("n")
        if raw in ("media",) or raw.startswith("half"):
            amount = 0.5
        elif raw in ("a", "an"):
            amount = 1.0
        elif raw[0].isdigit():
            amount = float(raw.replace(",", "."))
        else:
            amount = float(to_number(raw) or 0)
        if m.group("half"):
            amount += 0.5
        unit = _UNITS[m.group("u")]
        if unit == "H" and m.group("u") == "h" and not raw[0].isdigit():
            continue
        if amount <= 0:
            continue
        value = "PT30M" if unit == "H" and amount == 0.5 else _iso_duration(amount, unit)
        out.append(Entity("duration", value, text[m.start() : m.end()], m.start(), m.end()))
    return out
