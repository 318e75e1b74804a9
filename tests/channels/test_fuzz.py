"""Every parser over every recorded payload with each value swapped for an odd one: a list of
events or BadRequest, never another exception."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from channels import telegram, twilio, whatsapp
from channels.base import BadRequest, ChannelConfig, WebhookRequest
from tests.channels.conftest import TELEGRAM, TWILIO, WHATSAPP, fixture_files

ODD_VALUES: list[Any] = [
    None, 0, -1.5, True, "", [], {}, [None], {"x": None},
    "x" * 10_000, "\x00", "\u202eevil\u200b", "1e999", "NaN", "😀" * 3, 2**70,
]  # fmt: skip
ODD_STRINGS = ["", "x" * 10_000, "\x00", "\u202e\u200b", "NaN", "-1e999", "😀", "whatsapp:", "0"]


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield prefix + (i,)
            yield from _paths(value, prefix + (i,))


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    clone = copy.deepcopy(data)
    target = clone
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return clone


def _json_variants(path: Path) -> Iterator[bytes]:
    data = json.loads(path.read_bytes())
    for where in _paths(data):
        for odd in ODD_VALUES:
            yield json.dumps(_replaced(data, where, odd)).encode()


def _check(parse: Any, request: WebhookRequest, config: ChannelConfig) -> None:
    try:
        events = parse(request, config)
    except BadRequest:
        return
    assert isinstance(events, list)


@pytest.mark.parametrize("path", fixture_files("whatsapp"), ids=lambda p: p.stem)
def test_whatsapp_parser_survives_odd_values(path: Path) -> None:
    for body in _json_variants(path):
        request = WebhookRequest("POST", "https://x/", {"Content-Type": "application/json"}, body)
        _check(whatsapp.parse, request, WHATSAPP)


@pytest.mark.parametrize("path", fixture_files("telegram"), ids=lambda p: p.stem)
def test_telegram_parser_survives_odd_values(path: Path) -> None:
    for body in _json_variants(path):
        request = WebhookRequest("POST", "https://x/", {"Content-Type": "application/json"}, body)
        _check(telegram.parse, request, TELEGRAM)


@pytest.mark.parametrize("path", fixture_files("twilio"), ids=lambda p: p.stem)
def test_twilio_parser_survives_odd_values(path: Path) -> None:
    params = json.loads(path.read_bytes())
    for key in list(params) + ["NumMedia", "MediaUrl0", "Latitude", "MessageStatus"]:
        for odd in ODD_STRINGS:
            body = urlencode({**params, key: odd}).encode()
            request = WebhookRequest(
                "POST", "https://x/", {"Content-Type": "application/x-www-form-urlencoded"}, body
            )
            _check(twilio.parse, request, TWILIO)
        without = urlencode({k: v for k, v in params.items() if k != key}).encode()
        _check(twilio.parse, WebhookRequest("POST", "https://x/", {}, without), TWILIO)


@pytest.mark.parametrize("provider", [twilio, whatsapp, telegram], ids=lambda m: m.__name__)
@pytest.mark.parametrize(
    "body",
    [b"", b"\x00", b"\xff\xfe\xfd", b"{" * 5000, b"[" * 100_000, b"a=%ZZ&&&==", b"\xef\xbb\xbf{}"],
)
def test_raw_garbage_bodies(provider: Any, body: bytes) -> None:
    config = {twilio: TWILIO, whatsapp: WHATSAPP, telegram: TELEGRAM}[provider]
    for content_type in ("application/json", "application/x-www-form-urlencoded", ""):
        headers = {"Content-Type": content_type} if content_type else {}
        request = WebhookRequest("POST", "https://x/", headers, body)
        _check(provider.parse, request, config)
        assert provider.verify(request, config) is False
