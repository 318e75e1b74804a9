"""Staff notifications (SMTP, Telegram, Twilio SMS against local fakes) and the timeout."""

from __future__ import annotations

import email
import socketserver
import threading
from collections.abc import Iterator
from email.message import Message as EmailMessage
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.cli.config_file import apply_config, parse_config
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.handoff.jobs import notify_handoff
from gateway.handoff.requests import request_handoff
from gateway.store.models import Business, Conversation, Handoff
from tests.fakes import FakeTelegram, FakeTwilio, fake_telegram, fake_twilio  # noqa: F401
from tests.gateway import WITH_ECHO
from tests.gateway.chat_helpers import open_chat, say, sent_replies
from tests.support import WorkerPool, wait_for

pytestmark = pytest.mark.db


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    server: FakeSMTP

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 fake ESMTP")
        sender, recipients = "", []
        while line := self.rfile.readline():
            verb = line.decode().strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-fake\r\n250 8BITMIME")
            elif verb == "MAIL":
                sender = line.decode().split(":", 1)[1].strip()
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.server.mails.append((sender, recipients, email.message_from_bytes(data)))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


class FakeSMTP(socketserver.ThreadingTCPServer):
    """A local SMTP server that keeps what it receives."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.mails: list[tuple[str, list[str], EmailMessage]] = []

    @property
    def port(self) -> int:
        return int(self.server_address[1])


@pytest.fixture
def smtp() -> Iterator[FakeSMTP]:
    """A running fake SMTP server."""
    server = FakeSMTP()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def set_settings(rt: Runtime, slug: str, **settings: Any) -> None:
    """Merge settings into a business."""
    with session_scope(rt.engine) as db:
        business = db.exec(select(Business).where(Business.slug == slug)).one()
        business.settings = {**business.settings, **settings}


def test_email_alert_then_after_the_timeout_a_polite_word_and_a_second_alert(
    client: FlaskClient, demo: Runtime, worker_pool: WorkerPool, smtp: FakeSMTP
) -> None:
    set_settings(
        demo,
        "acme-dental",
        staff_notify={
            "kind": "email",
            "host": "127.0.0.1",
            "port": smtp.port,
            "to": "desk@acme.example",
            "from": "bot@acme.example",
        },
        handoff={"timeout_seconds": 2},
    )
    worker_pool.start(1)
    open_chat(client)
    say(client, "I want to talk to a person")
    wait_for(lambda: smtp.mails, timeout=60)  # the worker loads its models first
    sender, recipients, first = smtp.mails[0]
    assert recipients == ["desk@acme.example"]
    assert "needs a person (high)" in first["Subject"]
    body = first.get_payload()
    assert isinstance(body, str)
    assert "Customer: I want to talk to a person" in body
    assert "https://bot.example.test/console/c/" in body

    second = wait_for(lambda: len(smtp.mails) >= 2 and smtp.mails[1][2], timeout=30)
    assert "Still waiting for a person" in second["Subject"]
    polite = wait_for(lambda: len(sent_replies(demo)) == 2 and sent_replies(demo)[1])
    assert polite.author == "system" and "Sorry for the wait" in polite.text
    with session_scope(demo.engine) as db:
        handoff = db.exec(select(Handoff)).one()
        assert handoff.alerted_at is not None and handoff.status == "open"


def _open_handoff(client: FlaskClient, rt: Runtime) -> int:
    open_chat(client)
    say(client, "hello")
    with session_scope(rt.engine) as db:
        conv = db.exec(select(Conversation)).one()
        handoff = request_handoff(rt, db, conv, "customer_asked", 2)
        assert handoff.id is not None
        return handoff.id


def test_telegram_alert_through_a_bot_token(
    client: FlaskClient,
    demo: Runtime,
    fake_telegram: FakeTelegram,  # noqa: F811
) -> None:
    set_settings(
        demo,
        "acme-dental",
        staff_notify={
            "kind": "telegram",
            "chat_id": "-100200300",
            "bot_token": fake_telegram.token,
            "api_base": fake_telegram.base_url,
        },
    )
    handoff_id = _open_handoff(client, demo)
    assert notify_handoff(handoff_id) == "sent:1"
    [call] = fake_telegram.method_calls("sendMessage")
    params = fake_telegram.params(call)
    assert str(params["chat_id"]) == "-100200300"
    assert "needs a person" in params["text"] and "Customer: hello" in params["text"]


def test_sms_alert_through_the_business_twilio_channel(
    client: FlaskClient,
    demo: Runtime,
    fake_twilio: FakeTwilio,  # noqa: F811
) -> None:
    sid, token = "AC" + "1" * 32, "twilio-auth-token"
    fake_twilio.auth_tokens[sid] = token
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
      - id: acme-sms
        provider: twilio
        api_base: {fake_twilio.base_url}
        account_sid: {sid}
        auth_token: {token}
        from_number: "+34911000000"
"""
    with session_scope(demo.engine) as db:
        apply_config(db, parse_config(yaml, env={}, templates=WITH_ECHO), demo.settings.secret_key)
    set_settings(
        demo,
        "acme-dental",
        staff_notify=[{"kind": "sms", "to": "+34600111222", "channel": "acme-sms"}],
    )
    handoff_id = _open_handoff(client, demo)
    assert notify_handoff(handoff_id) == "sent:1"
    [call] = fake_twilio.messages()
    assert call.param("To") == "+34600111222" and "needs a person" in (call.param("Body") or "")


def test_a_channel_of_another_business_is_refused_and_a_dead_smtp_is_retried(
    client: FlaskClient, demo: Runtime
) -> None:
    set_settings(
        demo, "acme-dental", staff_notify={"kind": "sms", "to": "+1", "channel": "other-web"}
    )
    handoff_id = _open_handoff(client, demo)
    assert notify_handoff(handoff_id) == "failed"
    set_settings(
        demo,
        "acme-dental",
        staff_notify={"kind": "email", "host": "127.0.0.1", "port": 1, "to": "desk@acme.example"},
    )
    assert notify_handoff(handoff_id) == "retrying"
