"""Does this unit of text answer this question? Features and a small logistic model.

Each candidate is one unit (sentence, list item, table row, FAQ answer) of a retrieved passage.
Its features describe the passage's retrieval (fused rank, dense score, BM25 score, its margin
to the next passage), the unit itself (its similarity to the question, the share of the
question's words it holds after stemming, translation and typo correction, with the question's
*specific* words apart from generic ones like "price" or "open"), and whether it states the
kind of fact asked for (an amount for "how much", a clock time for "when"...).

The weights and the decision threshold are fitted on the dev set (``bench/knowledge.py
--fit``, with leave-one-business-out cross-validation) and shipped as
``knowledge/data/answerability.json``: no single cosine cut-off.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.analysis import QueryGroup, default_lexicon, index_terms, query_groups, words
from knowledge.bm25 import LexicalIndex, Topics
from knowledge.chunking import units_of
from knowledge.embedding import encode, word_vectors
from knowledge.questions import fact_types, unit_types
from knowledge.text import fold
from knowledge.types import Passage

# The answer-level check: does this unit hold the kind of value asked for
# (knowledge.questions.fact_types) about what the question asks it of? Each question word
# counts 1 when the unit has it (stem, translation, typo), else its closest cosine to a word of
# the unit; the main noun is the question's word rarest in the corpus. "*_any" is the best unit
# among all the part's candidates: a same-topic passage without the asked value scores low
# there, an answer passage ranked lower scores high.
CHECK_FEATURES = (
    "noun_weakest",
    "noun_mean",
    "main_unit",
    "answer_check",
    "main_value",
    "answer_check_any",
    "main_value_any",
)
FEATURES = (
    "rank_inv",
    "rrf",
    "p_dense",
    "p_lex",
    "in_lexical",
    "in_dense_top3",
    "u_dense",
    "u_rank_inv",
    "u_margin",
    "cov_unit",
    "focus_unit",
    "focus_soft",
    "focus_passage",
    "focus_any",
    "has_focus",
    "type_match",
    "type_miss",
    "no_type",
    "is_row",
    "is_faq",
    "unit_len",
    "p_margin",
    "topic_any",
    "topic_any_soft",
    "topic_chunk",
    "topic_chunk_soft",
    "topic_weakest",
    "topic_mean",
    *CHECK_FEATURES,
)
CHECK_START = FEATURES.index("noun_weakest")

# Words that say what kind of fact is asked, not what it is about: their absence from a passage
# says nothing. Folded; both languages.
_GENERIC_TEXT = """
price prices cost costs charge charges fee fees rate much many pay paid expensive cheap
precio precios cuesta cuestan coste costo cobrais cobran cobrar tarifa tarifas vale valen pagar
cuanto cuanta cuantos cuantas importe
hours hour open opening opens close closes closing closed time times shut schedule
horario horarios hora horas abris abren abre abierto cerrais cierran cierra cerrado
when cuando where donde address located location direccion ubicacion find
phone number telefono email correo
day days dia dias week weeks semana
offer offers have has get need want tell know ofreceis teneis tienen tienes necesito
long take takes tarda tardan dura
what's whats wat where's wheres who's how's que quien cual cuales
sell sells vendeis venden accept accepts aceptais aceptan admitis do does did haceis hacen
help ayudais ayudan handle handles llevais llevan contain contains lleva llevan include
includes incluye incluyen big size tamano
get getting got fixed fix done doing make making go going come coming see
bring bringing buy give costar hacer hago hacerme hacerse arreglar arreglo quiero querria
podria puedo puede pueden"""
GENERIC = frozenset(_GENERIC_TEXT.split())
SOFT_MATCH = 0.62  # a question word this close to a unit's word (any language) counts as found


@dataclass
class Candidate:
    """A unit of a retrieved passage, its features and its probability of answering."""

    text: str
    passage: Passage
    order: int
    features: np.ndarray
    share: float = 0.0  # the ranker's softmax share among the part's units
    probability: float = 0.0  # P(answers the part) for the best unit; share-scaled for others


PLAIN_GATE_FEATURES: tuple[str, ...] = (
    "share",
    "gap",
    "focus_unit",
    "focus_soft",
    "focus_passage",
    "focus_any",
    "u_dense",
    "p_dense",
    "rrf",
    "cov_unit",
    "type_match",
    "type_miss",
    "no_type",
    "in_lexical",
    "p_lex",
    "u_margin",
    "p_margin",
    "topic_any",
    "topic_any_soft",
    "topic_chunk",
    "topic_chunk_soft",
    "topic_weakest",
    "topic_mean",
    *CHECK_FEATURES,
)


# The best unit's features whose pairwise products the gate also weighs: "every topic word
# found AND the asked kind of value present" is a conjunction a linear gate cannot express
# (held-out on 12 dev/demo businesses at 0.95 unanswerable declined: fact 0.41 -> 0.46).
CROSSED = (
    "focus_soft",
    "topic_weakest",
    "topic_mean",
    "u_dense",
    "type_match",
    "type_miss",
    "focus_any",
    "p_lex",
    "share",
)
GATE_FEATURES = PLAIN_GATE_FEATURES + tuple(
    f"{a}*{b}" for i, a in enumerate(CROSSED) for b in CROSSED[i + 1 :]
)


@dataclass(frozen=True)
class Linear:
    """Weights over standardized features."""

    weights: np.ndarray
    bias: float
    mean: np.ndarray
    std: np.ndarray

    def score(self, x: np.ndarray) -> np.ndarray:
        """The linear score of rows of features."""
        return ((x - self.mean) / self.std) @ self.weights + self.bias

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(float(self.bias), 6),
            "mean": [round(float(m), 6) for m in self.mean],
            "std": [round(float(s), 6) for s in self.std],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Linear:
        """Read what to_json wrote."""
        return cls(
            np.asarray(data["weights"], dtype=np.float64),
            float(data["bias"]),
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["std"], dtype=np.float64),
        )


def gate_features(x: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """The answerability features of a part: its best unit's share, margin and features."""
    order = np.argsort(-shares)
    best = order[0]
    second = shares[order[1]] if len(order) > 1 else 0.0
    row = [shares[best], shares[best] - second]
    row += [x[best, FEATURES.index(name)] for name in PLAIN_GATE_FEATURES[2:]]
    crossed = [shares[best] if n == "share" else x[best, FEATURES.index(n)] for n in CROSSED]
    row += [a * b for i, a in enumerate(crossed) for b in crossed[i + 1 :]]
    return np.asarray(row, dtype=np.float64)


def softmax(scores: np.ndarray) -> np.ndarray:
    """Shares of a part's candidates."""
    e = np.exp(scores - scores.max())
    return e / e.sum()


@dataclass(frozen=True)
class AnswerModel:
    """A ranker (softmax over a part's units) and a gate (logistic: is the best unit right?)."""

    ranker: Linear
    gate: Linear
    threshold: float

    def shares(self, x: np.ndarray) -> np.ndarray:
        """How much of the part's belief each unit gets."""
        return softmax(self.ranker.score(x))

    def answer_probability(self, x: np.ndarray, shares: np.ndarray) -> float:
        """P(the best unit answers the part)."""
        z = float(self.gate.score(gate_features(x, shares)[None, :])[0])
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "features": list(FEATURES),
            "gate_features": list(GATE_FEATURES),
            "ranker": self.ranker.to_json(),
            "gate": self.gate.to_json(),
            "threshold": round(float(self.threshold), 4),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnswerModel:
        """Read a model written by to_json (features must match this version's)."""
        if tuple(data["features"]) != FEATURES or tuple(data["gate_features"]) != GATE_FEATURES:
            raise ValueError("answerability model was fitted on other features; refit it")
        return cls(
            Linear.from_json(data["ranker"]),
            Linear.from_json(data["gate"]),
            float(data["threshold"]),
        )


def _fallback() -> AnswerModel:
    """Hand-set weights, used only when no fitted model ships (a fresh checkout mid-refit)."""
    rank = np.zeros(len(FEATURES))
    for name, w in {"u_dense": 1.5, "focus_unit": 1.0, "type_match": 0.8, "rrf": 0.5}.items():
        rank[FEATURES.index(name)] = w
    gate = np.zeros(len(GATE_FEATURES))
    for name, w in {"focus_soft": 1.0, "focus_any": 1.0, "u_dense": 1.0}.items():
        gate[GATE_FEATURES.index(name)] = w
    n, g = len(FEATURES), len(GATE_FEATURES)
    return AnswerModel(
        Linear(rank, 0.0, np.zeros(n), np.ones(n)),
        Linear(gate, -1.5, np.zeros(g), np.ones(g)),
        0.5,
    )


MODEL_FILE = "data/answerability.json"


@functools.cache
def default_model() -> AnswerModel:
    """The fitted model shipped with the package."""
    try:
        text = resources.files("knowledge").joinpath(MODEL_FILE).read_text("utf-8")
        return AnswerModel.from_json(json.loads(text))
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return _fallback()


def save_model(model: AnswerModel, path: Path) -> None:
    """Write a fitted model as JSON."""
    path.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")


def _coverage(groups: list[QueryGroup], terms: set[str]) -> float:
    """Share of groups with at least one term among ``terms`` (1.0 when there are none)."""
    if not groups:
        return 1.0
    return sum(any(t in terms for t in g.terms) for g in groups) / len(groups)


def _focus(groups: list[QueryGroup]) -> list[QueryGroup]:
    """The groups of specific words (not generic question words, not numbers alone)."""
    return [g for g in groups if g.word not in GENERIC and len(g.word) > 2]


def _unit_context(passage: Passage, unit: str) -> str:
    """What a unit is embedded with: the last heading of its trail, then the unit."""
    last = (passage.heading or "").split(" > ")[-1].strip()
    return f"{last}: {unit}" if last else unit


def _main_noun(focus: list[QueryGroup], corpus: LexicalIndex | None) -> int | None:
    """The index of the question's main noun: its focus word in fewest passages (longest on a
    tie; the longest without a corpus)."""
    if not focus:
        return None
    if corpus is None:
        return max(range(len(focus)), key=lambda i: len(focus[i].word))
    return min(range(len(focus)), key=lambda i: (corpus.frequency(focus[i]), -len(focus[i].word)))


def _check_features(
    match: np.ndarray, main: int | None, asked: set[str], kinds: set[str]
) -> list[float]:
    """A unit's answer-level check from its per-focus-word matches (see CHECK_START)."""
    weakest = float(match.min()) if len(match) else 1.0
    mean = float(match.mean()) if len(match) else 1.0
    main_unit = float(match[main]) if main is not None else 1.0
    value = float(bool(asked & kinds)) if asked else 1.0
    check, main_value = value * weakest, value * main_unit
    return [weakest, mean, main_unit, check, main_value, check, main_value]


def _with_best_check(out: list[Candidate]) -> None:
    """Set each unit's "*_any" check features to the best over the part's units."""
    check = CHECK_START + 3
    best = np.max([c.features[check : check + 2] for c in out], axis=0)
    for cand in out:
        cand.features[check + 2 : check + 4] = best


def candidates(
    part: str,
    query: str,
    vector: np.ndarray,
    passages: list[Passage],
    model: AnswerModel | None = None,
    corpus: LexicalIndex | None = None,
) -> list[Candidate]:
    """Every unit of the passages with its features and probability, most likely first.

    ``corpus`` (the business's lexical index) says whether the whole corpus mentions what the
    question is about at all; without it the topic features read as fully covered.
    """
    if not passages:
        return []
    raw: list[tuple[str, Passage, int]] = []
    for passage in passages:
        for order, unit in enumerate(units_of(passage.text, passage.heading)):
            raw.append((unit, passage, order))
    if not raw:
        return []
    lexicon = default_lexicon()
    groups = query_groups(query, lexicon)
    part_groups = query_groups(part, lexicon) or groups
    focus = _focus(groups)
    topics = corpus.topics(_focus(corpus.groups(query))) if corpus is not None else Topics()
    asked = fact_types(part)
    sims = encode([_unit_context(p, u) for u, p, _ in raw]) @ vector
    order_by_sim = np.argsort(-sims)
    sim_rank = np.empty(len(raw), dtype=np.int64)
    sim_rank[order_by_sim] = np.arange(len(raw))
    passage_terms = {p.chunk_id: set(index_terms(p.text, p.language)) for p in passages}
    all_terms = set().union(*passage_terms.values())
    focus_any = _coverage(focus, all_terms)
    dense_sorted = sorted((p.vector_score for p in passages), reverse=True)
    unit_words = [
        sorted({w for w in words(_unit_context(p, u)) if w.isalpha() and len(w) > 2})
        for u, p, _ in raw
    ]
    vocabulary = sorted(set().union(*map(set, unit_words)))
    position = {w: i for i, w in enumerate(vocabulary)}
    soft = (
        word_vectors([g.word for g in focus]) @ word_vectors(vocabulary).T
        if focus and vocabulary
        else np.zeros((len(focus), len(vocabulary)))
    )
    main = _main_noun(focus, corpus)
    out: list[Candidate] = []
    for index, (unit, passage, order) in enumerate(raw):
        unit_terms = set(index_terms(f"{passage.heading or ''} {unit}", passage.language))
        cols = [position[w] for w in unit_words[index]]
        match = np.array(
            [
                1.0
                if any(t in unit_terms for t in group.terms)
                else (max(float(soft[row, cols].max()), 0.0) if cols else 0.0)
                for row, group in enumerate(focus)
            ]
        )
        focus_soft = float((match >= SOFT_MATCH).mean()) if focus else 1.0
        others = [s for j, s in enumerate(sims) if raw[j][1].chunk_id != passage.chunk_id]
        margin_u = float(sims[index] - max(others)) if others else 0.5
        best_dense = dense_sorted[0]
        if passage.vector_score >= best_dense:
            p_margin = best_dense - (dense_sorted[1] if len(dense_sorted) > 1 else 0.0)
        else:
            p_margin = passage.vector_score - best_dense
        kinds = unit_types(unit)
        features = np.array(
            [
                1.0 / (1 + passage.rank),
                passage.score * 60,
                passage.vector_score,
                passage.keyword_score,
                float(passage.keyword_rank is not None),
                float(passage.vector_rank is not None and passage.vector_rank < 3),
                float(sims[index]),
                1.0 / (1 + sim_rank[index]),
                margin_u,
                _coverage(part_groups, unit_terms),
                _coverage(focus, unit_terms),
                focus_soft,
                _coverage(focus, passage_terms[passage.chunk_id]),
                focus_any,
                float(bool(focus)),
                float(bool(asked & kinds)),
                float(bool(asked) and not asked & kinds),
                float(not asked),
                float(passage.block == "row"),
                float(passage.block == "faq"),
                math.log1p(len(unit)) / 5,
                p_margin,
                topics.any_hard,
                topics.any_soft,
                topics.chunk_hard,
                topics.chunk_soft,
                topics.weakest,
                topics.mean,
                *_check_features(match, main, asked, kinds),
            ],
            dtype=np.float64,
        )
        out.append(Candidate(unit, passage, order, features))
    _with_best_check(out)
    if model is not None:
        x = np.stack([c.features for c in out])
        shares = model.shares(x)
        p = model.answer_probability(x, shares)
        top = float(shares.max())
        for cand, share in zip(out, shares, strict=True):
            cand.share = float(share)
            cand.probability = p * float(share) / top
        out.sort(key=lambda c: c.share, reverse=True)
    return out


def fit_ranker(
    parts: list[tuple[np.ndarray, np.ndarray]], l2: float = 1.0, iterations: int = 400
) -> Linear:
    """A softmax ranker over each part's units (parts without a right unit are skipped)."""
    used = [(x, y) for x, y in parts if len(y) and y.any()]
    allx = np.vstack([x for x, _ in used])
    mean = allx.mean(axis=0)
    std = allx.std(axis=0)
    std[std < 1e-9] = 1.0
    z = (allx - mean) / std
    y = np.concatenate([y for _, y in used]).astype(np.float64)
    starts = np.cumsum([0] + [len(yy) for _, yy in used[:-1]])
    owner = np.repeat(np.arange(len(used)), [len(yy) for _, yy in used])
    w = np.zeros(allx.shape[1])
    rate = 0.5
    for _ in range(iterations):
        s = z @ w
        s = s - np.maximum.reduceat(s, starts)[owner]
        e = np.exp(s)
        p = e / np.add.reduceat(e, starts)[owner]
        q = p * y
        q = q / np.add.reduceat(q, starts)[owner]
        grad = l2 * w + z.T @ (p - q)
        w -= rate * grad / len(used)
    return Linear(w, 0.0, mean, std)


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50
) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """L2-regularized logistic regression by Newton's method on standardized features."""
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std < 1e-9] = 1.0
    z = (x - mean) / std
    design = np.hstack([z, np.ones((len(z), 1))])
    theta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ theta, -30, 30)))
        grad = design.T @ (p - y) + penalty * theta
        hess = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        theta -= step
        if np.abs(step).max() < 1e-7:
            break
    return theta[:-1], float(theta[-1]), mean, std


def contains_fact(text: str, fact: str) -> bool:
    """True when any '|'-separated alternative of a fact is in the text (whitespace-folded)."""
    flat = " ".join(text.lower().split())
    return any(" ".join(alt.lower().split()) in flat for alt in fact.split("|") if alt.strip())


def loose_contains(text: str, fact: str) -> bool:
    """contains_fact, also accent-folded (for labels only)."""
    return (
        contains_fact(text, fact)
        or any(
            " ".join(words(alt)) in " ".join(words(text)) for alt in fact.split("|") if alt.strip()
        )
        or contains_fact(fold(text), fold(fact))
    )
