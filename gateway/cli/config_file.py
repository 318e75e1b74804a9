"""Business and channel configuration from YAML: validated with paths, `${ENV}` interpolated."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session, select

from gateway.cli.config_schema import (
    TEMPLATES,
    BusinessEntry,
    ChannelEntry,
    ConfigFile,
    MatterEntry,
    check_channels,
    suggest,
)
from gateway.core.crypto import encrypt_credentials
from gateway.core.errors import ConfigError
from gateway.store.models import Business, Channel, Matter

__all__ = ["TEMPLATES", "ConfigFile", "apply_config", "load_config_file", "parse_config"]

_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


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
        # an unknown key first: a typo also makes the field it misspells look missing
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        first = errors[0]
        loc = tuple(first["loc"])
        msg = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            msg = f"unknown key{suggest(loc)}"
        raise ConfigError(f"{_path(loc)}: {msg}") from None
    _check_unique(config)
    check_channels(config)
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
