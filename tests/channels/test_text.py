"""Splitting, SMS segments, numbered options, consent keywords and phone numbers."""

from __future__ import annotations

import pytest

from channels.base import Button
from channels.keywords import classify_keyword
from channels.phone import to_e164
from channels.text import graphemes, sms_info, split_sms, split_text, truncate


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("", "GSM-7", 0),
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # extension characters take two septets
        ("€" * 81, "GSM-7", 2),
        ("a" * 152 + "€" + "a" * 10, "GSM-7", 2),
        ("a" * 152 + "€" + "a" * 153, "GSM-7", 3),  # the escape pair never straddles two parts
        ("ñÑüÜäöÄÖàèéùìòÇ", "GSM-7", 1),
        ("á" * 70, "UCS-2", 1),  # á is not in GSM-7
        ("á" * 71, "UCS-2", 2),
        ("😀" * 35, "UCS-2", 1),  # an emoji is two UTF-16 units
        ("😀" * 36, "UCS-2", 2),
        ("a" * 66 + "😀" + "a" * 67, "UCS-2", 3),  # a surrogate pair never straddles two parts
    ],
)
def test_sms_segments(text: str, encoding: str, segments: int) -> None:
    info = sms_info(text)
    assert (info.encoding, info.segments) == (encoding, segments)


def test_split_never_cuts_words_or_graphemes() -> None:
    family = "👨\u200d👩\u200d👧\u200d👦"
    text = " ".join(["hola", family, "mañana", "e\u0301"] * 300)
    chunks = split_text(text, 50)
    assert all(len(c.encode("utf-16-le")) // 2 <= 50 for c in chunks)
    assert " ".join(chunks) == text
    for chunk in chunks:
        for word in chunk.split(" "):
            assert word in {"hola", family, "mañana", "e\u0301"}


def test_split_prefers_line_breaks() -> None:
    text = "First paragraph line.\n\nSecond paragraph that is a bit longer."
    assert split_text(text, 40) == [
        "First paragraph line.",
        "Second paragraph that is a bit longer.",
    ]


def test_a_word_longer_than_the_limit_is_cut_between_graphemes() -> None:
    text = "👍🏽" * 10
    chunks = split_text(text, 9)  # each 👍🏽 is 4 UTF-16 units
    assert "".join(chunks) == text
    assert all(set(graphemes(c)) == {"👍🏽"} for c in chunks)


def test_split_of_blank_text_is_empty() -> None:
    assert split_text("  \n ", 10) == []
    assert split_sms("") == []


@pytest.mark.parametrize("max_segments", [1, 2, 10])
@pytest.mark.parametrize("word", ["word", "€uro", "ñandú", "🙂ok"])
def test_split_sms_respects_segment_budget(word: str, max_segments: int) -> None:
    text = " ".join([word] * 700)
    chunks = split_sms(text, max_segments)
    assert all(sms_info(c).segments <= max_segments for c in chunks)
    assert " ".join(chunks) == text


def test_truncate_keeps_graphemes_whole() -> None:
    assert truncate("short", 20) == "short"
    cut = truncate("Reserva 👨\u200d👩\u200d👧 familia grande", 12)
    assert len(cut) <= 12 and cut.endswith("…")
    assert "\u200d" not in cut[-2:]


def test_pick_numbered_option() -> None:
    from channels.text import numbered_options, pick_numbered_option

    buttons = (Button("yes", "Sí"), Button("no", "No"), Button("later", "Más tarde"))
    assert numbered_options(buttons) == "1. Sí\n2. No\n3. Más tarde"
    assert pick_numbered_option("1", buttons) == buttons[0]
    assert pick_numbered_option(" 3. ", buttons) == buttons[2]
    assert pick_numbered_option("#2", buttons) == buttons[1]
    assert pick_numbered_option("mas tarde", buttons) == buttons[2]
    assert pick_numbered_option("4", buttons) is None
    assert pick_numbered_option("12 people", buttons) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STOP", "opt_out"),
        ("stop", "opt_out"),
        (" Stop! ", "opt_out"),
        ("UNSUBSCRIBE", "opt_out"),
        ("StopAll", "opt_out"),
        ("opt-out", "opt_out"),
        ("BAJA", "opt_out"),
        ("¡Alto!", "opt_out"),
        ("parar", "opt_out"),
        ("s\u200btop", "opt_out"),
        ("START", "opt_in"),
        ("unstop", "opt_in"),
        ("Yes", "opt_in"),
        ("ALTA", "opt_in"),
        ("help", "help"),
        ("INFO", "help"),
        ("Ayuda", "help"),
        ("please stop texting me", None),
        ("stop it", None),
        ("stopping", None),
        ("", None),
        (None, None),
        ("x" * 10_000, None),
    ],
)
def test_classify_keyword(text: str | None, expected: str | None) -> None:
    assert classify_keyword(text) == expected


@pytest.mark.parametrize(
    ("value", "region", "expected"),
    [
        ("whatsapp:+34600111222", None, "+34600111222"),
        ("34600111222", None, "+34600111222"),
        ("+1 (415) 555-2671", None, "+14155552671"),
        ("(415) 555-2671", "US", "+14155552671"),
        ("5215512345678", None, "+525512345678"),
        ("not a number", None, None),
        ("", None, None),
        ("+1", None, None),
    ],
)
def test_to_e164(value: str, region: str | None, expected: str | None) -> None:
    assert to_e164(value, region) == expected
