#!/usr/bin/env python3
"""Sanity checks for the DEV conversation suite (structure only, not bot behaviour)."""
import re, sys, datetime as dt
from pathlib import Path
import yaml

ROOT = Path(__file__).resolve().parent
BUSINESSES = {"smile-dental", "ortega-law", "casa-lucia", "sol-homes"}
CHANNELS = {"telegram", "webchat", "sms", "whatsapp"}
TOP_KEYS = {"name", "business", "channel", "start", "customer", "follows", "required", "turns", "outcome"}
TURN_KEYS = {"say", "press", "at", "expect"}
EXPECT_KEYS = {"contains", "contains_any", "not_contains", "language", "register", "handoff", "no_reply"}
OUTCOME_KEYS = {"appointments", "reservations", "viewings", "leads", "intake_cases", "count",
                "handoff", "facts", "no_facts", "consent", "scheduled"}
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?[+-]\d\d:\d\d$")
DST_START = dt.date(2026, 3, 29)

errors, docs = [], {}

def err(f, msg): errors.append(f"{f.relative_to(ROOT)}: {msg}")

def check_time(f, where, value):
    if not isinstance(value, str) or not ISO.match(value):
        err(f, f"{where}: not ISO with offset: {value!r}"); return None
    t = dt.datetime.fromisoformat(value)
    want = "+02:00" if t.date() >= DST_START and t.date() < dt.date(2026, 10, 25) else "+01:00"
    if t.year == 2026 and not value.endswith(want):
        err(f, f"{where}: Madrid offset for {t.date()} should be {want}: {value}")
    return t

files = sorted(p for p in ROOT.glob("*/*.yaml"))
for f in files:
    try:
        d = yaml.safe_load(f.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        err(f, f"YAML error: {e}"); continue
    if not isinstance(d, dict):
        err(f, "not a mapping"); continue
    for k in ("name", "business", "start", "turns"):
        if k not in d: err(f, f"missing {k}")
    extra = set(d) - TOP_KEYS
    if extra: err(f, f"unknown keys {extra}")
    if d.get("business") != f.parent.name: err(f, f"business {d.get('business')} != folder {f.parent.name}")
    if d.get("business") not in BUSINESSES: err(f, "unknown business")
    if d.get("channel", "webchat") not in CHANNELS: err(f, f"bad channel {d.get('channel')}")
    if d.get("channel") in ("whatsapp", "sms") and not (d.get("customer") or {}).get("phone"):
        err(f, "whatsapp/sms without customer.phone")
    if d.get("name") in docs: err(f, f"duplicate name {d.get('name')}")
    docs[d.get("name")] = (f, d)
    check_time(f, "start", d.get("start"))
    turns = d.get("turns") or []
    if not (3 <= len(turns) <= 10): err(f, f"{len(turns)} turns (want 3-10)")
    for i, t in enumerate(turns):
        if set(t) - TURN_KEYS: err(f, f"turn {i}: unknown keys {set(t) - TURN_KEYS}")
        if ("say" in t) == ("press" in t): err(f, f"turn {i}: needs exactly one of say/press")
        if "at" in t: check_time(f, f"turn {i}.at", t["at"])
        e = t.get("expect") or {}
        if set(e) - EXPECT_KEYS: err(f, f"turn {i}: unknown expect keys {set(e) - EXPECT_KEYS}")
        for k in ("contains", "contains_any", "not_contains"):
            if k in e and not (isinstance(e[k], list) and all(isinstance(x, str) for x in e[k])):
                err(f, f"turn {i}: {k} must be a list of strings")
        if e.get("language") not in (None, "es", "en"): err(f, f"turn {i}: language")
        if e.get("register") not in (None, "formal", "informal"): err(f, f"turn {i}: register")
        if "register" in e and e.get("language") != "es": err(f, f"turn {i}: register on non-Spanish turn")
    o = d.get("outcome") or {}
    if set(o) - OUTCOME_KEYS: err(f, f"outcome: unknown keys {set(o) - OUTCOME_KEYS}")
    for kind in ("appointments", "reservations", "viewings", "leads", "intake_cases"):
        for j, r in enumerate(o.get(kind) or []):
            if "starts_at" in r: check_time(f, f"outcome.{kind}[{j}].starts_at", r["starts_at"])
            if r.get("status") not in (None, "booked", "cancelled"): err(f, f"outcome.{kind}[{j}]: status")

for name, (f, d) in docs.items():
    fol = d.get("follows")
    if not fol: continue
    if fol not in docs: err(f, f"follows unknown {fol}"); continue
    pf, pd = docs[fol]
    if pd["business"] != d["business"]: err(f, "follows another business")
    if pd.get("channel", "webchat") != d.get("channel", "webchat"): err(f, "follows on another channel")
    if (pd.get("customer") or {}) != (d.get("customer") or {}): err(f, "follows with another customer profile")
    if dt.datetime.fromisoformat(d["start"]) <= dt.datetime.fromisoformat(pd["start"]):
        err(f, "starts before the conversation it follows")

# booking times must not collide within a business: one slot per booking chain
def root(name):
    while docs[name][1].get("follows") in docs:
        name = docs[name][1]["follows"]
    return name
slots = {}
for name, (f, d) in docs.items():
    for kind in ("appointments", "reservations", "viewings"):
        for r in (d.get("outcome") or {}).get(kind) or []:
            if "starts_at" in r:
                key = (d["business"], dt.datetime.fromisoformat(r["starts_at"]))
                slots.setdefault(key, set()).add(root(name))
for (b, t), roots in slots.items():
    if len(roots) > 1:
        errors.append(f"{b}: {t.isoformat()} used by unrelated conversations {sorted(roots)}")

# opening hours / holidays from the businesses' configuration (when it is available)
CONFIG = Path("/work/blind/conv_inputs/demo.yaml")
if CONFIG.exists():
    cfg = {b["slug"]: b["settings"] for b in yaml.safe_load(CONFIG.read_text())["businesses"]}
    DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    def is_open(biz, t, minutes=0):
        st = cfg[biz]
        if t.date() in set(st.get("holidays") or []): return False
        for span in (st.get("hours") or {}).get(DAYS[t.weekday()], []):
            lo, hi = span.split("-")
            a_ = t.replace(hour=int(lo[:2]), minute=int(lo[3:]), second=0)
            b_ = t.replace(hour=int(hi[:2]), minute=int(hi[3:]), second=0)
            if a_ <= t and t + dt.timedelta(minutes=minutes) <= b_: return True
        return False
    for name, (f, d) in docs.items():
        biz = d["business"]; st = cfg[biz]
        start = dt.datetime.fromisoformat(d["start"])
        if not is_open(biz, start): err(f, f"start {d['start']} outside opening hours")
        o = d.get("outcome") or {}
        for kind in ("appointments", "reservations", "viewings"):
            for r in o.get(kind) or []:
                if "starts_at" not in r: continue
                t = dt.datetime.fromisoformat(r["starts_at"])
                mins = {s_["id"]: s_["minutes"] for s_ in st.get("services", [])}.get(r.get("service"), 0)
                if kind == "reservations": mins = st.get("seating_minutes", 0)
                if not is_open(biz, t, mins): err(f, f"{kind} {r['starts_at']} (+{mins} min) outside hours")
                if kind == "viewings":
                    first = docs[root(name)][1]
                    if t - start < dt.timedelta(hours=24): err(f, f"viewing {r['starts_at']} < 24 h ahead")
                if t <= start and r.get("status") == "booked": err(f, f"{kind} {r['starts_at']} in the past")
        for kind in ("reservations",):
            for r in o.get(kind) or []:
                if r.get("party_size", 0) > st.get("max_party", 99): err(f, "party above max_party")

by_biz = {}
for name, (f, d) in docs.items():
    by_biz.setdefault(d["business"], []).append(d)
for b in sorted(BUSINESSES):
    convs = by_biz.get(b, [])
    langs = {"es": 0, "en": 0}
    for d in convs:
        ls = [t.get("expect", {}).get("language") for t in d["turns"] if t.get("expect", {}).get("language")]
        if ls: langs[ls[0]] += 1
    print(f"{b:14s} conversations={len(convs):2d} turns={sum(len(d['turns']) for d in convs):3d} "
          f"es={langs['es']} en={langs['en']} follows={sum(1 for d in convs if d.get('follows'))}")
print(f"total files={len(files)}")
if errors:
    print("\n".join(errors)); sys.exit(1)
print("OK")
