"""Hybrid retrieval: vector search plus exact-term matching, scored and thresholded."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from knowledge.embedding import encode
from knowledge.store import BusinessStore, Hit
from knowledge.text import content_terms, exact_terms, stem, tokens
from knowledge.types import Passage, Reference

VECTOR_CANDIDATES = 20
EXACT_CANDIDATES = 5
KEYWORD_WEIGHT = 0.2
RELEVANCE_THRESHOLD = 0.30


@dataclass(frozen=True)
class RetrievalConfig:
    """Knobs of the hybrid search."""

    vector_candidates: int = VECTOR_CANDIDATES
    exact_candidates: int = EXACT_CANDIDATES
    keyword_weight: float = KEYWORD_WEIGHT
    threshold: float = RELEVANCE_THRESHOLD


def keyword_score(question_terms: set[str], exact: list[str], text: str) -> float:
    """Share of the question's content terms found in the text; exact terms count double."""
    if not question_terms and not exact:
        return 0.0
    passage_terms = {stem(t) for t in tokens(text)}
    lowered = text.lower()
    weight = hit = 0.0
    for term in question_terms:
        weight += 1.0
        hit += 1.0 if term in passage_terms else 0.0
    for term in exact:
        weight += 2.0
        hit += 2.0 if term.lower() in lowered else 0.0
    return hit / weight


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


def retrieve(
    store: BusinessStore,
    question: str,
    k: int = 5,
    config: RetrievalConfig | None = None,
    query_embedding: np.ndarray | None = None,
) -> list[Passage]:
    """The best passages for a question with their scores, best first (unthresholded)."""
    cfg = config or RetrievalConfig()
    vector = query_embedding if query_embedding is not None else encode([question])[0]
    hits: dict[str, Hit] = {h.id: h for h in store.query(vector.tolist(), cfg.vector_candidates)}
    exact = exact_terms(question)
    for term in exact:
        if any(term in hit.text for hit in hits.values()):
            continue  # the vector candidates already hold it: skip the filtered query
        for hit in store.query(vector.tolist(), cfg.exact_candidates, contains=term):
            hits.setdefault(hit.id, hit)
    terms = content_terms(question)
    scored: list[Passage] = []
    for hit in hits.values():
        kw = keyword_score(terms, exact, hit.text)
        score = hit.similarity + cfg.keyword_weight * kw
        scored.append(
            Passage(
                chunk_id=hit.id,
                text=hit.text,
                reference=reference_of(hit.metadata),
                score=round(score, 4),
                vector_score=round(hit.similarity, 4),
                keyword_score=round(kw, 4),
                heading=str(hit.metadata.get("heading") or "") or None,
                kind=str(hit.metadata.get("kind", "")),
            )
        )
    scored.sort(key=lambda p: p.score, reverse=True)
    return scored[:k]
