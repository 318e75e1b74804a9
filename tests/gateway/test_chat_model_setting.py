"""The chat model setting: its forms, and a wrong one stopped at start-up and at load time."""

from __future__ import annotations

import pytest

from gateway.cli.config_file import parse_config
from gateway.core.chat_model import ModelSpec, parse_spec
from gateway.core.errors import ConfigError
from gateway.core.settings import load_settings


@pytest.mark.parametrize(
    ("value", "spec"),
    [
        (None, None),
        ("off", None),
        ("openai:gpt-4o-mini", ModelSpec("gpt-4o-mini", "openai")),
        ("ollama:llama3.1", ModelSpec("llama3.1", "ollama")),
        (
            "llama3.1@http://127.0.0.1:11434/v1/",
            ModelSpec("llama3.1", "openai", "http://127.0.0.1:11434/v1"),
        ),
    ],
)
def test_the_forms_of_the_setting(value: str | None, spec: ModelSpec | None) -> None:
    assert parse_spec(value) == spec


def test_a_wrong_deployment_setting_stops_start_up_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match="^SWITCHBOARD_CHAT_MODEL: chat model 'gpt4'"):
        load_settings(chat_model="gpt4")


def test_a_wrong_business_setting_is_reported_by_path() -> None:
    config = """
businesses:
  - slug: smile-dental
    name: Smile Dental
    template: dental
    settings:
      chat_model: "llama@ftp://nowhere"
"""
    with pytest.raises(ConfigError, match=r"businesses\[0\]\.settings\.chat_model: .*model@http"):
        parse_config(config, env={})
