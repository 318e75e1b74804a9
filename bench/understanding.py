"""Bench for flows.understanding over tests/data/understanding.jsonl.

Prints intent accuracy per language and per intent, language accuracy, entity precision/recall,
date/time exact match per language, p50/p99 latency after warm-up and resident memory with every
template loaded; appends a dated section to bench/RESULTS.md (use --no-write to skip).

Run: PYTHONPATH=. .venv/bin/python bench/understanding.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.understanding import TEMPLATES, Context, Understander  # noqa: E402

DATA = ROOT / "tests" / "data" / "understanding.jsonl"
RESULTS = ROOT / "bench" / "RESULTS.md"
TEMPORAL = {"date", "datetime", "daterange"}
IGNORED = {"fact_key"}


def _key(kind: str, value: Any) -> tuple[str, str]:
    return kind, json.dumps(value, sort_keys=True, ensure_ascii=False)


def load_records() -> list[dict[str, Any]]:
    """Read the labelled set."""
    with DATA.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main() -> int:
    """Run the bench and print (and optionally record) the numbers."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--errors", action="store_true", help="print every miss")
    args = parser.parse_args()

    proc = psutil.Process()
    rss_start = proc.memory_info().rss
    t0 = time.perf_counter()
    models = {t: Understander.load(["en", "es"], template=t) for t in TEMPLATES}
    load_s = time.perf_counter() - t0
    rss_loaded = proc.memory_info().rss

    records = load_records()
    contexts = [
        Context(
            timezone=r["timezone"],
            default_country=r["country"],
            language=None,
            now=datetime.fromisoformat(r["now"]),
        )
        for r in records
    ]
    for r, ctx in list(zip(records, contexts, strict=True))[:30]:  # warm-up
        models[r["template"]].annotate(r["text"], ctx)

    latencies: list[float] = []
    cpu_times: list[float] = []
    intent_ok: Counter[str] = Counter()
    lang_total: Counter[str] = Counter()
    lang_ok: Counter[str] = Counter()
    per_intent: dict[str, Counter[str]] = defaultdict(Counter)
    confusions: Counter[tuple[str, str]] = Counter()
    tp = fp = fn = 0
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    dt_total: Counter[str] = Counter()
    dt_ok: Counter[str] = Counter()
    dt_spurious: Counter[str] = Counter()
    below_threshold: Counter[str] = Counter()
    errors: list[str] = []
    for r, ctx in zip(records, contexts, strict=True):
        model = models[r["template"]]
        start, cpu_start = time.perf_counter(), time.process_time()
        a = model.annotate(r["text"], ctx)
        latencies.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu_start) * 1000)
        lang = r["lang"]
        lang_total[lang] += 1
        lang_ok[lang] += a.language == lang
        good = a.intent == r["intent"]
        intent_ok[lang] += good
        per_intent[r["intent"]][f"{lang}_total"] += 1
        per_intent[r["intent"]][f"{lang}_ok"] += good
        below_threshold[lang] += a.needs_clarification(model.threshold)
        if not good:
            confusions[(r["intent"], a.intent)] += 1
            errors.append(
                f"INTENT {r['id']} {r['text']!r}: want {r['intent']} "
                f"got {a.intent} ({a.intent_confidence:.2f})"
            )
        want = Counter(_key(e["kind"], e["value"]) for e in r["entities"])
        got = Counter(_key(e.kind, e.value) for e in a.entities if e.kind not in IGNORED)
        for k in want | got:
            hit = min(want[k], got[k])
            tp += hit
            fp += got[k] - hit
            fn += want[k] - hit
            per_kind[k[0]]["tp"] += hit
            per_kind[k[0]]["fp"] += got[k] - hit
            per_kind[k[0]]["fn"] += want[k] - hit
        if want != got:
            errors.append(
                f"ENTITY {r['id']} {r['text']!r}: "
                f"want {sorted(want - got)} extra {sorted(got - want)}"
            )
        want_t = Counter({k: v for k, v in want.items() if k[0] in TEMPORAL})
        got_t = Counter({k: v for k, v in got.items() if k[0] in TEMPORAL})
        if want_t:
            dt_total[lang] += 1
            dt_ok[lang] += want_t == got_t
        elif got_t:
            dt_spurious[lang] += 1

    from flows.understanding.intents import encoder

    enc_times = []
    for r in records:
        start = time.perf_counter()
        encoder().encode(r["text"])
        enc_times.append((time.perf_counter() - start) * 1000)
    rss_end = proc.memory_info().rss
    p50 = statistics.median(latencies)
    p99 = sorted(latencies)[max(0, int(len(latencies) * 0.99) - 1)]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0

    lines: list[str] = []
    out = lines.append
    out(
        f"records: {len(records)} ({lang_total['en']} en, {lang_total['es']} es); "
        f"load all {len(TEMPLATES)} templates: {load_s:.1f} s"
    )
    for lang in ("en", "es"):
        out(
            f"intent accuracy {lang}: {intent_ok[lang] / lang_total[lang]:.3f} "
            f"({intent_ok[lang]}/{lang_total[lang]}); below threshold: {below_threshold[lang]}"
        )
    for lang in ("en", "es"):
        out(
            f"language accuracy {lang} (no conversation history): "
            f"{lang_ok[lang] / lang_total[lang]:.3f}"
        )
    for lang in ("en", "es"):
        total = dt_total[lang]
        out(
            f"date/time exact match {lang}: {dt_ok[lang] / total if total else 0:.3f} "
            f"({dt_ok[lang]}/{total}); spurious dates on undated messages: {dt_spurious[lang]}"
        )
    out(f"entities: precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
    for kind in sorted(per_kind):
        c = per_kind[kind]
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        rc = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        out(f"  {kind:<14} P {p:.2f} R {rc:.2f} (tp {c['tp']}, fp {c['fp']}, fn {c['fn']})")
    out("per intent (en ok/total, es ok/total):")
    for name in sorted(per_intent):
        c = per_intent[name]
        out(f"  {name:<18} en {c['en_ok']}/{c['en_total']}  es {c['es_ok']}/{c['es_total']}")
    if confusions:
        out(
            "top confusions (want -> got): "
            + ", ".join(f"{w}->{g} x{n}" for (w, g), n in confusions.most_common(8))
        )
    out(
        f"latency per message after warm-up: p50 {p50:.2f} ms, p99 {p99:.2f} ms (wall clock); "
        f"CPU time p50 {statistics.median(cpu_times):.2f} ms; load average during the run "
        f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    )
    out(
        f"of which the sentence encoder alone: p50 {statistics.median(enc_times):.2f} ms "
        "(rule-matched messages skip it)"
    )
    out(
        f"resident memory: {rss_start / 1e6:.0f} MB at start, {rss_loaded / 1e6:.0f} MB with all "
        f"models loaded, {rss_end / 1e6:.0f} MB after the run"
    )
    print("\n".join(lines))
    if args.errors:
        slow = sorted(zip(latencies, (r["text"] for r in records), strict=True), reverse=True)
        errors += [f"SLOW {ms:.1f} ms {text!r}" for ms, text in slow[:5]]
        print("\n".join(errors))

    if not args.no_write:
        machine = (
            f"{platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}"
        )
        section = [
            "",
            f"## Understanding — {datetime.now().strftime('%Y-%m-%d %H:%M')}",
            "",
            f"Machine: {machine}. Command: `PYTHONPATH=. .venv/bin/python bench/understanding.py`.",
            "",
            "```",
            *lines,
            "```",
            "",
        ]
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(section))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
