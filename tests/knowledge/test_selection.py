"""Which units an answer quotes, and under which citation; nothing about hours that nobody
configured or documented."""

from __future__ import annotations

import re

import numpy as np

from knowledge import AnswerConfig, KnowledgeBase
from knowledge.answerability import Candidate
from knowledge.answers import _compose, _Part, _select
from knowledge.types import Passage, Reference

TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2} ?(?:am|pm)\b", re.IGNORECASE)


def _passage(chunk: str, title: str, block: str = "text") -> Passage:
    return Passage(chunk, "", Reference(f"src-{title}", title), 0.0, 0.0, 0.0, block=block)


def _cand(text: str, passage: Passage, order: int, share: float) -> Candidate:
    return Candidate(text, passage, order, np.zeros(1), share=share, probability=share)


def test_runners_up_the_ranker_nearly_tied_are_quoted_too() -> None:
    prices, policy = _passage("a", "Prices"), _passage("b", "Policies")
    best = _cand("Follow-up session: 45 €.", prices, 3, 0.5)
    runner = _cand("The first assessment costs 55 €.", policy, 1, 0.3)
    faint = _cand("We accept cards.", policy, 2, 0.05)
    chosen = _select(best, [best, runner, faint], AnswerConfig())
    assert [c.text for c in chosen] == [best.text, runner.text]


def test_a_lone_clear_winner_is_quoted_alone() -> None:
    prices = _passage("a", "Prices")
    best = _cand("Follow-up session: 45 €.", prices, 0, 0.9)
    other = _cand("Sports massage: 50 €.", _passage("b", "Other"), 0, 0.1)
    assert _select(best, [best, other], AnswerConfig()) == [best]


def test_each_quoted_unit_is_cited_under_its_own_source() -> None:
    prices, policy = _passage("a", "Prices"), _passage("b", "Policies")
    units = [_cand("Follow-up: 45 €", prices, 0, 0.5), _cand("No cheques.", policy, 0, 0.4)]
    text, refs = _compose([_Part("q", [], units[0], units, True)], "en", 600)
    assert [r.title for r in refs] == ["Prices", "Policies"]
    assert text.splitlines() == [
        "According to Prices: Follow-up: 45 €.",
        "According to Policies: No cheques.",
    ]


def test_a_business_with_no_hours_configured_never_states_hours(kb: KnowledgeBase) -> None:
    settings = {
        "address": "Calle Mayor 1, 28013 Madrid",
        "phone": "+34 910 000 001",
        "services": [{"id": "cleaning", "name": {"en": "Cleaning", "es": "Limpieza"}, "price": 60}],
        "faq": [{"keywords": ["parking"], "en": "Street parking only.", "es": "Solo en la calle."}],
    }
    assert kb.ingest_settings("quiet", settings, ("en", "es"), name="Quiet Dental") is not None
    eager = KnowledgeBase(kb.client, answering=AnswerConfig(threshold=0.0))  # answers anything
    for question, language in (
        ("What are your opening hours?", "en"),
        ("When do you close on Saturday?", "en"),
        ("Are you open on Sunday morning?", "en"),
        ("¿Qué horario tenéis?", "es"),
        ("¿A qué hora abrís los lunes?", "es"),
        ("How much is a cleaning and when do you open?", "en"),
    ):
        for base in (kb, eager):
            answer = base.answer("quiet", question, language)
            assert not TIME.search(answer.text), (question, answer.text)


def test_plain_text_lists_keep_each_item_with_its_price_under_its_heading() -> None:
    from knowledge.chunking import _plain_blocks

    text = (
        "-----------\nOUR MENU\n-----------\n\nStarters\n- Octopus (portion) ....... 21,50 €\n"
        "- Padrón peppers .......... 8,50 €\n\nWe bake our bread\nevery morning.\n"
    )
    (block,) = _plain_blocks(text)
    assert block.heading == "Our menu"
    assert block.units == (
        "Starters",
        "Octopus (portion): 21,50 €",
        "Padrón peppers: 8,50 €",
        "We bake our bread every morning.",
    )
