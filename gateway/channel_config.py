"""Turn a stored channel row into what its provider module needs."""

from __future__ import annotations

from channels import get_provider
from channels.base import ChannelConfig, Provider
from gateway.crypto import decrypt_credentials
from gateway.errors import NotFound
from gateway.models import Channel
from gateway.settings import Settings


def webhook_url(settings: Settings, channel: Channel) -> str:
    """The public URL the provider calls for this channel (what to paste in its console)."""
    return f"{settings.public_url}/webhooks/{channel.provider}/{channel.id}"


def channel_config(settings: Settings, channel: Channel) -> ChannelConfig:
    """Decrypted credentials and URLs for one channel."""
    return ChannelConfig(
        id=channel.id,
        provider=channel.provider,
        credentials=decrypt_credentials(settings.secret_key, channel.credentials_encrypted),
        api_base=channel.api_base,
        webhook_url=webhook_url(settings, channel),
        settings=dict(channel.settings),
    )


def provider_for(channel: Channel) -> Provider:
    """The provider module registered for a channel."""
    provider = get_provider(channel.provider)
    if provider is None:
        raise NotFound(f"no provider module named {channel.provider!r}")
    return provider
