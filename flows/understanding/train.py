"""Train the intent classifier and the frustration and urgency scorers; write the weights.

    PYTHONPATH=. .venv/bin/python -m flows.understanding.train [--check]

Intents: multinomial logistic regression (numpy, Adam, L2) over [sentence embedding | hashed
character n-grams] of every example in `flows/data/intents/*.yaml`, one model for all templates
(each template masks it to its own intents at run time). Its temperature is fitted on the dev
sets (`tests/data/understanding_dev.jsonl`, `tests/data/understanding.jsonl`), which are never
trained on, so that the confidence reads as a probability and INTENT_THRESHOLD means real doubt.

Signals: binary logistic regressions over [embedding | n-grams | cues] of
`flows/data/signals/*.yaml` (plus calm examples of the intent bank as extra negatives, and for
urgency its emergency examples as extra positives), Platt-calibrated on 5-fold out-of-fold scores.

The blind set is never read here. `--check` exits 1 when the shipped weights are stale.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from flows.understanding.dates import DateSettings, extract_dates
from flows.understanding.features import embed, intent_features, normalize
from flows.understanding.intents import EMBED_WEIGHT, encoder
from flows.understanding.model import (
    COMMON_INTENTS,
    DATA_DIR,
    DEV_FILES,
    NOISE,
    WEIGHTS,
    WRITTEN_FILES,
    BinaryWeights,
    IntentWeights,
    Weights,
    bank_files,
    save,
    training_hash,
)
from flows.understanding.signals import CUE_SCALE, cue_vector, entity_dates

TEMPLATES = ("dental", "legal", "restaurant", "real_estate")
SEED = 7
INTENT_L2 = 3e-5
"""Chosen with EMBED_WEIGHT (flows/understanding/intents.py) on half of the intent dev set
(crc32(id) even), the other half held out: 1e-5..1e-4 with the embedding at 3 tie, 3e-4 and up
lose 1-4 points (issue 12)."""
SIGNAL_L2 = 1e-3
TRAIN_NOW = datetime.fromisoformat("2025-03-12T10:00:00+01:00")


def _read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return data if isinstance(data, dict) else {}


def held_out() -> set[str]:
    """Normalised texts of the dev and held-out sets: an example equal to one is not trained on."""
    out: set[str] = set()
    for path in (*DEV_FILES, *WRITTEN_FILES):
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                out.update(normalize(json.loads(line)["text"]) for line in fh if line.strip())
    return out


def intent_bank() -> tuple[list[str], list[str], dict[str, tuple[str, ...]]]:
    """Texts, labels and each template's intent set from the example bank (minus dev texts)."""
    dev = held_out()
    texts: list[str] = []
    labels: list[str] = []
    own: dict[str, set[str]] = {t: set() for t in TEMPLATES}
    for path in sorted((DATA_DIR / "intents").glob("*.yaml")):
        for name, by_lang in (_read_yaml(path).get("intents") or {}).items():
            if path.stem in own and name not in COMMON_INTENTS and name != NOISE:
                own[path.stem].add(str(name))
            for items in (by_lang or {}).values():
                for item in items or ():
                    if not isinstance(item, str):
                        raise ValueError(f"{path}: {name}: {item!r} is not text (quote it)")
                    if normalize(item) in dev:
                        continue
                    texts.append(item)
                    labels.append(str(name))
    per_template = {t: tuple(sorted(set(COMMON_INTENTS) | own[t])) for t in TEMPLATES}
    return texts, labels, per_template


def signal_bank(name: str) -> tuple[list[str], list[int]]:
    """Texts and 0/1 labels of one signal bank."""
    dev = held_out()
    texts: list[str] = []
    labels: list[int] = []
    for by_label in _read_yaml(DATA_DIR / "signals" / f"{name}.yaml").values():
        for label, items in (by_label or {}).items():
            for item in items or ():
                if normalize(str(item)) in dev:
                    continue
                texts.append(str(item))
                labels.append(1 if label == "positive" else 0)
    return texts, labels


def dev_records() -> list[dict[str, Any]]:
    """The intent dev sets (never trained on; used for the temperature)."""
    out: list[dict[str, Any]] = []
    for path in DEV_FILES:
        if path.exists() and "signals" not in path.name:
            with path.open(encoding="utf-8") as fh:
                out.extend(json.loads(line) for line in fh if line.strip())
    return out


# ---------------------------------------------------------------- optimisation


def _adam(
    grad_fn: Any, params: list[np.ndarray], steps: int, lr: float, rng: np.random.Generator
) -> None:
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for t in range(1, steps + 1):
        grads = grad_fn(rng)
        for p, g, mi, vi in zip(params, grads, m, v, strict=True):
            mi *= 0.9
            mi += 0.1 * g
            vi *= 0.999
            vi += 0.001 * g * g
            p -= lr * (mi / (1 - 0.9**t)) / (np.sqrt(vi / (1 - 0.999**t)) + 1e-8)


def fit_softmax(
    x: np.ndarray, y: np.ndarray, classes: int, l2: float, epochs: int = 30, batch: int = 256
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by mini-batch Adam; class-balanced loss."""
    rng = np.random.default_rng(SEED)
    w = np.zeros((x.shape[1], classes), dtype=np.float32)
    b = np.zeros(classes, dtype=np.float32)
    counts = np.bincount(y, minlength=classes).astype(np.float32)
    cw = (counts.sum() / (classes * np.clip(counts, 1, None))) ** 0.5
    order: list[np.ndarray] = []

    def grad(r: np.random.Generator) -> list[np.ndarray]:
        if not order:
            perm = r.permutation(len(y))
            order.extend(perm[i : i + batch] for i in range(0, len(y), batch))
        idx = order.pop()
        z = x[idx] @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(len(idx)), y[idx]] -= 1.0
        p *= cw[y[idx]][:, None]
        return [x[idx].T @ p / len(idx) + l2 * w, p.mean(axis=0)]

    steps = epochs * ((len(y) + batch - 1) // batch)
    _adam(grad, [w, b], steps, 0.01, rng)
    return w, b


def fit_binary(
    x: np.ndarray, y: np.ndarray, l2: float, epochs: int = 60
) -> tuple[np.ndarray, float]:
    """Binary logistic regression by full-batch Adam."""
    rng = np.random.default_rng(SEED)
    w = np.zeros(x.shape[1], dtype=np.float32)
    b = np.zeros(1, dtype=np.float32)
    pos = max(float(y.mean()), 1e-3)
    sw = np.where(y == 1, 0.5 / pos, 0.5 / max(1 - pos, 1e-3)).astype(np.float32)

    def grad(_: np.random.Generator) -> list[np.ndarray]:
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        g = (p - y) * sw
        return [x.T @ g / len(y) + l2 * w, np.array([g.mean()], dtype=np.float32)]

    _adam(grad, [w, b], epochs * 4, 0.02, rng)
    return w, float(b[0])


def fit_temperature(logits: np.ndarray, y: np.ndarray, mask: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood of held-out logits."""
    best, best_nll = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.05), np.log(5.0), 200)):
        z = np.where(mask, logits / t, -np.inf)
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = -float(logp[np.arange(len(y)), y].mean())
        if nll < best_nll:
            best, best_nll = float(t), nll
    return best


def fit_platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Scale and shift of held-out logits that minimise the class-balanced log-loss.

    Balanced, so that the calm intent-bank examples added as extra negatives do not pull the
    prior down: without it, frustration reached P .96 / R .77 at 0.7 on out-of-fold bank scores,
    with it P .91 / R .86 (issue 12).
    """
    pos = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
    sw = np.where(y == 1, 0.5 / pos, 0.5 / (1 - pos))
    best, best_nll = (1.0, 0.0), np.inf
    for a in np.linspace(0.2, 3.0, 57):
        for c in np.linspace(-4.0, 4.0, 81):
            p = np.clip(1.0 / (1.0 + np.exp(-(a * scores + c))), 1e-6, 1 - 1e-6)
            nll = -float(np.mean(sw * (y * np.log(p) + (1 - y) * np.log(1 - p))))
            if nll < best_nll:
                best, best_nll = (float(a), float(c)), nll
    return best


# ---------------------------------------------------------------- features


def _intent_x(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    emb = embed(texts, encoder())
    return emb, intent_features(emb * EMBED_WEIGHT, texts)


def signal_x(texts: Sequence[str], emb: np.ndarray, nows: Sequence[datetime]) -> np.ndarray:
    """[embedding | n-grams | cues] rows for the signal scorers."""
    cues = []
    for text, now in zip(texts, nows, strict=True):
        settings = DateSettings(now=now, timezone=str(now.tzinfo or "UTC"))
        try:
            dates = entity_dates(extract_dates(text, settings))
        except Exception:  # noqa: BLE001 - a date bug must not stop training
            dates = []
        cues.append(cue_vector(text, dates, now.date()))
    base = intent_features(emb * EMBED_WEIGHT, texts)
    return np.hstack([base, np.stack(cues) * CUE_SCALE]).astype(np.float32)


def _signal(
    name: str,
    extra_neg: Sequence[str],
    rng: np.random.Generator,
    extra_pos: Sequence[str] = (),
) -> tuple[BinaryWeights, dict[str, float]]:
    texts, labels = signal_bank(name)
    texts = [*texts, *extra_pos, *extra_neg]
    y = np.array([*labels, *([1] * len(extra_pos)), *([0] * len(extra_neg))], dtype=np.float32)
    emb = embed(texts, encoder())
    from zoneinfo import ZoneInfo

    now = TRAIN_NOW.astimezone(ZoneInfo("Europe/Madrid"))
    x = signal_x(texts, emb, [now] * len(texts))
    folds = rng.permutation(len(y)) % 5
    oof = np.zeros(len(y))
    for k in range(5):
        w, b = fit_binary(x[folds != k], y[folds != k], SIGNAL_L2)
        oof[folds == k] = x[folds == k] @ w + b
    scale, shift = fit_platt(oof, y)
    p = 1.0 / (1.0 + np.exp(-(scale * oof + shift)))
    hit = p >= 0.7
    stats = {
        "oof_precision@0.7": float((hit & (y == 1)).sum() / max(hit.sum(), 1)),
        "oof_recall@0.7": float((hit & (y == 1)).sum() / max((y == 1).sum(), 1)),
    }
    w, b = fit_binary(x, y, SIGNAL_L2)
    return BinaryWeights(w, b, scale, shift), stats


def train() -> Weights:
    """Train everything from the banks and calibrate on the dev sets."""
    rng = np.random.default_rng(SEED)
    t0 = time.perf_counter()
    texts, labels, per_template = intent_bank()
    names = tuple(sorted(set(labels)))
    index = {n: i for i, n in enumerate(names)}
    _, x = _intent_x(texts)
    y = np.array([index[label] for label in labels])
    print(f"intent bank: {len(texts)} examples, {len(names)} labels, {x.shape[1]} features")
    w, b = fit_softmax(x, y, len(names), INTENT_L2)
    train_acc = float(((x @ w + b).argmax(axis=1) == y).mean())

    dev = [r for r in dev_records() if r["intent"] in index]
    _, xd = _intent_x([r["text"] for r in dev])
    yd = np.array([index[r["intent"]] for r in dev])
    mask = np.array([[n in per_template[r["template"]] or n == NOISE for n in names] for r in dev])
    logits = xd @ w + b
    temperature = fit_temperature(logits, yd, mask)
    dev_acc = float((np.where(mask, logits, -np.inf).argmax(axis=1) == yd).mean())
    print(
        f"intent: train accuracy {train_acc:.3f}, dev accuracy {dev_acc:.3f} "
        f"({len(dev)} records), temperature {temperature:.3f}"
    )

    calm = [t for t, label in zip(texts, labels, strict=True) if label not in ("emergency",)]
    calm_f = [
        t
        for t, label in zip(texts, labels, strict=True)
        if label not in ("complaint", "human", "emergency", NOISE, "opt_out")
    ]
    take = rng.choice(len(calm), size=min(400, len(calm)), replace=False)
    take_f = rng.choice(len(calm_f), size=min(400, len(calm_f)), replace=False)
    # One fold stream per signal, so that editing one bank does not reshuffle the other's folds.
    frustration, fs = _signal(
        "frustration", [calm_f[i] for i in take_f], np.random.default_rng([SEED, 1])
    )
    # An emergency of the intent bank is urgent by the label definitions: extra positives.
    emergencies = [t for t, label in zip(texts, labels, strict=True) if label == "emergency"]
    urgency, us = _signal(
        "urgency", [calm[i] for i in take], np.random.default_rng([SEED, 2]), emergencies
    )
    print(f"frustration: {fs}\nurgency: {us}")
    print(f"trained in {time.perf_counter() - t0:.0f} s")
    return Weights(
        intents=IntentWeights(names, w, b, temperature),
        frustration=frustration,
        urgency=urgency,
        data_hash=training_hash(),
        template_intents=per_template,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Train and write the weights, or (--check) say whether they are stale."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the weights are stale")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    args = parser.parse_args(argv)
    if args.check:
        from flows.understanding.model import load

        fresh = WEIGHTS.exists() and load(WEIGHTS).data_hash == training_hash()
        print("weights up to date" if fresh else "weights are stale: retrain")
        return 0 if fresh else 1
    weights = train()
    save(args.out, weights)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB); files: {len(bank_files())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
