"""The trained weights: where they live, what data they were trained from, and how to apply them.

`flows/data/models/understanding.npz` is written by `python -m flows.understanding.train` and
holds a multinomial logistic regression over every intent (masked per template at run time), a
binary one each for frustration and urgency, their calibration temperatures, and the hash of the
files they were trained and calibrated on (`training_hash()`); a test fails when they differ.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from flows.understanding.features import FEATURE_VERSION, HASH_DIM

ROOT = Path(__file__).resolve().parent.parent.parent
DATA_DIR = ROOT / "flows" / "data"
WEIGHTS = DATA_DIR / "models" / "understanding.npz"
DEV_FILES = (
    ROOT / "tests" / "data" / "understanding_dev.jsonl",
    ROOT / "tests" / "data" / "understanding.jsonl",
    ROOT / "tests" / "data" / "understanding_signals_dev.jsonl",
)
WRITTEN_FILES = (
    ROOT / "bench" / "data" / "written_intents.jsonl",
    ROOT / "bench" / "data" / "written_signals.jsonl",
)
"""A held-out quarter of the examples written for issue 12's second round (crc32 of the text):
never trained on, never used to calibrate; `bench/understanding.py --only written` scores it."""
TRAIN_VERSION = "2"

COMMON_INTENTS = (
    "greeting",
    "goodbye",
    "thanks",
    "compliment",
    "affirm",
    "deny",
    "human",
    "complaint",
    "question",
    "hours",
    "pricing",
    "reschedule",
    "cancel",
    "emergency",
    "opt_out",
    "what_do_you_know",
    "forget_me",
    "forget_fact",
)
"""Intents every template has (the label definitions' common table)."""

NOISE = "unknown"
"""A training-only class for noise and off-topic text: predicting it means "ask to clarify"."""


def bank_files() -> list[Path]:
    """Every file the weights are trained from (example banks of intents and signals)."""
    return sorted((DATA_DIR / "intents").glob("*.yaml")) + sorted(
        (DATA_DIR / "signals").glob("*.yaml")
    )


def training_hash(files: Iterable[Path] | None = None) -> str:
    """sha256 of the training and calibration files plus the feature and training versions."""
    digest = hashlib.sha256(f"features={FEATURE_VERSION};train={TRAIN_VERSION}".encode())
    for path in files if files is not None else [*bank_files(), *DEV_FILES, *WRITTEN_FILES]:
        if path.exists():
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class IntentWeights:
    """Multinomial logistic regression over all intents; `temperature` calibrates it."""

    labels: tuple[str, ...]
    w: np.ndarray
    b: np.ndarray
    temperature: float

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Raw scores, one column per label."""
        return x @ self.w + self.b  # type: ignore[no-any-return]

    def probabilities(self, x: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        """Calibrated probabilities over the allowed labels (others get 0)."""
        z = self.logits(x) / self.temperature
        z = np.where(allowed, z, -np.inf)
        return _softmax(z)


@dataclass(frozen=True)
class BinaryWeights:
    """Logistic regression for one signal; `scale`/`shift` calibrate it (Platt scaling)."""

    w: np.ndarray
    b: float
    scale: float
    shift: float

    def probability(self, x: np.ndarray) -> np.ndarray:
        """Calibrated probability of the signal."""
        z = (x @ self.w + self.b) * self.scale + self.shift
        return 1.0 / (1.0 + np.exp(-z))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Weights:
    """Everything the trained understanding needs."""

    intents: IntentWeights
    frustration: BinaryWeights
    urgency: BinaryWeights
    data_hash: str
    template_intents: Mapping[str, tuple[str, ...]]

    def allowed(self, names: Iterable[str]) -> np.ndarray:
        """A boolean mask over the intent labels for this set of intent names (plus noise)."""
        keep = set(names) | {NOISE}
        return np.array([label in keep for label in self.intents.labels])


class WeightsMissing(RuntimeError):
    """The weights file is absent: run `python -m flows.understanding.train`."""


def save(path: Path, weights: Weights) -> None:
    """Write the weights (float16 matrices: half the size, no measurable accuracy change)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    per_template = [f"{t}:{','.join(n)}" for t, n in sorted(weights.template_intents.items())]
    np.savez_compressed(
        path,
        intent_labels=np.array(weights.intents.labels),
        intent_w=weights.intents.w.astype(np.float16),
        intent_b=weights.intents.b.astype(np.float32),
        intent_temperature=np.float32(weights.intents.temperature),
        frustration_w=weights.frustration.w.astype(np.float16),
        frustration_calib=np.array(
            [weights.frustration.b, weights.frustration.scale, weights.frustration.shift],
            dtype=np.float64,
        ),
        urgency_w=weights.urgency.w.astype(np.float16),
        urgency_calib=np.array(
            [weights.urgency.b, weights.urgency.scale, weights.urgency.shift], dtype=np.float64
        ),
        template_intents=np.array(per_template),
        data_hash=np.array(weights.data_hash),
        hash_dim=np.int32(HASH_DIM),
    )


def _binary(data: Mapping[str, np.ndarray], name: str) -> BinaryWeights:
    b, scale, shift = (float(v) for v in data[f"{name}_calib"])
    return BinaryWeights(data[f"{name}_w"].astype(np.float32), b, scale, shift)


@functools.lru_cache(maxsize=2)
def load(path: Path = WEIGHTS) -> Weights:
    """Read the shipped weights once per process."""
    if not path.exists():
        raise WeightsMissing(f"{path} is missing: run python -m flows.understanding.train")
    with np.load(path, allow_pickle=False) as data:
        if int(data["hash_dim"]) != HASH_DIM:
            raise WeightsMissing(f"{path} was trained with other features: retrain")
        per_template: dict[str, tuple[str, ...]] = {}
        for item in data["template_intents"]:
            template, _, names = str(item).partition(":")
            per_template[template] = tuple(n for n in names.split(",") if n)
        return Weights(
            intents=IntentWeights(
                labels=tuple(str(x) for x in data["intent_labels"]),
                w=data["intent_w"].astype(np.float32),
                b=data["intent_b"].astype(np.float32),
                temperature=float(data["intent_temperature"]),
            ),
            frustration=_binary(data, "frustration"),
            urgency=_binary(data, "urgency"),
            data_hash=str(data["data_hash"]),
            template_intents=per_template,
        )
