"""Console sessions: who is signed in, CSRF tokens, session expiry and sign-in rate limits."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import logging
import secrets
import threading
import time
from dataclasses import dataclass

import redis
from flask import abort, current_app, g, redirect, request, session, url_for
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col
from werkzeug.wrappers import Response

from gateway.core.db import session_scope
from gateway.core.runtime import runtime_of
from gateway.store.models import Business, StaffUser

log = logging.getLogger(__name__)

SESSION_SECONDS = 12 * 60 * 60
LOGIN_LIMIT = 5
LOGIN_WINDOW = 15 * 60
_KEYS = ("staff_id", "staff_business", "staff_expires", "staff_epoch")


@dataclass(frozen=True)
class SignedIn:
    """The staff member of this request, as the session says."""

    staff_id: int
    business_id: int
    epoch: int = 0


def welcome_key(secret_key: str) -> str:
    """The key of the first-run page (`/console/welcome?key=`), printed by `switchboard run`:
    whoever runs the server may create a business and its owner without the command line."""
    digest = hmac.new(secret_key.encode(), b"switchboard:console-welcome", "sha256").digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def csrf_token() -> str:
    """This session's CSRF token (created on first use)."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf() -> None:
    """Abort with 400 unless the form (or X-CSRF-Token header) carries this session's token."""
    expected = session.get("csrf")
    given = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    if not isinstance(expected, str) or not hmac.compare_digest(expected, given):
        abort(400, "missing or wrong CSRF token; reload the page and try again")


def sign_in(staff_id: int, business_id: int, epoch: int = 0) -> None:
    """Remember the staff member in the session, with a fresh CSRF token and an expiry.

    `epoch` is the account's `session_epoch`: bumping it (sign-out, password reset) voids every
    session cookie issued before, even a copied one (`is_current`)."""
    sign_out()
    session["staff_id"] = staff_id
    session["staff_business"] = business_id
    session["staff_epoch"] = epoch
    session["staff_expires"] = int(time.time()) + SESSION_SECONDS
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = True


def sign_out() -> None:
    """Forget the staff member (the web chat visitor of the same browser stays)."""
    for key in _KEYS:
        session.pop(key, None)


def signed_in() -> SignedIn | None:
    """The signed-in staff member, or None when absent or expired."""
    staff_id, business_id = session.get("staff_id"), session.get("staff_business")
    expires = session.get("staff_expires")
    if not isinstance(staff_id, int) or not isinstance(business_id, int):
        return None
    if not isinstance(expires, int) or expires < time.time():
        sign_out()
        return None
    epoch = session.get("staff_epoch", 0)
    return SignedIn(staff_id, business_id, epoch if isinstance(epoch, int) else -1)


def is_current(who: SignedIn, staff: StaffUser | None) -> bool:
    """Whether the session belongs to this account and was not revoked since it was issued."""
    return (
        staff is not None
        and staff.id == who.staff_id
        and staff.business_id == who.business_id
        and staff.session_epoch == who.epoch
    )


def current_staff(engine: Engine, who: SignedIn) -> tuple[StaffUser, Business] | None:
    """The session's staff member and business, or None (and signed out) when either is gone
    or the session was revoked."""
    with session_scope(engine) as db:
        staff = db.get(StaffUser, who.staff_id)
        business = db.get(Business, who.business_id)
    if staff is None or business is None or not is_current(who, staff):
        sign_out()
        return None
    return staff, business


def revoke_sessions(engine: Engine, staff_id: int) -> None:
    """Void every session of a staff member, server-side (sign-out signs out everywhere)."""
    with session_scope(engine) as db:
        db.execute(
            update(StaffUser)
            .where(col(StaffUser.id) == staff_id)
            .values(session_epoch=StaffUser.session_epoch + 1)
        )


def safe_next(target: str | None) -> str | None:
    """A console path to go back to after sign-in, or None for anything else (another site,
    a scheme-relative URL, a backslash, control characters such as a newline)."""
    if not target or not target.startswith("/console/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    return target


def _login_key(email: str) -> str:
    digest = hashlib.sha256(f"{email.strip().lower()}|{request.remote_addr}".encode()).hexdigest()
    return f"sb:login:{digest[:32]}"


def login_blocked(conn: redis.Redis, email: str) -> bool:
    """Whether this e-mail from this address failed too often recently.

    While Redis is away the count is kept in this process instead (`_local`), so the limit
    still holds (per process) rather than silently switching off."""
    key = _login_key(email)
    try:
        count = conn.get(key)
    except redis.RedisError as exc:
        log.warning("sign-in counter unavailable; counting locally", extra={"error": str(exc)})
        return _local.count(key) >= LOGIN_LIMIT
    return _local.count(key) >= LOGIN_LIMIT or (
        count is not None and int(count) >= LOGIN_LIMIT  # type: ignore[arg-type]
    )


def login_failed(conn: redis.Redis, email: str) -> None:
    """Count a failed sign-in for this e-mail and address (the window starts at the first)."""
    key = _login_key(email)
    try:
        if conn.incr(key) == 1:
            conn.expire(key, LOGIN_WINDOW)
    except redis.RedisError as exc:
        log.warning("sign-in counter unavailable; counting locally", extra={"error": str(exc)})
        _local.add(key)


class _LocalCounter:
    """Failed sign-ins per key in this process, for when Redis cannot count them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, list[float]] = {}

    def add(self, key: str) -> None:
        with self._lock:
            self._prune()
            self._seen.setdefault(key, []).append(time.monotonic())

    def count(self, key: str) -> int:
        with self._lock:
            self._prune()
            return len(self._seen.get(key, ()))

    def clear(self, key: str) -> None:
        with self._lock:
            self._seen.pop(key, None)

    def _prune(self) -> None:
        cutoff = time.monotonic() - LOGIN_WINDOW
        for key in [k for k, v in self._seen.items() if not v or v[-1] < cutoff]:
            del self._seen[key]
        for times in self._seen.values():
            times[:] = [t for t in times if t >= cutoff]


_local = _LocalCounter()


def login_succeeded(conn: redis.Redis, email: str) -> None:
    """A good sign-in clears the counter."""
    _local.clear(_login_key(email))
    with contextlib.suppress(redis.RedisError):
        conn.delete(_login_key(email))


def require_staff() -> Response | None:
    """Every console page's guard: CSRF on a POST, then a current staff session.

    Puts the staff member, their business and the runtime on `g`; else redirects to sign in.
    """
    if request.method == "POST":
        check_csrf()
    who = signed_in()
    if who is None:
        return redirect(url_for("console.login", next=request.path))
    rt = runtime_of(current_app)
    found = current_staff(rt.engine, who)
    if found is None:
        return redirect(url_for("console.login"))
    g.staff, g.business = found
    g.rt = rt
    return None


def require_owner() -> Response | None:
    """The guard of the set-up pages: a signed-in owner (an agent gets 403)."""
    denied = require_staff()
    if denied is None and g.staff.role != "owner":
        abort(403, "only an owner can set up businesses")
    return denied
