"""Shared helpers for the provider tests: signed requests, event snapshots, fake fixtures."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from channels.base import ChannelConfig, Event, InboundMessage, WebhookRequest
from channels.whatsapp import signature_for
from tests.fakes import fake_graph, fake_telegram, fake_twilio  # noqa: F401  (pytest fixtures)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

TWILIO_URL = "https://switchboard.example.com/webhooks/twilio/ch_tw"
TWILIO = ChannelConfig(
    id="ch_tw",
    provider="twilio",
    credentials={
        "account_sid": "AC0123456789abcdef0123456789abcdef",
        "auth_token": "twilio-auth-token",
        "from_number": "+14155550100",
    },
    webhook_url=TWILIO_URL,
)
WHATSAPP = ChannelConfig(
    id="ch_wa",
    provider="whatsapp",
    credentials={
        "access_token": "EAAG-test-token",
        "app_secret": "meta-app-secret",
        "verify_token": "verify-me",
        "phone_number_id": "106540352242922",
    },
)
TELEGRAM = ChannelConfig(
    id="ch_tg",
    provider="telegram",
    credentials={"token": "123456:TEST-token", "secret_token": "tg-secret_0123"},
)


def fixture_files(provider: str) -> list[Path]:
    """Every recorded payload of a provider (sidecar expectations excluded)."""
    folder = FIXTURES / provider
    return sorted(p for p in folder.glob("*.json") if not p.name.endswith(".expected.json"))


def expected_for(path: Path) -> list[dict[str, Any]]:
    """The sidecar expectation of a payload file."""
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def twilio_request(
    params: dict[str, str], *, url: str = TWILIO_URL, token: str = "twilio-auth-token"
) -> WebhookRequest:
    """A form POST signed the way Twilio signs it."""
    signature = RequestValidator(token).compute_signature(url, params)
    return WebhookRequest(
        method="POST",
        url=url,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
        },
        body=urlencode(params).encode("utf-8"),
    )


def whatsapp_request(body: bytes, secret: str = "meta-app-secret") -> WebhookRequest:
    """A JSON POST signed the way Meta signs it."""
    return WebhookRequest(
        method="POST",
        url="https://switchboard.example.com/webhooks/whatsapp/ch_wa",
        headers={
            "Content-Type": "application/json",
            "X-Hub-Signature-256": signature_for(body, secret),
        },
        body=body,
    )


def telegram_request(body: bytes, secret: str | None = "tg-secret_0123") -> WebhookRequest:
    """A JSON POST with Telegram's secret-token header."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return WebhookRequest(
        method="POST",
        url="https://switchboard.example.com/webhooks/telegram/ch_tg",
        headers=headers,
        body=body,
    )


def snapshot(event: Event) -> dict[str, Any]:
    """An event as plain JSON data, without `raw` and without fields left at their default."""
    out: dict[str, Any] = {"type": "inbound" if isinstance(event, InboundMessage) else "status"}
    for f in fields(event):
        if f.name == "raw":
            continue
        value = getattr(event, f.name)
        if value in (None, "", ()) or (f.name == "kind" and value == "text"):
            continue
        out[f.name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)
                if getattr(value, f.name) is not None}  # fmt: skip
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value
