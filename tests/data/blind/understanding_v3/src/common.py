"""Helpers that turn compact hand-written entries into records.
Relative dates in entries are resolved against each record's `now` (written by hand, resolved here
only to avoid arithmetic slips; every resolution rule is the one in UNDERSTANDING_LABELS.md)."""
import datetime as dt
from zoneinfo import ZoneInfo

CTX = {
    "A": ("2026-03-11T10:00", "Europe/Madrid", "ES"),       # Wed
    "B": ("2026-11-27T20:00", "Europe/Madrid", "ES"),       # Fri evening
    "C": ("2026-12-18T09:30", "Europe/Madrid", "ES"),       # Fri
    "N": ("2026-10-06T09:15", "America/New_York", "US"),    # Tue
    "L": ("2026-07-15T14:00", "Europe/London", "GB"),       # Wed
    "X": ("2026-05-20T18:30", "America/Mexico_City", "MX"), # Wed evening
    "G": ("2026-06-09T11:00", "America/Bogota", "CO"),      # Tue
}
WD = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
KINDS = {"party": "party_size", "bed": "bedrooms", "pa": "practice_area", "pt": "property_type",
         "ins": "insurance", "diet": "dietary", "dt": "datetime"}


def now_of(c):
    s, tz, country = CTX[c]
    return dt.datetime.fromisoformat(s).replace(tzinfo=ZoneInfo(tz)), tz, country


def day(spec, now):
    d = now.date()
    if spec == "today":
        return d
    if spec.lstrip("+-").isdigit() and len(spec) < 4:
        return d + dt.timedelta(days=int(spec))
    if spec.lstrip("-") in WD:
        w = WD.index(spec.lstrip("-"))
        if spec.startswith("-"):
            k = (d.weekday() - w) % 7 or 7
            return d - dt.timedelta(days=k)
        k = (w - d.weekday()) % 7 or 7
        return d + dt.timedelta(days=k)
    return dt.date.fromisoformat(spec)


def ent(e, now):
    k, v = e.split(":", 1)
    k = KINDS.get(k, k)
    if k == "date":
        return {"kind": k, "value": day(v, now).isoformat()}
    if k == "datetime":
        ds, tm = v.split("@")
        hh, mm = map(int, tm.split(":"))
        if ds == "":
            t = now.replace(hour=hh, minute=mm, second=0, microsecond=0)
            if t <= now:
                t = t + dt.timedelta(days=1)
            d = t.date()
        else:
            d = day(ds, now)
        t = dt.datetime(d.year, d.month, d.day, hh, mm, tzinfo=now.tzinfo)
        return {"kind": k, "value": t.isoformat()}
    if k in ("party_size", "bedrooms"):
        return {"kind": k, "value": int(v)}
    if k == "money":
        f = float(v)
        return {"kind": k, "value": int(f) if f == int(f) else f}
    return {"kind": k, "value": v}


def build(prefix, lang, rows):
    out = []
    tmpl = None
    for r in rows:
        if isinstance(r, str):
            tmpl = r
            continue
        c, intent, text, *ents = r
        now, tz, country = now_of(c)
        out.append({"id": f"{prefix}-{len(out)+1:03d}", "lang": lang, "template": tmpl, "text": text,
                    "intent": intent, "entities": [ent(e, now) for e in ents],
                    "now": now.isoformat(), "timezone": tz, "country": country})
    return out
