"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

import redis
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from gateway.core.runtime import runtime_of

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    """The process is alive."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Any:
    """Database and Redis are reachable; otherwise 503 naming the failing part."""
    rt = runtime_of(current_app)
    checks: dict[str, str] = {}
    try:
        with rt.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except SQLAlchemyError as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    try:
        rt.redis.ping()
        checks["redis"] = "ok"
    except redis.RedisError as exc:
        checks["redis"] = f"unreachable: {type(exc).__name__}"
    ok = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ok else "not ready", **checks), 200 if ok else 503
