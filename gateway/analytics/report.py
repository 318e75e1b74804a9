"""The dashboard's numbers for one business, a date range and an optional channel.

Read from the daily roll-ups only (`DailyStat`), so a year of a busy business is a few
thousand small rows. Every table here is also a CSV download.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from gateway.analytics.abtest import DONE, verdict
from gateway.analytics.daily import RECORDS
from gateway.store.models import AbTest, DailyStat

Cell = str | int | float


@dataclass(frozen=True)
class Table:
    """One table of the dashboard (and one CSV file)."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Report:
    """Headline numbers and the tables of one range."""

    start: date
    end: date
    channel: str | None
    headline: dict[str, str]
    tables: dict[str, Table]


def stats(
    session: Session, business_id: int, start: date, end: date, channel: str | None
) -> list[DailyStat]:
    """The business's roll-up rows in the range; a channel keeps its rows and the per-network
    ones (opt-outs), which belong to no channel."""
    query = select(DailyStat).where(
        DailyStat.business_id == business_id,
        col(DailyStat.day) >= start.isoformat(),
        col(DailyStat.day) <= end.isoformat(),
    )
    if channel:
        query = query.where(col(DailyStat.channel_id).in_([channel, ""]))
    return list(session.exec(query).all())


def _sum(rows: list[DailyStat], metric: str) -> float:
    return sum(r.value for r in rows if r.metric == metric)


def _by(rows: list[DailyStat], metric: str, attr: str) -> dict[str, float]:
    out: defaultdict[str, float] = defaultdict(float)
    for r in rows:
        if r.metric == metric:
            out[getattr(r, attr)] += r.value
    return dict(out)


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def daily_table(rows: list[DailyStat], start: date, end: date) -> Table:
    """Conversations, customers and messages on each day of the range (zeros included)."""
    per: defaultdict[tuple[str, str], float] = defaultdict(float)
    for r in rows:
        per[(r.day, r.metric)] += r.value
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    metrics = ("conversations", "customers", "messages_in", "messages_out")
    body: tuple[tuple[Cell, ...], ...] = tuple(
        (d.isoformat(), *(int(per[(d.isoformat(), m)]) for m in metrics)) for d in days
    )
    return Table("daily", "By day", ("day", *metrics), body)


def channel_table(rows: list[DailyStat]) -> Table:
    """Per channel: conversations, customers, messages and containment."""
    chans = sorted({r.channel_id for r in rows if r.channel_id})
    body = []
    for ch in chans:
        mine = [r for r in rows if r.channel_id == ch]
        convs, contained = _sum(mine, "conversations"), _sum(mine, "contained")
        body.append(
            (ch, int(convs), int(_sum(mine, "customers")), int(_sum(mine, "messages_in")),
             int(_sum(mine, "messages_out")), int(contained), _pct(contained, convs))
        )  # fmt: skip
    columns = ("channel", "conversations", "customers", "messages_in", "messages_out",
               "contained", "containment")  # fmt: skip
    return Table("channels", "By channel", columns, tuple(body))


def _ranked(name: str, title: str, column: str, counts: dict[str, float], top: int) -> Table:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return Table(name, title, (column, "count"), tuple((k, int(v)) for k, v in ranked))


def records_table(rows: list[DailyStat]) -> Table:
    """Bookings, reservations, viewings, leads and intake cases: by bot, by staff, cancelled."""
    body = tuple(
        (kind, int(_by(rows, kind, "key").get("bot", 0)),
         int(_by(rows, kind, "key").get("staff", 0)), int(_sum(rows, f"{kind}_cancelled")))
        for kind in RECORDS
    )  # fmt: skip
    return Table("records", "Created", ("record", "by_bot", "by_staff", "cancelled"), body)


def csat_table(rows: list[DailyStat]) -> Table:
    """How many answers of each score."""
    scores = _by(rows, "csat_score", "key")
    return Table("csat", "CSAT answers", ("score", "answers"),
                 tuple((s, int(scores.get(str(s), 0))) for s in range(1, 6)))  # fmt: skip


def ab_table(session: Session, business_id: int) -> Table:
    """Every A/B test of the business: each variant's numbers against the control, the state."""
    tests = session.exec(
        select(AbTest).where(AbTest.business_id == business_id).order_by(col(AbTest.id).desc())
    ).all()
    body: list[tuple[Cell, ...]] = []
    for test in tests:
        found = verdict(session, test)
        state = f"promoted {test.winner}" if test.status == DONE else found.state
        for arm in found.arms:
            cmp = arm.vs_first
            rate = _pct(arm.converted, arm.exposed)
            lift = f"{100 * cmp.lift:+.0f}%" if cmp and cmp.lift is not None else "–"
            interval = f"{100 * cmp.low:+.1f} to {100 * cmp.high:+.1f} pts" if cmp else "control"
            body.append(
                (test.name, arm.variant, arm.text, arm.exposed, arm.converted, rate, lift,
                 interval, state)
            )  # fmt: skip
    columns = ("test", "variant", "text", "shown", "converted", "rate", "lift",
               "difference_95", "state")  # fmt: skip
    return Table("abtests", "A/B tests", columns, tuple(body))


def _seconds(rows: list[DailyStat]) -> str:
    handled = _sum(rows, "bot_replies")
    return f"{_sum(rows, 'bot_reply_seconds') / handled:.1f} s" if handled else "–"


def headline(rows: list[DailyStat]) -> dict[str, str]:
    """The numbers at the top of the page."""
    convs, contained = _sum(rows, "conversations"), _sum(rows, "contained")
    replies, seconds = _sum(rows, "staff_replies"), _sum(rows, "staff_reply_seconds")
    asked, answered = _sum(rows, "csat_asked"), _sum(rows, "csat_answered")
    score = _sum(rows, "csat_score_sum")
    return {
        "Conversations": f"{convs:.0f}",
        "Containment": _pct(contained, convs),
        "Handoffs": f"{_sum(rows, 'handoffs'):.0f}",
        "First staff reply": f"{seconds / replies / 60:.0f} min" if replies else "–",
        "Bot reply time": _seconds(rows),
        "CSAT": f"{score / answered:.2f} / 5" if answered else "–",
        "CSAT response rate": _pct(answered, asked),
        "Unanswered questions": f"{_sum(rows, 'unanswered'):.0f}",
        "Opt-outs": f"{_sum(rows, 'opt_outs'):.0f}",
    }


def build(
    session: Session, business_id: int, start: date, end: date, channel: str | None
) -> Report:
    """The whole report of one business."""
    rows = stats(session, business_id, start, end, channel)
    tables = [
        daily_table(rows, start, end),
        channel_table(rows),
        _ranked("handoffs", "Handoffs by reason", "reason", _by(rows, "handoffs", "key"), 50),
        records_table(rows),
        _ranked("opt_outs", "Opt-outs by network", "network", _by(rows, "opt_outs", "key"), 50),
        _ranked("intents", "Top intents", "intent", _by(rows, "intent", "key"), 10),
        csat_table(rows),
        ab_table(session, business_id),
    ]
    return Report(start, end, channel, headline(rows), {t.name: t for t in tables})
