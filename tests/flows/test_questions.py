"""The question inside a chat message, for retrieval (flows.questions)."""

from __future__ import annotations

import pytest

from flows.questions import question_core


@pytest.mark.parametrize(
    ("message", "core"),
    [
        ("hi, do you guys speak english?", "do you speak english?"),
        (
            "quick question first: I live in Valencia, can the consultation be done by video?",
            "can the consultation be done by video?",
        ),
        (
            "actually quick q first - as a tenant do I have to pay you an agency fee?",
            "as a tenant do I have to pay you an agency fee?",
        ),
        ("vale. otra cosa, es verdad q se puede llevar tarta?", "se puede llevar tarta?"),
        ("Hola, soy yo otra vez. Una duda: ¿cuánto tarda el arraigo?", "cuánto tarda el arraigo?"),
        ("¿Y la tasa de cuánto es?", "la tasa de cuánto es?"),
        ("oh btw is there anywhere to park near you?", "is there anywhere to park near you?"),
    ],
)
def test_what_only_surrounds_the_question_is_taken_off(message: str, core: str) -> None:
    assert question_core(message) == core


@pytest.mark.parametrize(
    "message",
    ["what time do you open?", "For a family of 4, how much is it?", "parking"],
)
def test_a_plain_question_or_a_condition_of_it_stays(message: str) -> None:
    assert question_core(message) == message
