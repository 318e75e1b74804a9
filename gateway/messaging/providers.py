"""Turn a stored channel row into what its provider module needs."""

from __future__ import annotations

from sqlmodel import Session, col, select

from channels import PROVIDERS, get_provider
from channels.base import ChannelConfig, Provider
from gateway.core.crypto import decrypt_credentials
from gateway.core.errors import NotFound
from gateway.core.settings import Settings
from gateway.store.models import Channel

STATUS_SUFFIX = "/status"


def webhook_url(settings: Settings, channel: Channel) -> str:
    """The public URL the provider calls for this channel (what to paste in its console)."""
    return f"{settings.public_url}/webhooks/{channel.provider}/{channel.id}"


def status_url(settings: Settings, channel: Channel) -> str:
    """The public URL of Twilio's status callbacks for this channel."""
    return webhook_url(settings, channel) + STATUS_SUFFIX


def channel_config(
    settings: Settings, channel: Channel, *, url: str | None = None
) -> ChannelConfig:
    """Decrypted credentials and URLs for one channel.

    `url` is the exact public URL of the request being verified (Twilio signs it, including
    `/status` on the status route); by default the channel's inbound webhook URL.
    """
    return ChannelConfig(
        id=channel.id,
        provider=channel.provider,
        credentials=decrypt_credentials(settings.secret_key, channel.credentials_encrypted),
        api_base=channel.api_base,
        webhook_url=url or webhook_url(settings, channel),
        settings=dict(channel.settings),
    )


def layout_config(channel: Channel) -> ChannelConfig:
    """The channel's settings without credentials: enough to split a reply into parts."""
    return ChannelConfig(
        id=channel.id,
        provider=channel.provider,
        api_base=channel.api_base,
        settings=dict(channel.settings),
    )


def hosted_providers() -> list[str]:
    """The providers whose customer side the gateway serves itself (the web chat page)."""
    return [name for name, module in PROVIDERS.items() if module.visitor_header is not None]


def hosted_chat_channel(session: Session, business_id: int | None) -> Channel | None:
    """A business's channel whose chat the gateway hosts (the web chat page), if it has one."""
    return session.exec(
        select(Channel).where(
            Channel.business_id == business_id, col(Channel.provider).in_(hosted_providers())
        )
    ).first()


def provider_for(channel: Channel) -> Provider:
    """The provider module registered for a channel."""
    provider = get_provider(channel.provider)
    if provider is None:
        raise NotFound(f"no provider module named {channel.provider!r}")
    return provider
