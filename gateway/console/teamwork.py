"""Working together on a conversation: private notes, assigning it to a colleague, and a
business's saved (canned) replies that fill the reply box. Any signed-in staff member may use
them; every row is the business's own."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from sqlmodel import Session, col, select

from gateway.console import security
from gateway.console.views import business_conversation, wake
from gateway.core.db import session_scope
from gateway.handoff import lifecycle as handoffs
from gateway.store.models import CannedReply, StaffNote, StaffUser

bp = Blueprint("teamwork", __name__, url_prefix="/console")

MAX_NOTE = 2000
MAX_TITLE = 80


@bp.before_request
def _staff_only() -> Any:
    """CSRF on every POST; a current staff session on every page."""
    return security.require_staff()


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    return {"teamwork": teamwork}


def teamwork(business_id: int, conv_id: int) -> dict[str, Any]:
    """What the conversation page shows: its notes, colleagues to assign to, saved replies."""
    with session_scope(g.rt.engine) as db:
        notes = db.exec(
            select(StaffNote)
            .where(StaffNote.business_id == business_id, StaffNote.conversation_id == conv_id)
            .order_by(col(StaffNote.id))
        ).all()
        members = db.exec(
            select(StaffUser)
            .where(StaffUser.business_id == business_id)
            .order_by(col(StaffUser.email))
        ).all()
        return {
            "notes": [(n.author, n.created_at, n.text) for n in notes],
            "members": [(m.id, m.email) for m in members],
            "canned": _canned(db, business_id),
        }


def _canned(db: Session, business_id: int) -> list[tuple[int, str, str]]:
    rows = db.exec(
        select(CannedReply)
        .where(CannedReply.business_id == business_id)
        .order_by(col(CannedReply.title))
    ).all()
    return [(r.id or 0, r.title, r.text) for r in rows]


def _text(name: str, limit: int) -> str:
    text = (request.form.get(name) or "").strip()
    if not text:
        abort(400, f"{name}: write something")
    if len(text) > limit:
        abort(400, f"{name}: at most {limit} characters")
    return text


@bp.post("/c/<int:conv_id>/notes")
def add_note(conv_id: int) -> Any:
    """A private note on the conversation (colleagues see it; the customer never does)."""
    text = _text("note", MAX_NOTE)
    with session_scope(g.rt.engine) as db:
        conv = business_conversation(db, conv_id)
        db.add(StaffNote(business_id=g.business.id, conversation_id=conv.id or 0,
                         author=g.staff.email, text=text))  # fmt: skip
    return redirect(url_for("console.conversation", conv_id=conv_id) + "#notes")


@bp.post("/c/<int:conv_id>/assign")
def assign(conv_id: int) -> Any:
    """Give the conversation to a colleague of the same business (it leaves the bot)."""
    with session_scope(g.rt.engine) as db:
        conv = business_conversation(db, conv_id)
        member = db.get(StaffUser, request.form.get("staff_id", type=int) or 0)
        if member is None or member.business_id != g.business.id:
            abort(400, "staff_id: not a colleague in this business")
        handoffs.take(db, conv, member)
    wake(g.rt, conv_id)  # the inbox shows who has it now, the page its new state
    return redirect(url_for("console.conversation", conv_id=conv_id))


@bp.route("/replies", methods=["GET", "POST"])
def replies() -> Any:
    """The business's saved replies: list them, and save a new one by its title."""
    error = None
    if request.method == "POST":
        title, text = _text("title", MAX_TITLE), _text("text", 4096)
        with session_scope(g.rt.engine) as db:
            taken = db.exec(
                select(CannedReply.id).where(
                    CannedReply.business_id == g.business.id, CannedReply.title == title
                )
            ).first()
            if taken is None:
                db.add(CannedReply(business_id=g.business.id, title=title, text=text))
        if taken is None:
            return redirect(url_for("teamwork.replies"))
        error = f"title: {title!r} is taken"
    with session_scope(g.rt.engine) as db:
        canned = _canned(db, g.business.id)
    page = render_template(
        "console/replies.html", canned=canned, error=error, business=g.business, staff=g.staff
    )
    return page, 409 if error else 200


@bp.post("/replies/<int:reply_id>/delete")
def delete_reply(reply_id: int) -> Any:
    """Forget a saved reply of this business."""
    with session_scope(g.rt.engine) as db:
        row = db.get(CannedReply, reply_id)
        if row is None or row.business_id != g.business.id:
            abort(404)
        db.delete(row)
    return redirect(url_for("teamwork.replies"))
