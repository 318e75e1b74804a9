"""An in-memory BM25 index over one business's passages (Okapi BM25, grouped query terms)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.analysis import (
    Lexicon,
    QueryGroup,
    TypoCorrector,
    default_lexicon,
    is_indexed,
    query_groups,
    stem,
    words,
)

K1 = 1.2
B = 0.75
TOPIC_MATCH = 0.62  # a question word this close (word embeddings) to a corpus word names it
TOPIC_NEIGHBOURS = 5
MAX_TOPIC_VOCABULARY = 20_000  # the most frequent words; embedded once per index, lazily


@dataclass(frozen=True)
class Topics:
    """How much of what a question is about the whole business corpus mentions at all.

    ``any_*``: share of the question's topic words found anywhere in the corpus; ``chunk_*``:
    the best share held by one chunk. ``*_soft`` also counts a corpus word whose embedding is
    close to the question word (any language: "cavity" ~ "empaste", "parking" ~ "aparcamiento").
    """

    any_hard: float = 1.0
    any_soft: float = 1.0
    chunk_hard: float = 1.0
    chunk_soft: float = 1.0
    weakest: float = 1.0  # the least-covered topic word: 1 if found, else its best cosine
    mean: float = 1.0  # the same, averaged over the topic words


class LexicalIndex:
    """BM25 postings of a set of passages, each stemmed in its own language."""

    def __init__(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        languages: Sequence[str],
        lexicon: Lexicon | None = None,
    ) -> None:
        """Index the passages (ids, texts and 'en'/'es' languages in the same order)."""
        self.ids = list(ids)
        self.lexicon = lexicon or default_lexicon()
        n = len(self.ids)
        lengths = np.zeros(n, dtype=np.float32)
        postings: dict[str, tuple[list[int], list[int]]] = {}
        vocabulary: set[str] = set()
        frequency: Counter[str] = Counter()
        for position, (text, language) in enumerate(zip(texts, languages, strict=True)):
            tokens = words(text)  # once: index_terms(text) would fold and tokenize again
            terms = [stem(w, language) for w in tokens if is_indexed(w)]
            vocabulary.update(tokens)
            frequency.update(w for w in tokens if w.isalpha() and len(w) > 2)
            lengths[position] = len(terms)
            for term, tf in Counter(terms).items():
                docs, tfs = postings.setdefault(term, ([], []))
                docs.append(position)
                tfs.append(tf)
        avg = float(lengths.mean()) if n else 1.0
        norm = K1 * (1 - B + B * lengths / max(avg, 1.0))
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (docs, tfs) in postings.items():
            rows = np.asarray(docs, dtype=np.int32)
            freq = np.asarray(tfs, dtype=np.float32)
            idf = math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            self._postings[term] = (
                rows,
                (idf * freq * (K1 + 1) / (freq + norm[rows])).astype("f4"),
            )
        self.corrector = TypoCorrector(vocabulary | self.lexicon.words)
        self._topic_words = sorted(w for w, _ in frequency.most_common(MAX_TOPIC_VOCABULARY))
        self._topic_vectors: np.ndarray | None = None

    def _rows_of(self, terms: Sequence[str]) -> np.ndarray:
        """A boolean mask of the passages holding any of the terms."""
        mask = np.zeros(len(self.ids), dtype=bool)
        for term in terms:
            posting = self._postings.get(term)
            if posting is not None:
                mask[posting[0]] = True
        return mask

    def frequency(self, group: QueryGroup) -> int:
        """How many passages hold any term of a question word's group."""
        return int(self._rows_of(list(group.terms)).sum())

    def topics(self, groups: Sequence[QueryGroup]) -> Topics:
        """How well the corpus covers the topic words (groups) of a question part."""
        if not groups or not self.ids:
            return Topics() if not groups else Topics(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        from knowledge.embedding import word_vectors

        if self._topic_vectors is None:
            self._topic_vectors = word_vectors(self._topic_words)
        near: list[list[str]] = [[] for _ in groups]
        closest = np.zeros(len(groups))
        if self._topic_words:
            sims = word_vectors([g.word for g in groups]) @ self._topic_vectors.T
            for row in range(len(groups)):
                top = np.argsort(-sims[row])[:TOPIC_NEIGHBOURS]
                closest[row] = float(sims[row, top[0]])
                near[row] = [self._topic_words[i] for i in top if sims[row, i] >= TOPIC_MATCH]
        hard = np.zeros((len(groups), len(self.ids)), dtype=bool)
        soft = np.zeros_like(hard)
        for row, group in enumerate(groups):
            hard[row] = self._rows_of(list(group.terms))
            similar = [stem(w, lang) for w in near[row] for lang in ("en", "es")]
            soft[row] = hard[row] | self._rows_of(similar)
        n = len(groups)
        best = np.where(hard.any(axis=1), 1.0, np.minimum(closest, 1.0))
        return Topics(
            float(hard.any(axis=1).sum()) / n,
            float(soft.any(axis=1).sum()) / n,
            float(hard.sum(axis=0).max()) / n,
            float(soft.sum(axis=0).max()) / n,
            float(best.min()),
            float(best.mean()),
        )

    def __len__(self) -> int:
        """Number of passages indexed."""
        return len(self.ids)

    def groups(self, question: str) -> list[QueryGroup]:
        """The question's weighted term groups (with this index's typo corrector)."""
        return query_groups(question, self.lexicon, self.corrector)

    def scores(self, groups: list[QueryGroup]) -> np.ndarray:
        """BM25 score of every passage; a group adds its best-matching term's score."""
        total = np.zeros(len(self.ids), dtype=np.float32)
        for group in groups:
            best: np.ndarray | None = None
            for term, weight in group.terms.items():
                posting = self._postings.get(term)
                if posting is None:
                    continue
                if best is None:
                    best = np.zeros(len(self.ids), dtype=np.float32)
                rows, values = posting
                best[rows] = np.maximum(best[rows], values * weight)
            if best is not None:
                total += best
        return total

    def search(self, question: str, k: int = 20) -> list[tuple[str, float]]:
        """The k best (id, score) pairs with a positive score, best first."""
        if not self.ids:
            return []
        scores = self.scores(self.groups(question))
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
