"""Shared helpers: reference contexts and the resolver for hand-written relative days.

Entity mini-language (one string per record, items separated by " | "):
  date:<d>            d = +N / -N (days from today), 0 (today), mon..sun (next occurrence, never today),
                      -mon..-sun (most recent one before today), MM-DD (next occurrence of that day,
                      today excluded), -MM-DD (most recent one before today), YYYY-MM-DD (absolute)
  datetime:<d>@HH:MM  same day forms; "@HH:MM" alone = today if still ahead, else tomorrow
  name:Text, email:x, phone:+E164, party_size:N, money:N, bedrooms:N, service:x, practice_area:x,
  property_type:x, allergen:x, dietary:x, insurance:x
"""
import datetime as dt
from zoneinfo import ZoneInfo

CTX = {
    # key: (local reference time, timezone, country)
    "MAD": ("2026-04-14 11:20", "Europe/Madrid", "ES"),        # Tuesday
    "MAD2": ("2026-12-21 10:00", "Europe/Madrid", "ES"),       # Monday
    "NY": ("2026-11-19 16:45", "America/New_York", "US"),      # Thursday
    "LA": ("2026-10-06 08:50", "America/Los_Angeles", "US"),   # Tuesday
    "LDN": ("2026-12-10 09:05", "Europe/London", "GB"),        # Thursday
    "LDN2": ("2026-09-25 20:40", "Europe/London", "GB"),       # Friday evening
    "MX": ("2026-07-02 13:30", "America/Mexico_City", "MX"),   # Thursday
    "BOG": ("2027-01-04 18:10", "America/Bogota", "CO"),       # Monday
}
WD = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def now_of(ctx):
    s, tz, _ = CTX[ctx]
    return dt.datetime.fromisoformat(s).replace(tzinfo=ZoneInfo(tz))


def resolve_day(ctx, d):
    today = now_of(ctx).date()
    if d == "0":
        return today
    if d[0] in "+-" and d[1:].isdigit():
        return today + dt.timedelta(days=int(d))
    past = d.startswith("-")
    core = d[1:] if past else d
    if core in WD:
        w = WD.index(core)
        if past:
            delta = (today.weekday() - w) % 7 or 7
            return today - dt.timedelta(days=delta)
        delta = (w - today.weekday()) % 7 or 7
        return today + dt.timedelta(days=delta)
    if len(core) == 5 and core[2] == "-":
        m, day = int(core[:2]), int(core[3:])
        for y in (today.year - 1, today.year, today.year + 1):
            pass
        if past:
            c = dt.date(today.year, m, day)
            if c >= today:
                c = dt.date(today.year - 1, m, day)
            return c
        c = dt.date(today.year, m, day)
        if c <= today:
            c = dt.date(today.year + 1, m, day)
        return c
    return dt.date.fromisoformat(core)


def resolve(ctx, kind, v):
    tz = ZoneInfo(CTX[ctx][1])
    if kind == "date":
        return resolve_day(ctx, v).isoformat()
    if kind == "datetime":
        day, hm = v.split("@")
        h, m = map(int, hm.split(":"))
        now = now_of(ctx)
        if day == "":
            cand = now.replace(hour=h, minute=m, second=0, microsecond=0)
            if cand <= now:
                d2 = now.date() + dt.timedelta(days=1)
                cand = dt.datetime(d2.year, d2.month, d2.day, h, m, tzinfo=tz)
            return cand.isoformat()
        d = resolve_day(ctx, day)
        return dt.datetime(d.year, d.month, d.day, h, m, tzinfo=tz).isoformat()
    if kind in ("party_size", "bedrooms"):
        return int(v)
    if kind == "money":
        f = float(v)
        return int(f) if f.is_integer() else f
    if kind == "email":
        return v.lower()
    return v


def parse_ents(ctx, spec):
    out = []
    if not spec:
        return out
    for item in spec.split(" | "):
        kind, _, v = item.partition(":")
        out.append({"kind": kind.strip(), "value": resolve(ctx, kind.strip(), v.strip())})
    return out


def make_intents(prefix, lang, template, rows):
    recs = []
    for i, row in enumerate(rows, 1):
        ctx, intent, text, spec = row
        now = now_of(ctx)
        recs.append({
            "id": f"{prefix}-{i:03d}", "lang": lang, "template": template, "text": text,
            "intent": intent, "entities": parse_ents(ctx, spec),
            "now": now.isoformat(), "timezone": CTX[ctx][1], "country": CTX[ctx][2],
        })
    return recs
