"""Demo owner accounts exist only for the demo businesses, never for the user's own."""

from __future__ import annotations

import pytest
from sqlmodel import select

from gateway.cli.main import demo_slugs
from gateway.console.staff import demo_accounts
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import StaffUser

pytestmark = pytest.mark.db


def test_demo_slugs_are_those_of_the_demo_config() -> None:
    assert demo_slugs() == ["smile-dental", "ortega-law", "casa-lucia", "sol-homes"]


def test_a_business_of_the_users_own_file_gets_no_demo_account(demo: Runtime) -> None:
    # acme-dental stands for a demo business, other-biz for one loaded from the user's file
    with session_scope(demo.engine) as db:
        accounts = demo_accounts(db, demo.settings.var_dir, ["acme-dental"])
    assert [email for _, email, _ in accounts] == ["owner@acme-dental.example"]
    with session_scope(demo.engine) as db:
        emails = sorted(u.email for u in db.exec(select(StaffUser)).all())
    assert emails == ["owner@acme-dental.example"]
    with session_scope(demo.engine) as db:  # a second run prints the same, and nothing more
        again = demo_accounts(db, demo.settings.var_dir, ["acme-dental"])
    assert again == accounts
