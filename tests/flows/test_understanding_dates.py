"""Dates the first rounds missed: holidays, time ranges, "ago", "noonish" (issue 12)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from flows.understanding.dates import DateSettings, extract_dates

NEW_YORK = DateSettings(
    now=datetime.fromisoformat("2025-03-12T10:00:00-04:00"),
    timezone="America/New_York",
    date_order="MDY",
)
MADRID = DateSettings(
    now=datetime.fromisoformat("2025-03-12T10:00:00+01:00"), timezone="Europe/Madrid"
)
RESTAURANT = DateSettings(
    now=NEW_YORK.now, timezone="America/New_York", date_order="MDY", pm_until=11
)


def _values(text: str, settings: DateSettings = NEW_YORK) -> list[tuple[str, Any]]:
    return [(e.kind, e.value) for e in extract_dates(text, settings)]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("are you open on thanksgiving?", "2025-11-27"),
        ("the day after thanksgiving", "2025-11-28"),
        ("open on memorial day", "2025-05-26"),
        ("what about labor day", "2025-09-01"),
        ("mothers day brunch", "2025-05-11"),
        ("father's day lunch", "2025-06-15"),
        ("valentine's day dinner", "2026-02-14"),
        ("st patrick's day", "2025-03-17"),
        ("fourth of july bbq", "2025-07-04"),
        ("halloween party", "2025-10-31"),
        ("dia de la madre", "2025-05-04"),
        ("el dia del padre", "2025-03-19"),
        ("todos los santos", "2025-11-01"),
    ],
)
def test_holidays_by_name(text: str, day: str) -> None:
    assert _values(text) == [("date", day)]


def test_a_past_holiday_is_last_years() -> None:
    assert _values("since last thanksgiving") == [("date", "2024-11-28")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tuesday from 2-4pm", ["2025-03-18T14:00:00-04:00", "2025-03-18T16:00:00-04:00"]),
        ("between 3 and 5 tomorrow", ["2025-03-13T15:00:00-04:00", "2025-03-13T17:00:00-04:00"]),
        ("from 11-1pm on friday", ["2025-03-14T11:00:00-04:00", "2025-03-14T13:00:00-04:00"]),
        ("11:30-12:30 tomorrow", ["2025-03-13T11:30:00-04:00", "2025-03-13T12:30:00-04:00"]),
    ],
)
def test_time_ranges_give_both_ends(text: str, expected: list[str]) -> None:
    assert _values(text) == [("datetime", v) for v in expected]


def test_spanish_range_takes_the_day_after_it() -> None:
    assert _values("entre las 5 y las 7 del jueves", MADRID) == [
        ("datetime", "2025-03-13T17:00:00+01:00"),
        ("datetime", "2025-03-13T19:00:00+01:00"),
    ]


@pytest.mark.parametrize("text", ["2 adults and 3 kids", "we are 2 and 3 more later"])
def test_counts_joined_by_and_are_not_a_range(text: str) -> None:
    assert _values(text) == []


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("i had a cleaning 2 weeks ago", "2025-02-26"),
        ("my crown fell off three days ago", "2025-03-09"),
        ("a week ago", "2025-03-05"),
    ],
)
def test_ago_is_a_past_day(text: str, day: str) -> None:
    assert _values(text) == [("date", day)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this thursday noonish", "2025-03-13T12:00:00-04:00"),
        ("next friday at half 6", "2025-03-14T18:30:00-04:00"),
        ("this friday at quarter past 5", "2025-03-14T17:15:00-04:00"),
    ],
)
def test_english_clock_words(text: str, expected: str) -> None:
    assert _values(text, RESTAURANT) == [("datetime", expected)]


@pytest.mark.parametrize("text", ["i'll be there in half an hour", "in 20 minutes", "in an hour"])
def test_a_duration_is_not_a_date(text: str) -> None:
    assert _values(text) == []
