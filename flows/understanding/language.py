"""Language detection restricted to the business's languages, sticky on very short messages."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from flows.understanding.text import words

_SHORT_WORDS = 2
_MIN_MARGIN = 0.25
# Function words that settle short chat messages which n-gram models misread ("Hi, I'm Ana").
_MARKERS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "hi hello hey i i'm im my is are the an and you your please thanks thank what "
        "when where how can could would want need again there this that it with for".split()
    ),
    "es": frozenset(
        "hola buenas soy llamo mi mis es son el la los las un una y tu usted por favor "
        "gracias que cuando donde como puedo puede quiero necesito otra vez hay esto con "
        "para".split()
    ),
}


@functools.lru_cache(maxsize=8)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
    return (
        LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
    )


class LanguageIdentifier:
    """Detects which of the business's languages a message is written in."""

    def __init__(self, languages: Sequence[str]) -> None:
        codes = tuple(dict.fromkeys(c.lower()[:2] for c in languages)) or ("en",)
        self.languages = codes
        self._detector = _detector(tuple(sorted(codes))) if len(codes) > 1 else None

    def identify(self, text: str, conversation_language: str | None = None) -> str:
        """Return an ISO 639-1 code among the business's languages."""
        previous = conversation_language if conversation_language in self.languages else None
        default = previous or self.languages[0]
        if self._detector is None:
            return self.languages[0]
        tokens = words(text)
        marked = self._marked(tokens)
        if len(tokens) <= _SHORT_WORDS and previous and not self._marked(tokens, at_least=2):
            return previous
        if marked and len(tokens) <= 6:
            return marked
        values = self._detector.compute_language_confidence_values(text)
        if not values:
            return default
        best = values[0]
        runner_up = values[1].value if len(values) > 1 else 0.0
        if previous and best.value - runner_up < _MIN_MARGIN:
            return previous
        return best.language.iso_code_639_1.name.lower()

    def _marked(self, tokens: Sequence[str], at_least: int = 1) -> str | None:
        """The one language whose function words the message uses most, if one clearly wins."""
        counts = {
            code: sum(t.lower() in _MARKERS.get(code, frozenset()) for t in tokens)
            for code in self.languages
        }
        ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
        if ranked[0][1] >= at_least and (len(ranked) == 1 or ranked[0][1] >= ranked[1][1] + 1):
            return ranked[0][0]
        return None
