"""The loader rejects what it would silently lose, and the README's YAML examples load."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from gateway.cli.config_file import parse_config
from gateway.cli.conversations.spec import load_spec
from gateway.core.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]

BUSINESS = """
businesses:
  - slug: smile-dental
    name: Smile Dental
    template: dental
    settings:
      holidays: [2026-12-25]
    channels:
      - id: smile-tg
        provider: telegram
        token: "123:abc"
        secret_token: s3cret
"""


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        (
            ("holidays:", "hollidays:"),
            "businesses[0].settings.hollidays: unknown key (did you mean 'holidays'?)",
        ),
        (
            ('token: "123', 'tokn: "123'),
            "businesses[0].channels[0].tokn: unknown key (did you mean 'token'?)",
        ),
        (
            ("    name: Smile", "    nme: Smile"),
            "businesses[0].nme: unknown key (did you mean 'name'?)",
        ),
        (
            ("        secret_token: s3cret\n", ""),
            "businesses[0].channels[0].secret_token: missing (telegram needs token, secret_token)",
        ),
        (
            ("provider: telegram", "provider: whatsapp"),
            "businesses[0].channels[0].token: unknown key",
        ),
        (
            (
                'provider: telegram\n        token: "123:abc"\n        secret_token: s3cret',
                "provider: twilio\n        account_sid: AC1\n        auth_token: t",
            ),
            "businesses[0].channels[0].from_number: missing (twilio needs",
        ),
        (
            ("holidays: [2026-12-25]", 'hours: {mondy: ["09:00-14:00"]}'),
            "businesses[0].settings.hours.mondy: unknown key (did you mean 'monday'?)",
        ),
    ],
)
def test_unknown_keys_and_missing_credentials_are_named_with_their_path(
    replace: tuple[str, str], message: str
) -> None:
    text = BUSINESS.replace(*replace)
    assert text != BUSINESS
    with pytest.raises(ConfigError) as info:
        parse_config(text, env={})
    assert str(info.value) == message or str(info.value).startswith(message)


def test_the_example_loads() -> None:
    config = parse_config(BUSINESS, env={})
    assert config.businesses[0].channels[0].credentials() == {
        "token": "123:abc",
        "secret_token": "s3cret",
    }


class _AnyEnv(dict[str, str]):
    """Every `${NAME}` of the README is set."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> str:
        return f"value-of-{key}".lower()


def _as_config(block: str) -> dict[str, Any] | None:
    """The block as a whole file: itself, or a channel / settings fragment inside a business."""
    data = yaml.safe_load(textwrap.dedent(block))
    business: dict[str, Any] = {"slug": "example", "name": "Example", "template": "dental"}
    if isinstance(data, dict) and "businesses" in data:
        return data
    if isinstance(data, list) and data and isinstance(data[0], dict) and "provider" in data[0]:
        return {"businesses": [{**business, "channels": data}]}
    if isinstance(data, dict) and set(data) == {"settings"}:
        return {"businesses": [{**business, "settings": data["settings"]}]}
    return None


def _readme_yaml_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```yaml\n(.*?)^```", text, flags=re.S | re.M)


def test_every_yaml_config_of_the_readme_loads_as_written(tmp_path: Path) -> None:
    blocks = _readme_yaml_blocks()
    conversations = [b for b in blocks if "turns" in (yaml.safe_load(b) or {})]
    for number, block in enumerate(conversations):  # the conversation-test format's example
        path = tmp_path / f"readme-conversation-{number}.yaml"
        path.write_text(block, encoding="utf-8")
        assert load_spec(path).turns, block
    blocks = [b for b in blocks if b not in conversations]
    configs = [c for c in map(_as_config, blocks) if c is not None]
    assert len(configs) == len(blocks), "a ```yaml block of the README is not a config"
    assert len(configs) >= 4
    for config in configs:
        parse_config(yaml.safe_dump(config), env=_AnyEnv())
