"""Knowledge-base benchmark: answer quality on dev and blind sets side by side, with a naive
baseline, and retrieval latency at 10,000 chunks.

Sets (each ingested through the knowledge package into an embedded Chroma in a temp dir):
- dev: tests/data/knowledge_dev/ (businesses.json, questions.jsonl, docs/), written to tune on;
- demo: tests/data/knowledge_questions.jsonl over demo/knowledge/ (also used to tune);
- blind: tests/data/blind/knowledge/ (same layout as dev), never used to tune; skipped if absent.

Metrics: expected fact in the answer (same language and cross-lingual apart; every part of a
multi-part question must be there), answerable-but-declined, unanswerable-declined. Baseline:
dense top-1 passage with the old fixed 0.30 cosine cut-off.

    PYTHONPATH=. .venv/bin/python bench/knowledge.py [--write] [--chunks 10000] [--verbose]
    PYTHONPATH=. .venv/bin/python bench/knowledge.py --sets blind --blind-dir DIR  # another
                                                    # blind folder of the same layout
    PYTHONPATH=. .venv/bin/python bench/knowledge.py --fit   # refit the answerability model
                                                             # on dev + demo (never blind)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge import KnowledgeBase, make_client  # noqa: E402
from knowledge.analysis import guess_language  # noqa: E402
from knowledge.answerability import (  # noqa: E402
    FEATURES,
    GATE_FEATURES,
    AnswerModel,
    Linear,
    contains_fact,
    fit_logistic,
    fit_ranker,
    gate_features,
    loose_contains,
    save_model,
    softmax,
)
from knowledge.answers import AnswerConfig, part_candidates, part_queries  # noqa: E402
from knowledge.bm25 import LexicalIndex  # noqa: E402
from knowledge.embedding import encode  # noqa: E402
from knowledge.loaders import load  # noqa: E402
from knowledge.retrieval import retrieve  # noqa: E402
from knowledge.store import BusinessStore  # noqa: E402
from knowledge.types import SourceSpec  # noqa: E402

DEV = ROOT / "tests" / "data" / "knowledge_dev"
BLIND = ROOT / "tests" / "data" / "blind" / "knowledge"
DEMO = ROOT / "demo" / "knowledge"
DEMO_QUESTIONS = ROOT / "tests" / "data" / "knowledge_questions.jsonl"
MODEL_PATH = ROOT / "knowledge" / "data" / "answerability.json"
BASELINE_CUTOFF = 0.30
DOC_SUFFIXES = (".pdf", ".md", ".html", ".htm", ".csv", ".markdown")


@dataclass
class Question:
    """One question, normalized across the sets' formats."""

    business: str
    language: str
    text: str
    facts: list[str]  # one per part; each may hold '|'-separated alternatives
    cross_lingual: bool

    @property
    def answerable(self) -> bool:
        return bool(self.facts)


@dataclass
class QuestionSet:
    """Documents per business and the questions over them."""

    name: str
    docs: dict[str, list[Path]]
    questions: list[Question]


def _facts(item: dict[str, Any]) -> list[str]:
    """The expected facts of a question in any of the formats used."""
    if item.get("answerable") is False:
        return []
    for key in ("facts", "expected_facts", "fact", "expected_fact", "expected", "answer"):
        value = item.get(key)
        if isinstance(value, list):
            return [str(v) for v in value if str(v).strip()]
        if isinstance(value, str) and value.strip():
            return [value]
    return []


_doc_languages: dict[Path, str] = {}


def doc_language(path: Path) -> str:
    """The language of a document, guessed from its loaded text (cached)."""
    if path not in _doc_languages:
        loaded = load(SourceSpec(str(path)))
        _doc_languages[path] = guess_language(" ".join(s.text for s in loaded.sections))
    return _doc_languages[path]


def _question(item: dict[str, Any], docs: list[Path]) -> Question:
    language = str(item.get("language") or item.get("lang") or "en")[:2].lower()
    facts = _facts(item)
    if "cross_lingual" in item:
        cross = bool(item["cross_lingual"])
    else:
        source = item.get("source") or item.get("doc")
        paths = [d for d in docs if source and d.name == Path(str(source)).name] or docs[:1]
        cross = bool(paths) and doc_language(paths[0]) != language
    return Question(str(item["business"]), language, str(item["question"]), facts, cross)


def load_set(name: str, folder: Path) -> QuestionSet | None:
    """A set laid out as businesses.json + questions.jsonl + docs/ (None when absent)."""
    if not (folder / "businesses.json").exists() or not (folder / "questions.jsonl").exists():
        return None
    businesses = json.loads((folder / "businesses.json").read_text(encoding="utf-8"))
    docs: dict[str, list[Path]] = {}
    for slug, info in businesses.items():
        names = info.get("doc") or info.get("docs") or []
        names = [names] if isinstance(names, str) else list(names)
        docs[slug] = [folder / "docs" / n if not Path(n).is_absolute() else Path(n) for n in names]
    lines = (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [
        _question(item, docs.get(str(item["business"]), []))
        for item in (json.loads(line) for line in lines if line.strip())
    ]
    return QuestionSet(name, docs, questions)


def load_demo() -> QuestionSet:
    """The demo businesses' documents and the older question set over them."""
    docs = {
        slug.name: sorted(p for p in slug.iterdir() if p.suffix in DOC_SUFFIXES)
        for slug in sorted(DEMO.iterdir())
        if slug.is_dir()
    }
    lines = DEMO_QUESTIONS.read_text(encoding="utf-8").splitlines()
    questions = [
        _question(item, docs.get(str(item["business"]), []))
        for item in (json.loads(line) for line in lines if line.strip())
    ]
    return QuestionSet("demo", docs, questions)


def ingest(kb: KnowledgeBase, qset: QuestionSet) -> tuple[int, float]:
    """Ingest a set's documents (namespaced by set); returns pages and seconds."""
    pages = 0
    start = time.perf_counter()
    for slug, paths in qset.docs.items():
        for path in paths:
            pages += kb.ingest(f"{qset.name}:{slug}", str(path)).pages
    return pages, time.perf_counter() - start


@dataclass
class Quality:
    """Counts over one set for one system."""

    same: list[bool] = field(default_factory=list)
    cross: list[bool] = field(default_factory=list)
    wrongly_declined: int = 0
    answerable: int = 0
    unanswerable: int = 0
    declined: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, q: Question, grounded: bool, text: str) -> None:
        if q.answerable:
            self.answerable += 1
            hit = grounded and all(contains_fact(text, f) for f in q.facts)
            (self.cross if q.cross_lingual else self.same).append(hit)
            self.wrongly_declined += not grounded
            if not hit:
                self.misses.append(f"[{q.business}] {q.text} -> want {q.facts} :: {text}")
        else:
            self.unanswerable += 1
            self.declined += not grounded
            if grounded:
                self.misses.append(f"[{q.business}] UNANSWERABLE {q.text} -> {text}")

    def row(self) -> dict[str, float]:
        def rate(values: list[bool]) -> float:
            return sum(values) / len(values) if values else float("nan")

        return {
            "fact_same": rate(self.same),
            "fact_cross": rate(self.cross),
            "answerable_declined": self.wrongly_declined / max(self.answerable, 1),
            "unanswerable_declined": self.declined / max(self.unanswerable, 1),
            "n_same": len(self.same),
            "n_cross": len(self.cross),
            "n_unanswerable": self.unanswerable,
        }


def evaluate(kb: KnowledgeBase, qset: QuestionSet) -> tuple[Quality, Quality]:
    """The system and the baseline over one set."""
    system, baseline = Quality(), Quality()
    for q in qset.questions:
        key = f"{qset.name}:{q.business}"
        answer = kb.answer(key, q.text, q.language, max_chars=600)
        system.add(q, answer.grounded, answer.text)
        hits = kb.store(key).query(encode([q.text])[0].tolist(), 1)
        ok = bool(hits) and hits[0].similarity >= BASELINE_CUTOFF
        baseline.add(q, ok, hits[0].text if ok else "")
    return system, baseline


# --- fitting the answerability model (dev + demo only) ---------------------------------------


def collect(kb: KnowledgeBase, qset: QuestionSet) -> list[dict[str, Any]]:
    """Per question part: candidate features and labels (does the unit hold the part's fact)."""
    rows = []
    for qi, q in enumerate(qset.questions):
        key = f"{qset.name}:{q.business}"
        store = kb.store(key)
        lexical = kb.lexical_index(key)

        def search(
            text: str,
            vector: np.ndarray,
            store: BusinessStore = store,
            lexical: LexicalIndex | None = lexical,
        ) -> list[Any]:
            return retrieve(
                store, text, AnswerConfig().passages_used, kb.retrieval, vector, lexical
            )

        parts = part_queries(q.text)
        for pi, (part, query) in enumerate(parts):
            _, cands = part_candidates(part, query, search, None, lexical)
            if not q.answerable:
                fact = ""
            elif len(parts) == len(q.facts):
                fact = q.facts[pi]
            else:
                fact = "|".join(q.facts)
            labels = [bool(fact) and loose_contains(c.text, fact) for c in cands]
            rows.append(
                {
                    "group": f"{qset.name}:{q.business}",
                    "question": qi,
                    "set": qset.name,
                    "answerable": q.answerable,
                    "x": np.stack([c.features for c in cands])
                    if cands
                    else np.zeros((0, len(FEATURES))),
                    "y": np.asarray(labels, dtype=np.float64),
                    "texts": [c.text for c in cands],
                    "fact": fact,
                }
            )
    return rows


Decision = tuple[float, bool]  # (P(answer), is the best unit right)


def _question_outcomes(
    rows: list[dict[str, Any]], decisions: list[Decision], cut: float
) -> dict[str, float]:
    """Question-level rates when each part answers with its best unit when P >= ``cut``."""
    by_q: dict[tuple[str, int], list[tuple[dict[str, Any], Decision]]] = {}
    for row, d in zip(rows, decisions, strict=True):
        by_q.setdefault((row["set"], row["question"]), []).append((row, d))
    hits = answerable = declined = unanswerable = wrongly = 0
    for parts in by_q.values():
        answered = [p >= cut for _, (p, _) in parts]
        if parts[0][0]["answerable"]:
            answerable += 1
            wrongly += not any(answered)
            hits += all(a and ok for (_, (_, ok)), a in zip(parts, answered, strict=True))
        else:
            unanswerable += 1
            declined += not any(answered)
    return {
        "fact": hits / max(answerable, 1),
        "answerable_declined": wrongly / max(answerable, 1),
        "unanswerable_declined": declined / max(unanswerable, 1),
    }


UNANSWERABLE_DECLINED_GOAL = 0.95


def _choose_cut(
    rows: list[dict[str, Any]], decisions: list[Decision]
) -> tuple[float, dict[str, float]]:
    """The operating point: the lowest cut (most answered) that still declines at least
    UNANSWERABLE_DECLINED_GOAL of the unanswerable questions (else the cut declining most)."""
    best: tuple[float, dict[str, float]] | None = None
    for cut in np.arange(0.02, 0.9951, 0.005):
        m = _question_outcomes(rows, decisions, float(cut))
        if m["unanswerable_declined"] >= UNANSWERABLE_DECLINED_GOAL:
            return float(cut), m
        if best is None or m["unanswerable_declined"] > best[1]["unanswerable_declined"]:
            best = (float(cut), m)
    assert best is not None
    return best


RANKER_L2 = 10.0  # held-out best for the ranker; the grid in fit() is over the gate's


def _train(rows: list[dict[str, Any]], l2: float) -> AnswerModel:
    """Fit the ranker, then the gate (L2 strength ``l2``) on the ranker's choices.

    The gate learns whether the part is answerable at all (what it is about is in the corpus),
    not whether the ranker's pick is right: a wrong pick on an answerable question is a
    ranking error, and teaching the gate to decline it only pushed answerable and unanswerable
    scores together (held-out fact rate 0.47 -> 0.55 at 0.95 unanswerable declined).
    """
    ranker = fit_ranker([(r["x"], r["y"]) for r in rows], RANKER_L2)
    gx, gy = [], []
    for r in rows:
        if not len(r["y"]):
            continue
        shares = softmax(ranker.score(r["x"]))
        gx.append(gate_features(r["x"], shares))
        gy.append(float(r["answerable"]))
    w, b, mean, std = fit_logistic(np.vstack(gx), np.asarray(gy), l2)
    return AnswerModel(ranker, Linear(w, b, mean, std), 0.5)


def _decide(model: AnswerModel, row: dict[str, Any]) -> Decision:
    """P(answer) of a part, and whether the units quoted (best and runners-up) hold its fact."""
    if not len(row["y"]):
        return (0.0, False)
    shares = model.shares(row["x"])
    cfg = AnswerConfig()
    order = np.argsort(-shares)
    floor = shares[order[0]] * cfg.runner_up_ratio
    quoted = [i for i in order[: cfg.max_units] if shares[i] >= floor]
    return (model.answer_probability(row["x"], shares), bool(row["y"][quoted].any()))


def fit(
    rows: list[dict[str, Any]], l2_grid: tuple[float, ...] = (3.0, 10.0, 30.0, 100.0, 300.0)
) -> AnswerModel:
    """Leave-one-business-out CV over L2 strength; refit on everything; calibrate the cut."""
    groups = sorted({r["group"] for r in rows})
    best: tuple[float, float, list[Decision]] | None = None
    for l2 in l2_grid:
        decisions: list[Decision] = [(0.0, False)] * len(rows)
        for held in groups:
            model = _train([r for r in rows if r["group"] != held], l2)
            for i, r in enumerate(rows):
                if r["group"] == held:
                    decisions[i] = _decide(model, r)
        cut, m = _choose_cut(rows, decisions)
        top1 = _question_outcomes(rows, decisions, 0.0)["fact"]
        print(
            f"  CV l2={l2:<5} top-1 fact={top1:.3f} | cut={cut:.2f} fact={m['fact']:.3f} "
            f"answerable_declined={m['answerable_declined']:.3f} "
            f"unanswerable_declined={m['unanswerable_declined']:.3f}"
        )
        score = m["fact"] - m["answerable_declined"] + 2 * m["unanswerable_declined"]
        if best is None or score > best[1]:
            best = (l2, score, decisions)
    assert best is not None
    l2, _, decisions = best
    cut, m = _choose_cut(rows, decisions)
    print("  held-out curve (cut: fact, answerable declined, unanswerable declined):")
    for c in (0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 0.925, 0.95, 0.975):
        o = _question_outcomes(rows, decisions, c)
        print(
            f"    {c:.3f}: {o['fact']:.3f} {o['answerable_declined']:.3f} "
            f"{o['unanswerable_declined']:.3f}"
        )
    model = _train(rows, l2)
    print(f"  chosen l2={l2} cut={cut:.2f} (cross-validated: {m})")
    for name, weight in sorted(
        zip(FEATURES, model.ranker.weights, strict=True), key=lambda t: -abs(t[1])
    ):
        print(f"    ranker {name:>14} {weight:+.3f}")
    for name, weight in sorted(
        zip(GATE_FEATURES, model.gate.weights, strict=True), key=lambda t: -abs(t[1])
    ):
        print(f"    gate   {name:>14} {weight:+.3f}")
    return AnswerModel(model.ranker, model.gate, cut)


# --- latency ----------------------------------------------------------------------------------

FILLER_TOPICS = (
    "parking", "warranty", "delivery", "membership", "gift card", "newsletter", "refund",
    "loyalty points", "accessibility", "wifi", "lost property", "invoice", "holiday schedule",
    "staff training", "cleaning protocol", "recycling", "supplier", "uniform", "inventory",
)  # fmt: skip
FILLER_VERBS = ("explains", "describes", "lists", "summarises", "covers", "details")


def filler_chunks(n: int, seed: int = 7) -> list[str]:
    """Synthetic but varied passages for the latency collection."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        topic = rng.choice(FILLER_TOPICS)
        out.append(
            f"Section {i}: this note {rng.choice(FILLER_VERBS)} our {topic} policy. "
            f"Reference code {rng.randint(1000, 9999)}-{rng.choice('ABCDEFGH')}. "
            f"It applies from {rng.randint(1, 28)}/{rng.randint(1, 12)} and costs "
            f"{rng.randint(5, 500)} € for case {rng.randint(1, 10_000)}."
        )
    return out


def latency(kb: KnowledgeBase, chunks: int, questions: list[str]) -> dict[str, float]:
    """Fill a throwaway collection to ``chunks`` passages and time hybrid retrieval."""
    key = "bench-latency"
    store = kb.store(key)
    store.drop()
    for path in sorted((DEMO / "smile-dental").iterdir()):
        if path.suffix in DOC_SUFFIXES:
            kb.ingest(key, str(path))
    texts = filler_chunks(chunks - store.count())
    start = time.perf_counter()
    for i in range(0, len(texts), 256):
        batch = texts[i : i + 256]
        ids = [f"filler-{i + j}" for j in range(len(batch))]
        metas = [
            {"source_id": "filler", "source_title": "Filler", "kind": "text", "language": "en"}
            for _ in batch
        ]
        store.add(ids, batch, encode(batch), metas)
    store.bump_revision()
    fill_s = time.perf_counter() - start
    t0 = time.perf_counter()
    kb.lexical_index(key)  # built once per process after a write
    build_ms = (time.perf_counter() - t0) * 1000
    for question in questions[:20]:
        kb.search(key, question, 6)
    full: list[float] = []
    lexical: list[float] = []
    index = kb.lexical_index(key)
    assert index is not None
    for _ in range(2):
        for question in questions:
            t0 = time.perf_counter()
            kb.search(key, question, 6)
            full.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            index.search(question, 20)
            lexical.append((time.perf_counter() - t0) * 1000)
    total = store.count()
    store.drop()

    def pct(values: list[float], p: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {
        "chunks": total,
        "fill_s": fill_s,
        "build_ms": build_ms,
        "queries": len(full),
        "p50": statistics.median(full),
        "p99": pct(full, 99),
        "lex_p50": statistics.median(lexical),
    }


def machine() -> str:
    """One line about the machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores (shared), Python {platform.python_version()}"


def _fmt(value: float) -> str:
    return "  n/a" if value != value else f"{value:.3f}"  # NaN when a set has no such questions


def table(results: list[tuple[str, Quality, Quality]]) -> list[str]:
    """A Markdown table: per set, system and baseline."""
    lines = [
        "| set | system | fact, same language | fact, cross-lingual | answerable declined "
        "| unanswerable declined |",
        "|---|---|---|---|---|---|",
    ]
    for name, system, baseline in results:
        for label, quality in (
            ("hybrid + calibrated", system),
            ("baseline: dense top-1, 0.30", baseline),
        ):
            r = quality.row()
            lines.append(
                f"| {name} | {label} | {_fmt(r['fact_same'])} (n={r['n_same']}) | "
                f"{_fmt(r['fact_cross'])} (n={r['n_cross']}) | {_fmt(r['answerable_declined'])} | "
                f"{_fmt(r['unanswerable_declined'])} (n={r['n_unanswerable']}) |"
            )
    return lines


def main() -> None:
    """Run the benchmark and print (and optionally record) the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--verbose", action="store_true", help="print each miss")
    parser.add_argument("--fit", action="store_true", help="refit the answerability model")
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--sets", default="dev,demo,blind")
    parser.add_argument(
        "--blind-dir",
        type=Path,
        default=BLIND,
        help="a blind folder laid out like the dev set (businesses.json, questions.jsonl, docs/)",
    )
    args = parser.parse_args()
    wanted = set(args.sets.split(","))
    sets: list[QuestionSet] = []
    if "dev" in wanted and (dev := load_set("dev", DEV)):
        sets.append(dev)
    if "demo" in wanted:
        sets.append(load_demo())
    blind_dir = args.blind_dir.resolve()
    blind = load_set("blind", blind_dir) if "blind" in wanted and not args.fit else None
    if blind:
        sets.append(blind)
    elif "blind" in wanted and not args.fit:
        print(f"(no blind set at {blind_dir}: reporting dev only)")
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        kb = KnowledgeBase(make_client(path=tmp))
        encode(["warm up"])
        pages = 0
        seconds = 0.0
        for qset in sets:
            p, s = ingest(kb, qset)
            pages, seconds = pages + p, seconds + s
        if args.fit:
            rows = [row for qset in sets if qset.name != "blind" for row in collect(kb, qset)]
            model = fit(rows)
            save_model(model, MODEL_PATH)
            print(f"wrote {MODEL_PATH.relative_to(ROOT)}")
            return
        results = []
        for qset in sets:
            system, baseline = evaluate(kb, qset)
            results.append((qset.name, system, baseline))
        lat = None
        if not args.no_latency:
            lat = latency(kb, args.chunks, [q.text for s in sets for q in s.questions][:200])
    lines = table(results)
    if lat:
        lines += [
            "",
            f"- retrieval at {lat['chunks']} chunks, {lat['queries']} queries: hybrid search "
            f"(query embedding + Chroma dense + BM25 + RRF) p50 {lat['p50']:.1f} ms, "
            f"p99 {lat['p99']:.1f} ms (goal p50 < 15 ms); BM25 alone p50 {lat['lex_p50']:.2f} ms; "
            f"BM25 index build {lat['build_ms']:.0f} ms once per write",
            f"- ingestion: {pages} pages in {seconds:.2f} s (includes embedding)",
        ]
    print("\n".join(lines))
    if args.verbose:
        for name, system, _ in results:
            for miss in system.misses:
                print(f"  MISS {name} {miss}")
    if args.write:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        section = (
            f"\n## Knowledge base ({stamp})\n\nMachine: {machine()}. Embedded Chroma, USE "
            "multilingual v3 + BM25 (Snowball en/es, bilingual lexicon, typo correction) fused "
            "by RRF; extractive answers with a calibrated answerability model (no chat model). "
            f"Tuned on dev and demo only; blind ({blind_dir.name}) never used to tune.\n\n"
            + "\n".join(lines)
            + "\n"
        )
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(section)


if __name__ == "__main__":
    main()
