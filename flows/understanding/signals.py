"""Sentiment, frustration, urgency and tone from bilingual surface signals (no model)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flows.understanding.text import fold, words

_NEGATORS = re.compile(r"\b(?:not|no|never|nunca|nada|isn't|wasn't|don't|ni)\s+(?:\w+\s+)?$")
_EXCLAIM = re.compile(r"[!?¡¿]{3,}|!{2,}")


def _phrase_re(items: Sequence[str]) -> re.Pattern[str]:
    folded = sorted({fold(i).strip() for i in items if str(i).strip()}, key=len, reverse=True)
    alternation = "|".join(re.escape(i).replace(r"\ ", r"\s+") for i in folded)
    return re.compile(rf"(?<![\w'])(?:{alternation})(?![\w'])") if folded else re.compile(r"(?!x)x")


def _clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, x))


def _is_emoji(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or 0x1F000 <= ord(ch) <= 0x1FAFF


@dataclass(frozen=True)
class SignalReading:
    """The scores one message gets."""

    sentiment: float
    frustration: float
    urgency: float
    tone: str


@dataclass(frozen=True)
class Signals:
    """Compiled word lists; `read` scores a message."""

    lists: Mapping[str, re.Pattern[str]]

    @classmethod
    def from_lexicon(cls, lexicon: Mapping[str, Sequence[str]]) -> Signals:
        """Compile the lists of `flows/data/lexicons/signals.yaml`."""
        return cls({name: _phrase_re(items) for name, items in lexicon.items()})

    def _count(self, name: str, f: str) -> int:
        pattern = self.lists.get(name)
        return len(pattern.findall(f)) if pattern else 0

    def _polarity(self, f: str) -> tuple[int, int]:
        pos = neg = 0
        for name in ("positive", "negative"):
            pattern = self.lists.get(name)
            if pattern is None:
                continue
            for m in pattern.finditer(f):
                negated = bool(_NEGATORS.search(f[: m.start()][-20:]))
                if (name == "positive") != negated:
                    pos += 1
                else:
                    neg += 1
        return pos, neg

    def read(self, text: str, recent_texts: Sequence[str] = ()) -> SignalReading:
        """Score sentiment (-1..1), frustration (0..1), urgency (0..1) and tone."""
        f = fold(text)
        letters = [c for c in text if c.isalpha()]
        shouting = len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.6
        exclaim = bool(_EXCLAIM.search(text))
        pos, neg = self._polarity(f)
        insults = self._count("insults", f)
        waiting = self._count("waiting", f)
        repetition = self._count("repetition", f) + int(_repeats(text, recent_texts))
        sentiment = 0.35 * pos - 0.4 * neg - 0.6 * insults - 0.3 * waiting - 0.25 * repetition
        if shouting or exclaim:
            sentiment -= 0.15 if sentiment < 0 or neg else 0.0
        frustration = (
            0.45 * min(insults, 2)
            + 0.3 * min(waiting, 2)
            + 0.35 * min(repetition, 2)
            + 0.15 * min(neg, 2)
            + (0.25 if shouting else 0.0)
            + (0.15 if exclaim else 0.0)
        )
        urgency = 0.3 * min(self._count("urgency", f), 3) + 0.45 * min(
            self._count("urgency_strong", f), 2
        )
        if urgency and exclaim:
            urgency += 0.1
        return SignalReading(
            sentiment=round(_clamp(sentiment, -1.0, 1.0), 3),
            frustration=round(_clamp(frustration), 3),
            urgency=round(_clamp(urgency), 3),
            tone=self._tone(text, f),
        )

    def _tone(self, text: str, f: str) -> str:
        formal = float(self._count("formal", f))
        casual = float(self._count("casual", f))
        if any(_is_emoji(c) for c in text):
            casual += 1.5
        stripped = text.strip()
        if stripped[:1].isupper() and stripped[-1:] in ".?":
            formal += 0.5
        if stripped and stripped == stripped.lower():
            casual += 0.5
        if len(stripped) > 120:
            formal += 0.5
        return "formal" if formal > casual else "casual"


def _repeats(text: str, recent: Sequence[str]) -> bool:
    """True when the customer says (almost) the same thing they already said."""
    mine = set(words(text))
    if len(mine) < 3:
        return False
    for other in recent[-6:]:
        theirs = set(words(other))
        if theirs and len(mine & theirs) / len(mine | theirs) >= 0.6:
            return True
    return False
