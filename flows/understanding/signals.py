"""Sentiment and tone from bilingual word lists; frustration and urgency from trained scorers.

Frustration and urgency are logistic regressions (trained by `flows.understanding.train` from
`flows/data/signals/*.yaml`, calibrated by Platt scaling on held-out folds) over the message's
sentence embedding, its hashed character n-grams and the surface cues of `cue_vector`: capitals,
repeated punctuation, "third time"/"again", waiting durations, insults and threats, words of
immediacy, and a date within the next three days. The defaults the gateway and templates act on
are 0.7 for both (frustration: hand-off threshold; urgency: the dental template's urgent slot).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from flows.understanding.text import fold, words

_NEGATORS = re.compile(r"\b(?:not|no|never|nunca|nada|isn't|wasn't|don't|ni)\s+(?:\w+\s+)?$")
_EXCLAIM = re.compile(r"[!?¡¿]{3,}|!{2,}")

FRUSTRATION_THRESHOLD = 0.7
"""Where the scorer reads "frustrated" (dev signals: P .95 / R .78 here, issue 12)."""
HANDOFF_FRUSTRATION = 0.9
"""The gateway's default hand-off threshold (business setting `handoff.frustration_threshold`):
higher than FRUSTRATION_THRESHOLD because a person is a scarce resource (dev: P 1.0 / R .67);
the flow engine also hands over a customer annoyed twice. The bench reports both."""
URGENCY_THRESHOLD = 0.7
"""What the templates treat as urgent (the dental template books an urgent slot)."""

# Surface cues (folded text). Short patterns for what an embedding misses, not phrase lists.
_REPEATED = re.compile(
    r"\b(?:(?:second|third|fourth|fifth|2nd|3rd|4th|5th|segunda|tercera|cuarta|quinta)\s+"
    r"(?:time|vez|mensaje|message|email|correo)|again|otra\s+vez|de\s+nuevo|una\s+y\s+otra|"
    r"(?:already|ya)\s+(?:told|asked|said|os|te|le|lo|he)|how\s+many\s+times|cuantas\s+veces|"
    r"(?:twice|\d+\s+times|\d+\s+veces|dos\s+veces|tres\s+veces)|"
    r"(?:yesterday|ayer)\s+(?:and|y)\s+(?:the\s+day\s+before|anteayer|antes\s+de\s+ayer|today|hoy)|"
    r"and\s+again|still\s+nothing|todavia\s+nada|aun\s+nada|sigo\s+sin\s+(?:saber|respuesta))\b"
)
_WAITING = re.compile(
    r"\b(?:wait\w*|esper\w*|llev\w+|hace|since|desde|on\s+hold|still|sigo|todavia|aun)\b"
    r"[^.!?]{0,30}?\b(?:\d+|an?|one|two|three|half|una?|dos|tres|media|siglos|ages|horas|hours)"
    r"\s*(?:min\w*|hours?|hrs?|h|horas?|days?|dias|weeks?|semanas?|months?|meses|ages|siglos)\b"
)
_HOSTILE = re.compile(
    r"\b(?:useless|idiots?|incompetent|pathetic|joke|clowns?|scam|ridiculous|unacceptable|"
    r"wtf|ffs|damn|hell|crap|shit|ashamed|hopeless|worst|review|never\s+(?:again|coming)|"
    r"inutil(?:es)?|idiotas?|incompetentes?|patetico|broma|payasos?|estafa|ridiculo|inaceptable|"
    r"verguenza|joder|mierda|narices|cabread\w*|hart[oa]s?|peor|resena|denunci\w*|"
    r"desastre|tomando\s+el\s+pelo|de\s+risa|cutre|thanks\s+for\s+nothing|gracias\s+por\s+nada|"
    r"won'?t\s+be\s+back|not\s+coming\s+back|no\s+volvemos|no\s+vuelvo|"
    r"no\s+sirve\w*\s+para\s+nada)\b"
)
_NOW = re.compile(
    r"\b(?:urgent\w*|asap|emergency|urgencia|immediately|inmediat\w*|right\s+now|ahora\s+mismo|"
    r"today|hoy|tonight|esta\s+noche|this\s+(?:morning|afternoon)|esta\s+(?:manana|tarde)|"
    r"tomorrow|manana|ya|now|help|ayuda|socorro)\b"
)
# Being ignored ("nobody answers", "is anyone there", "still no reply") and threatening to leave
# or complain publicly ("i'll go elsewhere", "me busco otro dentista", "1 star").
_IGNORED = re.compile(
    r"\b(?:(?:nobody|no\s+one|noone|nadie)\s+(?:\w+\s+){0,3}?(?:answer\w*|pick\w*|repl\w*|respond\w*|"
    r"call\w*|read\w*|contest\w*|coge\w*|responde\w*|llam\w*|lee\w*|dice\w*|tells?|told)|"
    r"(?:is\s+)?any\s*(?:one|body)\s+(?:there|here|working|reading|home)|hay\s+alguien|"
    r"(?:still|sigo|seguimos|todavia|aun)\s+(?:\w+\s+){0,2}?(?:no|nothing|nada|sin|waiting|esperando|"
    r"haven'?t|hasn'?t|not)|(?:do|does)\s+(?:you|anyone)\s+(?:even\s+)?read|leeis|leen|"
    r"(?:no|never)\s+(?:reply|answer|response|call\s*back)|sin\s+respuesta|ni\s+caso|"
    r"chase\s+you|ir\s+detras|how\s+hard\s+is\s+it|tan\s+dificil)\b"
)
_LEAVING = re.compile(
    r"\b(?:elsewhere|somewhere\s+else|another\s+(?:dentist|clinic|lawyer|firm|agency|restaurant)|"
    r"(?:otro|otra)\s+(?:sitio|dentista|clinica|abogado|despacho|agencia|restaurante|parte)|"
    r"(?:1|one|una)\s+(?:star|estrella)|reviews?|resenas?|google|consumo|report\s+you|"
    r"(?:never|nunca)\s+(?:again|mas)|lost\s+a\s+customer|perdido\s+un\s+cliente|"
    r"money\s+back|devolvais\s+el\s+dinero|fed\s+up|sick\s+(?:and\s+tired|of)|had\s+enough|"
    r"harto|harta|hasta\s+las\s+narices|(?:losing|lost|run\s+out\s+of|out\s+of)\s+(?:my\s+)?patience|"
    r"been\s+(?:very\s+|really\s+|so\s+)?patient|acaba\w*\s+la\s+paciencia|perdiendo\s+la\s+paciencia|"
    r"mucha\s+paciencia)\b"
)
# What makes a matter urgent by the label definitions: pain, swelling, bleeding, a reaction,
# an arrest, a hearing or deadline, an eviction, being locked out, water, gas, no heating.
_DANGER = re.compile(
    r"\b(?:pain\w*|agony|hurts?|killing\s+me|throbb\w*|swell\w*|swollen|bleed\w*|blood|abscess|"
    r"fever|knocked\s+out|allerg\w*|reaction|hives|throat|vomit\w*|throwing\s+up|poison\w*|"
    r"arrest\w*|detain\w*|police|court|hearing|trial|deadline|bailiffs?|evict\w*|deport\w*|"
    r"locked\s+out|leak\w*|flood\w*|burst|gas|heating|boiler|"
    r"dolor\w*|duele|muela|hinch\w*|sangr\w*|fiebre|reaccion|alergi\w*|ronchas|garganta|"
    r"vomit\w*|intoxica\w*|detenid\w*|detuv\w*|policia|comisaria|juicio|juzgado|vista|plazo|"
    r"desahuci\w*|deport\w*|expulsion|fuera\s+del?\s+piso|quedado\s+fuera|"
    r"gotea\w*|inund\w*|fuga|revent\w*|caldera|calefaccion)\b"
)
N_CUES = 12
CUE_SCALE = 3.0
"""The cue block is scaled up against the (unit) embedding and n-gram blocks: few, strong signals.
Training (flows/understanding/train.py) and run time (core.py) both read this one value."""
DEADLINE_DAYS = 3


def cue_vector(text: str, dates: Sequence[date], today: date | None) -> np.ndarray:
    """The surface cues of one message, each roughly in 0..1."""
    f = fold(text[:1000])
    letters = [c for c in text[:1000] if c.isalpha()]
    caps = sum(c.isupper() for c in letters) / len(letters) if len(letters) >= 6 else 0.0
    soon = bool(today) and any(0 <= (d - today).days <= DEADLINE_DAYS for d in dates)  # type: ignore[operator]
    return np.array(
        [
            caps,
            float(caps > 0.6),
            min(len(re.findall(r"[!?]{2,}", text)), 3) / 3,
            min(len(_REPEATED.findall(f)), 2) / 2,
            float(bool(_WAITING.search(f))),
            min(len(_HOSTILE.findall(f)), 2) / 2,
            min(len(_NOW.findall(f)), 2) / 2,
            float(soon),
            min(len(f), 400) / 400,
            min(len(_IGNORED.findall(f)), 2) / 2,
            min(len(_LEAVING.findall(f)), 2) / 2,
            min(len(_DANGER.findall(f)), 2) / 2,
        ],
        dtype=np.float32,
    )


def entity_dates(entities: Sequence[object]) -> list[date]:
    """The calendar days of date/datetime entities."""
    out: list[date] = []
    for e in entities:
        kind, value = getattr(e, "kind", ""), getattr(e, "value", None)
        if kind in ("date", "datetime") and isinstance(value, str):
            try:
                out.append(datetime.fromisoformat(value).date())
            except ValueError:
                continue
    return out


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

    def read(
        self,
        text: str,
        recent_texts: Sequence[str] = (),
        scores: tuple[float, float] | None = None,
    ) -> SignalReading:
        """Score sentiment (-1..1), frustration (0..1), urgency (0..1) and tone.

        `scores` are the trained (frustration, urgency) probabilities; without them the word
        lists give a rough reading. Saying the same thing again raises frustration either way.
        """
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
        if scores is not None:
            frustration, urgency = scores
            if _repeats(text, recent_texts):
                frustration += 0.25
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
