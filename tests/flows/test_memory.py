"""Profile memory: deriving, merging, rendering, forgetting and using facts."""

from __future__ import annotations

from datetime import datetime, timedelta

from flows.memory import (
    CORRECTION_CONFIDENCE,
    Fact,
    ForgetRequest,
    apply_forget,
    facts_from,
    filled_slots,
    forget_confirmation,
    merge,
    parse_forget,
    render_known,
    welcome_back,
)
from flows.understanding import Annotations, Entity

T0 = datetime(2025, 3, 12, 10, 0)
BUDGET_300K = {"amount": 300000, "currency": "EUR", "period": None}


def _ann(intent: str, *entities: tuple[str, object], language: str = "es") -> Annotations:
    return Annotations(
        language=language,
        intent=intent,
        intent_confidence=0.9,
        entities=tuple(Entity(k, v, str(v), 0, 1) for k, v in entities),
    )


def _by_key(facts: tuple[Fact, ...]) -> dict[str, Fact]:
    return {f.key: f for f in facts}


def test_facts_from_annotations() -> None:
    ann = _ann(
        "reserve_table",
        ("name", "Ana"),
        ("party_size", 4),
        ("allergen", "gluten"),
        ("datetime", "2025-03-14T21:00:00+01:00"),
        ("phone", "+34612345678"),
    )
    facts = _by_key(facts_from(ann, "soy Ana, mesa para 4 el viernes a las 9, celíaca", "m1", T0))
    assert facts["name"].value == "Ana" and facts["name"].source_message_id == "m1"
    assert facts["party_size"].value == 4
    assert facts["allergies"].value == ["gluten"]
    assert facts["preferred_time"].value == {"weekday": 4, "time": "21:00"}
    assert facts["phone"].value == "+34612345678"
    assert facts["language"].value == "es"


def test_profile_name_is_a_weak_fact() -> None:
    weak = facts_from(_ann("greeting"), "hola", "m1", T0, profile_name="Ana G")
    assert _by_key(weak)["name"].confidence < 0.5
    stated = facts_from(
        _ann("greeting", ("name", "Ana")), "soy Ana", "m2", T0 + timedelta(minutes=1)
    )
    later_profile = facts_from(
        _ann("thanks"), "gracias", "m3", T0 + timedelta(minutes=2), profile_name="Ana G"
    )
    merged = merge(merge((), stated), later_profile)
    assert _by_key(merged)["name"].value == "Ana"


def test_newer_statement_wins() -> None:
    first = facts_from(_ann("buy", ("money", BUDGET_300K)), "presupuesto 300k", "m1", T0)
    second = facts_from(
        _ann("buy", ("money", {**BUDGET_300K, "amount": 350000})),
        "presupuesto 350k",
        "m2",
        T0 + timedelta(days=1),
    )
    assert _by_key(merge(first, second))["budget"].value["amount"] == 350000


def test_explicit_correction_wins_even_if_older_was_more_certain() -> None:
    old = (Fact("budget", BUDGET_300K, 0.99, "m1", T0),)
    correction = facts_from(
        _ann("search_listings", ("money", {**BUDGET_300K, "amount": 250000}), language="en"),
        "actually my budget is 250k",
        "m2",
        T0 + timedelta(hours=1),
    )
    merged = _by_key(merge(old, correction))
    assert merged["budget"].value["amount"] == 250000
    assert merged["budget"].confidence == CORRECTION_CONFIDENCE
    en_realidad = facts_from(_ann("buy", ("party_size", 3)), "en realidad somos 3", "m3", T0)
    assert _by_key(en_realidad)["party_size"].confidence == CORRECTION_CONFIDENCE


def test_older_fact_does_not_overwrite_newer() -> None:
    newer = (Fact("party_size", 6, 0.8, "m2", T0 + timedelta(days=1)),)
    older = (Fact("party_size", 2, 0.8, "m1", T0),)
    assert _by_key(merge(newer, older))["party_size"].value == 6


def test_list_facts_accumulate() -> None:
    a = facts_from(_ann("search_listings", ("neighbourhood", "Chamberí")), "en Chamberí", "m1", T0)
    b = facts_from(
        _ann("search_listings", ("neighbourhood", "Retiro")),
        "y en Retiro",
        "m2",
        T0 + timedelta(minutes=1),
    )
    assert _by_key(merge(a, b))["areas_of_interest"].value == ["Chamberí", "Retiro"]


def test_render_known_in_both_languages() -> None:
    facts = (
        Fact("name", "Ana", 0.9, "m1", T0),
        Fact("budget", BUDGET_300K, 0.9, "m2", T0),
        Fact("party_size", 4, 0.8, "m3", T0),
    )
    es = render_known(facts, "es")
    en = render_known(facts, "en")
    assert "Nombre: Ana" in es and "300.000 €" in es and "4 personas" in es
    assert "Name: Ana" in en and "€300,000" in en and "4 people" in en
    assert "forget me" in en and "olvídame" in es
    assert render_known((), "en") == "I don't have anything stored about you."


def test_forget_one_fact_and_everything() -> None:
    facts = (Fact("name", "Ana", 0.9, "m1", T0), Fact("budget", BUDGET_300K, 0.9, "m2", T0))
    req = parse_forget("olvida mi presupuesto")
    assert req == ForgetRequest(everything=False, key="budget")
    kept, removed = apply_forget(facts, req)
    assert [f.key for f in kept] == ["name"] and [f.key for f in removed] == ["budget"]
    assert "presupuesto" in forget_confirmation(req, removed, "es")
    assert parse_forget("please forget my phone number") == ForgetRequest(False, "phone")
    everything = parse_forget("Forget me")
    assert everything == ForgetRequest(everything=True)
    assert apply_forget(facts, everything)[0] == ()
    assert "everything" in forget_confirmation(everything, facts, "en")
    assert parse_forget("I forgot my umbrella") is None


def test_filled_slots_use_aliases_and_confidence() -> None:
    facts = (
        Fact("name", "Ana", 0.9, "m1", T0),
        Fact("party_size", 4, 0.8, "m2", T0),
        Fact("budget", BUDGET_300K, 0.3, "m3", T0),
    )
    filled = filled_slots(["customer_name", "guests", "budget", "date"], facts)
    assert filled == {"customer_name": "Ana", "guests": 4}


def test_welcome_back() -> None:
    facts = (
        Fact("name", "Ana", 0.9, "m1", T0),
        Fact("preferred_time", {"weekday": 1, "time": "17:00"}, 0.5, "m2", T0),
    )
    assert (
        welcome_back(facts, "en") == "Welcome back, Ana! Same time as last time (Tuesday at 17:00)?"
    )
    assert (
        welcome_back(facts, "es")
        == "¡Hola de nuevo, Ana! ¿A la misma hora que la última vez (martes a las 17:00)?"
    )
    assert welcome_back((), "en") is None


def test_fact_round_trip() -> None:
    f = Fact("budget", BUDGET_300K, 0.9, "m1", T0)
    assert Fact.from_dict(f.to_dict()) == f
