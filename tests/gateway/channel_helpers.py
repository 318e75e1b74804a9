"""Helpers for the channel tests: channels wired to the local fakes, signed webhooks, job runs."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from flask.testing import FlaskClient
from rq import SimpleWorker
from sqlmodel import col, select
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from channels.whatsapp import signature_for
from gateway.core.crypto import encrypt_credentials
from gateway.core.db import session_scope
from gateway.core.runtime import QUEUE_NAMES, Runtime
from gateway.messaging.inbox import materialize_pending
from gateway.messaging.outbound import Draft, enqueue_send, store_replies
from gateway.store.models import Business, Channel, Conversation, Direction, Message, utcnow
from tests.fakes import FakeGraph, FakeTelegram, FakeTwilio

PUBLIC = "https://bot.example.test"  # tests/conftest.py settings.public_url
TW_SID = "AC0123456789abcdef0123456789abcdef"
TW_TOKEN = "twilio-auth-token"
TW_NUMBER = "+14155550100"
TG_SECRET = "tg-secret_0123"
WA_SECRET = "meta-app-secret"
WA_PHONE_ID = "106540352242922"
WA_VERIFY = "verify-me"
CUSTOMER = "+34600111222"


@dataclass
class Wired:
    """The demo runtime with one channel per provider, each pointed at its local fake."""

    rt: Runtime
    twilio: FakeTwilio
    telegram: FakeTelegram
    graph: FakeGraph


def add_channel(
    rt: Runtime,
    channel_id: str,
    provider: str,
    credentials: dict[str, str],
    api_base: str | None = None,
    settings: dict[str, Any] | None = None,
    slug: str = "acme-dental",
) -> None:
    """Store a channel for a demo business, credentials encrypted as `channel add` does."""
    with session_scope(rt.engine) as session:
        business = session.exec(select(Business).where(Business.slug == slug)).one()
        assert business.id is not None
        session.add(
            Channel(
                id=channel_id,
                business_id=business.id,
                provider=provider,
                credentials_encrypted=encrypt_credentials(rt.settings.secret_key, credentials),
                api_base=api_base,
                settings=settings or {},
            )
        )


def wire(
    rt: Runtime,
    twilio: FakeTwilio,
    telegram: FakeTelegram,
    graph: FakeGraph,
    settings: dict[str, dict[str, Any]] | None = None,
) -> Wired:
    """Add the channels `tw`, `tg` and `wa` to acme-dental, each against its fake."""
    settings = settings or {}
    add_channel(
        rt,
        "tw",
        "twilio",
        {"account_sid": TW_SID, "auth_token": TW_TOKEN, "from_number": TW_NUMBER},
        twilio.base_url,
        settings.get("tw"),
    )
    add_channel(
        rt,
        "tg",
        "telegram",
        {"token": telegram.token, "secret_token": TG_SECRET},
        telegram.base_url,
        settings.get("tg"),
    )
    add_channel(
        rt,
        "wa",
        "whatsapp",
        {
            "access_token": graph.access_token,
            "app_secret": WA_SECRET,
            "verify_token": WA_VERIFY,
            "phone_number_id": WA_PHONE_ID,
        },
        graph.base_url,
        settings.get("wa"),
    )
    return Wired(rt, twilio, telegram, graph)


# --- signed webhooks ----------------------------------------------------------------------------


def post_twilio(
    client: FlaskClient,
    params: dict[str, str],
    *,
    channel: str = "tw",
    status: bool = False,
    token: str = TW_TOKEN,
    signed_path: str | None = None,
) -> TestResponse:
    """POST a form to the Twilio route, signed as Twilio signs it (over the public URL)."""
    path = f"/webhooks/twilio/{channel}" + ("/status" if status else "")
    signature = RequestValidator(token).compute_signature(PUBLIC + (signed_path or path), params)
    return client.post(
        path,
        data=urlencode(params),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": signature},
    )


def post_telegram(
    client: FlaskClient,
    update: dict[str, Any] | bytes,
    *,
    channel: str = "tg",
    secret: str | None = TG_SECRET,
    content_type: str = "application/json",
) -> TestResponse:
    """POST an update to the Telegram route with the secret-token header."""
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return client.post(
        f"/webhooks/telegram/{channel}", data=body, content_type=content_type, headers=headers
    )


def post_whatsapp(
    client: FlaskClient,
    payload: dict[str, Any] | bytes,
    *,
    channel: str = "wa",
    secret: str | None = WA_SECRET,
    content_type: str = "application/json",
) -> TestResponse:
    """POST an event to the Cloud API route, signed over the raw body as Meta signs it."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"X-Hub-Signature-256": signature_for(body, secret)} if secret else {}
    return client.post(
        f"/webhooks/whatsapp/{channel}", data=body, content_type=content_type, headers=headers
    )


# --- payloads in the providers' documented shapes -------------------------------------------


def sms(body: str, sid: str, sender: str = CUSTOMER, **extra: str) -> dict[str, str]:
    """An inbound SMS as Twilio posts it."""
    return {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": TW_SID,
        "From": sender,
        "To": TW_NUMBER,
        "Body": body,
        "NumMedia": "0",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
        **extra,
    }


def twilio_whatsapp(body: str, sid: str, sender: str = CUSTOMER, **extra: str) -> dict[str, str]:
    """An inbound WhatsApp message through Twilio."""
    return sms(
        body,
        sid,
        sender=f"whatsapp:{sender}",
        To=f"whatsapp:{TW_NUMBER}",
        WaId=sender.lstrip("+"),
        ProfileName="Lucía",
        **extra,
    )


def tg_message(
    text: str, message_id: int, update_id: int | None = None, chat_id: int = 987654321
) -> dict[str, Any]:
    """A Telegram `message` update from a private chat."""
    return {
        "update_id": update_id or 800000000 + message_id,
        "message": {
            "message_id": message_id,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Lucía"},
            "chat": {"id": chat_id, "first_name": "Lucía", "type": "private"},
            "date": int(time.time()),
            "text": text,
        },
    }


def cloud_event(value: dict[str, Any]) -> dict[str, Any]:
    """Wrap a `value` in the Cloud API's entry/changes envelope."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": WA_PHONE_ID,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }


def cloud_message(
    wamid: str, kind: str, content: dict[str, Any], sender: str = CUSTOMER
) -> dict[str, Any]:
    """An inbound Cloud API message event of one type."""
    wa_id = sender.lstrip("+")
    return cloud_event(
        {
            "contacts": [{"profile": {"name": "Lucía Pérez"}, "wa_id": wa_id}],
            "messages": [
                {
                    "from": wa_id,
                    "id": wamid,
                    "timestamp": str(int(time.time())),
                    "type": kind,
                    kind: content,
                }
            ],
        }
    )


def cloud_status(wamid: str, status: str, code: int | None = None) -> dict[str, Any]:
    """A Cloud API status event for a message we sent."""
    entry: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": str(int(time.time())),
        "recipient_id": CUSTOMER.lstrip("+"),
    }
    if code is not None:
        entry["errors"] = [{"code": code, "title": "Re-engagement message"}]
    return cloud_event({"statuses": [entry]})


# --- the store and the jobs ---------------------------------------------------------------------


def drain(rt: Runtime) -> None:
    """Run every queued job (processing, sending, channel jobs) with a real RQ worker, in this
    process, until the queues are empty. Scheduled (delayed) jobs stay scheduled."""
    worker = SimpleWorker([rt.queue(n) for n in QUEUE_NAMES], connection=rt.redis)
    worker.work(burst=True, logging_level="WARNING")


def settle(rt: Runtime) -> None:
    """Turn webhook events still in the inbox into contacts, conversations and messages (the
    worker's first step, without running the bot)."""
    materialize_pending(rt)


def rows(rt: Runtime, direction: str | None = None, channel: str | None = None) -> list[Message]:
    """Stored messages, oldest first (webhook events still in the inbox turned into messages
    first, as the worker's first step does)."""
    settle(rt)
    with session_scope(rt.engine) as session:
        stmt = select(Message).order_by(col(Message.id))
        if direction:
            stmt = stmt.where(Message.direction == direction)
        if channel:
            stmt = stmt.where(Message.channel_id == channel)
        return list(session.exec(stmt).all())


def conversation(rt: Runtime, channel: str) -> Conversation:
    """The one conversation on a channel."""
    with session_scope(rt.engine) as session:
        return session.exec(select(Conversation).where(Conversation.channel_id == channel)).one()


def queue_reply(
    rt: Runtime, channel: str, draft: Draft, *, reply_to_id: int | None = None
) -> list[int]:
    """Store a reply on the channel's conversation and enqueue it: the real sending path."""
    with session_scope(rt.engine) as session:
        conv = session.exec(select(Conversation).where(Conversation.channel_id == channel)).one()
        ids = store_replies(session, conv, [draft], reply_to_id=reply_to_id)
    for message_id in ids:
        enqueue_send(rt, message_id)
    return ids


def last_inbound_id(rt: Runtime, channel: str) -> int:
    """The newest inbound message id of a channel."""
    inbound = rows(rt, Direction.IN, channel)
    assert inbound and inbound[-1].id is not None
    return inbound[-1].id


def age_conversation(rt: Runtime, channel: str, hours: float) -> None:
    """Pretend the customer last wrote `hours` ago."""
    with session_scope(rt.engine) as session:
        conv = session.exec(select(Conversation).where(Conversation.channel_id == channel)).one()
        conv.last_inbound_at = utcnow() - timedelta(hours=hours)


def scheduled_jobs(rt: Runtime, queue: str = "outbound") -> list[tuple[str, datetime]]:
    """Jobs waiting in a queue's schedule, with when they are due."""
    registry = rt.queue(queue).scheduled_job_registry
    return [(job_id, registry.get_scheduled_time(job_id)) for job_id in registry.get_job_ids()]
