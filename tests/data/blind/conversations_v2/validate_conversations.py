#!/usr/bin/env python3
"""Validate the blind conversation suite v2 (this folder: <slug>/NN-name.yaml).

Adapted from tests/data/blind/conversations/validate_conversations.py: the conversations are
this script's own folder, the businesses come from the repository's config/demo.yaml and the
listings from demo/listings/sol-homes.csv (or from --config / --listings); extra kind tags
smalltalk, complaint and closed-hours; a conversation tagged closed-hours may start while the
business is closed (the scenario is about closed hours).


Checks every file parses as YAML and follows CONVERSATION_FORMAT.md: required keys, known
keys only, business slug and channel exist in conv_inputs/demo.yaml, unique names, `follows`
targets in the same business (earlier start, same customer profile_name and channel), ISO
times with the Madrid offset valid on that date, the start inside opening hours and not on a
holiday, booked times inside opening hours (service / seating length included), listings that
exist, 3-10 turns, and at least MIN_PER_BUSINESS conversations per business.

Usage: python3 validate_conversations.py [--config FILE] [--listings CSV]   (exit status 1 on any error)
"""
import csv
import datetime as dt
import pathlib
import re
import sys
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import yaml

ROOT = pathlib.Path(__file__).resolve().parent
CONV = ROOT
REPO = ROOT.parents[3]
CONFIG = REPO / "config" / "demo.yaml"
LISTINGS = REPO / "demo" / "listings" / "sol-homes.csv"
MIN_PER_BUSINESS = 15
TZ = ZoneInfo("Europe/Madrid")

TOP_KEYS = {"name", "business", "channel", "start", "customer", "follows", "required", "turns", "outcome"}
REQUIRED = {"name", "business", "start", "turns"}
TURN_KEYS = {"say", "press", "at", "expect"}
EXPECT_KEYS = {"contains", "contains_any", "not_contains", "language", "register", "handoff", "no_reply"}
OUTCOME_KEYS = {"appointments", "reservations", "viewings", "leads", "intake_cases", "count",
                "handoff", "facts", "no_facts", "consent", "scheduled"}
RECORD_KINDS = {"appointments", "reservations", "viewings", "leads", "intake_cases"}
CHANNELS = {"telegram", "webchat", "sms", "whatsapp"}
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})$")
KIND_TAGS = {"booking", "upfront", "correction", "digression", "human", "human-mid-form", "emergency",
             "frustrated", "returning", "returning-reschedule", "returning-cancel", "returning-recognised",
             "opt-out", "erasure", "unanswerable", "smalltalk", "complaint", "closed-hours"}
# every business must cover all of these (a tag counts for its stem: human-mid-form -> human)
KINDS_PER_BUSINESS = {"booking", "upfront", "correction", "digression", "human", "emergency", "frustrated",
                      "returning", "opt-out", "erasure", "unanswerable"}
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

errors, warnings = [], []


def err(f, msg):
    errors.append(f"{f}: {msg}")


def warn(f, msg):
    warnings.append(f"{f}: {msg}")


def parse_time(f, where, value):
    """An ISO 8601 string with an explicit offset that is Madrid's offset on that date."""
    if not isinstance(value, str) or not ISO_RE.match(value):
        err(f, f"{where}: not ISO 8601 with an offset: {value!r}")
        return None
    t = dt.datetime.fromisoformat(value)
    local = t.astimezone(TZ)
    if local.utcoffset() != t.utcoffset():
        err(f, f"{where}: offset {value[-6:]} is not Madrid's on that date "
               f"(expected {local.isoformat()[-6:]})")
    return t


def spans(biz, local):
    """Opening spans (start, end) as local datetimes for that day, [] if closed."""
    s = biz["settings"]
    if local.date().isoformat() in {str(h) for h in s.get("holidays", [])}:
        return []
    out = []
    for span in s.get("hours", {}).get(DAYS[local.weekday()], []):
        a, b = span.split("-")
        mk = lambda hm: local.replace(hour=int(hm[:2]), minute=int(hm[3:]), second=0, microsecond=0)
        out.append((mk(a), mk(b)))
    return out


def open_at(biz, t, minutes=0):
    local = t.astimezone(TZ)
    end = local + dt.timedelta(minutes=minutes)
    return any(a <= local and end <= b for a, b in spans(biz, local))


def main():
    args = sys.argv[1:]
    config = pathlib.Path(args[args.index("--config") + 1]) if "--config" in args else CONFIG
    listings_csv = pathlib.Path(args[args.index("--listings") + 1]) if "--listings" in args else LISTINGS
    demo = yaml.safe_load(config.read_text())
    businesses = {b["slug"]: b for b in demo["businesses"]}
    listings = {r["ref"]: r for r in csv.DictReader(open(listings_csv, encoding="utf-8"))}

    docs, by_name, kinds_of = {}, {}, {}
    for f in sorted(CONV.glob("*/*.yaml")):
        rel = f.relative_to(CONV)
        try:
            d = yaml.safe_load(f.read_text())
        except yaml.YAMLError as e:
            err(rel, f"YAML error: {e}")
            continue
        if not isinstance(d, dict):
            err(rel, "top level is not a mapping")
            continue
        docs[rel] = d
        first = f.read_text().splitlines()[0] if f.read_text() else ""
        if not first.startswith("# kinds:"):
            err(rel, "first line must be '# kinds: ...'")
        else:
            tags = [k.strip() for k in first[len("# kinds:"):].split(",") if k.strip()]
            if not tags or set(tags) - KIND_TAGS:
                err(rel, f"unknown kind tags {sorted(set(tags) - KIND_TAGS)}")
            kinds_of[rel] = tags
        missing = REQUIRED - d.keys()
        if missing:
            err(rel, f"missing keys {sorted(missing)}")
        unknown = d.keys() - TOP_KEYS
        if unknown:
            err(rel, f"unknown keys {sorted(unknown)}")
        name = d.get("name")
        if name in by_name:
            err(rel, f"duplicate name {name!r} (also {by_name[name]})")
        by_name[name] = rel
        if not re.match(r"^\d{2}-[a-z0-9-]+\.yaml$", f.name):
            err(rel, "file name is not NN-short-name.yaml")

    per_business = Counter()
    bookings = defaultdict(list)
    for rel, d in docs.items():
        slug = d.get("business")
        biz = businesses.get(slug)
        if biz is None:
            err(rel, f"unknown business {slug!r}")
            continue
        per_business[slug] += 1
        if rel.parts[0] != slug:
            err(rel, f"file is under {rel.parts[0]}/ but business is {slug}")
        channel = d.get("channel", "webchat")
        if channel not in CHANNELS:
            err(rel, f"unknown channel {channel!r}")
        elif channel not in {c["provider"] for c in biz.get("channels", [])}:
            err(rel, f"business {slug} has no {channel} channel")
        if "required" in d and not isinstance(d["required"], bool):
            err(rel, "required must be true/false")
        if "customer" in d and not isinstance(d["customer"], dict):
            err(rel, "customer must be a mapping")

        start = parse_time(rel, "start", d.get("start"))
        if start and not open_at(biz, start) and "closed-hours" not in kinds_of.get(rel, []):
            err(rel, f"start {d['start']} is outside {slug}'s opening hours or on a holiday")

        # turns
        turns = d.get("turns") or []
        if not isinstance(turns, list) or not (3 <= len(turns) <= 10):
            err(rel, f"needs 3-10 turns, has {len(turns) if isinstance(turns, list) else '?'}")
            turns = turns if isinstance(turns, list) else []
        clock = start
        is_es = "-es-" in rel.name
        for i, turn in enumerate(turns, 1):
            where = f"turn {i}"
            if not isinstance(turn, dict):
                err(rel, f"{where}: not a mapping")
                continue
            if turn.keys() - TURN_KEYS:
                err(rel, f"{where}: unknown keys {sorted(turn.keys() - TURN_KEYS)}")
            if ("say" in turn) == ("press" in turn):
                err(rel, f"{where}: needs exactly one of say / press")
            if "at" in turn:
                t = parse_time(rel, f"{where}.at", turn["at"])
                if t and clock and t <= clock:
                    err(rel, f"{where}: at goes back in time")
                clock = t or clock
            exp = turn.get("expect") or {}
            if not isinstance(exp, dict):
                err(rel, f"{where}: expect is not a mapping")
                continue
            if exp.keys() - EXPECT_KEYS:
                err(rel, f"{where}: unknown expect keys {sorted(exp.keys() - EXPECT_KEYS)}")
            for k in ("contains", "contains_any", "not_contains"):
                if k in exp and (not isinstance(exp[k], list) or not all(isinstance(x, str) and x for x in exp[k])):
                    err(rel, f"{where}: {k} must be a list of non-empty strings")
            if "language" in exp and exp["language"] not in ("en", "es"):
                err(rel, f"{where}: language must be en or es")
            if "language" in exp and exp["language"] != ("es" if is_es else "en"):
                err(rel, f"{where}: language {exp['language']} differs from the file's language")
            if "register" in exp:
                if exp["register"] not in ("formal", "informal"):
                    err(rel, f"{where}: register must be formal or informal")
                if not is_es:
                    err(rel, f"{where}: register is for Spanish only")
                want = "formal" if "-usted-" in rel.name else "informal" if "-tu-" in rel.name else None
                if want and exp["register"] != want:
                    err(rel, f"{where}: register {exp['register']} but the file is {want}")
            for k in ("handoff", "no_reply"):
                if k in exp and not isinstance(exp[k], bool):
                    err(rel, f"{where}: {k} must be true/false")
            # after a handoff only silence may be expected (README: the bot says nothing until staff return it)
            if exp.get("handoff") and i != len(turns) and any(
                    set(((t or {}).get("expect") or {})) - {"no_reply"} for t in turns[i:]):
                warn(rel, f"{where}: turns after a handoff carry expectations")

        # outcome
        out = d.get("outcome") or {}
        if not isinstance(out, dict):
            err(rel, "outcome is not a mapping")
            out = {}
        if out.keys() - OUTCOME_KEYS:
            err(rel, f"unknown outcome keys {sorted(out.keys() - OUTCOME_KEYS)}")
        tmpl = biz["template"]
        settings = biz["settings"]
        services = {s["id"]: s for s in settings.get("services", [])}
        for kind in RECORD_KINDS & out.keys():
            recs = out[kind]
            if not isinstance(recs, list) or not all(isinstance(r, dict) for r in recs):
                err(rel, f"outcome.{kind} must be a list of mappings")
                continue
            for j, r in enumerate(recs):
                where = f"outcome.{kind}[{j}]"
                t = parse_time(rel, f"{where}.starts_at", r["starts_at"]) if "starts_at" in r else None
                minutes = 0
                if kind == "appointments" and "service" in r:
                    if r["service"] not in services:
                        err(rel, f"{where}: unknown service {r['service']!r}")
                    else:
                        minutes = services[r["service"]]["minutes"]
                if kind == "reservations":
                    minutes = settings.get("seating_minutes", 0)
                    if r.get("party_size", 0) > settings.get("max_party", 99):
                        err(rel, f"{where}: party larger than max_party")
                if kind == "viewings" and "listing_ref" in r and r["listing_ref"] not in listings:
                    err(rel, f"{where}: unknown listing {r['listing_ref']!r}")
                if kind == "leads" and r.get("operation") not in (None, "buy", "rent", "sell"):
                    err(rel, f"{where}: unknown operation {r.get('operation')!r}")
                if "status" in r and r["status"] not in ("booked", "cancelled"):
                    warn(rel, f"{where}: unusual status {r['status']!r}")
                if t:
                    if start and t <= start:
                        err(rel, f"{where}: booking is not after the conversation start")
                    if not open_at(biz, t, minutes):
                        err(rel, f"{where}: {r['starts_at']} (+{minutes} min) outside opening hours or a holiday")
                    if kind == "viewings" and start and r.get("status") == "booked" \
                            and t - start < dt.timedelta(hours=24) and not d.get("follows"):
                        err(rel, f"{where}: viewings need 24 h notice")
                    bookings[(slug, kind, t)].append(rel)
        if "count" in out:
            if not isinstance(out["count"], dict) or out["count"].keys() - RECORD_KINDS:
                err(rel, "outcome.count keys must be record kinds")
            elif not all(isinstance(v, int) and v >= 0 for v in out["count"].values()):
                err(rel, "outcome.count values must be integers")
        if "handoff" in out and out["handoff"] is not False:
            h = out["handoff"]
            if not isinstance(h, dict) or h.keys() - {"reason_any", "open"}:
                err(rel, "outcome.handoff must be false or {reason_any, open}")
        if "no_facts" in out and not isinstance(out["no_facts"], list):
            err(rel, "outcome.no_facts must be a list")
        if "facts" in out and not isinstance(out["facts"], dict):
            err(rel, "outcome.facts must be a mapping")
        if "scheduled" in out and (not isinstance(out["scheduled"], dict)
                                   or out["scheduled"].keys() - {"pending", "kinds"}):
            err(rel, "outcome.scheduled must be {pending, kinds}")

    # follows
    for rel, d in docs.items():
        target = d.get("follows")
        if not target:
            continue
        trel = by_name.get(target)
        if trel is None:
            err(rel, f"follows unknown conversation {target!r}")
            continue
        t = docs[trel]
        if t.get("business") != d.get("business"):
            err(rel, f"follows {target} of another business")
        if t.get("channel", "webchat") != d.get("channel", "webchat"):
            err(rel, f"follows {target} on another channel")
        pn = lambda x: (x.get("customer") or {}).get("profile_name")
        if pn(t) != pn(d):
            err(rel, f"follows {target} but profile_name differs ({pn(t)!r} vs {pn(d)!r})")
        a, b = t.get("start"), d.get("start")
        if a and b and dt.datetime.fromisoformat(a) + dt.timedelta(minutes=len(t.get("turns") or [])) \
                >= dt.datetime.fromisoformat(b):
            err(rel, f"starts before {target} has ended")

    for (slug, kind, t), rels in bookings.items():
        if len(rels) > 1 and len({docs[r]["name"] for r in rels}) > 1:
            chain = {docs[r].get("follows") for r in rels} | {docs[r]["name"] for r in rels}
            if not any(docs[r].get("follows") in chain for r in rels):
                warn(rels[0], f"{kind} at {t.isoformat()} also used by {[str(r) for r in rels[1:]]}")

    for slug in businesses:
        if per_business[slug] < MIN_PER_BUSINESS:
            err(slug, f"only {per_business[slug]} conversations (need {MIN_PER_BUSINESS})")

    for slug in businesses:
        covered = {k.split("-")[0] if k.startswith(("human", "returning")) else k
                   for rel, tags in kinds_of.items() if rel.parts[0] == slug for k in tags}
        if KINDS_PER_BUSINESS - covered:
            err(slug, f"kinds not covered: {sorted(KINDS_PER_BUSINESS - covered)}")
        follows_needed = {rel for rel, tags in kinds_of.items() if rel.parts[0] == slug
                          and any(k.startswith("returning") for k in tags)}
        for rel in follows_needed:
            if not docs[rel].get("follows"):
                err(rel, "tagged returning but has no follows")

    langs = Counter((d["business"], "es" if "-es-" in rel.name else "en") for rel, d in docs.items())
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print(f"{len(docs)} conversations")
    for slug in businesses:
        print(f"  {slug}: {per_business[slug]} (en {langs[(slug, 'en')]}, es {langs[(slug, 'es')]})")
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
