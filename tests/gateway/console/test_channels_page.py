"""Connecting channels in the console: each provider's form comes from its setup, the same
checks and wiring as `switchboard channel add`, the URLs to paste are shown, secrets never."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from gateway.core.crypto import decrypt_credentials
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import Channel
from tests.fakes import FakeTelegram
from tests.gateway.test_console import ACME, OTHER, csrf, sign_in, staff  # noqa: F401 (fixture)

pytestmark = pytest.mark.db

PAGE = "/console/setup/channels/"


@pytest.fixture
def owner(client: FlaskClient, staff: dict[str, int]) -> FlaskClient:  # noqa: F811
    """A client signed in as the owner of acme-dental."""
    sign_in(client, *ACME)
    return client


def _connect(client: FlaskClient, provider: str, **values: str) -> object:
    form = {**values, "csrf_token": csrf(client, PAGE)}
    return client.post(f"{PAGE}{provider}", data=form)


def _channel(rt: Runtime, channel_id: str) -> tuple[Channel | None, dict[str, str]]:
    with session_scope(rt.engine) as db:
        row = db.get(Channel, channel_id)
        if row is None:
            return None, {}
        return row, decrypt_credentials(rt.settings.secret_key, row.credentials_encrypted)


def test_the_page_has_a_form_per_provider_and_lists_the_channels(owner: FlaskClient) -> None:
    page = owner.get(PAGE).get_data(as_text=True)
    for form_id in ("connect-telegram", "connect-twilio", "connect-whatsapp"):
        assert f'id="{form_id}"' in page
    assert "acme-web" in page and 'name="auth_token" type="password"' in page


def test_twilio_shows_the_urls_to_paste_and_never_the_token(
    owner: FlaskClient, demo: Runtime
) -> None:
    answer = _connect(
        owner, "twilio", account_sid="AC0123456789abcdef0123456789abcdef",
        auth_token="very-secret-auth-token", from_number="+1 415 555 0100",
    )  # fmt: skip
    page = answer.get_data(as_text=True)  # type: ignore[attr-defined]
    assert answer.status_code == 200  # type: ignore[attr-defined]
    assert "https://bot.example.test/webhooks/twilio/acme-dental-twilio/status" in page
    assert "very-secret-auth-token" not in page
    row, secrets = _channel(demo, "acme-dental-twilio")
    assert row is not None and secrets["from_number"] == "+14155550100"


def test_telegram_is_wired_and_a_refused_token_stores_nothing(
    owner: FlaskClient, demo: Runtime, fake_telegram: FakeTelegram
) -> None:
    refused = _connect(owner, "telegram", token="999:wrong", api_base=fake_telegram.base_url)
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "setWebhook" in refused.get_data(as_text=True)  # type: ignore[attr-defined]
    assert _channel(demo, "acme-dental-telegram")[0] is None
    done = _connect(owner, "telegram", token=fake_telegram.token, api_base=fake_telegram.base_url)
    assert "Telegram now delivers updates" in done.get_data(as_text=True)  # type: ignore[attr-defined]
    _, secrets = _channel(demo, "acme-dental-telegram")
    assert fake_telegram.webhook["secret_token"] == secrets["secret_token"]
    assert fake_telegram.token not in done.get_data(as_text=True)  # type: ignore[attr-defined]


def test_a_bad_value_is_named_and_agents_cannot_connect(
    client: FlaskClient,
    staff: dict[str, int],  # noqa: F811
    demo: Runtime,
) -> None:
    sign_in(client, *ACME)
    bad = _connect(client, "whatsapp", phone_number_id="12ab", access_token="t", app_secret="s")
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "phone_number_id: digits only" in bad.get_data(as_text=True)  # type: ignore[attr-defined]
    assert _channel(demo, "acme-dental-whatsapp")[0] is None
    assert client.post(f"{PAGE}pigeon", data={"csrf_token": csrf(client, PAGE)}).status_code == 404
    client.post("/console/logout", data={"csrf_token": csrf(client, PAGE)})
    sign_in(client, *OTHER)
    assert client.get(PAGE).status_code == 403
