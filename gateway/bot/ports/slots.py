"""Slot units in the database: how no time is ever booked twice.

No double booking: every appointment or viewing occupies `BookedSlot` units, unique on
(business_id, resource, starts_at); units are inserted with ON CONFLICT DO NOTHING, so of two
concurrent requests for the last slot exactly one wins (PostgreSQL waits for the first
transaction; SQLite serializes writers) and the loser is offered the next free start.
Restaurant capacity is checked under a row lock on the business.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, delete

from gateway.store.models import (
    BookedSlot,
)

SEARCH_DAYS = 21


def claim(session: Session, rows: Sequence[BookedSlot]) -> bool:
    """Insert slot units, all or none; False when any unit is already taken."""
    dialect = session.get_bind().dialect.name
    insert_fn: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    won: list[BookedSlot] = []
    for row in rows:
        stmt = (
            insert_fn(BookedSlot)
            .values(
                business_id=row.business_id,
                resource=row.resource,
                starts_at=row.starts_at,
                appointment_id=row.appointment_id,
                viewing_id=row.viewing_id,
            )
            .on_conflict_do_nothing(index_elements=["business_id", "resource", "starts_at"])
            .returning(col(BookedSlot.id))
        )
        # RETURNING says whether this row went in (rowcount is -1 on psycopg for this form)
        if session.execute(stmt).first() is None:
            release(session, won)
            return False
        won.append(row)
    return True


def release(session: Session, rows: Iterable[BookedSlot]) -> None:
    for row in rows:
        session.execute(
            delete(BookedSlot).where(
                col(BookedSlot.business_id) == row.business_id,
                col(BookedSlot.resource) == row.resource,
                col(BookedSlot.starts_at) == row.starts_at,
            )
        )
