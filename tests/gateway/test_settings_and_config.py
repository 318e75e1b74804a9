"""Settings fail fast naming the variable; the YAML config names the wrong field's path."""

from __future__ import annotations

import pytest
from sqlmodel import select

from gateway.cli.config_file import apply_config, parse_config
from gateway.core.crypto import decrypt_credentials
from gateway.core.db import session_scope
from gateway.core.errors import ConfigError
from gateway.core.runtime import Runtime
from gateway.core.settings import load_settings
from gateway.store.models import Business, Channel


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL: must start with sqlite: or postgresql"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL: must be a redis://"),
        (
            {"SWITCHBOARD_PUBLIC_URL": "bot.example.com"},
            "SWITCHBOARD_PUBLIC_URL: must be an absolute",
        ),
        ({"SWITCHBOARD_SECRET_KEY": "short"}, "SWITCHBOARD_SECRET_KEY: must be at least 16"),
        ({"SWITCHBOARD_LOCK_SECONDS": "soon"}, "SWITCHBOARD_LOCK_SECONDS:"),
    ],
)
def test_a_bad_setting_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path, env: dict[str, str], message: str
) -> None:
    monkeypatch.setenv("SWITCHBOARD_VAR_DIR", str(tmp_path))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_defaults_are_embedded_under_var(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for key in ("DATABASE_URL", "REDIS_URL", "CHROMA_PATH", "SWITCHBOARD_SECRET_KEY"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("SWITCHBOARD_VAR_DIR", str(tmp_path))
    settings = load_settings()
    assert settings.database_url == f"sqlite:///{tmp_path}/switchboard.db"
    assert settings.redis_url is None
    assert settings.chroma_path == str(tmp_path / "chroma")
    assert len(settings.secret_key) >= 16
    assert load_settings().secret_key == settings.secret_key  # kept, not regenerated


YAML = """
businesses:
  - slug: smile-dental
    name: Smile Dental
    template: dental
    timezone: Europe/Madrid
    languages: [es, en]
    channels:
      - id: smile-web
        provider: webchat
      - id: smile-web-2
        provider: telegram
        token: ${SMILE_TOKEN}
        secret_token: s3cret
"""


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        (
            ("provider: telegram", "provider: telegarm"),
            "businesses[0].channels[1].provider: unknown provider 'telegarm'",
        ),
        (("Europe/Madrid", "Europe/Atlantis"), "businesses[0].timezone: unknown timezone"),
        (("[es, en]", "[es, fr]"), "businesses[0].languages: unsupported language 'fr'"),
        (("template: dental", "template: dentist"), "businesses[0].template: unknown template"),
        # the engine's echo skeleton is for tests only
        (("template: dental", "template: echo"), "businesses[0].template: unknown template"),
        (("slug: smile-dental", "slug: Smile Dental!"), "businesses[0].slug:"),
        (("name: Smile Dental", "name: Smile\n    colour: red"), "businesses[0].colour:"),
    ],
)
def test_a_wrong_field_is_reported_with_its_path(replace: tuple[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(YAML.replace(*replace), env={"SMILE_TOKEN": "t"})
    assert str(info.value).startswith(message)


def test_missing_environment_variable_is_named() -> None:
    with pytest.raises(
        ConfigError, match=r"channels\[1\]\.token: environment variable SMILE_TOKEN"
    ):
        parse_config(YAML, env={})


@pytest.mark.db
def test_loading_twice_is_an_idempotent_upsert_with_encrypted_secrets(rt: Runtime) -> None:
    config = parse_config(YAML, env={"SMILE_TOKEN": "very-secret-token"})
    for _ in range(2):
        with session_scope(rt.engine) as session:
            apply_config(session, config, rt.settings.secret_key)
    with session_scope(rt.engine) as session:
        assert len(session.exec(select(Business)).all()) == 1
        channels = session.exec(select(Channel)).all()
        assert sorted(c.id for c in channels) == ["smile-web", "smile-web-2"]
        stored = next(c for c in channels if c.id == "smile-web-2").credentials_encrypted
    assert "very-secret-token" not in stored
    assert decrypt_credentials(rt.settings.secret_key, stored) == {
        "token": "very-secret-token",
        "secret_token": "s3cret",
    }
