"""The engine's mechanics with in-memory ports: forms, corrections, silence, misunderstandings."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import pytest

from flows import actions, engine
from flows.hours import Hours, parse_range
from flows.ports import ListingCard, Ports
from flows.types import BusinessInfo, Outcome, Turn
from flows.understanding import Context, Understander
from tests.flows.fakes import FakeCalendar, FakeListings

NOW = datetime.fromisoformat("2025-03-12T10:00:00+01:00")  # a Wednesday
HOURS = {
    d: ["09:00-14:00", "16:00-20:00"]
    for d in ("monday", "tuesday", "wednesday", "thursday", "friday")
}
SETTINGS: dict[str, Any] = {
    "hours": HOURS,
    "services": [
        {
            "id": "cleaning",
            "name": {"en": "Cleaning", "es": "Limpieza"},
            "minutes": 45,
            "price": 60,
        },
        {"id": "checkup", "name": {"en": "Check-up", "es": "Revisión"}, "minutes": 30, "price": 40},
    ],
}


class Conversation:
    """Feeds messages through understanding and the engine, keeping the state."""

    def __init__(
        self,
        understanders: dict[str, Understander],
        template: str,
        ports: Ports,
        facts: Mapping[str, Any] | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        self.u = understanders.get(template)
        self.business = BusinessInfo(
            slug="b",
            name="Biz",
            template=template,
            timezone="Europe/Madrid",
            languages=("en", "es"),
            settings=dict(settings or SETTINGS),
        )
        self.ports, self.facts = ports, dict(facts or {})
        self.state: dict[str, Any] = {}
        self.now = NOW
        self.language: str | None = None

    def say(self, text: str, payload: str | None = None) -> Outcome:
        annotations = None
        language = "en"
        if self.u is not None:
            ctx = Context(
                timezone="Europe/Madrid", default_country="ES", now=self.now, language=self.language
            )
            annotations = self.u.annotate(text, ctx)
            language = self.language = annotations.language
        turn = Turn(
            business=self.business,
            text=text,
            payload=payload,
            language=language,
            state=self.state,
            facts=self.facts,
            annotations=annotations,
            now=self.now,
        )
        out = engine.respond(turn, self.ports)
        self.state = dict(out.state)
        return out


def texts(out: Outcome) -> str:
    return "\n".join(r.text for r in out.replies)


@pytest.fixture
def calendar() -> FakeCalendar:
    return FakeCalendar(Hours.from_settings(SETTINGS, "Europe/Madrid"))


def test_echo_template_still_echoes() -> None:
    chat = Conversation({}, "echo", Ports())
    assert "Welcome to Biz" in texts(chat.say("hello"))
    assert texts(chat.say("what?")) == "You said: what?"


def test_a_half_filled_form_expires_after_silence_and_starts_fresh(
    understanders: dict[str, Understander], calendar: FakeCalendar
) -> None:
    chat = Conversation(understanders, "dental", Ports(calendar=calendar))
    assert "visit for" in texts(chat.say("I want to book an appointment"))
    chat.now = NOW + timedelta(minutes=45)
    out = chat.say("hello")
    assert "start fresh" in texts(out) and "form" not in out.state


def test_start_over_and_cancel_in_the_middle_of_a_form(
    understanders: dict[str, Understander], calendar: FakeCalendar
) -> None:
    chat = Conversation(understanders, "dental", Ports(calendar=calendar))
    chat.say("book a cleaning on Friday at 10:00")
    out = chat.say("start over")
    assert "start over" in texts(out).lower() and out.state["form"]["values"] == {}
    out = chat.say("never mind")
    assert "Nothing was booked" in texts(out) and "form" not in out.state
    assert calendar.booked == []


def test_two_misunderstandings_offer_a_person_then_hand_off(
    understanders: dict[str, Understander], calendar: FakeCalendar
) -> None:
    chat = Conversation(understanders, "dental", Ports(calendar=calendar))
    chat.say("I'd like a check-up")
    first = chat.say("purple elephant")
    assert first.handoff_reason is None and "a day and a time" in texts(first).lower()
    second = chat.say("zzzz")
    assert "person" in texts(second) and second.handoff_reason is None
    accepted = chat.say("yes")
    assert accepted.handoff_reason is not None


def test_known_facts_fill_slots_before_any_question(understanders: dict[str, Understander]) -> None:
    listings = FakeListings(
        [ListingCard("A", "Flat", "buy", "apartment", 300000, 2, "Retiro", "Calle Uno 1")]
    )
    facts = {
        "budget": {"amount": 320000, "currency": "EUR", "period": None},
        "name": "Nora",
        "areas_of_interest": ["Retiro"],
    }
    chat = Conversation(
        understanders,
        "real_estate",
        Ports(listings=listings),
        facts,
        {**SETTINGS, "areas": ["Retiro"]},
    )
    first = chat.say("I want to buy, paying cash, as soon as possible")
    # budget and area come from what is known; only the bedrooms are asked
    assert "bedrooms" in texts(first) and "budget" not in texts(first).lower()
    assert "area" not in texts(first).lower()
    out = chat.say("2")
    assert "best matches" in texts(out)
    (lead,) = listings.leads
    assert lead.budget == 320000 and lead.areas == ("Retiro",) and lead.score >= 70
    assert lead.timeline == "asap" and lead.financing == "cash" and lead.hot


def test_spanish_formal_customer_is_addressed_as_usted(
    understanders: dict[str, Understander], calendar: FakeCalendar
) -> None:
    chat = Conversation(understanders, "dental", Ports(calendar=calendar), {"name": "Luis"})
    out = chat.say("Buenos días, quisiera solicitar una cita para una limpieza, por favor")
    said = texts(out)
    assert "¿Cuándo le viene bien?" in said and "indíqueme" in said
    assert "te viene" not in said and "dime" not in said.lower()
    assert chat.state["form"]["values"] == {"service": "cleaning"}


def test_opening_ranges_are_validated() -> None:
    with pytest.raises(ValueError, match="HH:MM-HH:MM"):
        parse_range("9-14")
    with pytest.raises(ValueError, match="ends before"):
        parse_range("14:00-09:00")


def test_lead_score_rewards_readiness() -> None:
    hot = actions.score_lead("buy", 400000, 2, ["Chamberí"], "asap", "approved", True)
    cold = actions.score_lead("buy", None, None, [], "browsing", "unsure", False)
    assert hot >= actions.HOT_LEAD > cold


def test_every_action_is_typed_and_documented() -> None:
    for fn in actions.TOOLS:
        assert fn.__doc__ and fn.__doc__.strip()
        hints = inspect.signature(fn)
        assert all(p.annotation is not inspect.Parameter.empty for p in hints.parameters.values())
