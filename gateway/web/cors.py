"""Cross-origin access to the public chat endpoints only (never the console or admin API).

A business may list the sites allowed to embed its chat in its web chat channel's settings
(`allowed_origins: ["https://example.com"]`); without a list any origin may. The gateway's own
origin is always allowed. No credentials are ever allowed cross-origin: the visitor token is a
header, not a cookie.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from flask import Response, abort, request

ANY = "*"
ALLOW_HEADERS = "Content-Type, X-Visitor-Token, Last-Event-ID"
ALLOW_METHODS = "GET, POST, OPTIONS"
MAX_AGE = "600"
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:\d{1,5})?$")


def allowed_origins(channel_settings: dict[str, Any]) -> tuple[str, ...]:
    """The origins a channel's settings allow (valid entries only); any origin by default."""
    raw = channel_settings.get("allowed_origins")
    if not isinstance(raw, list) or not raw:
        return (ANY,)
    out = [o.rstrip("/").lower() for o in raw if isinstance(o, str)]
    return tuple(o for o in out if o == ANY or _ORIGIN.match(o))


def own_origin() -> str:
    """The origin this request was addressed to (the gateway's own)."""
    parts = urlsplit(request.host_url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_allowed(origin: str | None, allowed: Sequence[str]) -> bool:
    """Whether a request from `origin` (None: not a cross-origin browser request) may proceed."""
    if origin is None:
        return True
    origin = origin.lower()
    return origin == own_origin() or ANY in allowed or origin in allowed


def check_origin(allowed: Sequence[str]) -> None:
    """403 for a browser request from a site the business did not allow."""
    if not is_allowed(request.headers.get("Origin"), allowed):
        abort(403, "this site may not use this chat")


def add_headers(response: Response, allowed: Sequence[str]) -> Response:
    """The CORS headers for an allowed origin (none for another one)."""
    origin = request.headers.get("Origin")
    response.vary.add("Origin")
    if origin is not None and is_allowed(origin, allowed):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        response.headers["Access-Control-Allow-Methods"] = ALLOW_METHODS
        response.headers["Access-Control-Max-Age"] = MAX_AGE
    return response


def preflight(allowed: Sequence[str]) -> Response:
    """The answer to a CORS preflight: 204 with the headers, or 403 for a site not allowed."""
    check_origin(allowed)
    return add_headers(Response(status=204), allowed)


def frame_ancestors(allowed: Sequence[str]) -> str:
    """The CSP `frame-ancestors` value that lets the allowed sites show the chat in a frame."""
    if ANY in allowed:
        return "*"
    return " ".join(["'self'", *allowed])
