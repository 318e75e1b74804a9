"""Connecting a channel by hand, for the CLI (`switchboard channel add`) and the console: the
provider's `Setup` checks the owner's values, the channel is stored with encrypted credentials,
and the provider is wired (Telegram's setWebhook) or the URLs to paste are returned. A failure
raises before the caller's transaction commits, so nothing half-connected is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from channels import PROVIDERS
from channels.base import Setup, SetupError, SetupLinks
from gateway.core.crypto import decrypt_credentials, encrypt_credentials
from gateway.core.settings import Settings
from gateway.messaging.providers import channel_config, status_url, webhook_url
from gateway.store.models import Business, Channel

CHANNEL_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")


@dataclass(frozen=True)
class Connected:
    """A stored channel and what the owner reads: what to paste where."""

    channel_id: str
    title: str
    lines: tuple[str, ...]


def setups() -> dict[str, Setup]:
    """The providers an owner can connect by hand, by registry name."""
    return {name: p.setup for name, p in sorted(PROVIDERS.items()) if p.setup is not None}


def connect_channel(
    session: Session,
    settings: Settings,
    business: Business,
    provider: str,
    values: dict[str, str],
    *,
    channel_id: str | None = None,
    api_base: str | None = None,
) -> Connected:
    """Check the values, store (or update) the channel and wire it. Raises SetupError."""
    setup = setups().get(provider)
    if setup is None:
        raise SetupError(f"provider: {provider!r} cannot be connected by hand")
    credentials = setup.prepare(values)
    channel_id = channel_id or f"{business.slug}-{provider}"
    row = _upsert(session, settings, business, provider, channel_id, credentials, api_base)
    links = SetupLinks(webhook_url(settings, row), status_url(settings, row))
    lines = setup.connect(channel_config(settings, row), links)
    return Connected(row.id, setup.title, lines)


def _upsert(
    session: Session,
    settings: Settings,
    business: Business,
    provider: str,
    channel_id: str,
    credentials: dict[str, str],
    api_base: str | None,
) -> Channel:
    """Create the channel, or update it when it is this business's channel of this provider."""
    if not CHANNEL_ID.match(channel_id):
        raise SetupError(f"id: {channel_id!r} must be 2-64 lowercase letters, digits, '-' or '_'")
    channel = session.get(Channel, channel_id)
    if channel is not None and (channel.business_id != business.id or channel.provider != provider):
        raise SetupError(f"id: channel {channel_id!r} already exists for another use")
    if channel is None:
        assert business.id is not None
        channel = Channel(id=channel_id, business_id=business.id, provider=provider)
    else:
        # Keep stored credentials not given again (e.g. a verify token).
        credentials = {
            **decrypt_credentials(settings.secret_key, channel.credentials_encrypted),
            **credentials,
        }
    channel.credentials_encrypted = encrypt_credentials(settings.secret_key, credentials)
    if api_base is not None:
        channel.api_base = api_base or None
    session.add(channel)
    session.flush()
    return channel
