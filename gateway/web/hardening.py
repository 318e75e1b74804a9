"""Request hardening for every blueprint, installed once by the app factory.

- JSON bodies read with `request.get_json()` go through `channels.base.strict_json_loads`: a
  lone surrogate ("\\ud800") or nesting too deep to parse is a bad body (None with
  `silent=True`, else 400), never a 500 from the database or the parser.
- `<int:...>` in URLs is bounded to the id columns' range: a 30-digit id is a 404, not an
  integer overflow in the database driver.
- Console pages carry a Content-Security-Policy (scripts from us only, their one inline
  script by nonce, no framing) and every response `X-Content-Type-Options: nosniff`.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, abort, current_app, g, request
from flask.json.provider import DefaultJSONProvider
from flask.wrappers import Response
from werkzeug.exceptions import ClientDisconnected, NotFound
from werkzeug.routing import IntegerConverter

from channels.base import strict_json_loads
from gateway.core.runtime import runtime_of

MAX_ID = 2**31 - 1
"""The largest value of an integer id column (PostgreSQL `integer`)."""


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, with loads refusing what the store could not keep."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return strict_json_loads(s)


class BoundedInt(IntegerConverter):
    """`<int:...>` limited to 0..MAX_ID: a larger id is a 404 (no such row can exist)."""

    def to_python(self, value: str) -> Any:
        if len(value) > 10 or int(value) > MAX_ID:
            raise NotFound("no such id")
        return super().to_python(value)


def arg_id(raw: str | None) -> int | None:
    """An id from a query string or header: None when absent, 400 when not a number, 404 when
    outside the id columns' range (no such row can exist)."""
    if raw is None or raw == "":
        return None
    if not raw.isascii() or not raw.isdigit():
        abort(400, "an id must be a whole number")
    if len(raw) > 10 or int(raw) > MAX_ID:
        abort(404, "no such id")
    return int(raw)


def csp_nonce() -> str:
    """This response's nonce for an inline script of a console page."""
    nonce = g.get("csp_nonce")
    if not isinstance(nonce, str):
        nonce = g.csp_nonce = secrets.token_urlsafe(16)
    return nonce


def _headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.path.startswith("/console"):
        nonce = g.get("csp_nonce") or csp_nonce()
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' "
            "'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _read_body_in_time() -> None:
    """Read a request body before any view, failing with 408 once it stalls for
    `body_read_timeout` seconds: a client that announces a body and goes silent must not hold a
    request thread (gunicorn's threads read bodies themselves). The deadline is per read, so a
    slow but steady upload still arrives; a buffering proxy in front remains the first defence."""
    sock = request.environ.get("gunicorn.socket")
    if sock is None or not request.content_length:
        return
    sock.settimeout(runtime_of(current_app).settings.body_read_timeout)
    try:
        request.get_data(cache=True)  # form and JSON parsing read this copy afterwards
    except (TimeoutError, ClientDisconnected):  # werkzeug reports the timeout as this
        # The deadline stays on the socket: gunicorn's drain of the unread rest then times out
        # as well and drops the connection instead of waiting on it.
        abort(408, "the request body stopped arriving")
    sock.settimeout(None)


def install(app: Flask) -> None:
    """Apply the hardening to an application (before its blueprints are registered)."""
    app.before_request(_read_body_in_time)
    app.json = StrictJSONProvider(app)
    app.url_map.converters["int"] = BoundedInt
    app.after_request(_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
