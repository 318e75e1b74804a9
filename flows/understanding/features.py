"""Features of one message for the trained scorers: the sentence embedding, hashed character
n-grams of the accent-folded text (robust to typos and missing accents) and a few surface cues.

Everything here is deterministic across processes (crc32, not Python's salted `hash`), so the
weights trained by `flows.understanding.train` stay valid when loaded elsewhere.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

from flows.understanding.text import fold

FEATURE_VERSION = "5"
"""Bump when anything below changes what a text maps to (the shipped weights become stale)."""

HASH_DIM = 8192
EMBED_DIM = 512
MAX_CHARS = 1000
"""Longer messages are read from their first MAX_CHARS characters (the rest is rarely intent)."""

_REPEAT = re.compile(r"(.)\1{2,}")
_TOKEN = re.compile(r"[a-z0-9ñ']+|[?!¿¡]|[^\w\s]", re.UNICODE)


def normalize(text: str) -> str:
    """Fold accents and case, squeeze letters repeated 3+ times ("holaaaa" -> "holaa")."""
    f = fold(text[:MAX_CHARS])
    f = _REPEAT.sub(r"\1\1", f)
    return " ".join(f.split())


def _bucket(gram: str) -> tuple[int, float]:
    h = zlib.crc32(gram.encode("utf-8"))
    return h % HASH_DIM, (1.0 if (h >> 31) & 1 else -1.0)


def ngram_vector(text: str) -> np.ndarray:
    """Signed hashed counts of word unigrams, word bigrams and character 2-4-grams inside
    words, sublinear and L2-normalized."""
    vec = np.zeros(HASH_DIM, dtype=np.float32)
    tokens = _TOKEN.findall(normalize(text))
    grams: list[str] = []
    for i, tok in enumerate(tokens):
        grams.append("w:" + tok)
        if i:
            grams.append("b:" + tokens[i - 1] + " " + tok)
        padded = f"<{tok}>"
        for n in (2, 3, 4):
            grams.extend("c:" + padded[j : j + n] for j in range(max(1, len(padded) - n + 1)))
    if not grams:
        return vec
    for gram in grams:
        idx, sign = _bucket(gram)
        vec[idx] += sign
    vec = np.sign(vec) * np.log1p(np.abs(vec))
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm else vec


def unit(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.clip(norms, 1e-9, None)


def embed(texts: Sequence[str], encoder: object) -> np.ndarray:
    """Unit sentence embeddings of the (folded, truncated) texts; empty texts embed to zero."""
    prepped = [normalize(t) for t in texts]
    out = np.zeros((len(prepped), EMBED_DIM), dtype=np.float32)
    idx = [i for i, t in enumerate(prepped) if t]
    if idx:
        vecs = np.asarray(encoder.encode([prepped[i] for i in idx]), dtype=np.float32)  # type: ignore[attr-defined]
        out[idx] = unit(vecs)
    return out


def intent_features(embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """[embedding | hashed n-grams] per row."""
    grams = np.stack([ngram_vector(t) for t in texts]) if texts else np.zeros((0, HASH_DIM))
    return np.hstack([embeddings, grams.astype(np.float32)])
