"""Annotating whole messages with the loaded models (one session-scoped load)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from flows.understanding import (
    INTENT_THRESHOLD,
    Annotations,
    Context,
    Understander,
    UnknownTemplate,
)


def test_annotations_round_trip_through_json(
    understanders: dict[str, Understander], ctx_es: Context
) -> None:
    a = understanders["restaurant"].annotate("mesa para 4 mañana a las 9, soy Luis", ctx_es)
    back = Annotations.from_dict(json.loads(json.dumps(a.to_dict())))
    assert back == a
    assert a.first("party_size") is not None and a.first("party_size").value == 4  # type: ignore[union-attr]
    assert a.first("datetime").value == "2025-03-13T21:00:00+01:00"  # type: ignore[union-attr]
    assert a.intent == "reserve_table"


@pytest.mark.parametrize(
    ("text", "previous", "expected"),
    [
        ("ok", "es", "es"),
        ("ok", "en", "en"),
        ("sí", "en", "en"),
        ("gracias", "en", "en"),
        ("I would like to book a table for tomorrow night", "es", "en"),
        ("quiero reservar una mesa para mañana por la noche", "en", "es"),
    ],
)
def test_language_sticks_on_short_messages(
    understanders: dict[str, Understander], ctx_es: Context, text: str, previous: str, expected: str
) -> None:
    a = understanders["restaurant"].annotate(text, replace(ctx_es, language=previous))
    assert a.language == expected


def test_language_limited_to_business_languages(ctx_es: Context) -> None:
    only_es = Understander.load(["es"], template="dental")
    assert only_es.annotate("I would like an appointment please", ctx_es).language == "es"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("STOP", "opt_out"),
        ("Baja", "opt_out"),
        ("stop texting me", "opt_out"),
        ("sí", "affirm"),
        ("yes please", "affirm"),
        ("no", "deny"),
        ("nope", "deny"),
        ("hola", "greeting"),
        ("what do you know about me?", "what_do_you_know"),
        ("¿Qué sabes de mí?", "what_do_you_know"),
        ("forget me", "forget_me"),
        ("olvídame", "forget_me"),
        ("forget my budget", "forget_fact"),
        ("olvida mi presupuesto", "forget_fact"),
        ("gracias!", "thanks"),
        ("bye", "goodbye"),
    ],
)
def test_rules(
    understanders: dict[str, Understander], ctx_en: Context, text: str, intent: str
) -> None:
    a = understanders["dental"].annotate(text, ctx_en)
    assert a.intent == intent
    assert a.intent_confidence > INTENT_THRESHOLD


def test_forget_fact_carries_the_key(
    understanders: dict[str, Understander], ctx_es: Context
) -> None:
    a = understanders["real_estate"].annotate("olvida mi presupuesto", ctx_es)
    assert a.first("fact_key") is not None and a.first("fact_key").value == "budget"  # type: ignore[union-attr]


def test_sensitive_intents_need_a_rule(
    understanders: dict[str, Understander], ctx_es: Context
) -> None:
    a = understanders["legal"].annotate("me podéis mandar el presupuesto a mi email", ctx_es)
    assert a.intent not in ("forget_fact", "forget_me", "opt_out")


@pytest.mark.parametrize(
    ("template", "text", "intent"),
    [
        ("dental", "me duele muchísimo la muela y tengo la cara hinchada", "emergency"),
        ("dental", "do you take aetna?", "insurance"),
        ("legal", "my landlord won't give back my deposit", "legal_intake"),
        ("restaurant", "can we get a table for 2 tonight?", "reserve_table"),
        ("real_estate", "quiero vender mi piso", "sell"),
        ("real_estate", "I'm looking for a flat to rent", "rent"),
    ],
)
def test_template_intents(
    understanders: dict[str, Understander], ctx_en: Context, template: str, text: str, intent: str
) -> None:
    assert understanders[template].annotate(text, ctx_en).intent == intent


def test_template_decides_the_intent_set(understanders: dict[str, Understander]) -> None:
    assert "reserve_table" in understanders["restaurant"].intent_names
    assert "reserve_table" not in understanders["dental"].intent_names
    assert "greeting" in understanders["legal"].intent_names
    with pytest.raises(UnknownTemplate):
        Understander.load(["en"], template="bakery")


def test_extra_intents_and_gazetteers(ctx_en: Context) -> None:
    u = Understander.load(
        ["en", "es"],
        extra_intents={"gift_card": ["can I buy a gift card", "do you sell gift vouchers"]},
        gazetteers={"service": ["hot stone massage"]},
        template="dental",
    )
    a = u.annotate("I'd like to buy a gift card for a hot stone massage", ctx_en)
    assert a.intent == "gift_card"
    assert ("service", "hot stone massage") in [(e.kind, e.value) for e in a.entities]


def test_gibberish_needs_clarification(
    understanders: dict[str, Understander], ctx_en: Context
) -> None:
    a = understanders["dental"].annotate("purple monkey dishwasher", ctx_en)
    assert a.needs_clarification()


def test_frustration_and_sentiment(understanders: dict[str, Understander], ctx_es: Context) -> None:
    calm = understanders["dental"].annotate("gracias, todo perfecto", ctx_es)
    angry = understanders["dental"].annotate(
        "ES LA TERCERA VEZ QUE PREGUNTO!!! sois unos inútiles", ctx_es
    )
    assert calm.sentiment > 0 > angry.sentiment
    assert angry.frustration > 0.6 > calm.frustration


def test_repetition_needs_history(understanders: dict[str, Understander], ctx_en: Context) -> None:
    text = "when will my crown be ready"
    fresh = understanders["dental"].annotate(text, ctx_en)
    again = understanders["dental"].annotate(
        text, replace(ctx_en, recent_texts=("when will my crown be ready?",))
    )
    assert again.frustration > fresh.frustration


def test_urgency(understanders: dict[str, Understander], ctx_en: Context) -> None:
    urgent = understanders["legal"].annotate("I was arrested and my court date is today", ctx_en)
    bleeding = understanders["dental"].annotate("me sangra la encía, es urgente", ctx_en)
    calm = understanders["dental"].annotate("do you have parking?", ctx_en)
    assert urgent.urgency > 0.5 and bleeding.urgency > 0.5
    assert calm.urgency < 0.01


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("Buenos días, ¿podría usted indicarme si tienen disponibilidad el lunes?", "formal"),
        ("hola! tienes hueco el lunes? 😊", "casual"),
        ("Good afternoon. I would like to schedule a consultation regarding my lease.", "formal"),
        ("hey u guys open tmrw?", "casual"),
    ],
)
def test_tone(
    understanders: dict[str, Understander], ctx_en: Context, text: str, tone: str
) -> None:
    assert understanders["dental"].annotate(text, ctx_en).tone == tone


def test_load_is_cached() -> None:
    assert Understander.load(["en", "es"], template="dental") is Understander.load(
        ["en", "es"], template="dental"
    )


@pytest.mark.parametrize(
    ("text", "human"),
    [
        ("me llamo Luis", False),
        ("hola, me llamo Ana García", False),
        ("me llamo Luis, quiero hablar con una persona", True),
        ("I want to talk to a person", True),
    ],
)
def test_an_introduction_is_not_a_request_for_a_person(
    understanders: dict[str, Understander], text: str, human: bool
) -> None:
    annotations = understanders["dental"].annotate(text, Context(timezone="Europe/Madrid"))
    assert (annotations.intent == "human") is human
