"""An in-memory BM25 index over one business's passages (Okapi BM25, grouped query terms)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from knowledge.analysis import (
    Lexicon,
    QueryGroup,
    TypoCorrector,
    default_lexicon,
    index_terms,
    query_groups,
    words,
)

K1 = 1.2
B = 0.75


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
        for position, (text, language) in enumerate(zip(texts, languages, strict=True)):
            terms = index_terms(text, language)
            vocabulary.update(words(text))
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
