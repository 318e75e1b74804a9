"""Who a web-chat visitor is: a signed token per business, or the hosted page's cookie.

The embedded widget runs on the business's own site, where the gateway's `SameSite=Lax` cookie
is never sent, so the gateway issues a signed visitor token instead; the widget keeps it in
its localStorage and sends it as the `X-Visitor-Token` header (or `?token=` for EventSource).
A forged or expired token is a 401, a token of another business a 403: never a 5xx.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import abort, request, session
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

TOKEN_HEADER = "X-Visitor-Token"
TOKEN_SECONDS = 60 * 60 * 24 * 30
MAX_TOKEN = 512
_SALT = "switchboard.chat.visitor"


@dataclass(frozen=True)
class VisitorToken:
    """What a valid token says: the business it was issued for and the visitor's id."""

    business_id: int
    visitor: str


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def new_visitor() -> str:
    """A fresh, unguessable visitor id."""
    return secrets.token_urlsafe(16)


def issue(secret_key: str, business_id: int, visitor: str) -> str:
    """A token naming this visitor of this business, valid for TOKEN_SECONDS."""
    return str(_serializer(secret_key).dumps({"b": business_id, "v": visitor}))


def decode(secret_key: str, token: str, max_age: int = TOKEN_SECONDS) -> VisitorToken | None:
    """The token's content, or None when it is forged, malformed or expired."""
    if not token or len(token) > MAX_TOKEN:
        return None
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age)
    except BadData:
        return None
    if not isinstance(data, dict):
        return None
    business_id, visitor = data.get("b"), data.get("v")
    if not isinstance(business_id, int) or not isinstance(visitor, str) or not visitor:
        return None
    if len(visitor) > 64:
        return None
    return VisitorToken(business_id, visitor)


def is_expired(secret_key: str, token: str) -> bool:
    """Whether the token is genuine but too old (to say so in the 401)."""
    try:
        _serializer(secret_key).loads(token, max_age=TOKEN_SECONDS)
    except SignatureExpired:
        return True
    except BadData:
        return False
    return False


def presented_token() -> str | None:
    """The token this request carries (header first, then the query string), if any."""
    return request.headers.get(TOKEN_HEADER) or request.args.get("token") or None


def cookie_visitor(create: bool = False) -> str | None:
    """The hosted page's visitor (its session cookie); made when `create`."""
    visitor = session.get("visitor")
    if not isinstance(visitor, str) and create:
        visitor = new_visitor()
        session["visitor"] = visitor
        session.permanent = True
    return visitor if isinstance(visitor, str) else None


def require_visitor(secret_key: str, business_id: int) -> str:
    """This request's visitor of `business_id`: 401 for a bad token, 403 for another business's
    token or no identity at all."""
    token = presented_token()
    if token is None:
        visitor = cookie_visitor()
        if visitor is None:
            abort(403, "open the chat page first")
        return visitor
    found = decode(secret_key, token)
    if found is None:
        expired = is_expired(secret_key, token)
        abort(401, "the visitor token has expired" if expired else "invalid visitor token")
    if found.business_id != business_id:
        abort(403, "this visitor token is for another business")
    return found.visitor


def renew(secret_key: str, business_id: int) -> str:
    """The visitor a session request continues (a valid token, else the cookie), or a new one."""
    token = presented_token()
    found = decode(secret_key, token) if token else None
    if found is not None and found.business_id == business_id:
        return found.visitor
    return cookie_visitor() or new_visitor()
