"""A/B tests of a text: sticky variants per contact, exposures, conversions and the verdict.

A contact's variant is a hash of the test and the contact (the same on every process and
every day, no lookup needed); the first time it is shown an `AbExposure` row is written, and
the goal (for now: answering the CSAT question, `csat_answered`) marks it converted. The verdict
waits for the horizon and the minimum sample in every arm (`stats`), then names a winner or
says there is no difference; `auto_promote` in the test's settings promotes the winner.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from gateway.analytics.stats import Comparison, compare
from gateway.store.models import AbExposure, AbTest, utcnow

RUNNING = "running"
DONE = "done"


def assign(test_id: int, contact_id: int, variants: int) -> int:
    """The contact's variant of the test: sticky, and uniform over the variants."""
    digest = hashlib.sha256(f"abtest:{test_id}:contact:{contact_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % variants


def running_test(session: Session, business_id: int, text_key: str) -> AbTest | None:
    """The business's running test of that text, if any."""
    return session.exec(
        select(AbTest).where(
            AbTest.business_id == business_id, AbTest.text_key == text_key, AbTest.status == RUNNING
        )
    ).first()


def text_for(session: Session, business_id: int, text_key: str, contact_id: int) -> str | None:
    """The variant text this contact sees (recording the exposure), or None without a test;
    after a promotion, the winner's text for everyone."""
    test = running_test(session, business_id, text_key)
    if test is None:
        done = session.exec(
            select(AbTest)
            .where(AbTest.business_id == business_id, AbTest.text_key == text_key)
            .where(AbTest.status == DONE, col(AbTest.winner).is_not(None))
            .order_by(col(AbTest.id).desc())
        ).first()
        return done.variants[done.winner or 0] if done is not None else None
    assert test.id is not None
    variant = assign(test.id, contact_id, len(test.variants))
    exists = session.exec(
        select(AbExposure.id).where(
            AbExposure.test_id == test.id, AbExposure.contact_id == contact_id
        )
    ).first()
    if exists is None:
        try:
            with session.begin_nested():
                session.add(
                    AbExposure(business_id=business_id, test_id=test.id,
                               contact_id=contact_id, variant=variant)
                )  # fmt: skip
        except IntegrityError:
            pass  # shown to this contact by another process a moment ago: same variant
    return test.variants[variant]


def convert(session: Session, business_id: int, contact_id: int, goal: str) -> int:
    """Mark the contact's exposures to running tests with this goal as converted; how many."""
    rows = session.exec(
        select(AbExposure)
        .join(AbTest, col(AbTest.id) == col(AbExposure.test_id))
        .where(AbExposure.business_id == business_id, AbExposure.contact_id == contact_id)
        .where(AbTest.goal == goal, AbTest.status == RUNNING)
        .where(col(AbExposure.converted_at).is_(None))
    ).all()
    for row in rows:
        row.converted_at = utcnow()
        session.add(row)
    return len(rows)


@dataclass(frozen=True)
class Arm:
    """One variant's numbers; `vs_first` compares it with variant 0 (the control)."""

    variant: int
    text: str
    exposed: int
    converted: int
    vs_first: Comparison | None


@dataclass(frozen=True)
class Verdict:
    """Where a test stands: collecting until the horizon and minimum sample, then decided."""

    test: AbTest
    arms: tuple[Arm, ...]
    state: str
    winner: int | None


def verdict(session: Session, test: AbTest) -> Verdict:
    """Counts per variant and the decision the fixed-horizon rule allows now."""
    counts = session.exec(
        select(AbExposure.variant, func.count(), func.count(col(AbExposure.converted_at)))
        .where(AbExposure.business_id == test.business_id, AbExposure.test_id == test.id)
        .group_by(col(AbExposure.variant))
    ).all()
    per = {v: (int(n), int(c)) for v, n, c in counts}
    n0, c0 = per.get(0, (0, 0))
    arms = tuple(
        Arm(i, text, *per.get(i, (0, 0)),
            compare(c0, n0, *reversed(per.get(i, (0, 0)))) if i else None)
        for i, text in enumerate(test.variants)
    )  # fmt: skip
    ended = utcnow() >= test.started_at + timedelta(days=test.horizon_days)
    enough = all(a.exposed >= test.min_sample for a in arms)
    if not (ended and enough):
        return Verdict(test, arms, "collecting", None)
    decided = [a for a in arms[1:] if a.vs_first is not None and a.vs_first.significant]
    better = [a for a in decided if a.vs_first is not None and a.vs_first.difference > 0]
    if better:
        best = max(better, key=lambda a: a.vs_first.difference if a.vs_first else 0.0)
        return Verdict(test, arms, "winner", best.variant)
    if decided:
        return Verdict(test, arms, "control wins", 0)
    return Verdict(test, arms, "no difference", None)


def promote(session: Session, test: AbTest, variant: int) -> None:
    """End the test: everyone sees `variant` from now on."""
    if not 0 <= variant < len(test.variants):
        raise ValueError("no such variant")
    test.status, test.winner = DONE, variant
    session.add(test)


def auto_promote(session: Session, business_id: int) -> int:
    """Promote the decided winners of tests configured with `auto_promote`; how many."""
    done = 0
    for test in session.exec(
        select(AbTest).where(AbTest.business_id == business_id, AbTest.status == RUNNING)
    ).all():
        found = verdict(session, test)
        if test.settings.get("auto_promote") and found.winner is not None:
            promote(session, test, found.winner)
            done += 1
    return done
