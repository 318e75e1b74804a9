"""The `switchboard` command and its groups (channels, config file, terminal chat)."""

from gateway.cli.main import main

__all__ = ["main"]
