"""Console sessions: who is signed in, CSRF tokens, session expiry and sign-in rate limits."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass

import redis
from flask import abort, request, session

log = logging.getLogger(__name__)

SESSION_SECONDS = 12 * 60 * 60
LOGIN_LIMIT = 5
LOGIN_WINDOW = 15 * 60
_KEYS = ("staff_id", "staff_business", "staff_expires")


@dataclass(frozen=True)
class SignedIn:
    """The staff member of this request, as the session says."""

    staff_id: int
    business_id: int


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


def sign_in(staff_id: int, business_id: int) -> None:
    """Remember the staff member in the session, with a fresh CSRF token and an expiry."""
    sign_out()
    session["staff_id"] = staff_id
    session["staff_business"] = business_id
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
    return SignedIn(staff_id=staff_id, business_id=business_id)


def _login_key(email: str) -> str:
    digest = hashlib.sha256(f"{email.strip().lower()}|{request.remote_addr}".encode()).hexdigest()
    return f"sb:login:{digest[:32]}"


def login_blocked(conn: redis.Redis, email: str) -> bool:
    """Whether this e-mail from this address failed too often recently."""
    try:
        count = conn.get(_login_key(email))
    except redis.RedisError as exc:
        log.warning("sign-in counter unavailable", extra={"error": str(exc)})
        return False
    return count is not None and int(count) >= LOGIN_LIMIT  # type: ignore[arg-type]


def login_failed(conn: redis.Redis, email: str) -> None:
    """Count a failed sign-in for this e-mail and address (the window starts at the first)."""
    key = _login_key(email)
    try:
        if conn.incr(key) == 1:
            conn.expire(key, LOGIN_WINDOW)
    except redis.RedisError as exc:
        log.warning("sign-in counter unavailable", extra={"error": str(exc)})


def login_succeeded(conn: redis.Redis, email: str) -> None:
    """A good sign-in clears the counter."""
    with contextlib.suppress(redis.RedisError):
        conn.delete(_login_key(email))
