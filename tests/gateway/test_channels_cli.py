"""`switchboard channel add ...`: channels stored with encrypted secrets, providers wired."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from gateway.cli.main import cli
from gateway.core.crypto import decrypt_credentials
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import Channel
from tests.fakes import FakeTelegram
from tests.support import settings_env

pytestmark = pytest.mark.db


def _run(rt: Runtime, *args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env=settings_env(rt.settings))
    assert result.exit_code == 0, result.output
    return result.output


def _stored(rt: Runtime, channel_id: str) -> tuple[Channel, dict[str, str]]:
    with session_scope(rt.engine) as session:
        channel = session.get(Channel, channel_id)
    assert channel is not None
    return channel, decrypt_credentials(rt.settings.secret_key, channel.credentials_encrypted)


def test_add_telegram_stores_the_bot_and_sets_the_webhook_with_a_fresh_secret(
    demo: Runtime, fake_telegram: FakeTelegram
) -> None:
    args = ["channel", "add", "telegram", "--business", "acme-dental"]
    output = _run(demo, *args, "--token", fake_telegram.token, "--api-base", fake_telegram.base_url)
    url = "https://bot.example.test/webhooks/telegram/acme-dental-telegram"
    assert url in output
    channel, secrets = _stored(demo, "acme-dental-telegram")
    assert channel.provider == "telegram" and channel.api_base == fake_telegram.base_url
    assert fake_telegram.webhook["url"] == url
    assert fake_telegram.webhook["secret_token"] == secrets["secret_token"]
    assert secrets["token"] == fake_telegram.token
    assert fake_telegram.token not in output and secrets["secret_token"] not in output
    assert fake_telegram.token not in channel.credentials_encrypted
    # Running it again rotates the secret.
    _run(demo, *args, "--token", fake_telegram.token, "--api-base", fake_telegram.base_url)
    _, rotated = _stored(demo, "acme-dental-telegram")
    assert rotated["secret_token"] != secrets["secret_token"]
    assert fake_telegram.webhook["secret_token"] == rotated["secret_token"]


def test_add_telegram_with_a_token_telegram_refuses_stores_nothing(
    demo: Runtime, fake_telegram: FakeTelegram
) -> None:
    result = CliRunner().invoke(
        cli,
        ["channel", "add", "telegram", "--business", "acme-dental", "--token", "999:wrong",
         "--api-base", fake_telegram.base_url],
        env=settings_env(demo.settings),
    )  # fmt: skip
    assert result.exit_code != 0 and "setWebhook" in result.output
    assert "999:wrong" not in result.output
    with session_scope(demo.engine) as session:
        assert session.get(Channel, "acme-dental-telegram") is None


def test_add_twilio_prints_the_two_urls_and_never_the_token(demo: Runtime) -> None:
    output = _run(
        demo,
        "channel", "add", "twilio", "--business", "acme-dental",
        "--account-sid", "AC0123456789abcdef0123456789abcdef",
        "--auth-token", "very-secret-auth-token", "--from-number", "+1 415 555 0100",
    )  # fmt: skip
    assert "https://bot.example.test/webhooks/twilio/acme-dental-twilio\n" in output
    assert "https://bot.example.test/webhooks/twilio/acme-dental-twilio/status" in output
    assert "very-secret-auth-token" not in output
    _, secrets = _stored(demo, "acme-dental-twilio")
    assert secrets["from_number"] == "+14155550100"
    assert secrets["auth_token"] == "very-secret-auth-token"


def test_add_whatsapp_prints_the_url_and_a_verify_token_that_passes_the_handshake(
    demo: Runtime, client: FlaskClient
) -> None:
    output = _run(
        demo,
        "channel", "add", "whatsapp", "--business", "acme-dental",
        "--phone-number-id", "106540352242922",
        "--access-token", "EAAG-secret", "--app-secret", "app-secret-value",
    )  # fmt: skip
    assert "https://bot.example.test/webhooks/whatsapp/acme-dental-whatsapp" in output
    assert "EAAG-secret" not in output and "app-secret-value" not in output
    match = re.search(r"Verify token:\s+(\S+)", output)
    assert match
    query = {"hub.mode": "subscribe", "hub.verify_token": match.group(1), "hub.challenge": "42"}
    answer = client.get("/webhooks/whatsapp/acme-dental-whatsapp", query_string=query)
    assert (answer.status_code, answer.get_data(as_text=True)) == (200, "42")


def test_an_unknown_business_is_a_clear_error(demo: Runtime) -> None:
    result = CliRunner().invoke(
        cli,
        ["channel", "add", "twilio", "--business", "nobody", "--account-sid", "AC1",
         "--auth-token", "x", "--from-number", "+14155550100"],
        env=settings_env(demo.settings),
    )  # fmt: skip
    assert result.exit_code != 0 and "no business with slug 'nobody'" in result.output
