"""The per-process wiring: settings, database engine, Redis connection and queues."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import redis
from flask import Flask
from rq import Queue
from sqlalchemy.engine import Engine

from gateway.core import clock
from gateway.core.db import make_engine
from gateway.core.logs import setup_logging
from gateway.core.redis_server import start_redis
from gateway.core.settings import Settings, load_settings

log = logging.getLogger(__name__)

QUEUE_NAMES = ("inbound", "outbound", "scheduled", "default")
EXTENSION = "switchboard"
"""Where the web application keeps its runtime (`app.extensions[EXTENSION]`)."""


@dataclass
class Runtime:
    """Connections one process uses, built once from settings and passed around explicitly."""

    settings: Settings
    engine: Engine
    redis: redis.Redis
    queues: dict[str, Queue] = field(default_factory=dict)

    @classmethod
    def build(cls, settings: Settings | None = None) -> Runtime:
        """Connect to the database and Redis (starting the embedded Redis when needed)."""
        settings = settings or load_settings()
        redis_url = settings.redis_url or ensure_embedded_redis(settings.var_dir)
        conn = redis.Redis.from_url(
            redis_url, socket_connect_timeout=2, socket_timeout=10, health_check_interval=30
        )
        rt = cls(settings=settings, engine=make_engine(settings.database_url), redis=conn)
        clock.attach(conn, settings.queue_prefix)
        # A forked child (RQ's forking worker) must open its own database connections.
        os.register_at_fork(after_in_child=lambda: rt.engine.dispose(close=False))
        rt.queues = {
            name: Queue(settings.queue_prefix + name, connection=conn) for name in QUEUE_NAMES
        }
        return rt

    @classmethod
    def for_command(cls, log_level: str | None = None) -> Runtime:
        """What a `switchboard` command needs: settings from the environment, logging, connections.

        A ConfigError propagates; `gateway.cli.errors.run_cli` prints it as one line.
        """
        settings = load_settings()
        setup_logging(log_level or settings.log_level)
        return cls.build(settings)

    def queue(self, name: str) -> Queue:
        """The RQ queue of that name (inbound, outbound, scheduled, default)."""
        return self.queues[name]

    def close(self) -> None:
        """Release connections."""
        self.engine.dispose()
        self.redis.close()


def runtime_of(app: Flask) -> Runtime:
    """The runtime a web application was built with (see `gateway.app.create_app`)."""
    rt = app.extensions[EXTENSION]
    assert isinstance(rt, Runtime)
    return rt


_current: Runtime | None = None


def set_runtime(runtime: Runtime | None) -> None:
    """Install the runtime RQ jobs of this process use (the worker does this at start)."""
    global _current
    _current = runtime


def current_runtime() -> Runtime:
    """The runtime of this process, built from the environment on first use by a job."""
    global _current
    if _current is None:
        _current = Runtime.build()
    return _current


def running_embedded_redis(var_dir: Path) -> str | None:
    """The URL of the project's embedded Redis under var/ if it answers, else None."""
    port_file = var_dir / "redis.port"
    if not port_file.exists():
        return None
    url = f"redis://127.0.0.1:{port_file.read_text().strip()}/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except (redis.RedisError, ValueError):
        return None
    return url


def stop_embedded_redis(var_dir: Path) -> bool:
    """Shut the embedded Redis down (saving its data); True when one was running."""
    url = running_embedded_redis(var_dir)
    if url is None:
        return False
    with contextlib.suppress(redis.RedisError):  # it closes the connection as it exits
        redis.Redis.from_url(url, socket_connect_timeout=1).shutdown()
    log.info("embedded redis stopped", extra={"url": url})
    return True


def ensure_embedded_redis(var_dir: Path) -> str:
    """Reuse the project's embedded Redis under var/ or start it; one per var/ directory."""
    var_dir.mkdir(parents=True, exist_ok=True)
    port_file = var_dir / "redis.port"
    with open(var_dir / "redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if port_file.exists():
            url = f"redis://127.0.0.1:{port_file.read_text().strip()}/0"
            try:
                redis.Redis.from_url(url, socket_connect_timeout=1).ping()
                return url
            except (redis.RedisError, ValueError):
                pass
        url, process = start_redis(var_dir / "redis", persist=True)
        port_file.write_text(url.rsplit(":", 1)[1].split("/")[0])
        log.info("embedded redis started", extra={"pid": process.pid, "url": url})
        return url
