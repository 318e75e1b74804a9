"""Real services for the tests: a private redis-server, SQLite or PostgreSQL, real workers.

`SWITCHBOARD_TEST_DB=postgres` runs the database tests against PostgreSQL
(`TEST_POSTGRES_URL`, default postgresql://127.0.0.1:5432/test) in a throwaway database.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlmodel import SQLModel

from gateway.app import create_app
from gateway.cli.config_file import apply_config, parse_config
from gateway.core.db import make_engine, session_scope
from gateway.core.migrate import upgrade
from gateway.core.redis_server import start_redis
from gateway.core.runtime import Runtime, set_runtime
from gateway.core.settings import Settings, load_settings
from tests.fakes import fake_graph, fake_telegram, fake_twilio  # noqa: F401  (fixtures)
from tests.gateway import WITH_ECHO
from tests.support import WorkerPool

BACKEND = os.environ.get("SWITCHBOARD_TEST_DB", "sqlite")
PG_ADMIN = os.environ.get("TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")
SECRET = "test-secret-key-0123456789abcdef"

DEMO_YAML = """
businesses:
  - slug: acme-dental
    name: Acme Dental
    template: echo
    timezone: Europe/Madrid
    country: ES
    languages: [en, es]
    api_token: acme-admin-token-0123456789
    channels:
      - id: acme-web
        provider: webchat
  - slug: other-biz
    name: Other Biz
    template: echo
    languages: [en]
    api_token: other-admin-token-0123456789
    channels:
      - id: other-web
        provider: webchat
"""


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server for the whole run (TEST_REDIS_URL to use another)."""
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    url, proc = start_redis(tmp_path_factory.mktemp("redis"), persist=False)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """A throwaway PostgreSQL database, migrated once, when the backend is postgres."""
    if BACKEND != "postgres":
        yield None
        return
    name = f"sb_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (faster than migrating per test)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def database_url(tmp_path: Path, pg_database: str | None, sqlite_template: Path) -> Iterator[str]:
    """A clean, migrated database for one test."""
    if pg_database is None:
        path = tmp_path / "switchboard.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    engine = make_engine(pg_database)
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield pg_database


@pytest.fixture
def settings(tmp_path: Path, database_url: str, redis_url: str) -> Settings:
    """Settings for one test: its own database and var dir, the shared private Redis."""
    redis.Redis.from_url(redis_url).flushdb()
    return load_settings(
        database_url=database_url,
        redis_url=redis_url,
        var_dir=tmp_path / "var",
        chroma_path=str(tmp_path / "chroma"),
        secret_key=SECRET,
        public_url="https://bot.example.test",
        lock_seconds=5,
        sweep_interval=1,
        sweep_min_age=1,
    )


@pytest.fixture
def rt(settings: Settings) -> Iterator[Runtime]:
    """A runtime (engine, Redis, queues) for in-process calls; also the jobs' runtime."""
    runtime = Runtime.build(settings)
    set_runtime(runtime)
    yield runtime
    set_runtime(None)
    runtime.close()


@pytest.fixture
def demo(rt: Runtime) -> Runtime:
    """The runtime with two small businesses loaded (acme-dental and other-biz)."""
    with session_scope(rt.engine) as session:
        apply_config(
            session, parse_config(DEMO_YAML, env={}, templates=WITH_ECHO), rt.settings.secret_key
        )
    return rt


@pytest.fixture
def app(demo: Runtime) -> Flask:
    """The web application over the demo runtime."""
    flask_app = create_app(runtime=demo)
    flask_app.config["TESTING"] = True
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the web application."""
    return app.test_client()


@pytest.fixture
def worker_pool(settings: Settings, tmp_path: Path) -> Iterator[WorkerPool]:
    """Real worker processes; the test starts as many as it needs."""
    pool = WorkerPool(settings, tmp_path)
    yield pool
    pool.stop_all()


def pytest_report_header(config: Any) -> str:
    """Say which database backend this run uses."""
    return f"switchboard database backend: {BACKEND}"
