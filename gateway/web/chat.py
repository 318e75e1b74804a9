"""The website chat widget: a page, a message endpoint and a live stream of replies (SSE)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    session,
    stream_with_context,
)
from sqlmodel import col, select

from channels.base import BadRequest
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime, runtime_of
from gateway.messaging.inbound import accept_events
from gateway.messaging.live import conversation_topic, event_stream
from gateway.messaging.providers import channel_config, hosted_chat_channel, provider_for
from gateway.store.models import Business, Channel, Conversation, Direction, Message, MessageStatus
from gateway.web import streams
from gateway.web.hardening import arg_id
from gateway.web.webhooks import to_webhook_request

bp = Blueprint("chat", __name__)

STREAM_SECONDS = 50
VISIBLE = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ)


def _webchat(rt: Runtime, slug: str) -> tuple[Business, Channel]:
    with session_scope(rt.engine) as db:
        business = db.exec(select(Business).where(Business.slug == slug)).first()
        channel = hosted_chat_channel(db, business.id) if business else None
    if business is None or channel is None:
        abort(404, "no web chat for this business")
    return business, channel


def _visitor() -> str:
    visitor = session.get("visitor")
    if not isinstance(visitor, str):
        visitor = secrets.token_urlsafe(16)
        session["visitor"] = visitor
        session.permanent = True
    return visitor


@bp.get("/chat/<slug>")
def page(slug: str) -> Any:
    """The chat page a customer opens."""
    business, _ = _webchat(runtime_of(current_app), slug)
    _visitor()
    return render_template("chat.html", business=business)


@bp.post("/chat/<slug>/messages")
def post_message(slug: str) -> Any:
    """A visitor's message: stored once (the page sends an id), enqueued, 202."""
    rt = runtime_of(current_app)
    _, channel = _webchat(rt, slug)
    if "visitor" not in session:
        abort(403, "open the chat page first")
    wreq = to_webhook_request(request, rt.settings)
    module = provider_for(channel)
    assert module.visitor_header is not None
    wreq = replace(wreq, headers={**wreq.headers, module.visitor_header: _visitor()})
    config = channel_config(rt.settings, channel)
    if not module.verify(wreq, config):
        abort(403)
    try:
        events = module.parse(wreq, config)
    except BadRequest as exc:
        abort(400, str(exc))
    accepted = accept_events(rt, channel, events)
    return jsonify(stored=len(accepted.stored), duplicates=accepted.duplicates), 202


def _conversation_id(rt: Runtime, channel: Channel, visitor: str) -> int | None:
    with session_scope(rt.engine) as db:
        return db.exec(
            select(Conversation.id)
            .where(
                Conversation.business_id == channel.business_id,
                Conversation.channel_id == channel.id,
                Conversation.address == visitor,
            )
            .order_by(col(Conversation.id).desc())
        ).first()


def _new_messages(rt: Runtime, business_id: int, conv_id: int, after: int) -> list[dict[str, Any]]:
    with session_scope(rt.engine) as db:
        rows = db.exec(
            select(Message)
            .where(
                Message.business_id == business_id,
                Message.conversation_id == conv_id,
                col(Message.id) > after,
                (col(Message.direction) == Direction.IN) | col(Message.status).in_(VISIBLE),
            )
            .order_by(col(Message.id))
        ).all()
        return [
            {
                "id": r.id,
                "direction": str(r.direction),
                "text": r.text,
                "buttons": r.buttons,
                "images": [a["url"] for a in r.attachments if a.get("kind") == "image"],
                "author": r.author,
            }
            for r in rows
            if r.kind != "edit"
        ]


@bp.get("/chat/<slug>/events")
def events(slug: str) -> Any:
    """Server-sent events: the conversation so far, then each new message as it is sent."""
    rt = runtime_of(current_app)
    business, channel = _webchat(rt, slug)
    if "visitor" not in session:
        abort(403, "open the chat page first")
    visitor = _visitor()
    after = arg_id(request.headers.get("Last-Event-ID") or request.args.get("after")) or 0
    assert business.id is not None
    stream = streams.limited(_stream(rt, business.id, channel, visitor, after), visitor)
    return Response(
        stream_with_context(stream),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _stream(
    rt: Runtime, business_id: int, channel: Channel, visitor: str, after: int
) -> Iterator[str]:
    def topics() -> list[str]:
        conv_id = _conversation_id(rt, channel, visitor)
        return [conversation_topic(conv_id)] if conv_id is not None else []

    def poll() -> str:
        nonlocal after
        conv_id = _conversation_id(rt, channel, visitor)
        if conv_id is None:
            return ""
        out = []
        for item in _new_messages(rt, business_id, conv_id, after):
            after = item["id"]
            out.append(f"id: {after}\ndata: {json.dumps(item)}\n\n")
        return "".join(out)

    return event_stream(rt.redis, topics, poll, STREAM_SECONDS)
