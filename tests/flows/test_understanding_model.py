"""The trained understanding: fresh weights, example banks that meet the brief, odd input."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
import yaml

from flows.templates import get_template
from flows.understanding import INTENT_THRESHOLD, UNKNOWN_INTENT, Context, Understander
from flows.understanding.model import COMMON_INTENTS, DATA_DIR, load, training_hash
from flows.understanding.signals import FRUSTRATION_THRESHOLD, URGENCY_THRESHOLD


def test_shipped_weights_match_the_training_data() -> None:
    """Edit a bank or a dev set, then run `python -m flows.understanding.train`."""
    assert load().data_hash == training_hash(), "stale weights: python -m flows.understanding.train"


def _bank() -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for path in sorted((DATA_DIR / "intents").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for intent, by_lang in data["intents"].items():
            for lang, items in by_lang.items():
                assert all(isinstance(x, str) and x.strip() for x in items), (path, intent)
                counts[(intent, lang)] += len(items)
    return counts


def test_every_intent_has_sixty_examples_per_language() -> None:
    counts = _bank()
    names = set(COMMON_INTENTS) | {n for t in load().template_intents.values() for n in t}
    short = {(n, lang): counts[(n, lang)] for n in names for lang in ("en", "es")}
    assert {k: v for k, v in short.items() if v < 60} == {}


@pytest.mark.parametrize("name", ["frustration", "urgency"])
def test_signal_banks_are_large_and_balanced(name: str) -> None:
    data = yaml.safe_load(Path(DATA_DIR / "signals" / f"{name}.yaml").read_text(encoding="utf-8"))
    for lang in ("en", "es"):
        pos, neg = len(data[lang]["positive"]), len(data[lang]["negative"])
        assert pos + neg >= 150 and abs(pos - neg) <= 0.1 * (pos + neg), (lang, pos, neg)


def test_every_template_has_emergency() -> None:
    per_template = load().template_intents
    assert set(per_template) == {"dental", "legal", "restaurant", "real_estate"}
    for intents in per_template.values():
        assert {"emergency", "compliment", "hours", "pricing"} <= set(intents)
    assert "fees" not in per_template["legal"]
    for name in ("legal", "restaurant", "real_estate"):
        template = get_template(name)
        assert template is not None and "emergency" in template.routes


_rng = random.Random(3)
_LONG = " ".join(
    "".join(_rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(_rng.randint(3, 9)))
    for _ in range(1500)
)[:10_000]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        _LONG,
        "😀🎉🔥",
        "🙂",
        "\x00\x01\x02\x1b[31m\x7f",
        "bonjour ich möchte 今日は 天気 ciao ragazzi",
        "\u200b\u200b",
    ],
    ids=["empty", "blank", "10k", "emoji", "one-emoji", "control", "mixed", "zero-width"],
)
def test_bad_input_reads_as_unknown(
    understanders: dict[str, Understander], ctx_en: Context, text: str
) -> None:
    for understander in understanders.values():
        a = understander.annotate(text, ctx_en)
        assert a.needs_clarification()
        assert a.intent == UNKNOWN_INTENT or a.intent_confidence < INTENT_THRESHOLD
        assert a.intent_confidence < INTENT_THRESHOLD


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("please stop sending me offers", "opt_out"),
        ("no me mandéis más publicidad", "opt_out"),
        ("quiero ejercer mi derecho al olvido", "forget_me"),
        ("stop repeating yourself and answer me", None),
        ("deja de repetir lo mismo y contéstame", None),
    ],
)
def test_paraphrased_opt_outs_and_erasure(
    understanders: dict[str, Understander], ctx_en: Context, text: str, intent: str | None
) -> None:
    a = understanders["restaurant"].annotate(text, ctx_en)
    if intent is None:
        assert a.intent not in ("opt_out", "forget_me", "forget_fact")
    else:
        assert a.intent == intent and a.intent_confidence >= INTENT_THRESHOLD


@pytest.mark.parametrize(
    ("template", "text", "frustrated", "urgent"),
    [
        ("dental", "I'VE BEEN WAITING 45 MINUTES AND NOBODY SAYS ANYTHING", True, False),
        ("legal", "es la cuarta vez que os escribo, sois unos incompetentes", True, False),
        ("legal", "my daughter was detained by the police an hour ago", False, True),
        ("real_estate", "they want me out of the flat by friday", False, True),
        ("dental", "could i book a cleaning for next month?", False, False),
        ("restaurant", "the soup was a little cold, just so you know", False, False),
        ("real_estate", "WHERE ARE MY KEYS", True, False),
        ("legal", "sorry to nag, but this is the 3rd email about my refund", True, False),
        ("dental", "llevamos una hora en la sala de espera y nadie sale", True, False),
        ("legal", "the company is Redwood Builders Inc", False, False),
        ("legal", "mi jefa era Laura Campos", False, False),
    ],
)
def test_signals_reach_the_default_thresholds(
    understanders: dict[str, Understander],
    ctx_en: Context,
    template: str,
    text: str,
    frustrated: bool,
    urgent: bool,
) -> None:
    a = understanders[template].annotate(text, ctx_en)
    assert (a.frustration >= FRUSTRATION_THRESHOLD) is frustrated
    assert (a.urgency >= URGENCY_THRESHOLD) is urgent
