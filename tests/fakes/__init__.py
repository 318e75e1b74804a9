"""Local fakes of the providers' HTTP APIs, and pytest fixtures that start them.

Import the fixtures into a conftest to use them: `from tests.fakes import fake_twilio, ...`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.base import Failure, FakeServer, Recorded, Reply
from tests.fakes.graph_api import FakeGraph
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio

__all__ = [
    "Failure",
    "FakeGraph",
    "FakeServer",
    "FakeTelegram",
    "FakeTwilio",
    "Recorded",
    "Reply",
    "fake_graph",
    "fake_telegram",
    "fake_twilio",
]


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A running fake of the Twilio REST API; point `ChannelConfig.api_base` at `.base_url`."""
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    """A running fake of the Telegram Bot API for the token `fake.token`."""
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def fake_graph() -> Iterator[FakeGraph]:
    """A running fake of the Graph API (WhatsApp Cloud) for the token `fake.access_token`."""
    with FakeGraph() as fake:
        yield fake
