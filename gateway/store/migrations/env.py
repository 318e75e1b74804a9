"""Alembic environment: the URL comes from Switchboard's settings (or the caller's config)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import gateway.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from gateway.core.db import make_engine

config = context.config
url = config.get_main_option("sqlalchemy.url")
if not url:
    from gateway.core.settings import load_settings

    url = load_settings().database_url

connectable = config.attributes.get("connection")


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connectable is not None:
    _run(connectable)
else:
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
