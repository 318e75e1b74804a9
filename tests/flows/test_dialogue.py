"""A dialogue engine that keeps what it is told (issue 14), en and es, with in-memory ports:
any slot from any turn, corrections said back, questions answered and the form resumed, a
person and emergencies at any point, names that are names, notes only when asked, small talk,
and a confirmation that summarizes every slot and edits one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from flows.hours import Hours
from flows.memory import looks_like_name
from flows.ports import Ports
from flows.understanding import Understander
from tests.flows.fakes import FakeCalendar, FakeIntake, FakeKnowledge, FakeReservations
from tests.flows.test_engine import SETTINGS, Conversation, texts

EVERY_DAY = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RESTAURANT: dict[str, Any] = {
    "hours": {d: ["13:00-16:00", "20:00-23:30"] for d in EVERY_DAY},
    "max_party": 10,
}
DENTAL: dict[str, Any] = {**SETTINGS, "insurance": {"sanitas": "Sanitas"}}
LEGAL: dict[str, Any] = {**SETTINGS, "consultation_fee": 80}
KNOWLEDGE = FakeKnowledge(
    {
        "parking": "There is a public car park next door.",
        "aparcamiento": "Hay un parking público al lado.",
        "terrace": "Yes, we have a terrace with twelve tables.",
        "terraza": "Sí, tenemos terraza con doce mesas.",
    }
)


@pytest.fixture
def calendar() -> FakeCalendar:
    return FakeCalendar(Hours.from_settings(SETTINGS, "Europe/Madrid"))


@pytest.fixture
def dental(understanders: dict[str, Understander], calendar: FakeCalendar) -> Conversation:
    return Conversation(
        understanders, "dental", Ports(calendar=calendar, knowledge=KNOWLEDGE), settings=DENTAL
    )


@pytest.fixture
def tables() -> FakeReservations:
    return FakeReservations(capacity=20)


@pytest.fixture
def restaurant(understanders: dict[str, Understander], tables: FakeReservations) -> Conversation:
    return Conversation(
        understanders,
        "restaurant",
        Ports(reservations=tables, knowledge=KNOWLEDGE),
        settings=RESTAURANT,
    )


@pytest.fixture
def intake() -> FakeIntake:
    return FakeIntake()


@pytest.fixture
def legal(
    understanders: dict[str, Understander], calendar: FakeCalendar, intake: FakeIntake
) -> Conversation:
    return Conversation(
        understanders, "legal", Ports(calendar=calendar, intake=intake), settings=LEGAL
    )


def values(chat: Conversation) -> dict[str, Any]:
    return dict(chat.state.get("form", {}).get("values", {}))


# ---------------------------------------------------------------- information given is used


def test_service_date_and_time_in_the_first_message_are_never_asked_again_en(
    dental: Conversation, calendar: FakeCalendar
) -> None:
    out = dental.say("Hi, can I get a check-up on Friday at 11am?")
    assert values(dental)["service"] == "checkup"
    assert values(dental)["when"].startswith("2025-03-14T11:00")
    said = texts(out) + texts(dental.say("first time"))
    assert "visit for" not in said and "When would suit" not in said
    out = dental.say("Ana Lopez")
    assert "Check-up" in texts(out) and "Fri 14 Mar at 11:00" in texts(out)
    dental.say("yes")
    assert [b.label for b in calendar.booked] == ["checkup"]


def test_service_date_and_time_in_the_first_message_are_never_asked_again_es(
    dental: Conversation,
) -> None:
    out = dental.say("Hola, quiero una limpieza el jueves a las 10:30")
    assert values(dental)["service"] == "cleaning"
    assert values(dental)["when"].startswith("2025-03-13T10:30")
    out = dental.say("es la primera vez")
    assert "¿Cuándo" not in texts(out) and "tratamiento" not in texts(out).lower()


def test_a_day_given_alone_is_kept_and_only_the_time_is_asked(dental: Conversation) -> None:
    dental.say("I'd like a cleaning on Friday")
    out = dental.say("I've been before")
    assert "What time on Fri 14 Mar" in texts(out)
    assert all(o.id.startswith("at:2025-03-14") for o in out.replies[-1].options)
    out = dental.say("at 10")
    assert values(dental)["when"].startswith("2025-03-14T10:00")


def test_slots_fill_in_any_order_from_any_turn(restaurant: Conversation) -> None:
    restaurant.say("I'd like to book a table")
    out = restaurant.say("Under Marta, Friday at 9pm")  # asked how many, told name and time
    assert values(restaurant)["name"] == "Marta"
    assert values(restaurant)["when"].startswith("2025-03-14T21:00")
    assert "How many" in texts(out)
    out = restaurant.say("4")
    assert values(restaurant)["party_size"] == 4


def test_slots_fill_in_any_order_es(restaurant: Conversation) -> None:
    restaurant.say("Quiero reservar una mesa")
    restaurant.say("el sábado a las 21:00, a nombre de Lucía")
    assert values(restaurant)["name"] == "Lucía"
    assert values(restaurant)["when"].startswith("2025-03-15T21:00")


# ---------------------------------------------------------------- corrections


def test_corrections_replace_the_value_and_say_so_in_one_line_en(
    restaurant: Conversation, tables: FakeReservations
) -> None:
    restaurant.say("Table for 4 on Friday at 9pm please")
    restaurant.say("Smith")
    out = restaurant.say("add one more, we're 5 now")
    assert values(restaurant)["party_size"] == 5
    (line,) = [r.text for r in out.replies if "changed" in r.text]
    assert "number of people to 5" in line
    assert values(restaurant).get("requests") in (None, "-")  # not a note
    out = restaurant.say("actually make it 9:30pm")
    assert "changed the date and time to Fri 14 Mar at 21:30" in texts(out)
    restaurant.say("no")
    restaurant.say("yes")
    (booking,) = tables.rows
    assert booking.party_size == 5 and booking.starts_at.strftime("%H:%M") == "21:30"


def test_corrections_replace_the_value_and_say_so_in_one_line_es(
    restaurant: Conversation, tables: FakeReservations
) -> None:
    restaurant.say("Hola, mesa para 4 el viernes a las 21:00")
    restaurant.say("Marta")
    out = restaurant.say("no, mejor a las 22:00")
    assert "he cambiado el día y la hora a viernes 14 de marzo, a las 22:00" in texts(out)
    out = restaurant.say("al final somos 6")
    assert "he cambiado el número de personas a 6" in texts(out)
    assert values(restaurant)["party_size"] == 6


def test_a_correction_of_one_more_person(restaurant: Conversation) -> None:
    restaurant.say("table for 2 tomorrow at 9pm")
    restaurant.say("one more person is coming, add one more")
    assert values(restaurant)["party_size"] == 3


# ---------------------------------------------------------------- questions mid-form


def test_a_question_mid_form_is_answered_and_the_form_resumes_en(dental: Conversation) -> None:
    dental.say("I want to book a check-up")
    out = dental.say("do you have parking?")
    first, *rest = [r.text for r in out.replies]
    assert "car park" in first and len(rest) == 1 and "When would suit" not in first
    assert "When would suit" in rest[0]  # the form resumes where it was: the time
    out = dental.say("do you take Sanitas?")
    assert "Sanitas" in texts(out) and "When would suit" in texts(out)
    assert values(dental) == {"service": "checkup"}  # nothing was filled from the questions


def test_a_question_mid_form_is_answered_and_the_form_resumes_es(
    restaurant: Conversation,
) -> None:
    restaurant.say("quiero reservar mesa para dos")
    out = restaurant.say("¿tenéis terraza?")
    assert "terraza con doce mesas" in texts(out) and "¿Qué día" in texts(out)
    assert "when" not in values(restaurant)


def test_both_parts_of_a_two_part_question_are_answered(restaurant: Conversation) -> None:
    out = texts(restaurant.say("What time do you open and do you have a terrace?"))
    assert "13:00" in out and "terrace with twelve tables" in out
    out = texts(restaurant.say("¿A qué hora abrís? ¿Y tenéis terraza?"))
    assert "13:00" in out and "terraza con doce mesas" in out


def test_a_question_about_a_day_does_not_move_the_booking(restaurant: Conversation) -> None:
    restaurant.say("table for 2 on Friday at 9pm")
    before = values(restaurant)["when"]
    restaurant.say("are you open on Saturday?")
    assert values(restaurant)["when"] == before


# ---------------------------------------------------------------- a person, an emergency


@pytest.mark.parametrize(
    "text",
    ["is there a human I can talk to?", "quiero hablar con una persona, por favor"],
)
def test_a_person_wins_in_the_middle_of_any_form(
    legal: Conversation, intake: FakeIntake, text: str
) -> None:
    legal.say("I was fired last week and I want to know my options")
    out = legal.say(text)
    assert out.handoff_reason is not None and "form" not in out.state
    assert "team" in texts(out) or "equipo" in texts(out)
    assert intake.cases == []


def test_a_person_wins_while_confirming(restaurant: Conversation) -> None:
    restaurant.say("table for 2 on Friday at 9pm, name Ana")
    restaurant.say("no")
    out = restaurant.say("can I talk to someone from the staff?")
    assert out.handoff_reason is not None


def test_an_emergency_mid_form_wins_en(dental: Conversation) -> None:
    dental.say("I'd like to book a cleaning")
    out = dental.say("my tooth is killing me and my face is swollen")
    assert "pain" in texts(out)
    assert out.state.get("form", {}).get("name") == "urgent" or out.handoff_reason


def test_an_emergency_in_a_legal_intake_opens_an_urgent_case_es(
    legal: Conversation, intake: FakeIntake
) -> None:
    legal.say("Hola, tengo un problema con mi casero")
    out = legal.say("han detenido a mi hijo esta noche y está en comisaría")
    assert out.handoff_priority == 3 and "urgente" in texts(out)
    (case,) = intake.cases
    assert case.priority == "urgent"


# ---------------------------------------------------------------- names


@pytest.mark.parametrize("word", ["furious", "Furious", "tonto", "hola", "idiota", "gracias"])
def test_words_that_are_not_names_are_not_names(word: str) -> None:
    assert not looks_like_name(word)


@pytest.mark.parametrize("name", ["Ana", "Ana López", "María de la Cruz", "Daniel Webb", "Iñaki"])
def test_names_read_as_names(name: str) -> None:
    assert looks_like_name(name)


def test_an_angry_word_is_never_taken_as_the_name_en(dental: Conversation) -> None:
    dental.say("book a check-up on Friday at 11am")
    dental.say("new")
    out = dental.say("I'm furious")
    assert "name" not in values(dental) and "Furious" not in texts(out)
    out = dental.say("I'm Ana Lopez")
    assert "for Ana Lopez" in texts(out)


def test_an_insult_is_never_taken_as_the_name_es(restaurant: Conversation) -> None:
    restaurant.say("mesa para 2 el viernes a las 21:00")
    out = restaurant.say("eres tonto")
    assert "name" not in values(restaurant) and "tonto" not in texts(out).lower()
    restaurant.say("me llamo carmen ruiz")
    assert values(restaurant)["name"] == "Carmen Ruiz"


def test_a_name_answered_in_a_sentence_with_the_phone_is_taken_es(dental: Conversation) -> None:
    dental.say("Quisiera una limpieza el jueves a las 11 de la mañana")
    out = dental.say("Carmen Villalba Ortiz. Mi teléfono es el 612 345 678.")
    assert values(dental)["name"] == "Carmen Villalba Ortiz"
    assert "Carmen Villalba Ortiz" in texts(out)


def test_a_name_beside_the_phone_and_the_other_party_is_still_the_answer(
    legal: Conversation,
) -> None:
    legal.say("hola, mi empresa me debe dos nóminas y quiero saber q puedo hacer")
    legal.say("sergio llorente, 645 002 913. la empresa es Construcciones Arganda S.L.")
    assert values(legal)["name"] == "Sergio Llorente"
    assert values(legal)["parties"] == ["Construcciones Arganda S.L."]


def test_asking_for_a_consultation_beside_the_matter_starts_the_intake(
    legal: Conversation,
) -> None:
    legal.say("my TIE card expires next month and i need help. any chance of a consultation today?")
    assert values(legal)["practice_area"] == "immigration"
    legal.say("Oliver Brandt, 633 870 211. no other party involved, it's just me")
    assert values(legal)["name"] == "Oliver Brandt"


def test_a_place_and_a_party_without_a_contact_are_not_a_name(legal: Conversation) -> None:
    legal.say("Hi, I was fired last week without notice and I'd like to know my options")
    legal.say("It's in Madrid, and the company is Northwind Freight Ltd")
    assert "name" not in values(legal)


def test_a_new_party_size_with_a_bare_answer_is_not_a_name(restaurant: Conversation) -> None:
    restaurant.say("table for 4 on Friday at 9pm")
    restaurant.say("add one more, we're 5 now")
    assert values(restaurant)["party_size"] == 5 and "name" not in values(restaurant)


def test_a_move_takes_the_new_time_not_the_one_the_booking_has(
    dental: Conversation, calendar: FakeCalendar
) -> None:
    calendar.book("checkup", datetime.fromisoformat("2025-03-12T17:00:00+01:00"), 30)
    out = dental.say(
        "Tengo la cita hoy a las cinco pero me ha surgido un imprevisto. "
        "¿Podríamos pasarla al jueves 13 a las 12:00?"
    )
    dental.say("sí")
    assert [b.starts_at.isoformat() for b in calendar.upcoming()] == [
        "2025-03-13T12:00:00+01:00"
    ], texts(out)


def test_a_correction_naming_the_old_time_too_keeps_the_new_one(dental: Conversation) -> None:
    dental.say("quiero un empaste el jueves a las 10")
    dental.say("ah no espera, mejor a las 12 q a las 10 tengo curro")
    assert values(dental)["when"].startswith("2025-03-13T12:00")


def test_an_hour_in_words_joins_the_day_said_apart(dental: Conversation) -> None:
    dental.say("quiero una limpieza el jueves 13 justo después, a las seis de la tarde")
    assert values(dental)["when"].startswith("2025-03-13T18:00")


def test_cancelling_for_tomorrow_is_not_an_emergency(
    dental: Conversation, calendar: FakeCalendar
) -> None:
    calendar.book("checkup", datetime.fromisoformat("2025-03-13T17:00:00+01:00"), 30)
    out = dental.say("I need to cancel my appointment tomorrow, something came up at work")
    assert "pain" not in texts(out) and "urgent" not in texts(out)
    dental.say("yes")
    assert calendar.upcoming() == []


# ---------------------------------------------------------------- notes


def test_only_what_was_asked_to_be_noted_is_noted_en(restaurant: Conversation) -> None:
    restaurant.say("Hi! Table for 2 tomorrow at 9pm please, one of us is vegan")
    assert values(restaurant)["requests"] == "one of us is vegan"
    restaurant.say("Smith")
    out = restaurant.say("note that it's our anniversary")
    assert "Noted: it's our anniversary" in texts(out)
    assert values(restaurant)["requests"] == "one of us is vegan; it's our anniversary"


def test_only_what_was_asked_to_be_noted_is_noted_es(restaurant: Conversation) -> None:
    restaurant.say("Hola, quiero reservar para 3 el viernes a las 21:00")
    assert "requests" not in values(restaurant)  # the first message is not a note
    out = restaurant.say("tengo alergia a los frutos secos")
    assert values(restaurant)["requests"] == "tengo alergia a los frutos secos"
    assert "Anotado" in texts(out)


# ---------------------------------------------------------------- small talk


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("you guys are amazing, best clinic ever", "lovely to hear"),
        ("sois los mejores, el trato es genial", "qué alegría"),
        ("how are you?", "thanks for asking"),
        ("¿qué tal estás?", "gracias por preguntar"),
        ("the receptionist was a bit rude last time", "sorry about that"),
        ("la última vez la recepcionista fue un poco borde", "Siento mucho"),
    ],
)
def test_small_talk_compliments_and_calm_complaints_get_a_fitting_answer(
    dental: Conversation, text: str, expected: str
) -> None:
    out = dental.say(text)
    assert expected in texts(out), texts(out)
    assert "didn't quite get" not in texts(out) and "Welcome" not in texts(out)
    assert out.handoff_reason is None


def test_a_compliment_mid_form_is_thanked_and_the_form_resumes(dental: Conversation) -> None:
    dental.say("I want to book a cleaning")
    out = dental.say("by the way your team is wonderful")
    assert "lovely to hear" in texts(out) and "When would suit" in texts(out)
    assert values(dental) == {"service": "cleaning"} and out.handoff_reason is None


# ---------------------------------------------------------------- confirmation


def test_the_confirmation_summarizes_every_slot_and_edits_one_en(
    restaurant: Conversation, tables: FakeReservations
) -> None:
    out = restaurant.say("table for 4 on Friday at 9pm, name Ana, one of us is celiac")
    summary = texts(out)
    assert "Shall I confirm" in summary  # everything was given: straight to the summary
    for piece in ("table for 4", "Fri 14 Mar at 21:00", "Ana", "celiac"):
        assert piece in summary
    out = restaurant.say("make it 10pm")
    assert "changed the date and time" in texts(out) and "table for 4" in texts(out)
    assert "Ana" in texts(out) and "celiac" in texts(out)
    restaurant.say("yes")
    (booking,) = tables.rows
    assert booking.starts_at.strftime("%H:%M") == "22:00" and booking.party_size == 4


def test_the_confirmation_summarizes_every_slot_and_edits_one_es(
    dental: Conversation, calendar: FakeCalendar
) -> None:
    dental.say("Hola, quiero una revisión el viernes a las 11:00")
    dental.say("primera vez")
    out = dental.say("Lucía Gómez")
    for piece in ("Revisión", "viernes 14 de marzo", "11:00", "Lucía Gómez", "primera visita"):
        assert piece in texts(out)
    out = dental.say("mejor a las 12:30")
    assert "he cambiado el día y la hora" in texts(out) and "Lucía Gómez" in texts(out)
    dental.say("sí")
    (booking,) = calendar.booked
    assert booking.starts_at.strftime("%H:%M") == "12:30"
