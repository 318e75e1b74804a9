"""The conversation test runner: its format checks, and every example conversation under
conversations/ played through the real gateway (each template ships its examples)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gateway.cli import conversations
from gateway.cli.conversations.checks import scheduled_checks
from gateway.core import clock

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "conversations"
CONFIG = ROOT / "config" / "demo.yaml"
KNOWLEDGE = ROOT / "demo" / "knowledge"


def test_the_format_is_checked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nbusiness: smile-dental\nstart: '2026-03-10T10:00:00'\nturns: []\n")
    with pytest.raises(conversations.FormatError, match="UTC offset"):
        conversations.load_spec(bad)
    bad.write_text(
        "name: x\nbusiness: b\nstart: '2026-03-10T10:00:00+01:00'\n"
        "turns: [{say: hi, expect: {contain: [x]}}]\n"
    )
    with pytest.raises(conversations.FormatError, match="unknown key"):
        conversations.load_spec(bad)


def test_spanish_register_is_read() -> None:
    assert conversations.register_of("¿En qué puedo ayudarle? Indíqueme su nombre") == "formal"
    assert conversations.register_of("¿Te va bien el jueves? Dime tu nombre") == "informal"
    assert conversations.register_of("Hola") is None


def test_the_clock_shifts_and_keeps_moving() -> None:
    at = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    clock.set_now(None, at)
    try:
        first = clock.now()
        assert abs(first - at) < timedelta(seconds=2)
        assert clock.now() >= first
    finally:
        clock.set_now(None, None)
    assert abs(clock.now() - clock.real_now()) < timedelta(seconds=2)


@pytest.mark.db
def test_every_example_conversation_passes() -> None:
    files = sorted(EXAMPLES.rglob("*.yaml"))
    assert len(files) >= 20
    results = conversations.run([EXAMPLES], CONFIG, KNOWLEDGE)
    table = conversations.table(results)
    assert not conversations.failed(results), table
    assert {r.vertical for r in results} == {"dental", "legal", "restaurant", "real_estate"}


def test_scheduled_pending_counts_only_the_listed_kinds() -> None:
    pending = ["feedback", "reminder", "reminder"]

    def held(want: dict[str, object]) -> list[bool]:
        return [c.passed for c in scheduled_checks(want, pending)]

    assert held({"pending": 2, "kinds": ["reminder"]}) == [True]
    assert held({"pending": 0, "kinds": ["campaign"]}) == [True]
    assert held({"pending": 2}) == [False]
    assert held({"kinds": ["reminder", "campaign"]}) == [True, False]
