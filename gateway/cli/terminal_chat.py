"""`switchboard chat`: a terminal conversation through the web chat channel's pipeline."""

from __future__ import annotations

import getpass
import time
import uuid

import click
from rq import SimpleWorker, Worker
from sqlmodel import col, select

from channels.base import InboundMessage, Network
from gateway.core.db import session_scope
from gateway.core.errors import NotFound
from gateway.core.runtime import Runtime, set_runtime
from gateway.messaging.inbound import accept_events
from gateway.messaging.providers import hosted_chat_channel
from gateway.store.models import Business, Channel, Conversation, Direction, Message, MessageStatus

VISIBLE = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ)


def _channel(rt: Runtime, slug: str) -> Channel:
    with session_scope(rt.engine) as db:
        business = db.exec(select(Business).where(Business.slug == slug)).first()
        if business is None:
            raise NotFound(f"no business with slug {slug!r}")
        channel = hosted_chat_channel(db, business.id)
        if channel is None:
            raise NotFound(f"business {slug!r} has no webchat channel to chat through")
        return channel


def _replies_after(rt: Runtime, channel: Channel, visitor: str, after: int) -> list[Message]:
    with session_scope(rt.engine) as db:
        return list(
            db.exec(
                select(Message)
                .join(Conversation, col(Conversation.id) == col(Message.conversation_id))
                .where(
                    Message.business_id == channel.business_id,
                    Conversation.channel_id == channel.id,
                    Conversation.address == visitor,
                    Message.direction == Direction.OUT,
                    col(Message.status).in_(VISIBLE),
                    col(Message.id) > after,
                )
                .order_by(col(Message.id))
            ).all()
        )


def run_terminal_chat(rt: Runtime, slug: str) -> None:
    """Read lines, send each through the pipeline, print the replies as they are sent."""
    set_runtime(rt)
    channel = _channel(rt, slug)
    visitor = f"cli-{getpass.getuser()}"
    click.echo(f"Chatting with {slug} as {visitor}. Ctrl-D to leave.")
    after = 0
    while True:
        try:
            text = input("you> ").strip()
        except EOFError:
            return
        if not text:
            continue
        msg = InboundMessage(
            provider_message_id=uuid.uuid4().hex,
            sender_id=visitor,
            network=Network.WEBCHAT,
            text=text,
        )
        accept_events(rt, channel, [msg])
        after = _await_replies(rt, channel, visitor, after)


def _await_replies(rt: Runtime, channel: Channel, visitor: str, after: int) -> int:
    queues = [rt.queue("inbound"), rt.queue("outbound")]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if not Worker.all(connection=rt.redis):
            SimpleWorker(queues, connection=rt.redis).work(burst=True, logging_level="WARNING")
        replies = _replies_after(rt, channel, visitor, after)
        if replies:
            for reply in replies:
                click.echo(f"bot> {reply.text}")
                for button in reply.buttons:
                    click.echo(f"     [{button['title']}]")
                after = reply.id or after
            time.sleep(0.3)
            if not _replies_after(rt, channel, visitor, after):
                return after
        time.sleep(0.1)
    click.echo("(no reply yet: is a worker running?)")
    return after
