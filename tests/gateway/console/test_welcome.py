"""The first-run page: a new owner creates their business and account in the browser, signs in
and their web chat answers, with no YAML and no command line (issue 18)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.bot.brain import Brain
from gateway.console.security import welcome_key
from gateway.console.staff import business_by_slug, verify_password
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.processing import process_inbound
from gateway.store.models import Business, Direction, StaffUser
from tests.gateway.chat_helpers import messages, open_chat, say
from tests.gateway.test_console import csrf

pytestmark = pytest.mark.db

FORM = {
    "template": "restaurant",
    "name": "Bar Pepa",
    "languages": ["es", "en"],
    "timezone": "Europe/Madrid",
    "country": "ES",
    "email": "Pepa@Example.com",
    "password": "a long enough secret",
}


def _url(rt: Runtime) -> str:
    return f"/console/welcome/?key={welcome_key(rt.settings.secret_key)}"


def _submit(client: FlaskClient, rt: Runtime, **changes: object) -> object:
    form = {**FORM, **changes, "csrf_token": csrf(client, _url(rt))}
    return client.post(_url(rt), data=form)


def _businesses(rt: Runtime) -> list[str]:
    with session_scope(rt.engine) as db:
        return sorted(db.exec(select(Business.slug)).all())


def test_without_the_key_there_is_no_page(client: FlaskClient, demo: Runtime) -> None:
    assert client.get("/console/welcome/").status_code == 404
    assert client.get("/console/welcome/?key=guess").status_code == 404
    assert client.post("/console/welcome/?key=guess", data=FORM).status_code == 404
    assert client.get(_url(demo)).status_code == 200


def test_a_new_owner_starts_a_business_that_answers_on_its_web_chat(
    client: FlaskClient, demo: Runtime
) -> None:
    response = _submit(client, demo)
    assert response.status_code == 302, response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "/console/setup/settings" in response.headers["Location"]  # type: ignore[attr-defined]
    assert client.get("/console/setup/settings").status_code == 200  # signed in, as owner
    with session_scope(demo.engine) as db:
        business = business_by_slug(db, "bar-pepa")
        (owner,) = db.exec(select(StaffUser).where(StaffUser.business_id == business.id)).all()
        assert (owner.email, owner.role) == ("pepa@example.com", "owner")
        assert verify_password(owner.password_hash, FORM["password"])  # type: ignore[arg-type]
    open_chat(client, "bar-pepa")
    assert say(client, "hola, queríais reservar una mesa?", slug="bar-pepa").status_code == 202
    process_inbound(demo, Brain(), messages(demo, Direction.IN)[-1].id or 0)
    assert messages(demo, Direction.OUT), "the new business's chat did not answer"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"password": "short"}, "password: at least 10 characters"),
        ({"email": "not-an-address"}, "email:"),
        ({"template": "casino"}, "template"),
        ({"name": "Acme Dental", "slug": "acme-dental"}, "is taken"),
    ],
)
def test_a_mistake_is_named_and_nothing_is_created(
    client: FlaskClient, demo: Runtime, changes: dict[str, str], error: str
) -> None:
    before = _businesses(demo)
    response = _submit(client, demo, **changes)
    assert response.status_code in (400, 409)  # type: ignore[attr-defined]
    assert error in response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert _businesses(demo) == before
