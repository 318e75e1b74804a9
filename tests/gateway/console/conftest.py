"""The console tests share the staff accounts of tests/gateway/test_console.py."""

from tests.gateway.test_console import staff  # noqa: F401  (fixture)
