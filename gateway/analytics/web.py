"""`GET /metrics`: the operator's Prometheus scrape, with no personal data.

Not public: with `SWITCHBOARD_METRICS_TOKEN` set it needs `Authorization: Bearer <token>`;
without one it answers only a direct loopback client (no proxy header), so a reverse proxy on
the same host does not publish it by accident. Anything else gets a 404.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, request

from gateway.analytics import counters
from gateway.analytics.exposition import render
from gateway.core.runtime import runtime_of

bp = Blueprint("metrics", __name__)
LOOPBACK = frozenset({"127.0.0.1", "::1"})
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def allowed() -> bool:
    """Whether this request may read the metrics (token, or a direct loopback client)."""
    token = runtime_of(current_app).settings.metrics_token
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    direct = "X-Forwarded-For" not in request.headers and "Forwarded" not in request.headers
    return direct and request.remote_addr in LOOPBACK


@bp.get("/metrics")
def metrics() -> Any:
    """The Prometheus text exposition of every process's counters and the current gauges."""
    if not allowed():
        abort(404)
    return Response(render(runtime_of(current_app)), mimetype=None, content_type=CONTENT_TYPE)


def _count(response: Response) -> Response:
    rule = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
    rt = runtime_of(current_app)
    counters.count_request(
        rt.redis, rt.settings.queue_prefix, rule, request.method, response.status_code
    )
    return response


def install(app: Flask) -> None:
    """Serve /metrics and count every request by route template, method and status."""
    app.register_blueprint(bp)
    app.after_request(_count)
