"""Staff in the console: owners invite people (a link that lets them choose a password), give
a reset link, and remove accounts; agents cannot. Links are signed with the secret key and
expire; an invitation is void once the account exists, a reset once the password changed.

No e-mail is sent: the owner passes the link on however they talk to their staff.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import select

from gateway.console import security
from gateway.console.staff import MIN_PASSWORD, ROLES, add_staff, list_staff, normalize_email
from gateway.console.staff import remove_staff as remove_account
from gateway.core.db import session_scope
from gateway.core.errors import ConfigError, NotFound
from gateway.core.runtime import runtime_of
from gateway.store.models import Business, StaffUser

bp = Blueprint("team", __name__, url_prefix="/console/setup/team")
join_bp = Blueprint("join", __name__, url_prefix="/console/join")

LINK_SECONDS = 7 * 24 * 3600
_SALT = "switchboard:staff-link"


def _signer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


@bp.before_request
def _owner_only() -> Any:
    """CSRF on every POST; a signed-in owner on every page (an agent gets 403)."""
    return security.require_owner()


def _page(link: str | None = None, error: str | None = None, status: int = 200) -> Any:
    with session_scope(g.rt.engine) as db:
        business = db.get(Business, g.business.id)
        members = [user for _, user in list_staff(db, business)]
        for user in members:
            db.expunge(user)
    page = render_template(
        "console/setup_team.html", members=members, roles=ROLES, link=link, error=error,
        business=g.business, staff=g.staff,
    )  # fmt: skip
    return page, status


def _link(payload: dict[str, Any]) -> str:
    token = _signer(g.rt.settings.secret_key).dumps(payload)
    return f"{g.rt.settings.public_url.rstrip('/')}{url_for('join.form', token=token)}"


@bp.get("/")
def index() -> Any:
    """The business's staff, an invitation form, and reset/remove for each account."""
    return _page()


@bp.post("/invite")
def invite() -> Any:
    """A link for a new member of staff to choose a password; nothing is stored until then."""
    email = normalize_email(request.form.get("email") or "")
    role = request.form.get("role") or "agent"
    if "@" not in email or len(email) > 255 or role not in ROLES:
        return _page(error="email and role: an e-mail address, and owner or agent", status=400)
    with session_scope(g.rt.engine) as db:
        taken = db.exec(
            select(StaffUser.id).where(
                StaffUser.business_id == g.business.id, StaffUser.email == email
            )
        ).first()
    if taken is not None:
        return _page(error=f"{email} already has an account: give a reset link", status=409)
    return _page(link=_link({"kind": "invite", "b": g.business.id, "e": email, "r": role}))


@bp.post("/<int:staff_id>/reset")
def reset(staff_id: int) -> Any:
    """A link to choose a new password; every session of the account ends when it is used."""
    user = _member(staff_id)
    return _page(link=_link({"kind": "reset", "s": user.id, "p": user.session_epoch}))


@bp.post("/<int:staff_id>/remove")
def remove(staff_id: int) -> Any:
    """Delete an account (not your own); what it had taken goes back to the queue."""
    user = _member(staff_id)
    if user.id == g.staff.id:
        return _page(error="you cannot remove yourself", status=400)
    try:
        with session_scope(g.rt.engine) as db:
            business = db.get(Business, g.business.id)
            assert business is not None
            remove_account(db, business, user.email)
    except (ConfigError, NotFound) as exc:
        return _page(error=str(exc), status=400)
    return redirect(url_for("team.index"))


def _member(staff_id: int) -> StaffUser:
    """A staff account of the signed-in owner's business, or 404."""
    with session_scope(g.rt.engine) as db:
        user = db.get(StaffUser, staff_id)
        if user is None or user.business_id != g.business.id:
            abort(404)
        db.expunge(user)
    return user


def _claim(token: str) -> dict[str, Any]:
    """The link's payload while it is valid (signed, not expired, not used), else 404."""
    rt = runtime_of(current_app)
    try:
        data = _signer(rt.settings.secret_key).loads(token, max_age=LINK_SECONDS)
    except BadSignature:
        abort(404)
    with session_scope(rt.engine) as db:
        if data.get("kind") == "invite":
            exists = db.exec(
                select(StaffUser.id).where(
                    StaffUser.business_id == data["b"], StaffUser.email == data["e"]
                )
            ).first()
            if exists is not None or db.get(Business, data["b"]) is None:
                abort(404)
            return dict(data)
        user = db.get(StaffUser, data.get("s"))
        if data.get("kind") != "reset" or user is None or user.session_epoch != data.get("p"):
            abort(404)
        return {**data, "b": user.business_id, "e": user.email, "r": user.role}


@join_bp.get("/<token>")
def form(token: str) -> Any:
    """Choose a password for an invitation or a reset."""
    return _join_page(_claim(token)["e"], None)


def _join_page(email: str, error: str | None) -> str:
    return render_template("console/join.html", email=email, error=error, min=MIN_PASSWORD)


@join_bp.post("/<token>")
def join(token: str) -> Any:
    """Save the password (once: the link is void afterwards) and sign in."""
    security.check_csrf()
    data = _claim(token)
    password = request.form.get("password") or ""
    rt = runtime_of(current_app)
    try:
        with session_scope(rt.engine) as db:
            business = db.get(Business, data["b"])
            assert business is not None
            user = add_staff(db, business, data["e"], password, data["r"])
            who = (user.id or 0, user.business_id, user.session_epoch)
    except ConfigError as exc:
        page = render_template(
            "console/join.html", email=data["e"], error=str(exc), min=MIN_PASSWORD
        )
        return page, 400
    security.sign_in(*who)
    return redirect(url_for("console.inbox"))
