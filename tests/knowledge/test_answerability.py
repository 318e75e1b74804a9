"""The answer-level check: a unit holds the asked kind of value about the asked thing."""

from __future__ import annotations

import numpy as np

from knowledge.answerability import FEATURES, _focus, _main_noun, candidates
from knowledge.bm25 import LexicalIndex
from knowledge.embedding import encode
from knowledge.types import Passage, Reference

CROWNS = "Crowns are made in our own laboratory in two visits."
PRICE = "Porcelain crown: 450 €."
VENEERS = "We also fit veneers to close small gaps."


def _passages(*texts: str) -> list[Passage]:
    return [
        Passage(f"c{i}", text, Reference(f"s{i}", "Clinic"), 0.03, 0.5, 1.0, rank=i)
        for i, text in enumerate(texts)
    ]


def _feature(features: np.ndarray, name: str) -> float:
    return float(features[FEATURES.index(name)])


def test_the_unit_with_the_asked_value_for_the_asked_thing_passes_the_check() -> None:
    question = "How much does a crown cost?"
    cands = candidates(question, question, encode([question])[0], _passages(CROWNS, PRICE))
    by_text = {c.text: c.features for c in cands}
    assert _feature(by_text[PRICE], "answer_check") == 1.0
    assert _feature(by_text[CROWNS], "answer_check") == 0.0  # same topic, no price
    assert _feature(by_text[CROWNS], "answer_check_any") == 1.0  # another unit has it


def test_a_same_topic_passage_without_the_value_fails_the_check_everywhere() -> None:
    question = "What is the price of a veneer?"
    cands = candidates(question, question, encode([question])[0], _passages(VENEERS, PRICE))
    assert all(_feature(c.features, "answer_check_any") < 0.62 for c in cands)
    veneers = next(c for c in cands if c.text == VENEERS)
    assert _feature(veneers.features, "main_unit") == 1.0
    assert _feature(veneers.features, "main_value") == 0.0


def test_the_main_noun_is_the_question_word_rarest_in_the_corpus() -> None:
    index = LexicalIndex(
        ["a", "b", "c"],
        ["Dental cleaning: 60 €.", "Dental whitening: 250 €.", "Dental crowns take two visits."],
        ["en", "en", "en"],
    )
    focus = _focus(index.groups("How much is dental whitening?"))
    main = _main_noun(focus, index)
    assert main is not None and focus[main].word == "whitening"
