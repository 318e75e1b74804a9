"""How the `switchboard` command fails: one line saying what is wrong, nothing left running.

A traceback is for a bug, not for a port in use, a database that cannot be opened or a Redis
that does not answer; `SWITCHBOARD_LOG_LEVEL=DEBUG` shows it anyway.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
import redis
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from gateway.core.errors import SwitchboardError
from gateway.core.runtime import running_embedded_redis, stop_embedded_redis
from gateway.core.settings import Settings


def describe(exc: BaseException) -> str:
    """The one line a person needs: which part failed and why."""
    if isinstance(exc, SwitchboardError):
        text = str(exc)
    elif isinstance(exc, SQLAlchemyError):
        orig = getattr(exc, "orig", None)
        text = f"database: {orig or exc}"
    elif isinstance(exc, redis.RedisError):
        text = f"Redis: {exc} (is REDIS_URL right and the server running?)"
    elif isinstance(exc, OSError) and exc.strerror:
        text = f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    else:
        text = f"{type(exc).__name__}: {exc}"
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return first


def _embedded_var_dir() -> Path | None:
    """var/ of the embedded Redis this command may start (None: REDIS_URL is set, or unknown)."""
    try:
        settings = Settings()
    except ValidationError:
        return None
    return None if settings.redis_url else settings.var_dir


def run_cli(group: click.Group) -> None:
    """Run the command; on failure, print one line and stop an embedded Redis it started."""
    var_dir = _embedded_var_dir()
    redis_was_running = var_dir is not None and running_embedded_redis(var_dir) is not None

    def cleanup() -> None:
        if var_dir is not None and not redis_was_running:
            stop_embedded_redis(var_dir)

    try:
        group.main(prog_name="switchboard")
    except SystemExit as exc:
        if exc.code not in (0, None):
            cleanup()
        raise
    except Exception as exc:
        cleanup()
        if os.environ.get("SWITCHBOARD_LOG_LEVEL", "").upper() == "DEBUG":
            raise
        click.echo(
            f"Error: {describe(exc)} (SWITCHBOARD_LOG_LEVEL=DEBUG shows the traceback)",
            err=True,
        )
        sys.exit(1)
