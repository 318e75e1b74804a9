"""One after-commit mechanism (gateway.core.db.after_commit): it runs only after a commit, and
nothing it raises reaches the caller whose transaction already committed."""

from __future__ import annotations

import pytest

from gateway.core.db import after_commit, make_engine, session_scope


def test_runs_after_the_commit_and_never_raises() -> None:
    engine = make_engine("sqlite://")
    ran: list[str] = []

    def boom() -> None:
        ran.append("boom")
        raise RuntimeError("enqueue failed")

    with session_scope(engine) as session:
        after_commit(session, lambda: ran.append("first"))
        after_commit(session, boom)
        after_commit(session, lambda: ran.append("last"))
        assert ran == []
    assert ran == ["first", "boom", "last"]


def test_never_runs_when_the_transaction_rolls_back() -> None:
    engine = make_engine("sqlite://")
    ran: list[str] = []
    with pytest.raises(ValueError), session_scope(engine) as session:
        after_commit(session, lambda: ran.append("never"))
        raise ValueError("rolled back")
    assert ran == []
