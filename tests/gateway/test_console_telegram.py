"""A Telegram customer: the handoff and the staff reply go through the Telegram fake."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.cli.config_file import apply_config, parse_config
from gateway.console.staff import add_staff, business_by_slug
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import Conversation, Handoff
from tests.fakes import FakeTelegram, fake_telegram  # noqa: F401
from tests.gateway import WITH_ECHO
from tests.gateway.test_console import csrf, sign_in
from tests.support import WorkerPool, wait_for

pytestmark = pytest.mark.db

SECRET = "telegram-webhook-secret-0123456789"


def update(update_id: int, text: str) -> dict[str, object]:
    """A private-chat text update as Telegram posts it."""
    person = {"id": 987654321, "first_name": "Lucía", "language_code": "es"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": {**person, "is_bot": False},
            "chat": {**person, "type": "private"},
            "date": 1749416383,
            "text": text,
        },
    }


def test_staff_reply_reaches_a_telegram_customer(
    client: FlaskClient,
    demo: Runtime,
    worker_pool: WorkerPool,
    fake_telegram: FakeTelegram,  # noqa: F811
) -> None:
    yaml = f"""
businesses:
  - slug: acme-dental
    name: Acme Dental
    template: echo
    timezone: Europe/Madrid
    country: ES
    languages: [en, es]
    channels:
      - id: acme-web
        provider: webchat
      - id: acme-tg
        provider: telegram
        api_base: {fake_telegram.base_url}
        token: "{fake_telegram.token}"
        secret_token: {SECRET}
"""
    with session_scope(demo.engine) as db:
        apply_config(db, parse_config(yaml, env={}, templates=WITH_ECHO), demo.settings.secret_key)
        add_staff(db, business_by_slug(db, "acme-dental"), "ana@acme.example", "long-password-1")
    worker_pool.start(1)

    def post(update_id: int, text: str) -> None:
        response = client.post(
            "/webhooks/telegram/acme-tg",
            data=json.dumps(update(update_id, text)),
            content_type="application/json",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status_code == 200

    def sent_texts() -> list[str]:
        calls = fake_telegram.method_calls("sendMessage")
        return [str(fake_telegram.params(c)["text"]) for c in calls]

    post(1, "quiero hablar con una persona")
    wait_for(lambda: sent_texts(), timeout=60)
    assert sent_texts() == ["Te paso con una persona de Acme Dental; te contestará por aquí."]
    with session_scope(demo.engine) as db:
        conv_id = db.exec(select(Handoff.conversation_id)).one()

    sign_in(client, "ana@acme.example", "long-password-1")
    token = csrf(client, f"/console/c/{conv_id}")
    response = client.post(
        f"/console/c/{conv_id}/reply", data={"text": "Hola Lucía, soy Ana", "csrf_token": token}
    )
    assert response.status_code == 302
    wait_for(lambda: len(sent_texts()) == 2)
    last = fake_telegram.params(fake_telegram.method_calls("sendMessage")[-1])
    assert (str(last["chat_id"]), last["text"]) == ("987654321", "Hola Lucía, soy Ana")

    client.post(f"/console/c/{conv_id}/return", data={"csrf_token": token})
    post(2, "hola otra vez")
    wait_for(lambda: len(sent_texts()) == 3)
    with session_scope(demo.engine) as db:
        conv = db.get(Conversation, conv_id)
        assert conv is not None and conv.state == "bot"
