"""A provider the gateway has never heard of works once it is in the registry: the gateway asks
its hooks (`channels.base.Provider`) and never its name."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

import channels
from channels.base import (
    Button,
    ChannelConfig,
    Event,
    InboundMessage,
    Network,
    OutboundMessage,
    Provider,
    RateLimit,
    SendResult,
    SentOptions,
    Setup,
    SetupError,
    SetupField,
    SetupLinks,
    StatusUpdate,
    WebhookAnswer,
    WebhookRequest,
)
from gateway.cli.main import cli
from gateway.core.crypto import decrypt_credentials
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging import ratelimit
from gateway.messaging.keywords import map_button_reply
from gateway.messaging.providers import provider_for
from gateway.store.models import Channel, Contact, Conversation, Direction, Message, MessageStatus
from tests.gateway.channel_helpers import add_channel, rows
from tests.support import settings_env

pytestmark = pytest.mark.db

SECRET = "pigeon-secret"


def _verify(request: WebhookRequest, config: ChannelConfig) -> bool:
    return request.header("X-Pigeon") == config.credentials.get("secret")


def _parse(request: WebhookRequest, config: ChannelConfig) -> list[Event]:
    data = json.loads(request.body)
    if "status" in data:
        return [StatusUpdate(provider_message_id=data["id"], status=data["status"])]
    return [InboundMessage(provider_message_id=data["id"], sender_id="coop-7",
                           network=Network.SMS, text=data["text"], raw=data)]  # fmt: skip


def _send(message: OutboundMessage, config: ChannelConfig) -> SendResult:
    return SendResult(provider_message_ids=("p-1",))


def _match(
    text: str, payload: str | None, raw: Mapping[str, Any], sent: Sequence[SentOptions]
) -> Button | None:
    return next((b for b in sent[0].buttons if b.title.lower() == text.lower()), None)


def _setup_prepare(values: Mapping[str, str]) -> dict[str, str]:
    if len(values["secret"]) < 8:
        raise SetupError("secret: at least 8 characters")
    return {"secret": values["secret"]}


def _setup_connect(config: ChannelConfig, links: SetupLinks) -> tuple[str, ...]:
    return (f"Tell the loft to fly to {links.webhook_url}",)


PIGEON = Provider(
    name="pigeon",
    verify=_verify,
    parse=_parse,
    send=_send,
    match_option=_match,
    webhook_answer=WebhookAnswer("coo", "text/plain"),
    status_webhook=True,
    rate_limit=RateLimit(2.0, 4.0),
    setup=Setup(
        title="Pigeon post",
        fields=(SetupField("secret", "The loft's secret.", secret=True, required=True),),
        prepare=_setup_prepare,
        connect=_setup_connect,
    ),
)


@pytest.fixture
def pigeon(demo: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setitem(channels.PROVIDERS, "pigeon", PIGEON)
    add_channel(demo, "loft", "pigeon", {"secret": SECRET})
    return demo


def _post(client: FlaskClient, path: str, body: dict[str, Any], secret: str = SECRET) -> Any:
    return client.post(
        path, data=json.dumps(body), content_type="application/json", headers={"X-Pigeon": secret}
    )


def test_its_webhooks_answer_as_it_asks_and_store_once(
    client: FlaskClient, pigeon: Runtime
) -> None:
    answer = _post(client, "/webhooks/pigeon/loft", {"id": "m1", "text": "hello"})
    assert answer.status_code == 200
    assert answer.get_data(as_text=True) == "coo" and answer.mimetype == "text/plain"
    assert _post(client, "/webhooks/pigeon/loft", {"id": "m1", "text": "hello"}).status_code == 200
    assert [r.text for r in rows(pigeon) if r.direction == Direction.IN] == ["hello"]
    assert (
        _post(client, "/webhooks/pigeon/loft", {"id": "m2", "text": "x"}, "bad").status_code == 403
    )
    status = _post(client, "/webhooks/pigeon/loft/status", {"id": "p-1", "status": "delivered"})
    assert status.status_code == 200 and status.get_data(as_text=True) == "coo"


def test_its_option_matching_and_rate_limits_are_used(pigeon: Runtime) -> None:
    with session_scope(pigeon.engine) as session:
        channel = session.get(Channel, "loft")
        assert channel is not None
        assert ratelimit.limits_for(provider_for(channel), {}).channel == RateLimit(2.0, 4.0)
        contact = Contact(business_id=channel.business_id)
        session.add(contact)
        session.flush()
        assert contact.id is not None
        conv = Conversation(business_id=channel.business_id, contact_id=contact.id,
                            channel_id="loft", network="sms", address="coop-7")  # fmt: skip
        session.add(conv)
        session.flush()
        assert conv.id is not None

        def message(direction: str, text: str, **extra: Any) -> Message:
            assert conv.id is not None
            row = Message(business_id=channel.business_id, conversation_id=conv.id,
                          channel_id="loft", direction=direction, text=text,
                          status=MessageStatus.SENT, **extra)  # fmt: skip
            session.add(row)
            session.flush()
            return row

        message(
            Direction.OUT, "Which?", annotations={"options": [{"id": "seed", "title": "Seeds"}]}
        )
        reply = message(Direction.IN, "seeds")
        assert map_button_reply(session, channel, conv, reply) == Button("seed", "Seeds")
        assert reply.payload == "seed"


def test_its_setup_is_a_channel_add_command(pigeon: Runtime) -> None:
    env = settings_env(pigeon.settings)
    args = ["channel", "add", "pigeon", "--business", "acme-dental", "--id", "loft-2"]
    refused = CliRunner().invoke(cli, [*args, "--secret", "short"], env=env)
    assert refused.exit_code != 0 and "at least 8 characters" in refused.output
    done = CliRunner().invoke(cli, [*args, "--secret", "long-enough-secret"], env=env)
    assert done.exit_code == 0, done.output
    assert "Pigeon post channel loft-2 added for acme-dental." in done.output
    assert "Tell the loft to fly to https://bot.example.test/webhooks/pigeon/loft-2" in done.output
    assert "long-enough-secret" not in done.output
    with session_scope(pigeon.engine) as session:
        channel = session.get(Channel, "loft-2")
        assert channel is not None and channel.provider == "pigeon"
        secrets = decrypt_credentials(pigeon.settings.secret_key, channel.credentials_encrypted)
    assert secrets == {"secret": "long-enough-secret"}
