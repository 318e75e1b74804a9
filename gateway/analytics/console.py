"""The console's analytics pages: the dashboard, its CSV files, the unanswered questions.

Open to every staff member (owner or agent) of the signed-in business, and only over that
business's rows: the business id comes from the session, never from the request.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlmodel import Session, select

from gateway.analytics import abtest, charts, csat, questions, report
from gateway.analytics.daily import local_day
from gateway.console import security
from gateway.core.db import session_scope
from gateway.kb.jobs import enqueue_ingest
from gateway.store.models import (
    AbTest,
    Business,
    Channel,
    KnowledgeSource,
    RollupMark,
    utcnow,
)

bp = Blueprint("analytics", __name__, url_prefix="/console/analytics", template_folder="templates")
DEFAULT_DAYS = 30
MAX_DAYS = 366
TESTABLE = {csat.ASK_KEY: csat.GOAL}
"""The texts an A/B test can vary, with the goal each is measured by."""


@bp.before_request
def _guard() -> Any:
    """A current staff session of an existing business, else the sign-in page."""
    return security.require_staff()


def _date(name: str, default: date) -> date:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400, f"{name} must be a date like 2026-03-31")


def _filters(db: Session) -> tuple[date, date, str | None, list[str]]:
    business: Business = g.business
    today = local_day(utcnow(), business.timezone)
    end = _date("to", today)
    start = _date("from", end - timedelta(days=DEFAULT_DAYS - 1))
    if start > end or (end - start).days >= MAX_DAYS:
        abort(400, f"the range must run forwards and cover at most {MAX_DAYS} days")
    channels = sorted(db.exec(select(Channel.id).where(Channel.business_id == business.id)))
    channel = (request.args.get("channel") or "").strip() or None
    if channel is not None and channel not in channels:
        abort(400, "no such channel")
    return start, end, channel, channels


def _report() -> tuple[report.Report, list[str], RollupMark | None]:
    with session_scope(g.rt.engine) as db:
        start, end, channel, channels = _filters(db)
        built = report.build(db, g.business.id, start, end, channel)
        return built, channels, db.get(RollupMark, g.business.id)


def _charts(rep: report.Report) -> dict[str, Any]:
    daily = rep.tables["daily"]
    days = [str(r[0]) for r in daily.rows]
    span = f"{rep.start.isoformat()} to {rep.end.isoformat()}"
    return {
        "messages": charts.column_chart(
            "chart-messages", "Messages by day", f"Messages in and out each day, {span}.",
            days, [float(r[3]) + float(r[4]) for r in daily.rows],
        ),
        "conversations": charts.column_chart(
            "chart-conversations", "Conversations by day", f"New conversations, {span}.",
            days, [float(r[1]) for r in daily.rows],
        ),
        "handoffs": charts.bar_list(
            "chart-handoffs", "Handoffs by reason", f"Handoffs to staff by reason, {span}.",
            [(str(r[0]), float(r[1])) for r in rep.tables["handoffs"].rows],
        ),
        "intents": charts.bar_list(
            "chart-intents", "Top intents", f"What customers asked for most, {span}.",
            [(str(r[0]), float(r[1])) for r in rep.tables["intents"].rows],
        ),
    }  # fmt: skip


@bp.get("/")
def dashboard() -> Any:
    """The dashboard for the chosen range and channel."""
    rep, channels, mark = _report()
    return render_template(
        "analytics/dashboard.html",
        business=g.business, staff=g.staff, rep=rep, channels=channels, charts=_charts(rep),
        updated=mark.updated_at if mark else None,
        query={"from": rep.start.isoformat(), "to": rep.end.isoformat(),
               "channel": rep.channel or ""},
    )  # fmt: skip


@bp.get("/<name>.csv")
def table_csv(name: str) -> Any:
    """One table of the dashboard as CSV, for the same range and channel."""
    rep, _, _ = _report()
    table = rep.tables.get(name)
    if table is None:
        abort(404)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    filename = f"{g.business.slug}-{name}-{rep.start}-{rep.end}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/questions")
def unanswered() -> Any:
    """What the knowledge base could not answer, grouped by meaning, largest groups first."""
    with session_scope(g.rt.engine) as db:
        found = questions.groups(db, g.business.id)
    return render_template(
        "analytics/questions.html", business=g.business, staff=g.staff, groups=found
    )


@bp.post("/questions/<int:group_id>/answer")
def write_answer(group_id: int) -> Any:
    """Add the answer to the business's FAQ and re-ingest it (owners only)."""
    if g.staff.role != "owner":
        abort(403, "only an owner can change the knowledge base")
    question = (request.form.get("question") or "").strip()[:500]
    answer = (request.form.get("answer") or "").strip()[:4000]
    if not question or not answer:
        abort(400, "write both the question and its answer")
    with session_scope(g.rt.engine) as db:
        if not any(gr.group_id == group_id for gr in questions.groups(db, g.business.id, 10_000)):
            abort(404)
        source_id = questions.write_answer(
            db, g.rt.settings.var_dir, g.business, group_id, question, answer
        )
        source = db.get(KnowledgeSource, source_id)
    assert source is not None
    enqueue_ingest(g.rt, source)  # after the commit, so the worker finds the row
    return redirect(url_for("analytics.unanswered"))


def _owner() -> None:
    if g.staff.role != "owner":
        abort(403, "only an owner can change A/B tests")


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        abort(400, f"{name} must be a whole number from {low} to {high}")
    return int(raw)


@bp.get("/abtests")
def ab_tests() -> Any:
    """The business's A/B tests with their numbers, and the form to start one."""
    with session_scope(g.rt.engine) as db:
        table = report.ab_table(db, g.business.id)
        tests = list(db.exec(select(AbTest).where(AbTest.business_id == g.business.id)).all())
    return render_template(
        "analytics/abtests.html", business=g.business, staff=g.staff, table=table, tests=tests,
        keys=TESTABLE,
    )  # fmt: skip


@bp.post("/abtests")
def start_ab_test() -> Any:
    """Start a test of a text's wording (owners only; one running test per text)."""
    _owner()
    name = (request.form.get("name") or "").strip()[:64]
    key = request.form.get("text_key") or ""
    variants = [v.strip() for v in (request.form.get("variants") or "").splitlines() if v.strip()]
    if not name or key not in TESTABLE or not 2 <= len(variants) <= 5:
        abort(400, "give a name, a text to test and 2 to 5 variants, one per line")
    with session_scope(g.rt.engine) as db:
        if abtest.running_test(db, g.business.id, key) is not None:
            abort(409, "that text already has a running test")
        taken = db.exec(
            select(AbTest.id).where(AbTest.business_id == g.business.id, AbTest.name == name)
        ).first()
        if taken is not None:
            abort(409, "a test of that name exists")
        db.add(
            AbTest(
                business_id=g.business.id, name=name, text_key=key,
                variants=[v[:1000] for v in variants], goal=TESTABLE[key],
                min_sample=_int("min_sample", 100, 10, 1_000_000),
                horizon_days=_int("horizon_days", 14, 1, 365),
                settings={"auto_promote": request.form.get("auto_promote") == "on"},
            )
        )  # fmt: skip
    return redirect(url_for("analytics.ab_tests"))


@bp.post("/abtests/<int:test_id>/promote")
def promote(test_id: int) -> Any:
    """End a test with the chosen variant for everyone (owners only)."""
    _owner()
    with session_scope(g.rt.engine) as db:
        test = db.get(AbTest, test_id)
        if test is None or test.business_id != g.business.id:
            abort(404)
        variant = _int("variant", -1, 0, len(test.variants) - 1)
        if variant < 0:
            abort(400, "choose the variant to promote")
        abtest.promote(db, test, variant)
    return redirect(url_for("analytics.ab_tests"))
