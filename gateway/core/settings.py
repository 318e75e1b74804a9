"""One settings object, read once from the environment and validated at start."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlparse

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from gateway.core.chat_model import validated
from gateway.core.errors import ConfigError

_CHECKOUT = Path(__file__).resolve().parents[2]


def project_home() -> Path:
    """Where `var/` lives: `SWITCHBOARD_HOME`, else this checkout, whatever the current folder
    (so a command run from elsewhere finds the same database and secret key)."""
    home = os.environ.get("SWITCHBOARD_HOME")
    if home:
        return Path(home).expanduser().resolve()
    return _CHECKOUT if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd().resolve()


class Settings(BaseSettings):
    """Everything configurable about a Switchboard process."""

    model_config = SettingsConfigDict(
        env_prefix="SWITCHBOARD_", extra="ignore", frozen=True, populate_by_name=True
    )

    var_dir: Path = Field(default_factory=lambda: project_home() / "var")
    database_url: str = Field(
        default="", validation_alias=AliasChoices("DATABASE_URL", "SWITCHBOARD_DATABASE_URL")
    )
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REDIS_URL", "SWITCHBOARD_REDIS_URL")
    )
    chroma_path: str = Field(
        default="", validation_alias=AliasChoices("CHROMA_PATH", "SWITCHBOARD_CHROMA_PATH")
    )
    chroma_host: str | None = Field(
        default=None, validation_alias=AliasChoices("CHROMA_HOST", "SWITCHBOARD_CHROMA_HOST")
    )
    chroma_port: int = Field(
        default=8000, validation_alias=AliasChoices("CHROMA_PORT", "SWITCHBOARD_CHROMA_PORT")
    )
    secret_key: str = ""
    public_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    queue_prefix: str = ""
    lock_seconds: float = Field(default=30.0, gt=0)
    sweep_interval: float = Field(default=15.0, gt=0)
    sweep_min_age: float = Field(default=20.0, ge=0)
    send_max_attempts: int = Field(default=6, ge=1)
    chat_model: str | None = None
    chat_timeout: float = Field(default=20.0, gt=0)
    chat_max_calls: int = Field(default=40, ge=1)  # per conversation, then offline
    chat_max_tokens: int = Field(default=40_000, ge=1)
    body_read_timeout: float = Field(default=10.0, gt=0)
    """Seconds a request body may stall (no byte arriving) before the request is a 408."""
    max_streams: int = Field(default=8, ge=1)
    max_streams_per_address: int = Field(default=4, ge=1)
    max_streams_per_visitor: int = Field(default=2, ge=1)
    log_format: str = "auto"
    metrics_token: str | None = None
    """Bearer token for GET /metrics; unset, only a direct loopback client may scrape."""

    @field_validator("var_dir")
    @classmethod
    def _var_dir(cls, value: Path) -> Path:
        return value if value.is_absolute() else project_home() / value

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.lower() not in {"auto", "text", "json"}:
            raise ValueError("must be auto (text on a terminal, JSON otherwise), text or json")
        return value.lower()

    @field_validator("chat_model")
    @classmethod
    def _chat_model(cls, value: str | None) -> str | None:
        return validated(value)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if value and not value.startswith(("sqlite:", "postgresql")):
            raise ValueError("must start with sqlite: or postgresql")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value and urlparse(value).scheme not in {"redis", "rediss", "unix"}:
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return value or None

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise ValueError("must be an absolute http(s) URL, e.g. https://bot.example.com")
        return value.rstrip("/")

    @field_validator("secret_key")
    @classmethod
    def _secret_key(cls, value: str) -> str:
        if value and len(value) < 16:
            raise ValueError("must be at least 16 characters")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    def resolved(self) -> Settings:
        """Fill the embedded defaults that live under var/ (database, Chroma, secret key)."""
        updates: dict[str, object] = {}
        if not self.database_url:
            updates["database_url"] = f"sqlite:///{self.var_dir / 'switchboard.db'}"
        if not self.chroma_path:
            updates["chroma_path"] = str(self.var_dir / "chroma")
        if not self.secret_key:
            updates["secret_key"] = _dev_secret(self.var_dir)
        return self.model_copy(update=updates) if updates else self


def _dev_secret(var_dir: Path) -> str:
    """Keep a generated secret under var/ so a single-machine install needs no setup."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


_ENV_NAMES = {
    "database_url": "DATABASE_URL",
    "redis_url": "REDIS_URL",
    "chroma_path": "CHROMA_PATH",
    "chroma_host": "CHROMA_HOST",
    "chroma_port": "CHROMA_PORT",
}


def load_settings(**overrides: object) -> Settings:
    """Read and validate settings; a bad value raises ConfigError naming the variable."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        name = field if field.isupper() else _ENV_NAMES.get(field, f"SWITCHBOARD_{field.upper()}")
        raise ConfigError(f"{name}: {first['msg'].removeprefix('Value error, ')}") from None
    return settings.resolved()
