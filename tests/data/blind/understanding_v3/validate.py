"""Validator for the blind understanding v3 set (standard library only).
Usage: python validate.py [dir]   (dir defaults to this file's folder)
Checks: JSON per line, counts, required fields, allowed intents per template (parsed from
UNDERSTANDING_LABELS.md), intent coverage, entity kinds/values/formats, template-restricted kinds,
that names / e-mails / phone numbers appear in the text, `now` offset vs timezone, and signal ratios."""
import datetime as dt
import json, os, re, sys
from collections import Counter
from zoneinfo import ZoneInfo

HERE = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
LABELS = "/work/main/tests/data/blind/UNDERSTANDING_LABELS.md"
TEMPLATES = ["dental", "legal", "restaurant", "real_estate"]
LANGS = ["en", "es"]
errors = []


def err(msg):
    errors.append(msg)


# ---- parse the label definitions -------------------------------------------------------------
common, per_tmpl, enums = [], {t: [] for t in TEMPLATES}, {}
with open(LABELS, encoding="utf-8") as fh:
    section = None
    for line in fh:
        if line.startswith("Common to every template"):
            section = "common"
        elif line.startswith("Per template"):
            section = "per"
        elif line.startswith("## Entities"):
            section = "ent"
        elif line.startswith("## ") or line.startswith("When two fit"):
            section = None
        if not line.startswith("|") or set(line.strip()) <= set("|- "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in ("intent", "template", "kind"):
            continue
        if section == "common":
            common.append(cells[0])
        elif section == "per" and cells[0] in per_tmpl:
            per_tmpl[cells[0]].append(cells[1])
        elif section == "ent":
            m = re.search(r"one of:\s*(.*)$", cells[1])
            enums[cells[0]] = [v.strip() for v in m.group(1).split(",")] if m else None
ALLOWED = {t: set(common) | set(per_tmpl[t]) for t in TEMPLATES}
KINDS = set(enums)
ONLY = {"service": "dental", "insurance": "dental", "practice_area": "legal", "property_type": "real_estate"}
if len(common) != 18 or not all(per_tmpl.values()) or len(KINDS) != 14:
    err(f"label parsing looks wrong: {len(common)} common, {per_tmpl}, kinds {sorted(KINDS)}")
CC = {"ES": "34", "US": "1", "GB": "44", "MX": "52", "CO": "57", "AR": "54"}


def load(name):
    path = os.path.join(HERE, name)
    out = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                err(f"{name}:{i}: blank line")
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                err(f"{name}:{i}: bad JSON: {e}")
                continue
            if not isinstance(r, dict):
                err(f"{name}:{i}: not an object")
                continue
            out.append(r)
    return out


def check_common(r, where, fields):
    for f, typ in fields.items():
        if f not in r:
            err(f"{where}: missing field {f}")
        elif not isinstance(r[f], typ):
            err(f"{where}: field {f} has type {type(r[f]).__name__}")
    extra = set(r) - set(fields)
    if extra:
        err(f"{where}: unexpected fields {sorted(extra)}")
    if r.get("lang") not in LANGS:
        err(f"{where}: bad lang {r.get('lang')!r}")
    if r.get("template") not in TEMPLATES:
        err(f"{where}: bad template {r.get('template')!r}")
    if isinstance(r.get("text"), str) and not r["text"].strip():
        err(f"{where}: empty text")


def check_entity(e, r, where):
    if not isinstance(e, dict) or set(e) != {"kind", "value"}:
        err(f"{where}: entity must be {{kind, value}}: {e!r}")
        return
    k, v, text = e["kind"], e["value"], r["text"]
    if k not in KINDS:
        err(f"{where}: unknown entity kind {k!r}")
        return
    if k in ONLY and r["template"] != ONLY[k]:
        err(f"{where}: {k} is only for {ONLY[k]}")
    if enums.get(k) is not None and v not in enums[k]:
        err(f"{where}: {k} value {v!r} not in {enums[k]}")
    if k == "date":
        try:
            dt.date.fromisoformat(v)
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)
        except Exception:
            err(f"{where}: bad date {v!r}")
    elif k == "datetime":
        try:
            t = dt.datetime.fromisoformat(v)
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}", v)
            want = t.replace(tzinfo=None).replace(tzinfo=ZoneInfo(r["timezone"])).utcoffset()
            if t.utcoffset() != want:
                err(f"{where}: datetime {v} offset differs from {r['timezone']} ({want})")
        except Exception:
            err(f"{where}: bad datetime {v!r}")
    elif k in ("party_size", "bedrooms"):
        if not isinstance(v, int) or isinstance(v, bool) or not 0 < v < 100:
            err(f"{where}: {k} must be a positive integer: {v!r}")
    elif k == "money":
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v <= 0:
            err(f"{where}: money must be a positive number: {v!r}")
    elif k == "email":
        if v != v.lower() or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", v or ""):
            err(f"{where}: bad email {v!r}")
        elif v not in text.lower():
            err(f"{where}: email {v!r} not in text")
    elif k == "phone":
        if not isinstance(v, str) or not re.fullmatch(r"\+[1-9]\d{7,14}", v):
            err(f"{where}: phone not E.164: {v!r}")
        else:
            digits = re.sub(r"\D", "", text)
            cc = CC.get(r["country"], "")
            national = v[1 + len(cc):] if v[1:].startswith(cc) else v[1:]
            if national.lstrip("0") not in digits:
                err(f"{where}: phone {v} (national {national}) not in text digits")
    elif k == "name":
        if not isinstance(v, str) or v not in text:
            err(f"{where}: name {v!r} not written in the text")
        elif v[:1] != v[:1].upper():
            err(f"{where}: name {v!r} not capitalised")


# ---- intents ----------------------------------------------------------------------------------
IF = {"id": str, "lang": str, "template": str, "text": str, "intent": str, "entities": list,
      "now": str, "timezone": str, "country": str}
intents = load("intents.jsonl")
ids, texts, cells, cover = set(), Counter(), Counter(), {}
for i, r in enumerate(intents, 1):
    where = f"intents.jsonl:{i} ({r.get('id')})"
    check_common(r, where, IF)
    if any(f not in r for f in IF):
        continue
    if r["id"] in ids:
        err(f"{where}: duplicate id")
    ids.add(r["id"])
    texts[r["text"].strip().lower()] += 1
    cells[(r["lang"], r["template"])] += 1
    cover.setdefault((r["lang"], r["template"]), Counter())[r["intent"]] += 1
    if r["template"] in ALLOWED and r["intent"] not in ALLOWED[r["template"]]:
        err(f"{where}: intent {r['intent']!r} not allowed for {r['template']}")
    try:
        tz = ZoneInfo(r["timezone"])
        now = dt.datetime.fromisoformat(r["now"])
        if now.utcoffset() != now.replace(tzinfo=None).replace(tzinfo=tz).utcoffset():
            err(f"{where}: now offset does not match {r['timezone']}")
    except Exception as e:
        err(f"{where}: bad now/timezone: {e}")
        continue
    if r["country"] not in CC:
        err(f"{where}: unknown country {r['country']!r}")
    for e in r["entities"]:
        check_entity(e, r, where)
    seen = [json.dumps(e, sort_keys=True) for e in r["entities"]]
    if len(seen) != len(set(seen)):
        err(f"{where}: duplicate entity")
if len(intents) != 400:
    err(f"intents.jsonl: {len(intents)} records, want 400")
for lang in LANGS:
    for t in TEMPLATES:
        if cells[(lang, t)] != 50:
            err(f"intents: {lang}/{t} has {cells[(lang, t)]} records, want 50")
        missing = ALLOWED[t] - set(cover.get((lang, t), {}))
        if missing:
            err(f"intents: {lang}/{t} lacks intents {sorted(missing)}")

# ---- signals ----------------------------------------------------------------------------------
SF = {"id": str, "lang": str, "template": str, "text": str, "frustrated": bool, "urgent": bool}
signals = load("signals.jsonl")
sc = Counter()
for i, r in enumerate(signals, 1):
    where = f"signals.jsonl:{i} ({r.get('id')})"
    check_common(r, where, SF)
    if any(f not in r for f in SF):
        continue
    if r["id"] in ids:
        err(f"{where}: duplicate id")
    ids.add(r["id"])
    texts[r["text"].strip().lower()] += 1
    sc[r["lang"]] += 1
    sc[(r["lang"], r["template"])] += 1
    sc["F"] += r["frustrated"]
    sc["U"] += r["urgent"]
    sc["FU"] += r["frustrated"] and r["urgent"]
if len(signals) != 200 or sc["en"] != 100 or sc["es"] != 100:
    err(f"signals.jsonl: {len(signals)} records (en {sc['en']}, es {sc['es']}), want 200 (100/100)")
for lang in LANGS:
    for t in TEMPLATES:
        if sc[(lang, t)] < 15:
            err(f"signals: {lang}/{t} only {sc[(lang, t)]} records")
n = max(len(signals), 1)
if not 0.30 <= sc["F"] / n <= 0.40:
    err(f"signals: frustrated share {sc['F'] / n:.2f} outside 0.30-0.40")
if not 0.20 <= sc["U"] / n <= 0.30:
    err(f"signals: urgent share {sc['U'] / n:.2f} outside 0.20-0.30")
for t, c in texts.items():
    if c > 1 and len(t) > 12:
        err(f"duplicate text ({c}x): {t[:60]!r}")

for e in errors:
    print("ERROR", e)
ints = Counter(r.get("intent") for r in intents)
print(f"intents: {len(intents)} records, {len(ints)} intents, "
      f"{sum(len(r.get('entities', [])) for r in intents)} entities")
print(f"signals: {len(signals)} records, frustrated {sc['F']}, urgent {sc['U']}, both {sc['FU']}")
print("OK" if not errors else f"{len(errors)} error(s)")
sys.exit(1 if errors else 0)
