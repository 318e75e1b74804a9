"""Conflict checks and intake cases, for the legal template."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, time

from sqlmodel import select

from flows.ports import (
    IntakeInfo,
)
from flows.understanding.text import fold
from gateway.bot.ports.bound import Bound
from gateway.store.models import (
    IntakeCase,
    Matter,
)


def _tokens(name: str) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", fold(name)) if len(t) > 1} - {
        "sl",
        "sa",
        "inc",
        "ltd",
        "llc",
        "corp",
        "the",
        "de",
        "del",
        "la",
        "el",
        "y",
        "and",
    }


def names_match(a: str, b: str) -> bool:
    """Same person or company: every meaningful word of the shorter name is in the other."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    small, big = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return small <= big and (len(small) >= 2 or len(big) == 1)


class DbIntake:
    """Conflict checks against existing matters, and new intake cases."""

    def __init__(self, bound: Bound) -> None:
        self.b = bound

    def conflicts(self, names: Sequence[str]) -> list[str]:
        """Names that are clients or parties of existing matters of this business."""
        matters = self.b.session.exec(
            select(Matter).where(Matter.business_id == self.b.business_id)
        ).all()
        known = [m.client_name for m in matters] + [p for m in matters for p in m.parties]
        return [n for n in names if any(names_match(n, k) for k in known)]

    def open_case(self, info: IntakeInfo) -> int:
        """Store the intake and its written summary."""
        tz = self.b.hours.tz
        row = IntakeCase(
            business_id=self.b.business_id,
            contact_id=self.b.contact_id,
            conversation_id=self.b.conv.id,
            practice_area=info.practice_area,
            jurisdiction=info.jurisdiction,
            parties=list(info.parties),
            court_date=datetime.combine(info.court_date, time(9), tz) if info.court_date else None,
            priority=info.priority,
            summary=info.summary,
            details=dict(info.details),
        )
        self.b.session.add(row)
        self.b.session.flush()
        assert row.id is not None
        return row.id
