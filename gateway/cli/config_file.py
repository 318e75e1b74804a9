"""Business and channel configuration from YAML: validated with paths, `${ENV}` interpolated."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from sqlmodel import Session, select

from channels import PROVIDERS
from flows.hours import WEEKDAYS, parse_range
from gateway.core.crypto import encrypt_credentials
from gateway.core.errors import ConfigError
from gateway.store.models import Business, Channel, Matter

TEMPLATES = ("dental", "legal", "restaurant", "real_estate")
"""What a business may run. The engine's `echo` skeleton is for tests: they pass it explicitly."""
LANGUAGES = ("en", "es")
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_CHANNEL_FIELDS = {"id", "provider", "api_base", "settings"}


class ChannelEntry(BaseModel):
    """One channel of a business; every other key is a credential (stored encrypted)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,63}$")
    provider: str
    api_base: str | None = None
    settings: dict[str, Any] = Field(default_factory=dict)

    @field_validator("provider")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in PROVIDERS:
            raise ValueError(f"unknown provider {value!r} (known: {', '.join(sorted(PROVIDERS))})")
        return value

    def credentials(self) -> dict[str, str]:
        """The secret keys of this entry."""
        extra = self.model_extra or {}
        return {k: str(v) for k, v in extra.items() if v is not None}


class WeekHours(BaseModel):
    """Opening ranges per weekday ("09:00-14:00"); a missing or empty day is closed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    monday: list[str] = Field(default_factory=list)
    tuesday: list[str] = Field(default_factory=list)
    wednesday: list[str] = Field(default_factory=list)
    thursday: list[str] = Field(default_factory=list)
    friday: list[str] = Field(default_factory=list)
    saturday: list[str] = Field(default_factory=list)
    sunday: list[str] = Field(default_factory=list)

    @field_validator(*WEEKDAYS)
    @classmethod
    def _ranges(cls, value: list[str]) -> list[str]:
        for text in value:
            parse_range(text)
        return value


class Localized(BaseModel):
    """A text in English and/or Spanish."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str | None = None
    es: str | None = None


class ServiceEntry(BaseModel):
    """A service the business books, with its duration and price."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    name: Localized
    minutes: int = Field(default=30, ge=5, le=480)
    price: float | None = Field(default=None, ge=0)


class FaqEntry(BaseModel):
    """A question the bot answers when any keyword appears (until a knowledge base exists)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    keywords: list[str] = Field(min_length=1)
    en: str | None = None
    es: str | None = None


class MatterEntry(BaseModel):
    """An existing legal matter, for the conflict-of-interest check."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    client_name: str = Field(min_length=2)
    parties: list[str] = Field(default_factory=list)
    practice_area: str = ""


class BusinessSettings(BaseModel):
    """The template settings of a business; keys other branches add are kept as they are."""

    model_config = ConfigDict(extra="allow", frozen=True)

    hours: WeekHours | None = None
    holidays: list[date] = Field(default_factory=list)
    slot_minutes: int = Field(default=30, ge=5, le=240)
    form_expiry_minutes: int = Field(default=30, ge=1, le=1440)
    services: list[ServiceEntry] = Field(default_factory=list)
    resources: list[str] = Field(default_factory=list)
    capacity: int | None = Field(default=None, ge=1)
    seating_minutes: int = Field(default=90, ge=15, le=480)
    max_party: int = Field(default=10, ge=1)
    insurance: dict[str, str] = Field(default_factory=dict)
    consultation_fee: float | None = Field(default=None, ge=0)
    intake_questions: list[Localized] = Field(default_factory=list, max_length=3)
    areas: list[str] = Field(default_factory=list)
    hot_lead_score: int = Field(default=70, ge=0, le=100)
    listings_csv: str | None = None
    matters: list[MatterEntry] = Field(default_factory=list)
    faq: list[FaqEntry] = Field(default_factory=list)
    emergency_window_hours: int = Field(default=24, ge=1, le=168)
    address: str | None = None
    phone: str | None = None
    retention_days: int | None = Field(default=None, ge=1, le=36500)  # gateway.rights.retention


class BusinessEntry(BaseModel):
    """One business: who it is, its template, where it is, how it talks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    name: str = Field(min_length=1, max_length=200)
    template: str
    timezone: str = "UTC"
    country: str = Field(default="US", pattern=r"^[A-Z]{2}$")
    languages: list[str] = Field(default_factory=lambda: ["en"], min_length=1)
    api_token: str | None = Field(default=None, min_length=16)
    settings: BusinessSettings = Field(default_factory=BusinessSettings)
    channels: list[ChannelEntry] = Field(default_factory=list)

    @field_validator("template")
    @classmethod
    def _template(cls, value: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get("templates", TEMPLATES)
        if value not in known:
            raise ValueError(f"unknown template {value!r} (known: {', '.join(known)})")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}") from None
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        for lang in value:
            if lang not in LANGUAGES:
                raise ValueError(
                    f"unsupported language {lang!r} (supported: {', '.join(LANGUAGES)})"
                )
        return value


class ConfigFile(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    businesses: list[BusinessEntry]
    _source_dir: Path | None = PrivateAttr(default=None)


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _interpolate(value: Any, loc: tuple[int | str, ...], env: dict[str, str]) -> Any:
    if isinstance(value, str):

        def repl(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in env:
                raise ConfigError(f"{_path(loc)}: environment variable {name} is not set")
            return env[name]

        return _ENV.sub(repl, value)
    if isinstance(value, dict):
        return {k: _interpolate(v, (*loc, k), env) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, (*loc, i), env) for i, v in enumerate(value)]
    return value


def parse_config(
    text: str, env: dict[str, str] | None = None, templates: Sequence[str] = TEMPLATES
) -> ConfigFile:
    """Parse and validate a configuration; errors name the field's path.

    `templates` are the ones a business may name (tests add the engine's `echo` skeleton).
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError("the file must be a mapping with a 'businesses' list")
    data = _interpolate(data, (), dict(os.environ) if env is None else env)
    try:
        config = ConfigFile.model_validate(data, context={"templates": tuple(templates)})
    except ValidationError as exc:
        first = exc.errors()[0]
        msg = first["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{_path(tuple(first['loc']))}: {msg}") from None
    _check_unique(config)
    return config


def _check_unique(config: ConfigFile) -> None:
    slugs: set[str] = set()
    channel_ids: set[str] = set()
    for b, business in enumerate(config.businesses):
        if business.slug in slugs:
            raise ConfigError(f"businesses[{b}].slug: duplicate slug {business.slug!r}")
        slugs.add(business.slug)
        for c, channel in enumerate(business.channels):
            if channel.id in channel_ids:
                raise ConfigError(f"businesses[{b}].channels[{c}].id: duplicate id {channel.id!r}")
            channel_ids.add(channel.id)


def load_config_file(path: Path) -> ConfigFile:
    """Read and validate a configuration file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror}") from None
    config = parse_config(text)
    config._source_dir = path.resolve().parent
    return config


def apply_config(session: Session, config: ConfigFile, secret_key: str) -> list[str]:
    """Upsert businesses and channels (idempotent); returns a line per change for the user."""
    from gateway.core.auth import hash_token

    report: list[str] = []
    for entry in config.businesses:
        business = session.exec(select(Business).where(Business.slug == entry.slug)).first()
        created = business is None
        business = business or Business(slug=entry.slug, name=entry.name, template=entry.template)
        business.name, business.template = entry.name, entry.template
        business.timezone, business.country = entry.timezone, entry.country
        business.languages = list(entry.languages)
        business.settings = entry.settings.model_dump(mode="json", exclude_none=True)
        if entry.api_token:
            business.api_token_hash = hash_token(entry.api_token)
        session.add(business)
        session.flush()
        report.append(f"{'created' if created else 'updated'} business {entry.slug}")
        for channel_entry in entry.channels:
            report.append(_upsert_channel(session, business, channel_entry, secret_key))
        report.extend(_apply_matters(session, business, entry.settings.matters))
        if entry.settings.listings_csv:
            report.append(_import_listings(session, business, entry, config._source_dir))
    return report


def _apply_matters(session: Session, business: Business, matters: list[MatterEntry]) -> list[str]:
    existing = {
        m.client_name: m
        for m in session.exec(select(Matter).where(Matter.business_id == business.id)).all()
    }
    for entry in matters:
        row = existing.get(entry.client_name) or Matter(
            business_id=business.id,  # type: ignore[arg-type]
            client_name=entry.client_name,
        )
        row.parties, row.practice_area = list(entry.parties), entry.practice_area
        session.add(row)
    return [f"  {len(matters)} existing matters"] if matters else []


def _import_listings(
    session: Session, business: Business, entry: BusinessEntry, base: Path | None
) -> str:
    from gateway.store.listings import import_listings

    raw = Path(entry.settings.listings_csv or "")
    path = raw if raw.is_absolute() else (base or Path.cwd()) / raw
    report = import_listings(session, business, path)
    return f"  listings from {raw}: {report.describe()}"


def _upsert_channel(
    session: Session, business: Business, entry: ChannelEntry, secret_key: str
) -> str:
    channel = session.get(Channel, entry.id)
    if channel is not None and channel.business_id != business.id:
        raise ConfigError(f"channel id {entry.id!r} already belongs to another business")
    created = channel is None
    channel = channel or Channel(id=entry.id, business_id=business.id, provider=entry.provider)  # type: ignore[arg-type]
    channel.provider = entry.provider
    channel.api_base = entry.api_base
    channel.settings = dict(entry.settings)
    channel.credentials_encrypted = encrypt_credentials(secret_key, entry.credentials())
    session.add(channel)
    return f"  {'created' if created else 'updated'} channel {entry.id} ({entry.provider})"
