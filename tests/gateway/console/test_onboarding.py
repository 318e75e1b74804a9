"""Onboarding in the console: owners create a business from a template, its settings are checked
by the configuration file's schema (errors name the field), and the YAML export round-trips."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.cli.config_export import export_yaml
from gateway.cli.config_file import apply_config, parse_config
from gateway.console.staff import business_by_slug
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.providers import hosted_chat_channel
from gateway.store.models import StaffUser
from tests.gateway.test_console import ACME, OTHER, csrf, sign_in, staff  # noqa: F401 (fixture)

pytestmark = pytest.mark.db

NEW = {
    "template": "dental",
    "name": "Sunrise Dental",
    "languages": ["en", "es"],
    "timezone": "Europe/Madrid",
    "country": "ES",
}


def create(client: FlaskClient, **changes: object) -> object:
    """Submit the new-business form as an owner would."""
    form = {**NEW, **changes, "csrf_token": csrf(client, "/console/setup/")}
    return client.post("/console/setup/", data=form)


def save(client: FlaskClient, **fields: str) -> object:
    """Submit the settings form."""
    form = {**fields, "csrf_token": csrf(client, "/console/setup/settings")}
    return client.post("/console/setup/settings", data=form)


@pytest.fixture
def owner(client: FlaskClient, staff: dict[str, int]) -> FlaskClient:  # noqa: F811
    """A client signed in as the owner of acme-dental."""
    sign_in(client, *ACME)
    return client


def test_an_owner_creates_a_business_from_a_template(owner: FlaskClient, demo: Runtime) -> None:
    page = owner.get("/console/setup/").get_data(as_text=True)
    assert "Dental clinic" in page and "Real estate" in page
    response = create(owner)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response.headers["Location"].startswith("/console/setup/settings")  # type: ignore[attr-defined]
    with session_scope(demo.engine) as db:
        business = business_by_slug(db, "sunrise-dental")
        assert (business.template, business.timezone) == ("dental", "Europe/Madrid")
        assert business.languages == ["en", "es"]
        assert hosted_chat_channel(db, business.id) is not None
        owners = db.exec(select(StaffUser).where(StaffUser.business_id == business.id)).all()
        assert [(o.email, o.role) for o in owners] == [(ACME[0], "owner")]
    settings = owner.get("/console/setup/settings").get_data(as_text=True)
    assert "Sunrise Dental" in settings and "data-business=&#34;sunrise-dental&#34;" in settings
    assert owner.get("/chat/sunrise-dental/widget").status_code == 200


@pytest.mark.parametrize(
    ("changes", "status", "says"),
    [
        ({"timezone": "Mars/Olympus"}, 400, "timezone: unknown timezone"),
        ({"name": ""}, 400, "name"),
        ({"template": "bakery"}, 400, "unknown template"),
        ({"languages": ["fr"]}, 400, "unsupported language"),
        ({"slug": "acme-dental"}, 409, "taken"),
    ],
)
def test_bad_choices_are_named_and_nothing_is_created(
    owner: FlaskClient, demo: Runtime, changes: dict[str, object], status: int, says: str
) -> None:
    response = create(owner, **changes)
    assert response.status_code == status  # type: ignore[attr-defined]
    assert says in response.get_data(as_text=True)  # type: ignore[attr-defined]
    with session_scope(demo.engine) as db:
        assert len(db.exec(select(StaffUser)).all()) == 2


def test_agents_cannot_set_up(client: FlaskClient, staff: dict[str, int]) -> None:  # noqa: F811
    sign_in(client, *OTHER)
    assert client.get("/console/setup/").status_code == 403
    assert client.get("/console/setup/export.yaml").status_code == 403
    assert client.get("/console/").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/console/setup/settings")
    assert response.status_code == 302 and "/console/login" in response.headers["Location"]


def test_settings_are_checked_by_the_file_schema(owner: FlaskClient, demo: Runtime) -> None:
    create(owner)
    bad = save(owner, hours_monday="9 to 5")
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "settings.hours.monday" in bad.get_data(as_text=True)  # type: ignore[attr-defined]
    assert save(owner, holidays="tomorrow").status_code == 400  # type: ignore[attr-defined]
    assert save(owner, slot_minutes="often").status_code == 400  # type: ignore[attr-defined]
    good = save(
        owner,
        hours_monday="09:00-14:00, 16:00-19:00",
        hours_friday="09:00-14:00",
        holidays="2026-12-25\n2027-01-01",
        slot_minutes="45",
        phone="+34 600 000 000",
    )
    assert good.status_code == 200 and "Saved." in good.get_data(as_text=True)  # type: ignore[attr-defined]
    with session_scope(demo.engine) as db:
        settings = business_by_slug(db, "sunrise-dental").settings
    open_days = {day: ranges for day, ranges in settings["hours"].items() if ranges}
    assert open_days == {"monday": ["09:00-14:00", "16:00-19:00"], "friday": ["09:00-14:00"]}
    assert settings["holidays"] == ["2026-12-25", "2027-01-01"]
    assert settings["slot_minutes"] == 45 and settings["phone"] == "+34 600 000 000"


def test_the_yaml_export_round_trips(owner: FlaskClient, demo: Runtime) -> None:
    create(owner)
    save(owner, hours_tuesday="10:00-18:00", holidays="2026-12-24", emergency_window_hours="12")
    exported = owner.get("/console/setup/export.yaml")
    assert exported.status_code == 200
    text = exported.get_data(as_text=True)
    config = parse_config(text, env={})  # the loader's own check
    with session_scope(demo.engine) as db:
        apply_config(db, config, demo.settings.secret_key)
    with session_scope(demo.engine) as db:
        again = export_yaml(db, business_by_slug(db, "sunrise-dental"), demo.settings.secret_key)
    assert again == text
    assert "2026-12-24" in text and "emergency_window_hours: 12" in text
