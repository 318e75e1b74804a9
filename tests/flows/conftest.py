"""Shared fixtures for flows tests: the models load once per test session."""

from __future__ import annotations

from datetime import datetime

import pytest

from flows.understanding import TEMPLATES, Context, Understander

NOW_ES = datetime.fromisoformat("2025-03-12T10:00:00+01:00")  # a Wednesday
NOW_EN = datetime.fromisoformat("2025-03-12T10:00:00-04:00")


@pytest.fixture(scope="session")
def understanders() -> dict[str, Understander]:
    """One loaded Understander per template (English and Spanish), shared by the session."""
    return {t: Understander.load(["en", "es"], template=t) for t in TEMPLATES}


@pytest.fixture()
def ctx_es() -> Context:
    """A Spanish business in Madrid, fixed clock."""
    return Context(timezone="Europe/Madrid", default_country="ES", now=NOW_ES)


@pytest.fixture()
def ctx_en() -> Context:
    """An American business in New York, fixed clock."""
    return Context(timezone="America/New_York", default_country="US", now=NOW_EN)
