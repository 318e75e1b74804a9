"""Bench for flows.understanding: the dev sets and the blind set side by side, with a baseline.

Sets (each line one JSON record):
- dev: `tests/data/understanding_dev.jsonl` and `tests/data/understanding.jsonl` (intents,
  entities) and `tests/data/understanding_signals_dev.jsonl` (frustrated / urgent). Used to tune.
- blind: `tests/data/blind/understanding/intents.jsonl` and `signals.jsonl`, written from the
  label definitions alone and never used to tune (absent: "blind set not present").
- written: `bench/data/written_intents.jsonl` and `written_signals.jsonl`, the held-out quarter
  of the examples written for the bank in issue 12's second round (never trained on). Records
  marked `intent_only` have no entity labels and are left out of the entity and date scores.

Reports per set: intent accuracy per language and per template, the naive baseline (nearest
centroid of 5 hand-written phrases per intent, same encoder), frustration and urgency precision
and recall at the default thresholds (0.7; frustration also at the gateway's hand-off default,
`HANDOFF_FRUSTRATION`), date/time exact match, entity micro-F1 (the kinds of
the label definitions; money compared as a number), p50 latency and RSS with all four templates
loaded (goals: p50 < 10 ms, RSS < 400 MB).

Run: PYTHONPATH=. .venv/bin/python bench/understanding.py [--write] [--errors dev|blind]
[--only dev|blind|written]
(--write appends the numbers to bench/RESULTS.md.)
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
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.understanding import TEMPLATES, Context, Understander  # noqa: E402
from flows.understanding.features import embed, unit  # noqa: E402
from flows.understanding.intents import encoder  # noqa: E402
from flows.understanding.model import COMMON_INTENTS  # noqa: E402
from flows.understanding.signals import (  # noqa: E402
    FRUSTRATION_THRESHOLD,
    HANDOFF_FRUSTRATION,
    URGENCY_THRESHOLD,
)

DATA = ROOT / "tests" / "data"
DEV_INTENTS = (DATA / "understanding_dev.jsonl", DATA / "understanding.jsonl")
DEV_SIGNALS = DATA / "understanding_signals_dev.jsonl"
BLIND_DIR = DATA / "blind" / "understanding"
WRITTEN_DIR = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "RESULTS.md"
TEMPORAL = {"date", "datetime"}
KINDS = {
    "date", "datetime", "party_size", "money", "bedrooms", "email", "phone", "name", "service",
    "practice_area", "property_type", "allergen", "dietary", "insurance",
}  # fmt: skip

# The naive baseline: 5 phrases per intent, written from the label definitions.
BASELINE: dict[str, list[str]] = {
    "greeting": ["hello", "hi there", "hola", "buenos días", "good morning"],
    "goodbye": ["bye", "goodbye, that's all", "adiós", "hasta luego", "see you"],
    "thanks": ["thanks", "thank you so much", "gracias", "muchas gracias", "many thanks"],
    "compliment": [
        "you are great",
        "excellent service",
        "sois los mejores",
        "qué buen servicio",
        "the staff were lovely",
    ],
    "affirm": ["yes", "sounds good", "sí", "vale, perfecto", "ok"],
    "deny": ["no", "no thanks", "mejor no", "nope", "no gracias"],
    "human": [
        "I want to talk to a person",
        "real human please",
        "quiero hablar con una persona",
        "pásame con alguien",
        "let me talk to staff",
    ],
    "complaint": [
        "the service was bad",
        "I was charged wrongly",
        "el servicio fue malo",
        "la comida llegó fría",
        "the receptionist was rude",
    ],
    "question": [
        "where are you located?",
        "do you have parking?",
        "¿dónde estáis?",
        "¿aceptáis tarjeta?",
        "do you speak english?",
    ],
    "hours": [
        "what time do you open?",
        "are you open on sunday?",
        "¿a qué hora abrís?",
        "¿qué horario tenéis?",
        "opening hours",
    ],
    "pricing": [
        "how much does it cost?",
        "what are your prices",
        "¿cuánto cuesta?",
        "¿qué precio tiene?",
        "what are your fees",
    ],
    "reschedule": [
        "can I change my appointment to another day",
        "move my booking",
        "quiero cambiar mi cita",
        "¿puedo cambiar la reserva?",
        "reschedule please",
    ],
    "cancel": [
        "cancel my appointment",
        "I need to cancel",
        "quiero cancelar mi cita",
        "anular la reserva",
        "please cancel my booking",
    ],
    "emergency": [
        "it's an emergency",
        "severe pain and bleeding",
        "es una urgencia",
        "me duele muchísimo",
        "I need help right now",
    ],
    "opt_out": [
        "stop sending me messages",
        "unsubscribe",
        "no me mandéis más mensajes",
        "darme de baja",
        "no more promotions",
    ],
    "what_do_you_know": [
        "what do you know about me?",
        "what data do you have on me",
        "¿qué sabéis de mí?",
        "¿qué datos tenéis míos?",
        "show me my data",
    ],
    "forget_me": [
        "delete all my data",
        "forget me",
        "borrad todos mis datos",
        "olvidadme",
        "erase everything about me",
    ],
    "forget_fact": [
        "forget my phone number",
        "delete my email",
        "borra mi teléfono",
        "olvida mi email",
        "remove my address",
    ],
    "book_appointment": [
        "I want to book an appointment",
        "can I see the dentist",
        "quiero pedir cita",
        "¿tenéis hueco para una limpieza?",
        "book a checkup",
    ],
    "insurance": [
        "do you accept my insurance?",
        "is my dental plan covered",
        "¿trabajáis con mi seguro?",
        "¿aceptáis sanitas?",
        "insurance coverage",
    ],
    "consultation": [
        "I want to book a consultation",
        "meet with a lawyer",
        "quiero una consulta con un abogado",
        "pedir cita con el abogado",
        "schedule a meeting",
    ],
    "legal_intake": [
        "I have a legal problem",
        "can you take my case",
        "tengo un problema legal",
        "¿podéis llevar mi caso?",
        "my landlord is not returning my deposit",
    ],
    "case_status": [
        "how is my case going",
        "any update on my case",
        "¿cómo va mi caso?",
        "novedades de mi expediente",
        "status of my claim",
    ],
    "reserve_table": [
        "I want to book a table",
        "table for two tonight",
        "quiero reservar mesa",
        "mesa para cuatro",
        "reservation for dinner",
    ],
    "menu": [
        "what's on the menu",
        "do you have vegan dishes",
        "¿qué hay en la carta?",
        "¿tenéis platos sin gluten?",
        "wine list",
    ],
    "waitlist": [
        "put me on the waiting list",
        "is there a wait now",
        "apúntame en la lista de espera",
        "¿hay espera?",
        "how long is the wait",
    ],
    "buy": [
        "I want to buy a house",
        "looking to buy a flat",
        "quiero comprar un piso",
        "busco casa para comprar",
        "we want to purchase a home",
    ],
    "rent": [
        "I want to rent a flat",
        "looking for a place to rent",
        "quiero alquilar un piso",
        "busco alquiler",
        "apartment for rent",
    ],
    "sell": [
        "I want to sell my house",
        "how much is my flat worth",
        "quiero vender mi piso",
        "tasación de mi casa",
        "list my property",
    ],
    "search_listings": [
        "what flats do you have available",
        "any 2-bed flats under 300k?",
        "¿qué pisos tenéis?",
        "casas con jardín disponibles",
        "show me listings",
    ],
    "book_viewing": [
        "can I visit the flat",
        "book a viewing",
        "quiero ver el piso",
        "concertar una visita",
        "arrange a viewing for saturday",
    ],
}
VERTICAL = {
    "dental": ("book_appointment", "insurance"),
    "legal": ("consultation", "legal_intake", "case_status"),
    "restaurant": ("reserve_table", "menu", "waitlist"),
    "real_estate": ("buy", "rent", "sell", "search_listings", "book_viewing"),
}


def read_jsonl(paths: Sequence[Path]) -> list[dict[str, Any]] | None:
    """Records of these files, or None when none exists."""
    found = [p for p in paths if p.exists()]
    if not found:
        return None
    out: list[dict[str, Any]] = []
    for path in found:
        with path.open(encoding="utf-8") as fh:
            out.extend(json.loads(line) for line in fh if line.strip())
    return out


class Baseline:
    """Nearest centroid of the 5 phrases per intent, restricted to the template's intents."""

    def __init__(self) -> None:
        self.names = sorted(BASELINE)
        cents = [unit(embed(BASELINE[n], encoder()).mean(axis=0)) for n in self.names]
        self.centroids = np.stack(cents)

    def predict(self, text: str, template: str) -> str:
        allowed = set(COMMON_INTENTS) | set(VERTICAL.get(template, ()))
        sims = self.centroids @ embed([text], encoder())[0]
        order = np.argsort(-sims)
        return next(self.names[i] for i in order if self.names[i] in allowed)


def _value(kind: str, value: Any) -> str:
    if kind == "money" and isinstance(value, dict):
        value = value.get("amount")
    if kind in ("money", "party_size", "bedrooms") and value is not None:
        value = float(value) if isinstance(value, int | float | str) and _number(value) else value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _context(r: dict[str, Any]) -> Context:
    return Context(
        timezone=r.get("timezone", "UTC"),
        default_country=r.get("country", "US"),
        language=None,
        now=datetime.fromisoformat(r["now"]) if r.get("now") else None,
    )


def _ratio(ok: int, total: int) -> str:
    return f"{ok / total:.3f} ({ok}/{total})" if total else "n/a"


def score_intents(
    records: list[dict[str, Any]],
    models: dict[str, Understander],
    baseline: Baseline,
    errors: list[str] | None,
) -> tuple[list[str], list[float]]:
    """Intent, entity and date lines for one set, and the latencies."""
    ok: Counter[str] = Counter()
    total: Counter[str] = Counter()
    base_ok: Counter[str] = Counter()
    clarify: Counter[str] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    tp = fp = fn = 0
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    dt_total: Counter[str] = Counter()
    dt_ok: Counter[str] = Counter()
    latencies: list[float] = []
    for r in records:
        model = models.get(r["template"])
        if model is None:
            continue
        ctx = _context(r)
        start = time.perf_counter()
        a = model.annotate(r["text"], ctx)
        latencies.append((time.perf_counter() - start) * 1000)
        lang, tpl = r.get("lang", "?"), r["template"]
        good = a.intent == r["intent"]
        b_good = baseline.predict(r["text"], tpl) == r["intent"]
        for key in (lang, f"{tpl}", "all"):
            total[key] += 1
            ok[key] += good
            base_ok[key] += b_good
        clarify["all"] += a.needs_clarification()
        if not good:
            confusions[(r["intent"], a.intent)] += 1
            if errors is not None:
                errors.append(
                    f"INTENT {r.get('id')} [{tpl}] {r['text']!r}: want {r['intent']} "
                    f"got {a.intent} ({a.intent_confidence:.2f})"
                )
        if r.get("intent_only"):
            continue
        want = Counter(
            (e["kind"], _value(e["kind"], e["value"]))
            for e in r.get("entities", ())
            if e["kind"] in KINDS
        )
        got = Counter((e.kind, _value(e.kind, e.value)) for e in a.entities if e.kind in KINDS)
        for k in want | got:
            hit = min(want[k], got[k])
            tp += hit
            fp += got[k] - hit
            fn += want[k] - hit
            per_kind[k[0]]["tp"] += hit
            per_kind[k[0]]["fp"] += got[k] - hit
            per_kind[k[0]]["fn"] += want[k] - hit
        if want != got and errors is not None:
            errors.append(
                f"ENTITY {r.get('id')} {r['text']!r}: missing {sorted(want - got)} "
                f"extra {sorted(got - want)}"
            )
        want_t = Counter({k: v for k, v in want.items() if k[0] in TEMPORAL})
        got_t = Counter({k: v for k, v in got.items() if k[0] in TEMPORAL})
        if want_t:
            dt_total[lang] += 1
            dt_ok[lang] += want_t == got_t
    lines = [f"records: {total['all']} ({total['en']} en, {total['es']} es)"]
    for key in ("all", "en", "es", *TEMPLATES):
        lines.append(
            f"  intent accuracy {key:<12} {_ratio(ok[key], total[key]):<20} "
            f"baseline {_ratio(base_ok[key], total[key])}"
        )
    lines.append(f"  asked to clarify (below INTENT_THRESHOLD or unknown): {clarify['all']}")
    if confusions:
        lines.append(
            "  top confusions (want->got): "
            + ", ".join(f"{w}->{g} x{n}" for (w, g), n in confusions.most_common(6))
        )
    for lang in ("en", "es"):
        lines.append(f"  datetime exact match {lang}: {_ratio(dt_ok[lang], dt_total[lang])}")
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    lines.append(f"  entity micro-F1 {f1:.3f} (P {p:.3f} R {rc:.3f}; tp {tp} fp {fp} fn {fn})")
    for kind in sorted(per_kind):
        c = per_kind[kind]
        kp = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        kr = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        lines.append(
            f"    {kind:<14} P {kp:.2f} R {kr:.2f} (tp {c['tp']} fp {c['fp']} fn {c['fn']})"
        )
    return lines, latencies


def _flag(r: dict[str, Any], name: str) -> bool | None:
    for key in (name, {"frustrated": "frustration", "urgent": "urgency"}[name]):
        if key in r:
            return bool(r[key])
    signals = r.get("signals") or {}
    return bool(signals[name]) if name in signals else None


def score_signals(
    records: list[dict[str, Any]], models: dict[str, Understander], errors: list[str] | None
) -> list[str]:
    """Precision and recall of frustration and urgency at the default thresholds."""
    lines = []
    for name, attr, threshold in (
        ("frustrated", "frustration", FRUSTRATION_THRESHOLD),
        ("frustrated", "frustration", HANDOFF_FRUSTRATION),
        ("urgent", "urgency", URGENCY_THRESHOLD),
    ):
        tp = fp = fn = n = 0
        for r in records:
            want = _flag(r, name)
            model = models.get(r.get("template", "dental"), models["dental"])
            if want is None:
                continue
            n += 1
            score = getattr(model.annotate(r["text"], _context(r)), attr)
            got = score >= threshold
            tp += got and want
            fp += got and not want
            fn += want and not got
            if got != want and errors is not None and threshold != HANDOFF_FRUSTRATION:
                errors.append(
                    f"{name.upper()} {r.get('id')} {r['text']!r}: want {want} got {score:.2f}"
                )
        p = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        lines.append(
            f"  {name} at {threshold}: precision {p:.3f} recall {rc:.3f} "
            f"(tp {tp} fp {fp} fn {fn}; {n} labelled)"
        )
    return lines


def main() -> int:
    """Run the bench, print the numbers; --write appends them to RESULTS.md."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument(
        "--errors", choices=("dev", "blind", "written"), help="print every miss of a set"
    )
    parser.add_argument(
        "--only",
        choices=("dev", "blind", "written"),
        help="score one set (dev while tuning: blind untouched)",
    )
    parser.add_argument(
        "--blind-dir", type=Path, default=BLIND_DIR, help="a blind folder, e.g. understanding_v2"
    )
    args = parser.parse_args()

    proc = psutil.Process()
    rss_start = proc.memory_info().rss
    t0 = time.perf_counter()
    models = {t: Understander.load(["en", "es"], template=t) for t in TEMPLATES}
    load_s = time.perf_counter() - t0
    rss_loaded = proc.memory_info().rss
    baseline = Baseline()

    files = {
        "dev": (DEV_INTENTS, [DEV_SIGNALS]),
        "blind": ([args.blind_dir / "intents.jsonl"], [args.blind_dir / "signals.jsonl"]),
        "written": (
            [WRITTEN_DIR / "written_intents.jsonl"],
            [WRITTEN_DIR / "written_signals.jsonl"],
        ),
    }
    sets = {  # a set left out by --only is not even opened
        name: (read_jsonl(intent_files), read_jsonl(signal_files))
        for name, (intent_files, signal_files) in files.items()
        if args.only in (None, name)
    }
    warm = (sets.get("dev", (None, None))[0] or [])[:30]
    for r in warm:
        models[r["template"]].annotate(r["text"], _context(r))

    lines: list[str] = [f"load all {len(TEMPLATES)} templates: {load_s:.1f} s"]
    latencies: list[float] = []
    for name, (intents, signals) in sets.items():
        errors: list[str] | None = [] if args.errors == name else None
        lines.append(f"[{name}]")
        if intents is None and signals is None:
            lines.append(f"  {name} set not present")
            continue
        if intents:
            got, lat = score_intents(intents, models, baseline, errors)
            lines.extend(got)
            latencies.extend(lat)
        if signals:
            lines.extend(score_signals(signals, models, errors))
        if errors:
            print("\n".join(errors))
    rss_end = proc.memory_info().rss
    if latencies:
        lines.append(
            f"latency per message: p50 {statistics.median(latencies):.2f} ms, p99 "
            f"{sorted(latencies)[max(0, int(len(latencies) * 0.99) - 1)]:.2f} ms (goal p50 < 10); "
            f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
        )
    lines.append(
        f"resident memory: {rss_start / 1e6:.0f} MB at start, {rss_loaded / 1e6:.0f} MB with all "
        f"four templates loaded, {rss_end / 1e6:.0f} MB after the run (goal < 400)"
    )
    print("\n".join(lines))
    if args.write:
        machine = (
            f"{platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}"
        )
        section = [
            "",
            f"## Understanding — {datetime.now().strftime('%Y-%m-%d %H:%M')}",
            "",
            f"Machine: {machine}. Command: `PYTHONPATH=. .venv/bin/python bench/understanding.py "
            "--write`.",
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
