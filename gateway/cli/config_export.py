"""A business as the YAML `switchboard load` reads: the console's export, exact on a round trip.

Channel credentials are written as `${CHANNEL_KEY}` placeholders (a download never carries a
secret); set those variables, or paste the values, before loading the file elsewhere.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from sqlmodel import Session, col, select

from gateway.core.crypto import decrypt_credentials
from gateway.store.models import Business, Channel


def _placeholder(channel_id: str, key: str) -> str:
    return "${" + re.sub(r"[^A-Z0-9]+", "_", f"{channel_id}_{key}".upper()) + "}"


def channel_entry(channel: Channel, secret_key: str) -> dict[str, Any]:
    """One channel as the file writes it, credentials as placeholders."""
    entry: dict[str, Any] = {"id": channel.id, "provider": channel.provider}
    if channel.api_base:
        entry["api_base"] = channel.api_base
    if channel.settings:
        entry["settings"] = dict(channel.settings)
    for key in decrypt_credentials(secret_key, channel.credentials_encrypted):
        entry[key] = _placeholder(channel.id, key)
    return entry


def business_entry(session: Session, business: Business, secret_key: str) -> dict[str, Any]:
    """One business as the file writes it."""
    channels = session.exec(
        select(Channel).where(Channel.business_id == business.id).order_by(col(Channel.id))
    ).all()
    entry: dict[str, Any] = {
        "slug": business.slug,
        "name": business.name,
        "template": business.template,
        "timezone": business.timezone,
        "country": business.country,
        "languages": list(business.languages),
    }
    if business.settings:
        entry["settings"] = dict(business.settings)
    if channels:
        entry["channels"] = [channel_entry(c, secret_key) for c in channels]
    return entry


def export_yaml(session: Session, business: Business, secret_key: str) -> str:
    """The business's configuration file."""
    doc = {"businesses": [business_entry(session, business, secret_key)]}
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
