"""The chat model setting (`SWITCHBOARD_CHAT_MODEL`, a business's `settings.chat_model`) parsed.

`provider:model` for LangChain's `init_chat_model`, `model@http(s)://host:port/v1` for an
OpenAI-compatible server, `off` (or unset) for none. Checked at start-up and at load time.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.core.errors import ConfigError

OFF = ("off", "none", "offline")


@dataclass(frozen=True)
class ModelSpec:
    """A parsed model setting: the model, its provider and, for a local server, its URL."""

    model: str
    provider: str | None = None
    base_url: str | None = None

    @property
    def label(self) -> str:
        """How logs and `doctor` name it (never with a key)."""
        if self.base_url:
            return f"{self.model}@{self.base_url}"
        return f"{self.provider}:{self.model}" if self.provider else self.model


def parse_spec(value: str | None) -> ModelSpec | None:
    """The setting's model, None when unset or off; ConfigError when it cannot be one."""
    text = (value or "").strip()
    if not text or text.lower() in OFF:
        return None
    if "@" in text:
        model, _, url = text.partition("@")
        if not model or not url.startswith(("http://", "https://")):
            raise ConfigError(f"chat model {text!r}: expected model@http(s)://host:port/v1")
        return ModelSpec(model=model, provider="openai", base_url=url.rstrip("/"))
    provider, sep, model = text.partition(":")
    if not sep or not provider or not model:
        raise ConfigError(
            f"chat model {text!r}: expected provider:model (openai:gpt-4o-mini) "
            "or model@http://host:port/v1"
        )
    return ModelSpec(model=model, provider=provider)


def validated(value: str | None) -> str | None:
    """A pydantic validator's body: the value unchanged, or ValueError saying what is wrong."""
    try:
        parse_spec(value)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    return value
