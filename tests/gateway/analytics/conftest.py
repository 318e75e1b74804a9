"""Fixtures shared with the console tests."""

from tests.gateway.test_console import staff  # noqa: F401  (the console's staff accounts)
