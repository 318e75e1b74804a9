"""Text helpers shared by the extractors: accent folding that keeps character offsets."""

from __future__ import annotations

import functools
import re
import unicodedata

_WORD = re.compile(r"[a-z0-9ñ']+")


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase and strip accents, one output character per input character (keeps offsets)."""
    out = []
    for ch in text:
        low = ch.lower()
        low = low[0] if low else ch
        if low == "ñ":
            out.append("n")
            continue
        decomposed = unicodedata.normalize("NFD", low)
        out.append(decomposed[0] if decomposed else low)
    return "".join(out)


def words(text: str) -> list[str]:
    """Return the folded words of a text."""
    return _WORD.findall(fold(text))


NUMBER_WORDS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "un": 1,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciseis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veinte": 20,
    "a": 1,
    "an": 1,
}

NUMBER_WORD_RE = "|".join(sorted((k for k in NUMBER_WORDS if len(k) > 1), key=len, reverse=True))


def to_number(token: str) -> int | None:
    """Read a small number written as digits or as an English/Spanish word."""
    token = fold(token.strip())
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)
