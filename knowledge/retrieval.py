"""Hybrid retrieval: BM25 over the business's chunks and dense vectors from Chroma, fused by
reciprocal rank fusion (RRF). Unthresholded: deciding whether to answer is the answer step's job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from knowledge.bm25 import LexicalIndex
from knowledge.embedding import encode
from knowledge.store import BusinessStore, Hit
from knowledge.types import Passage, Reference

VECTOR_CANDIDATES = 20
LEXICAL_CANDIDATES = 20
RRF_K = 60


@dataclass(frozen=True)
class RetrievalConfig:
    """Knobs of the hybrid search."""

    vector_candidates: int = VECTOR_CANDIDATES
    lexical_candidates: int = LEXICAL_CANDIDATES
    rrf_k: int = RRF_K
    lexical_weight: float = 1.0
    vector_weight: float = 1.0
    threshold: float = 0.0  # kept for callers of the old API; the answer step decides


def reference_of(meta: dict[str, object]) -> Reference:
    """The citation of a stored chunk."""
    page = meta.get("page")
    url = meta.get("url")
    return Reference(
        source_id=str(meta.get("source_id", "")),
        title=str(meta.get("source_title", "")),
        page=int(page) if isinstance(page, int | float) else None,
        url=str(url) if url else None,
    )


def build_index(store: BusinessStore) -> LexicalIndex:
    """A BM25 index over every chunk of a business."""
    ids, texts, metas = store.all_chunks()
    languages = [str(m.get("language", "en")) for m in metas]
    return LexicalIndex(ids, texts, languages)


class IndexCache:
    """Lexical indexes per business, rebuilt when the collection's revision changes.

    Writers bump the revision stored in the collection's metadata (see `BusinessStore`), so a
    process serving a Chroma server sees another worker's ingest on its next question.
    """

    def __init__(self, builder: Callable[[BusinessStore], LexicalIndex] = build_index) -> None:
        """Start empty."""
        self._builder = builder
        self._indexes: dict[str, tuple[str, LexicalIndex]] = {}
        self._lock = threading.Lock()

    def get(self, store: BusinessStore) -> LexicalIndex | None:
        """The store's index, rebuilt if stale; None when the business has no collection."""
        revision = store.revision()
        if revision is None:
            with self._lock:
                self._indexes.pop(store.name, None)
            return None
        with self._lock:
            cached = self._indexes.get(store.name)
            if cached and cached[0] == revision:
                return cached[1]
        index = self._builder(store)
        with self._lock:
            self._indexes[store.name] = (revision, index)
        return index

    def forget(self, store: BusinessStore) -> None:
        """Drop a business's cached index."""
        with self._lock:
            self._indexes.pop(store.name, None)


def rrf(rankings: list[tuple[list[str], float]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion of ranked id lists, each with a weight."""
    fused: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, cid in enumerate(ids):
            fused[cid] = fused.get(cid, 0.0) + weight / (k + rank + 1)
    return fused


def retrieve(
    store: BusinessStore,
    question: str,
    k: int = 5,
    config: RetrievalConfig | None = None,
    query_embedding: np.ndarray | None = None,
    lexical: LexicalIndex | None = None,
) -> list[Passage]:
    """The best passages for a question, fused from dense and BM25 rankings, best first."""
    cfg = config or RetrievalConfig()
    vector = query_embedding if query_embedding is not None else encode([question])[0]
    dense = store.query(vector.tolist(), cfg.vector_candidates)
    hits: dict[str, Hit] = {h.id: h for h in dense}
    lexical_hits = lexical.search(question, cfg.lexical_candidates) if lexical else []
    lexical_scores = dict(lexical_hits)
    fused = rrf(
        [
            ([h.id for h in dense], cfg.vector_weight),
            ([cid for cid, _ in lexical_hits], cfg.lexical_weight),
        ],
        cfg.rrf_k,
    )
    order = sorted(fused, key=lambda cid: fused[cid], reverse=True)[:k]
    missing = [cid for cid in order if cid not in hits]
    if missing:
        vectors = store.embeddings(missing)
        for found in store.get(missing):
            stored = vectors.get(found.id)
            sim = (
                float(np.dot(np.asarray(stored, dtype=np.float32), vector))
                if stored is not None
                else 0.0
            )
            hits[found.id] = Hit(found.id, found.text, found.metadata, sim)
    dense_rank = {h.id: i for i, h in enumerate(dense)}
    lexical_rank = {cid: i for i, (cid, _) in enumerate(lexical_hits)}
    top_lexical = lexical_hits[0][1] if lexical_hits else 0.0
    out: list[Passage] = []
    for rank, cid in enumerate(order):
        hit = hits.get(cid)
        if hit is None:
            continue
        meta = hit.metadata
        out.append(
            Passage(
                chunk_id=cid,
                text=hit.text,
                reference=reference_of(meta),
                score=round(fused[cid], 6),
                vector_score=round(hit.similarity, 4),
                keyword_score=round(lexical_scores.get(cid, 0.0) / top_lexical, 4)
                if top_lexical
                else 0.0,
                heading=str(meta.get("heading") or "") or None,
                kind=str(meta.get("kind", "")),
                block=str(meta.get("block", "text")),
                language=str(meta.get("language", "en")),
                rank=rank,
                vector_rank=dense_rank.get(cid),
                keyword_rank=lexical_rank.get(cid),
            )
        )
    return out
