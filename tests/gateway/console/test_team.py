"""Staff in the console: owners invite, reset and remove; links are signed, single-use and
bound to the business; agents cannot manage staff (issue 18)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.console.staff import verify_password
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import StaffUser
from tests.gateway.test_console import ACME, OTHER, csrf, sign_in, staff  # noqa: F401 (fixture)

pytestmark = pytest.mark.db

TEAM = "/console/setup/team/"
_LINK = re.compile(r'id="link" readonly value="https?://[^/"]+(/console/join/[^"]+)"')


def _post(client: FlaskClient, path: str, **form: str) -> object:
    return client.post(path, data={**form, "csrf_token": csrf(client, TEAM)})


def _link(response: object) -> str:
    match = _LINK.search(response.get_data(as_text=True))  # type: ignore[attr-defined]
    assert match, response.get_data(as_text=True)  # type: ignore[attr-defined]
    return match.group(1)


def _account(rt: Runtime, email: str) -> StaffUser | None:
    with session_scope(rt.engine) as db:
        return db.exec(select(StaffUser).where(StaffUser.email == email)).first()


def _choose(client: FlaskClient, path: str, password: str) -> object:
    return client.post(path, data={"password": password, "csrf_token": csrf(client, path)})


def _invited(client: FlaskClient, app: Flask, rt: Runtime, email: str) -> tuple[FlaskClient, int]:
    """Invite an agent and accept as them: their signed-in client and account id."""
    link = _link(_post(client, f"{TEAM}invite", email=email, role="agent"))
    person = app.test_client()
    _choose(person, link, "a-password-123")
    account = _account(rt, email)
    assert account is not None and account.id is not None
    return person, account.id


def test_an_invited_person_chooses_a_password_once_and_is_signed_in(
    client: FlaskClient,
    app: Flask,
    demo: Runtime,
    staff: dict[str, int],  # noqa: F811
) -> None:
    sign_in(client, *ACME)
    link = _link(_post(client, f"{TEAM}invite", email="Nina@Acme.example", role="agent"))
    assert _account(demo, "nina@acme.example") is None  # nothing stored until it is used
    newcomer = app.test_client()
    assert _choose(newcomer, link, "short").status_code == 400  # type: ignore[attr-defined]
    joined = _choose(newcomer, link, "nina-password-123")
    assert joined.status_code == 302  # type: ignore[attr-defined]
    assert newcomer.get("/console/").status_code == 200
    account = _account(demo, "nina@acme.example")
    assert account is not None and account.role == "agent"
    assert newcomer.get(link).status_code == 404  # used
    assert newcomer.get(link[:-3] + "xyz").status_code == 404  # tampered
    again = _post(client, f"{TEAM}invite", email="nina@acme.example", role="agent")
    assert again.status_code == 409  # type: ignore[attr-defined]


def test_a_reset_link_ends_old_sessions_and_works_once(
    client: FlaskClient,
    app: Flask,
    demo: Runtime,
    staff: dict[str, int],  # noqa: F811
) -> None:
    sign_in(client, *ACME)
    leo, leo_id = _invited(client, app, demo, "leo@acme.example")
    reset = _link(_post(client, f"{TEAM}{leo_id}/reset"))
    _choose(app.test_client(), reset, "leo-new-password-456")
    assert leo.get("/console/").status_code == 302  # the old session ended
    account = _account(demo, "leo@acme.example")
    assert account is not None and verify_password(account.password_hash, "leo-new-password-456")
    assert app.test_client().get(reset).status_code == 404  # used


def test_owners_remove_others_and_agents_manage_nobody(
    client: FlaskClient,
    app: Flask,
    demo: Runtime,
    staff: dict[str, int],  # noqa: F811
) -> None:
    sign_in(client, *ACME)
    _, max_id = _invited(client, app, demo, "max@acme.example")
    assert _post(client, f"{TEAM}{max_id}/remove").status_code == 302  # type: ignore[attr-defined]
    assert _account(demo, "max@acme.example") is None
    assert _post(client, f"{TEAM}{staff['acme']}/remove").status_code == 400  # type: ignore[attr-defined]
    assert _post(client, f"{TEAM}{staff['other']}/reset").status_code == 404  # type: ignore[attr-defined]
    agent = app.test_client()
    sign_in(agent, *OTHER)
    assert agent.get(TEAM).status_code == 403
