"""Provider modules, each with verify / parse / send, registered by name in PROVIDERS."""

from channels import webchat
from channels.base import Provider

PROVIDERS: dict[str, Provider] = {
    "webchat": webchat.PROVIDER,
}


def get_provider(name: str) -> Provider | None:
    """Return the provider registered under `name`, or None."""
    return PROVIDERS.get(name)
