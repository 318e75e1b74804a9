"""The Understander: everything loaded once per process, one `annotate` call per message."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from flows.understanding.dates import DateSettings
from flows.understanding.entities import EntityExtractor, Gazetteer
from flows.understanding.features import intent_features
from flows.understanding.intents import EMBED_WEIGHT, IntentModel, IntentResult
from flows.understanding.language import LanguageIdentifier
from flows.understanding.llm import LLMUnavailable, ask_chat_model, llm_entities
from flows.understanding.model import COMMON_INTENTS, Weights
from flows.understanding.model import load as load_weights
from flows.understanding.rules import forget_target, rule_intent
from flows.understanding.signals import CUE_SCALE, Signals, cue_vector, entity_dates
from flows.understanding.types import INTENT_THRESHOLD, UNKNOWN_INTENT, Annotations, Context, Entity

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TEMPLATES = ("dental", "legal", "restaurant", "real_estate")
_MDY_COUNTRIES = frozenset({"US", "PH", "FM", "BZ"})
# A restaurant's "at 9" is dinner; a clinic's "at 9" is the morning.
_PM_UNTIL = {"restaurant": 11}
_NO_PARTY = frozenset({"dental", "legal", "real_estate"})
"""Templates without a table to book: no party size is read from their messages."""


class UnderstandingError(Exception):
    """Base error of the understanding package."""


class UnknownTemplate(UnderstandingError):
    """The template name has no intents file."""


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return data if isinstance(data, dict) else {}


def template_intents(weights: Weights, template: str | None) -> tuple[str, ...]:
    """The intents a template can return: the common ones plus its own."""
    if not template:
        return COMMON_INTENTS
    if template not in weights.template_intents:
        if not (DATA_DIR / "intents" / f"{template}.yaml").exists():
            raise UnknownTemplate(template)
        return COMMON_INTENTS
    return weights.template_intents[template]


MAX_CHARS = 2000
"""Only the first MAX_CHARS characters of a message are read (a 10,000-character paste is not a
request; reading all of it would only cost time)."""


def clean_text(text: str) -> str:
    """Drop control and format characters (keeping newlines and tabs as spaces), and cut."""
    text = (text or "")[:MAX_CHARS]
    return "".join(
        " " if ch in "\n\r\t" else ch
        for ch in text
        if ch in "\n\r\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co")
    )


_THUMBS = {"👍": "affirm", "👌": "affirm", "✅": "affirm", "👎": "deny", "❌": "deny"}


def _no_words(text: str) -> IntentResult | None:
    """A message without a letter or digit (emoji, punctuation) has no intent to read; only a
    thumb or tick alone answers a yes/no question."""
    if any(ch.isalnum() for ch in text):
        return None
    marks = {ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Mn", "Cf")}
    if len(marks) == 1 and (mark := next(iter(marks))) in _THUMBS:
        return IntentResult(_THUMBS[mark], 0.9)
    return IntentResult(UNKNOWN_INTENT, 0.0)


def load_gazetteers(
    template: str | None, extra: Mapping[str, Sequence[str]] | None
) -> tuple[Gazetteer, ...]:
    """Generic plus the template's gazetteers, with the business's own items added."""
    merged: dict[str, dict[str, list[str]]] = {}
    for name in ("generic", template):
        if not name:
            continue
        for kind, items in _read_yaml(DATA_DIR / "lexicons" / f"{name}.yaml").items():
            for canonical, synonyms in (items or {}).items():
                merged.setdefault(str(kind), {})[str(canonical)] = [str(s) for s in synonyms or []]
    for kind, items in (extra or {}).items():
        for item in items:
            merged.setdefault(kind, {}).setdefault(str(item), [])
    built = (Gazetteer.build(kind, items) for kind, items in merged.items())
    return tuple(g for g in built if g is not None)


def _freeze(m: Mapping[str, Sequence[str]] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((k, tuple(v)) for k, v in (m or {}).items()))


_CACHE: dict[Any, Understander] = {}
_CACHE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Understander:
    """Annotates messages for one business setup (languages, template, gazetteers)."""

    languages: tuple[str, ...]
    template: str | None
    intents: IntentModel
    language_id: LanguageIdentifier
    extractor: EntityExtractor
    signals: Signals
    threshold: float = INTENT_THRESHOLD
    chat_model: Any = field(default=None, compare=False)
    llm_timeout: float = 8.0

    @classmethod
    def load(
        cls,
        languages: Sequence[str],
        extra_intents: Mapping[str, Sequence[str]] | None = None,
        gazetteers: Mapping[str, Sequence[str]] | None = None,
        template: str | None = None,
    ) -> Understander:
        """Build (or reuse) everything for these settings; the encoder loads once per process."""
        langs = tuple(dict.fromkeys(lang.lower()[:2] for lang in languages)) or ("en",)
        key = (langs, template, _freeze(extra_intents), _freeze(gazetteers))
        with _CACHE_LOCK:
            cached = _CACHE.get(key)
            if cached is not None:
                return cached
            weights = load_weights()
            names = template_intents(weights, template)
            lexicon = _read_yaml(DATA_DIR / "lexicons" / "signals.yaml")
            built = cls(
                languages=langs,
                template=template,
                intents=IntentModel(weights, names, extra_intents),
                language_id=LanguageIdentifier(langs),
                extractor=EntityExtractor(
                    load_gazetteers(template, gazetteers), party_size=template not in _NO_PARTY
                ),
                signals=Signals.from_lexicon(lexicon),
            )
            _CACHE[key] = built
            return built

    def with_chat_model(self, model: Any, timeout: float = 8.0) -> Understander:
        """A copy that asks this LangChain chat model first and falls back to the offline path."""
        return replace(self, chat_model=model, llm_timeout=timeout)

    @property
    def intent_names(self) -> tuple[str, ...]:
        """Every intent this understander can return."""
        return self.intents.names

    def annotate(self, text: str, ctx: Context) -> Annotations:
        """Read one message: language, intent, entities, sentiment, frustration, urgency, tone.

        Never raises on odd input (empty, huge, emoji only, control characters): such a
        message reads as the `unknown` intent with low confidence.
        """
        text = clean_text(text)
        language = self.language_id.identify(text, ctx.language)
        now = ctx.current_time()
        settings = DateSettings(
            now=now,
            timezone=ctx.timezone,
            date_order="MDY" if ctx.default_country.upper() in _MDY_COUNTRIES else "DMY",
            pm_until=_PM_UNTIL.get(self.template or "", 7),
        )
        entities = list(self.extractor.extract(text, settings, ctx.default_country))
        embedding = self.intents.embedding(text)
        result, source = self._intent(text, language, now.isoformat(), entities, embedding)
        if result.intent == "human" and _introduction_only(text, entities):
            result = _second_choice(result)
        if result.intent == "forget_fact":
            key = forget_target(text)
            if key and key != "*":
                entities.append(Entity("fact_key", key, text, 0, len(text)))
        scores = self._signal_scores(text, embedding, entities, now.date())
        reading = self.signals.read(text, ctx.recent_texts, scores)
        return Annotations(
            language=language,
            intent=result.intent,
            intent_confidence=result.confidence,
            entities=tuple(sorted(entities, key=lambda e: (e.start, e.kind))),
            sentiment=reading.sentiment,
            frustration=reading.frustration,
            urgency=reading.urgency,
            tone=reading.tone,
            source=source,
            alternatives=result.alternatives,
        )

    def _signal_scores(
        self, text: str, embedding: np.ndarray, entities: Sequence[Entity], today: Any
    ) -> tuple[float, float] | None:
        """Trained frustration and urgency probabilities (None for a message without words)."""
        if not any(ch.isalnum() for ch in text):
            return None
        weights = self.intents.weights
        base = intent_features(embedding[None, :] * EMBED_WEIGHT, [text])
        cues = cue_vector(text, entity_dates(entities), today)[None, :] * CUE_SCALE
        x = np.hstack([base, cues])
        return (
            float(weights.frustration.probability(x)[0]),
            float(weights.urgency.probability(x)[0]),
        )

    def _intent(
        self,
        text: str,
        language: str,
        now_iso: str,
        entities: list[Any],
        embedding: np.ndarray | None = None,
    ) -> tuple[IntentResult, str]:
        wordless = _no_words(text)
        if wordless is not None:
            return wordless, "offline"
        if self.chat_model is not None and rule_intent(text) is None:
            try:
                reading = ask_chat_model(
                    self.chat_model, text, self.intent_names, language, now_iso, self.llm_timeout
                )
            except LLMUnavailable as exc:
                log.warning("chat model unavailable, using the offline path: %s", exc)
            else:
                if reading.intent in self.intent_names:
                    entities.extend(llm_entities(text, reading, entities))
                    return IntentResult(reading.intent, float(reading.confidence)), "llm"
                log.info("chat model answered an unknown intent %r", reading.intent)
        return self.intents.classify(text, embedding), "offline"


_PERSON_WORDS = re.compile(
    r"\b(person|persona|human|humano|agent|agente|someone|alguien|staff|receptionist|"
    r"recepcion|recepción|operator|operador|real)\b",
    re.IGNORECASE,
)


def _introduction_only(text: str, entities: Sequence[Any]) -> bool:
    """ "Me llamo Luis" reads like "llamar" to the encoder; a name without a person word is not
    a request for a person."""
    if _PERSON_WORDS.search(text):
        return False
    return any(e.kind == "name" for e in entities) or bool(_BARE_NAME.fullmatch(text.strip()))


_BARE_NAME = re.compile(r"(?:[A-ZÁÉÍÓÚÑ][a-záéíóúñü'-]+\s*){1,4}\.?")
"""A reply that is only a capitalised name ("Tom Baker", "Lucía Gómez Ruiz")."""


def _second_choice(result: IntentResult) -> IntentResult:
    """The best alternative that is not "human" (greeting when there is none)."""
    for intent, confidence in result.alternatives:
        if intent != "human":
            return IntentResult(intent, float(confidence), result.alternatives)
    return IntentResult("greeting", 0.5, result.alternatives)
