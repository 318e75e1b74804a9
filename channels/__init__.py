"""Provider modules, each with verify / parse / send, registered by name in PROVIDERS."""

from channels import telegram, twilio, webchat, whatsapp
from channels.base import Provider

PROVIDERS: dict[str, Provider] = {
    "webchat": webchat.PROVIDER,
    "twilio": twilio.PROVIDER,
    "whatsapp": whatsapp.PROVIDER,
    "telegram": telegram.PROVIDER,
}


def get_provider(name: str) -> Provider | None:
    """Return the provider registered under `name`, or None."""
    return PROVIDERS.get(name)
