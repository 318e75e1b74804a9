"""Checks the v4 blind understanding set against its schema. Standard library only.

Run from anywhere:  python3 validate.py   (prints the counts, then OK or the problems)
"""
import collections
import datetime as dt
import json
import os
import re
import sys
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(os.path.dirname(HERE), "UNDERSTANDING_LABELS.md")

COMMON = ["greeting", "goodbye", "thanks", "compliment", "affirm", "deny", "human", "complaint", "question",
          "hours", "pricing", "reschedule", "cancel", "emergency", "opt_out", "what_do_you_know", "forget_me",
          "forget_fact"]
PER_TEMPLATE = {
    "dental": ["book_appointment", "insurance"],
    "legal": ["consultation", "legal_intake", "case_status"],
    "restaurant": ["reserve_table", "menu", "waitlist"],
    "real_estate": ["buy", "rent", "sell", "search_listings", "book_viewing"],
}
ENUMS = {
    "service": {"cleaning", "checkup", "whitening", "filling", "root_canal", "extraction", "implant", "orthodontics"},
    "practice_area": {"employment", "family", "personal_injury", "housing", "immigration", "criminal",
                      "inheritance", "business"},
    "property_type": {"apartment", "house", "studio", "room", "commercial", "land"},
    "allergen": {"gluten", "nuts", "shellfish", "lactose", "eggs", "penicillin", "latex"},
    "dietary": {"vegan", "vegetarian", "halal", "kosher"},
    "insurance": {"sanitas", "adeslas", "dkv", "mapfre", "asisa", "delta_dental", "aetna", "cigna", "metlife",
                  "guardian"},
}
ONLY_IN = {"service": "dental", "insurance": "dental", "practice_area": "legal", "property_type": "real_estate"}
KINDS = {"date", "datetime", "party_size", "money", "bedrooms", "email", "phone", "name"} | set(ENUMS)
COUNTRY_CODE = {"ES": "34", "US": "1", "GB": "44", "MX": "52", "CO": "57"}
INTENT_FIELDS = ["id", "lang", "template", "text", "intent", "entities", "now", "timezone", "country"]
SIGNAL_FIELDS = ["id", "lang", "template", "text", "frustrated", "urgent"]
MIN = {"total": 640, "per_lang": 320, "per_template": 150, "per_intent_lang": 8, "names": 150, "dates": 120,
       "signals": 200, "frustrated": 70, "not_frustrated": 70, "urgent": 50}

errors = []


def err(rid, msg):
    errors.append(f"{rid}: {msg}")


def labels_file_intents():
    """Cross-check: the intent names listed in the labels file's tables, if the file is there."""
    if not os.path.exists(LABELS):
        return None
    common, per = set(), collections.defaultdict(set)
    section = None
    for line in open(LABELS, encoding="utf-8"):
        if line.startswith("Common to every template"):
            section = "common"
        elif line.startswith("Per template"):
            section = "per"
        elif line.startswith("## Entities"):
            section = None
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if not cells or set(cells[0]) <= set("-") or cells[0] in ("intent", "template"):
            continue
        if section == "common":
            common.add(cells[0])
        elif section == "per" and len(cells) >= 2:
            per[cells[0]].add(cells[1])
    return common, per


def check_offset(rid, value, tzname, what):
    try:
        d = dt.datetime.fromisoformat(value)
    except ValueError:
        return err(rid, f"{what} not ISO 8601: {value}")
    if d.tzinfo is None:
        return err(rid, f"{what} has no offset: {value}")
    want = d.replace(tzinfo=None).replace(tzinfo=ZoneInfo(tzname)).utcoffset()
    if d.utcoffset() != want:
        err(rid, f"{what} offset {d.utcoffset()} does not match {tzname} ({want}): {value}")
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value):
        err(rid, f"{what} not in the form YYYY-MM-DDTHH:MM:SS+HH:MM: {value}")
    return d


def check_intents(path):
    recs = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    allowed = {t: set(COMMON) | set(v) for t, v in PER_TEMPLATE.items()}
    fromfile = labels_file_intents()
    if fromfile:
        common, per = fromfile
        if common != set(COMMON):
            err("labels", f"common intents differ from the labels file: {sorted(common ^ set(COMMON))}")
        for t, v in PER_TEMPLATE.items():
            if per.get(t, set()) != set(v):
                err("labels", f"{t} intents differ from the labels file")
    ids, texts = set(), collections.Counter()
    by_lang, by_tpl, by_cell = collections.Counter(), collections.Counter(), collections.Counter()
    intent_lang = collections.Counter()
    intent_lang_tpl = collections.Counter()
    kinds = collections.Counter()
    with_name = with_date = 0
    for r in recs:
        rid = r.get("id", "?")
        if list(r) != INTENT_FIELDS:
            err(rid, f"fields {list(r)} != {INTENT_FIELDS}")
            continue
        if rid in ids:
            err(rid, "duplicate id")
        ids.add(rid)
        texts[r["text"].strip().lower()] += 1
        if r["lang"] not in ("en", "es"):
            err(rid, "bad lang")
        if r["template"] not in PER_TEMPLATE:
            err(rid, "bad template")
            continue
        if r["intent"] not in allowed[r["template"]]:
            err(rid, f"intent {r['intent']} not allowed for {r['template']}")
        if not isinstance(r["text"], str) or not r["text"].strip():
            err(rid, "empty text")
        if r["country"] not in COUNTRY_CODE:
            err(rid, f"unknown country {r['country']}")
        now = check_offset(rid, r["now"], r["timezone"], "now")
        by_lang[r["lang"]] += 1
        by_tpl[r["template"]] += 1
        by_cell[(r["lang"], r["template"])] += 1
        intent_lang[(r["intent"], r["lang"])] += 1
        intent_lang_tpl[(r["intent"], r["lang"], r["template"])] += 1
        seen = set()
        for e in r["entities"]:
            if set(e) != {"kind", "value"}:
                err(rid, f"entity fields {sorted(e)}")
                continue
            k, v = e["kind"], e["value"]
            kinds[k] += 1
            if (k, json.dumps(v)) in seen:
                err(rid, f"entity listed twice: {k} {v}")
            seen.add((k, json.dumps(v)))
            if k not in KINDS:
                err(rid, f"unknown kind {k}")
                continue
            if k in ONLY_IN and ONLY_IN[k] != r["template"]:
                err(rid, f"{k} is only for {ONLY_IN[k]}")
            if k in ENUMS and v not in ENUMS[k]:
                err(rid, f"{k} value {v!r} not allowed")
            if k == "date":
                if not (isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", v)):
                    err(rid, f"date {v!r} not YYYY-MM-DD")
                elif now and abs((dt.date.fromisoformat(v) - now.date()).days) > 400:
                    err(rid, f"date {v} more than 400 days from now")
            if k == "datetime":
                d = check_offset(rid, v, r["timezone"], "datetime")
                if d and now and abs((d - now).days) > 400:
                    err(rid, f"datetime {v} more than 400 days from now")
            if k in ("party_size", "bedrooms") and not (isinstance(v, int) and not isinstance(v, bool) and 0 < v < 100):
                err(rid, f"{k} {v!r} not a small positive integer")
            if k == "money" and not (isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0):
                err(rid, f"money {v!r} not a positive number")
            if k == "name":
                if not isinstance(v, str) or v not in r["text"]:
                    err(rid, f"name {v!r} does not occur in the text")
                elif not v[0].isupper():
                    err(rid, f"name {v!r} not capitalised")
            if k == "email":
                if v != v.lower() or v not in r["text"].lower() or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", v):
                    err(rid, f"email {v!r} not lower-case / not in text")
            if k == "phone":
                cc = COUNTRY_CODE.get(r["country"], "")
                digits = re.sub(r"\D", "", r["text"])
                if not re.fullmatch(r"\+\d{8,15}", str(v)):
                    err(rid, f"phone {v!r} not E.164")
                elif not (str(v)[1:] in digits or (str(v).startswith("+" + cc) and str(v)[1 + len(cc):] in digits)
                          or (r["country"] == "GB" and "0" + str(v)[3:] in digits)):
                    err(rid, f"phone {v!r} digits not found in text")
        ks = {e["kind"] for e in r["entities"]}
        with_name += "name" in ks
        with_date += bool(ks & {"date", "datetime"})
    dups = [t for t, n in texts.items() if n > 1]
    for t in dups:
        err("intents", f"duplicate text: {t[:60]}")
    # counts
    if len(recs) < MIN["total"]:
        err("intents", f"only {len(recs)} records")
    for lang in ("en", "es"):
        if by_lang[lang] < MIN["per_lang"]:
            err("intents", f"only {by_lang[lang]} {lang} records")
        for t, extra in PER_TEMPLATE.items():
            for it in extra:
                if intent_lang_tpl[(it, lang, t)] < MIN["per_intent_lang"]:
                    err("intents", f"{it} ({t}) has only {intent_lang_tpl[(it, lang, t)]} {lang} records")
        for it in COMMON:
            if intent_lang[(it, lang)] < MIN["per_intent_lang"]:
                err("intents", f"{it} has only {intent_lang[(it, lang)]} {lang} records")
            for t in PER_TEMPLATE:
                if intent_lang_tpl[(it, lang, t)] < 1:
                    err("intents", f"{it} missing in {lang}/{t}")
    for t in PER_TEMPLATE:
        if by_tpl[t] < MIN["per_template"]:
            err("intents", f"only {by_tpl[t]} {t} records")
    if with_name < MIN["names"]:
        err("intents", f"only {with_name} records with a name")
    if with_date < MIN["dates"]:
        err("intents", f"only {with_date} records with a date/datetime")
    print(f"intents.jsonl: {len(recs)} records; per language {dict(by_lang)}; per template {dict(by_tpl)}")
    print("  per cell:", {f"{l}/{t}": n for (l, t), n in sorted(by_cell.items())})
    print(f"  records with a name: {with_name}; with a date or datetime: {with_date}")
    print("  entities by kind:", dict(kinds.most_common()), "total", sum(kinds.values()))
    print("  intent counts (en / es):")
    for it in sorted({i for i, _ in intent_lang}):
        print(f"    {it:18s} {intent_lang[(it, 'en')]:3d} / {intent_lang[(it, 'es')]:3d}")


def check_signals(path):
    recs = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    ids, texts = set(), set()
    c = collections.Counter()
    for r in recs:
        rid = r.get("id", "?")
        if list(r) != SIGNAL_FIELDS:
            err(rid, f"fields {list(r)} != {SIGNAL_FIELDS}")
            continue
        if rid in ids:
            err(rid, "duplicate id")
        ids.add(rid)
        if r["text"].strip().lower() in texts:
            err(rid, "duplicate text")
        texts.add(r["text"].strip().lower())
        if r["lang"] not in ("en", "es") or r["template"] not in PER_TEMPLATE:
            err(rid, "bad lang/template")
        if not isinstance(r["frustrated"], bool) or not isinstance(r["urgent"], bool):
            err(rid, "frustrated/urgent must be booleans")
            continue
        c["total"] += 1
        c[r["lang"]] += 1
        c[(r["lang"], r["template"])] += 1
        c["frustrated"] += r["frustrated"]
        c["not_frustrated"] += not r["frustrated"]
        c["urgent"] += r["urgent"]
        c["both"] += r["frustrated"] and r["urgent"]
        c["neither"] += not (r["frustrated"] or r["urgent"])
        c[("F", r["lang"])] += r["frustrated"]
        c[("U", r["lang"])] += r["urgent"]
    for k in ("signals", "frustrated", "not_frustrated", "urgent"):
        have = c["total" if k == "signals" else k]
        if have < MIN[k]:
            err("signals", f"only {have} {k}")
    if abs(c["en"] - c["es"]) > 10:
        err("signals", "languages unbalanced")
    for lang in ("en", "es"):
        for t in PER_TEMPLATE:
            if c[(lang, t)] < 10:
                err("signals", f"only {c[(lang, t)]} in {lang}/{t}")
    print(f"signals.jsonl: {c['total']} records (en {c['en']}, es {c['es']}); frustrated {c['frustrated']} "
          f"(en {c[('F', 'en')]}, es {c[('F', 'es')]}), not frustrated {c['not_frustrated']}, urgent {c['urgent']} "
          f"(en {c[('U', 'en')]}, es {c[('U', 'es')]}), both {c['both']}, neither {c['neither']}")
    print("  per cell:", {f"{l}/{t}": c[(l, t)] for l in ("en", "es") for t in PER_TEMPLATE})


def main():
    check_intents(os.path.join(HERE, "intents.jsonl"))
    check_signals(os.path.join(HERE, "signals.jsonl"))
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
