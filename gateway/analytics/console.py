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
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlmodel import Session, select

from gateway.analytics import charts, questions, report
from gateway.analytics.daily import local_day
from gateway.console import security
from gateway.core.db import session_scope
from gateway.core.runtime import runtime_of
from gateway.kb.jobs import enqueue_ingest
from gateway.store.models import Business, Channel, KnowledgeSource, RollupMark, utcnow

bp = Blueprint("analytics", __name__, url_prefix="/console/analytics", template_folder="templates")
DEFAULT_DAYS = 30
MAX_DAYS = 366


@bp.before_request
def _guard() -> Any:
    """A current staff session of an existing business, else the sign-in page."""
    if request.method == "POST":
        security.check_csrf()
    who = security.signed_in()
    if who is None:
        return redirect(url_for("console.login", next=request.path))
    rt = runtime_of(current_app)
    found = security.current_staff(rt.engine, who)
    if found is None:
        return redirect(url_for("console.login"))
    g.staff, g.business = found
    g.rt = rt
    return None


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
