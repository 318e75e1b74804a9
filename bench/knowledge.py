"""Knowledge-base benchmark: answer quality on the demo question set, latency at 10k chunks.

Prints recall@3, expected-fact-in-answer rate, unanswerable-declined rate, retrieval p50/p99
at 10,000 chunks and ingestion pages/s. ``--write`` appends a dated section to bench/RESULTS.md.

    PYTHONPATH=. .venv/bin/python bench/knowledge.py [--write] [--chunks 10000]
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge import KnowledgeBase, make_client  # noqa: E402
from knowledge.embedding import encode  # noqa: E402
from knowledge.retrieval import retrieve  # noqa: E402
from knowledge.store import BusinessStore  # noqa: E402

DEMO = ROOT / "demo" / "knowledge"
QUESTIONS = ROOT / "tests" / "data" / "knowledge_questions.jsonl"
BUSINESSES = ("smile-dental", "ortega-law", "casa-lucia", "sol-homes")


@dataclass
class Quality:
    """Counts over the question set."""

    answerable: int = 0
    recall_hits: int = 0
    fact_hits: int = 0
    wrongly_declined: int = 0
    unanswerable: int = 0
    declined: int = 0
    failures: list[str] = field(default_factory=list)


def demo_files(slug: str) -> list[Path]:
    """The demo documents of one business (PDFs, pages, FAQ sheets)."""
    return sorted(
        p for p in (DEMO / slug).iterdir() if p.suffix in (".pdf", ".md", ".html", ".csv")
    )


def ingest_demo(kb: KnowledgeBase) -> tuple[int, float]:
    """Ingest every demo document; returns pages (PDF pages, pages, FAQ rows) and seconds."""
    pages = 0
    start = time.perf_counter()
    for slug in BUSINESSES:
        for path in demo_files(slug):
            pages += kb.ingest(slug, str(path)).pages
    return pages, time.perf_counter() - start


def evaluate(kb: KnowledgeBase, questions: list[dict[str, object]], verbose: bool) -> Quality:
    """Run the question set through search and answer."""
    q = Quality()
    for item in questions:
        slug, text, lang = str(item["business"]), str(item["question"]), str(item["language"])
        answer = kb.answer(slug, text, lang, max_chars=600)
        if item["answerable"]:
            q.answerable += 1
            top = kb.search(slug, text, k=3)
            sources = [Path(p.reference.source_id and _location(kb, slug, p)).name for p in top]
            hit = item["source"] in sources
            fact = any(f.lower() in answer.text.lower() for f in str(item["fact"]).split("|"))
            q.recall_hits += hit
            q.fact_hits += fact
            q.wrongly_declined += not answer.grounded
            if not (hit and fact) and verbose:
                q.failures.append(f"[{slug}] {text} -> recall={hit} fact={fact} :: {answer.text}")
        else:
            q.unanswerable += 1
            q.declined += not answer.grounded
            if answer.grounded and verbose:
                q.failures.append(f"[{slug}] UNANSWERABLE {text} -> {answer.text}")
    return q


_locations: dict[tuple[str, str], str] = {}


def _location(kb: KnowledgeBase, slug: str, passage: object) -> str:
    """The stored location of a passage's source (cached)."""
    sid = passage.reference.source_id  # type: ignore[attr-defined]
    if (slug, sid) not in _locations:
        for info in kb.list_sources(slug):
            _locations[(slug, info.source_id)] = info.location
    return _locations.get((slug, sid), "")


FILLER_TOPICS = (
    "parking",
    "warranty",
    "delivery",
    "membership",
    "gift card",
    "newsletter",
    "refund",
    "loyalty points",
    "accessibility",
    "wifi",
    "lost property",
    "invoice",
    "holiday schedule",
    "staff training",
    "cleaning protocol",
    "recycling",
    "supplier",
    "uniform",
    "inventory",
)
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
    """Fill a throwaway collection to ``chunks`` passages and time retrieval."""
    store = BusinessStore(kb.client, "bench-latency")
    store.drop()
    for path in demo_files("smile-dental"):
        kb.ingest("bench-latency", str(path))
    missing = chunks - store.count()
    texts = filler_chunks(missing)
    start = time.perf_counter()
    for i in range(0, len(texts), 256):
        batch = texts[i : i + 256]
        ids = [f"filler-{i + j}" for j in range(len(batch))]
        metas = [{"source_id": "filler", "source_title": "Filler", "kind": "text"} for _ in batch]
        store.add(ids, batch, encode(batch), metas)
    fill_s = time.perf_counter() - start
    total = store.count()
    for question in questions[:20]:  # warm-up: first queries after a bulk load load the index
        retrieve(store, question, 5, kb.retrieval)
    full: list[float] = []
    vector: list[float] = []
    for _ in range(3):
        for question in questions:
            t0 = time.perf_counter()
            retrieve(store, question, 5, kb.retrieval)
            full.append((time.perf_counter() - t0) * 1000)
            qvec = encode([question])[0].tolist()
            t0 = time.perf_counter()
            store.query(qvec, 20)
            vector.append((time.perf_counter() - t0) * 1000)
    store.drop()

    def pct(values: list[float], p: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {
        "chunks": total,
        "fill_s": fill_s,
        "queries": len(full),
        "p50": statistics.median(full),
        "p99": pct(full, 99),
        "vec_p50": statistics.median(vector),
        "vec_p99": pct(vector, 99),
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


def main() -> None:
    """Run the benchmark and print (and optionally record) the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--verbose", action="store_true", help="print each miss")
    args = parser.parse_args()
    questions = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        kb = KnowledgeBase(make_client(path=tmp))
        encode(["warm up"])
        pages, seconds = ingest_demo(kb)
        quality = evaluate(kb, questions, args.verbose)
        lat = latency(kb, args.chunks, [str(q["question"]) for q in questions])
    recall = quality.recall_hits / quality.answerable
    fact = quality.fact_hits / quality.answerable
    declined = quality.declined / quality.unanswerable
    wrong_decl = quality.wrongly_declined / quality.answerable
    lines = [
        f"- questions: {len(questions)} ({quality.answerable} answerable, "
        f"{quality.unanswerable} unanswerable; EN and ES)",
        f"- recall@3: {recall:.3f} (goal >= 0.9)",
        f"- expected fact in answer: {fact:.3f} (goal >= 0.85)",
        f"- unanswerable declined: {declined:.3f} (goal >= 0.8)",
        f"- answerable but declined: {wrong_decl:.3f}",
        f"- retrieval at {lat['chunks']} chunks, {lat['queries']} queries: full hybrid retrieve "
        f"(query embedding + vector + exact-term queries + rerank) p50 {lat['p50']:.1f} ms, "
        f"p99 {lat['p99']:.1f} ms; Chroma vector query alone p50 {lat['vec_p50']:.1f} ms, "
        f"p99 {lat['vec_p99']:.1f} ms (goal p50 < 15 ms)",
        f"- ingestion: {pages} pages in {seconds:.2f} s = {pages / seconds:.1f} pages/s "
        "(PDF pages, web pages and FAQ rows; includes embedding)",
        f"- filling {lat['chunks']} chunks (embedding + upsert): {lat['fill_s']:.1f} s",
    ]
    print("\n".join(lines))
    for failure in quality.failures:
        print("  MISS", failure)
    if args.write:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        section = (
            f"\n## Knowledge base ({stamp})\n\nMachine: {machine()}. "
            "Embedded Chroma (PersistentClient), USE multilingual v3 embeddings, "
            "extractive answers (no chat model).\n\n" + "\n".join(lines) + "\n"
        )
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write(section)


if __name__ == "__main__":
    main()
