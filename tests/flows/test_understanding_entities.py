"""Entity extraction in English and Spanish, without loading any model."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from flows.understanding.core import load_gazetteers
from flows.understanding.dates import DateSettings, extract_dates
from flows.understanding.entities import EntityExtractor, parse_amount

MADRID = DateSettings(
    now=datetime.fromisoformat("2025-03-12T10:00:00+01:00"), timezone="Europe/Madrid"
)
NEW_YORK = DateSettings(
    now=datetime.fromisoformat("2025-03-12T10:00:00-04:00"),
    timezone="America/New_York",
    date_order="MDY",
)


def _values(text: str, settings: DateSettings = MADRID) -> list[tuple[str, Any]]:
    return [(e.kind, e.value) for e in extract_dates(text, settings)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("el próximo martes a las 15:00", [("datetime", "2025-03-18T15:00:00+01:00")]),
        ("pasado mañana a las 17h", [("datetime", "2025-03-14T17:00:00+01:00")]),
        ("la semana que viene", [("daterange", {"start": "2025-03-17", "end": "2025-03-23"})]),
        ("el jueves a las 11", [("datetime", "2025-03-13T11:00:00+01:00")]),
        ("mañana a las 9 de la noche", [("datetime", "2025-03-13T21:00:00+01:00")]),
        ("mesa para 4 mañana", [("date", "2025-03-13")]),
        ("el 20 de marzo a las 10:30", [("datetime", "2025-03-20T10:30:00+01:00")]),
        ("cancela la visita de mañana", [("date", "2025-03-13")]),
        ("a las cinco y media", [("datetime", "2025-03-12T17:30:00+01:00")]),
        ("este finde", [("daterange", {"start": "2025-03-15", "end": "2025-03-16"})]),
        ("el 2 de abril", [("date", "2025-04-02")]),
        ("10/4 a las 10", [("datetime", "2025-04-10T10:00:00+02:00")]),
    ],
)
def test_spanish_dates(text: str, expected: list[tuple[str, Any]]) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("can I come tomorrow at 3pm?", [("datetime", "2025-03-13T15:00:00-04:00")]),
        ("next tuesday at 10:30", [("datetime", "2025-03-18T10:30:00-04:00")]),
        ("friday the 21st", [("date", "2025-03-21")]),
        ("tonight at 8", [("datetime", "2025-03-12T20:00:00-04:00")]),
        ("march 20th at 5", [("datetime", "2025-03-20T17:00:00-04:00")]),
        ("next week", [("daterange", {"start": "2025-03-17", "end": "2025-03-23"})]),
        ("4/15", [("date", "2025-04-15")]),
        ("the 10th", [("date", "2025-04-10")]),
        ("at 7:30 pm", [("datetime", "2025-03-12T19:30:00-04:00")]),
    ],
)
def test_english_dates(text: str, expected: list[tuple[str, Any]]) -> None:
    assert _values(text, NEW_YORK) == expected


@pytest.mark.parametrize(
    "text",
    [
        "we are 6 people",
        "mi teléfono es 600 111 222",
        "been waiting 3 weeks",
        "los lunes abrís?",
        "we need it for six years",
        "mi hermana",
    ],
)
def test_no_invented_dates(text: str) -> None:
    assert [e for e in extract_dates(text, MADRID) if e.kind != "duration"] == []


def test_bare_hour_reading_depends_on_business() -> None:
    clinic = DateSettings(now=MADRID.now, timezone=MADRID.timezone)
    restaurant = DateSettings(now=MADRID.now, timezone=MADRID.timezone, pm_until=11)
    assert _values("mañana a las 9", clinic) == [("datetime", "2025-03-13T09:00:00+01:00")]
    assert _values("mañana a las 9", restaurant) == [("datetime", "2025-03-13T21:00:00+01:00")]


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor(
        load_gazetteers("real_estate", {"property_type": ["duplex"]})
        + load_gazetteers("dental", None)
    )


def _entities(extractor: EntityExtractor, text: str, country: str = "ES") -> list[tuple[str, Any]]:
    return [(e.kind, e.value) for e in extractor.extract(text, MADRID, country)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my budget is 300k", {"amount": 300000, "currency": None, "period": None}),
        ("tengo 1,5 M€", {"amount": 1500000, "currency": "EUR", "period": None}),
        ("around $2,400/month", {"amount": 2400, "currency": "USD", "period": "month"}),
        ("hasta 300.000 euros", {"amount": 300000, "currency": "EUR", "period": None}),
        ("1200€ al mes", {"amount": 1200, "currency": "EUR", "period": "month"}),
        ("presupuesto de 250000", {"amount": 250000, "currency": None, "period": None}),
    ],
)
def test_money(extractor: EntityExtractor, text: str, expected: dict[str, Any]) -> None:
    assert ("money", expected) in _entities(extractor, text)


def test_parse_amount_separators() -> None:
    assert parse_amount("2,400") == 2400
    assert parse_amount("1,5") == 1.5
    assert parse_amount("300.000") == 300000
    assert parse_amount("1.234,50") == 1234.5


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("table for 4 tomorrow", 4),
        ("somos 6", 6),
        ("mesa para cuatro", 4),
        ("party of 8", 8),
        ("we are two", 2),
        ("reserva para 3 hoy", 3),
        ("teneis sitio para 8 el domingo", 8),
        ("we're 5", 5),
        ("table for a couple on friday at 9pm", 2),
        ("reserva para una pareja el viernes", 2),
        ("mesa para dos parejas el sabado", 4),
        ("somos cuatro adultos y dos niños para el sabado", 6),
        ("para dos adultos y un niño el sabado", 3),
        ("we're 4 and a baby", 5),
        ("queremos mesa los dos solos esta noche", 2),
        ("mesa para 6 personas esta noche", 6),
    ],
)
def test_party_size(extractor: EntityExtractor, text: str, size: int) -> None:
    assert ("party_size", size) in _entities(extractor, text)


def test_party_size_is_not_a_time(extractor: EntityExtractor) -> None:
    found = _entities(extractor, "book for 9pm")
    assert not [v for k, v in found if k == "party_size"]


@pytest.mark.parametrize(
    ("text", "country", "phone"),
    [
        ("llámame al 612 345 678", "ES", "+34612345678"),
        ("my cell is (415) 555-0132", "US", "+14155550132"),
        ("whatsapp +34 655 44 32 21", "US", "+34655443221"),
    ],
)
def test_phone_uses_default_country(
    extractor: EntityExtractor, text: str, country: str, phone: str
) -> None:
    assert ("phone", phone) in _entities(extractor, text, country)


def test_email_is_lowercased(extractor: EntityExtractor) -> None:
    assert ("email", "ana.garcia@gmail.com") in _entities(
        extractor, "escribe a Ana.Garcia@Gmail.com"
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I'm Ana", "Ana"),
        ("me llamo luis garcia", "Luis Garcia"),
        ("soy Luis y quiero cita", "Luis"),
        ("hola soy maria", "Maria"),
        ("my name is Priya Shah", "Priya Shah"),
        ("a nombre de Pablo", "Pablo"),
    ],
)
def test_own_name(extractor: EntityExtractor, text: str, name: str) -> None:
    assert ("name", name) in _entities(extractor, text)


@pytest.mark.parametrize(
    "text", ["i'm looking for a flat", "soy alérgico al gluten", "I'm not sure", "soy nuevo aquí"]
)
def test_no_name_from_ordinary_words(extractor: EntityExtractor, text: str) -> None:
    assert not [v for k, v in _entities(extractor, text) if k == "name"]


def test_durations(extractor: EntityExtractor) -> None:
    found = _entities(extractor, "media hora, 2 horas y media y 45 min")
    assert [v for k, v in found if k == "duration"] == ["PT30M", "PT150M", "PT45M"]


def test_gazetteers_from_template_and_business(extractor: EntityExtractor) -> None:
    found = _entities(extractor, "busco un piso o un duplex en Chamberí, con terraza")
    assert ("property_type", "apartment") in found
    assert ("property_type", "duplex") in found
    assert ("neighbourhood", "Chamberí") in found
    assert ("feature", "terrace") in found
    assert ("service", "cleaning") in _entities(extractor, "I need a teeth cleaning")
    assert ("insurance", "sanitas") in _entities(extractor, "trabajáis con Sanitas?")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("me duele desde ayer por la tarde", [("date", "2025-03-11")]),
        ("it started yesterday evening", [("date", "2025-03-11")]),
        ("cenamos ahí el viernes pasado", [("date", "2025-03-07")]),
        ("we came last friday", [("date", "2025-03-07")]),
        ("anoche nos sentó mal la cena", [("date", "2025-03-11")]),
        ("mesa para nochebuena", [("date", "2025-12-24")]),
        ("table on christmas eve at 9pm", [("datetime", "2025-12-24T21:00:00+01:00")]),
        ("abrís en nochevieja?", [("date", "2025-12-31")]),
        ("are you open on new year's day", [("date", "2026-01-01")]),
        ("mesa para el día de reyes", [("date", "2026-01-06")]),
        ("la navidad pasada me cobrasteis de más", [("date", "2024-12-25")]),
        ("are you open on easter sunday", [("date", "2025-04-20")]),
        ("abrís el domingo de resurrección?", [("date", "2025-04-20")]),
        ("mesa para el viernes santo", [("date", "2025-04-18")]),
        ("good friday at 8pm", [("datetime", "2025-04-18T20:00:00+02:00")]),
        ("open on easter monday?", [("date", "2025-04-21")]),
    ],
)
def test_past_days_and_holidays(text: str, expected: list[tuple[str, Any]]) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "can you call me back in half an hour",
        "hace dos semanas que me duele",
        "the cleaning takes an hour",
        "my son is 12 years old",
        "soy Ana Reyes",
    ],
)
def test_durations_ages_and_surnames_are_not_dates(text: str) -> None:
    assert [k for k, _ in _values(text) if k in ("date", "datetime")] == []


@pytest.mark.parametrize(
    ("text", "bedrooms"),
    [
        ("any 2-bed flats under 300k?", 2),
        ("busco piso de tres habitaciones", 3),
        ("casa con 3 dormitorios", 3),
        ("a four bedroom house", 4),
        ("piso de una habitación", 1),
        ("busco una habitación en piso compartido", None),
    ],
)
def test_bedrooms(extractor: EntityExtractor, text: str, bedrooms: int | None) -> None:
    found = [v for k, v in _entities(extractor, text) if k == "bedrooms"]
    assert found == ([] if bedrooms is None else [bedrooms])


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I'm furious", None),
        ("im so angry right now", None),
        ("soy alérgica a la penicilina", None),
        ("estoy harta, soy clienta desde hace años", None),
        ("hi, I'm Tom", "Tom"),
        ("soy Ana López, quería cita", "Ana López"),
        ("me llamo luis", "Luis"),
    ],
)
def test_names_only_when_they_read_as_names(
    extractor: EntityExtractor, text: str, name: str | None
) -> None:
    found = [v for k, v in _entities(extractor, text) if k == "name"]
    assert found == ([] if name is None else [name])


@pytest.mark.parametrize(
    ("text", "amount"),
    [("budget 300k", 300000), ("hasta 1,2 millones", 1200000), ("unos 250.000 €", 250000)],
)
def test_money_shorthands(extractor: EntityExtractor, text: str, amount: int) -> None:
    found = [v["amount"] for k, v in _entities(extractor, text) if k == "money"]
    assert found == [amount]


def test_holy_week_is_a_range_of_this_or_last_easter() -> None:
    assert _values("abrís en semana santa?") == [
        ("daterange", {"start": "2025-04-13", "end": "2025-04-20"})
    ]
    assert _values("la semana santa pasada") == [
        ("daterange", {"start": "2024-03-24", "end": "2024-03-31"})
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "podemos pasar la reserva de las 21 a las 22 esta noche?",
            [("datetime", "2025-03-12T21:00:00+01:00"), ("datetime", "2025-03-12T22:00:00+01:00")],
        ),
        (
            "de las 21 a las 22 mañana",
            [("datetime", "2025-03-13T21:00:00+01:00"), ("datetime", "2025-03-13T22:00:00+01:00")],
        ),
        ("hay sitio para 3 sobre las 22 mañana?", [("datetime", "2025-03-13T22:00:00+01:00")]),
        ("at 9 tonight", [("datetime", "2025-03-12T21:00:00+01:00")]),
        ("mañana a las 10 de la mañana", [("datetime", "2025-03-13T10:00:00+01:00")]),
    ],
)
def test_a_time_followed_by_its_day_pairs(text: str, expected: list[tuple[str, Any]]) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("can we move it to friday at quarter to 5", [("datetime", "2025-03-14T16:45:00-04:00")]),
        ("monday at quarter past 4", [("datetime", "2025-03-17T16:15:00-04:00")]),
        ("half 7 tomorrow for 2 people", [("datetime", "2025-03-13T19:30:00-04:00")]),
        ("around 6ish on saturday", [("datetime", "2025-03-15T18:00:00-04:00")]),
        ("a week from today", [("date", "2025-03-19")]),
        ("thursday 5 in the afternoon", [("datetime", "2025-03-13T17:00:00-04:00")]),
        ("next tuesday at half three", [("datetime", "2025-03-18T15:30:00-04:00")]),
        ("is there a slot friday around 10ish", [("datetime", "2025-03-14T10:00:00-04:00")]),
        ("tomorrow evening", [("date", "2025-03-13")]),
        ("i'd like a consultation in two weeks", [("date", "2025-03-26")]),
        ("haven't heard from anyone in 3 weeks", []),
        ("that's all for today, thanks, bye", []),
        ("i'll be there in half an hour", []),
    ],
)
def test_english_clock_phrases(text: str, expected: list[tuple[str, Any]]) -> None:
    assert _values(text, NEW_YORK) == expected


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("my ex won't let me see my kids", "family"),
        ("me quiero separar de mi marido", "family"),
        ("i got sacked after 10 years", "employment"),
        ("me han echado del curro sin avisar", "employment"),
        ("they want to kick me out of my flat", "housing"),
        ("el dueño del piso me quiere echar", "housing"),
        ("my residence permit expired", "immigration"),
        ("tengo una orden de expulsion", "immigration"),
        ("i got caught drink driving", "criminal"),
        ("police picked up my son last night", "criminal"),
        ("mi padre fallecio y mis hermanos no quieren repartir", "inheritance"),
        ("me atropellaron en un paso de cebra", "personal_injury"),
    ],
)
def test_practice_area_in_lay_words(text: str, area: str) -> None:
    legal = EntityExtractor(load_gazetteers("legal", None))
    assert ("practice_area", area) in _entities(legal, text)


def test_court_papers_are_not_immigration() -> None:
    legal = EntityExtractor(load_gazetteers("legal", None))
    assert _entities(legal, "court date is tomorrow and i just got the papers") == [
        ("date", "2025-03-13")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "i'm stupid, forgot my appointment",
        "soy idiota, se me olvido la cita",
        "I'm desperate, need a lawyer",
        "i'm under pressure",
        "soy muy paciente pero ya basta",
    ],
)
def test_an_adjective_or_insult_is_never_a_name(extractor: EntityExtractor, text: str) -> None:
    assert [k for k, _ in _entities(extractor, text) if k == "name"] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("soy ana y quiero cita", "Ana"),
        ("im jake looking for a flat", "Jake"),
        ("its under Jenkins", "Jenkins"),
        ("hi this is mark", "Mark"),
    ],
)
def test_lowercase_first_names_and_under_a_name(
    extractor: EntityExtractor, text: str, name: str
) -> None:
    assert ("name", name) in _entities(extractor, text)


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("me and 3 friends, tonight around 9", 4),
        ("its me and the wife, friday at 8", 2),
        ("family of four, saturday lunch", 4),
        ("me plus 2", 3),
        ("yo y 3 amigos el sabado", 4),
        ("me, my wife and our 2 kids, saturday at 1", 4),
    ],
)
def test_party_counts_the_speaker(extractor: EntityExtractor, text: str, size: int) -> None:
    assert ("party_size", size) in _entities(extractor, text)


def test_no_party_size_where_nothing_is_booked_for_a_party() -> None:
    legal = EntityExtractor(load_gazetteers("legal", None), party_size=False)
    assert _entities(legal, "my wife and i are splitting up") == [("practice_area", "family")]


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("me han despedio sin motivo", "employment"),
        ("me quiero divorsiar", "family"),
        ("i was in a car wreck", "personal_injury"),
    ],
)
def test_practice_area_despite_a_typo(text: str, area: str) -> None:
    legal = EntityExtractor(load_gazetteers("legal", None))
    assert ("practice_area", area) in _entities(legal, text)


def test_a_short_word_is_not_stretched_to_a_gazetteer_item() -> None:
    legal = EntityExtractor(load_gazetteers("legal", None))
    assert _entities(legal, "necesito un abogado") == []


def test_a_dietary_question_is_not_read_as_a_diet_one_letter_off() -> None:
    restaurant = EntityExtractor(load_gazetteers("restaurant", None))
    assert _entities(restaurant, "¿tenéis opciones veganas?") == []
