"""The website chat's API: a visitor token, a message endpoint and a live stream of replies
(SSE), open to other sites (CORS) as the business allows; the pages are in `web.widget`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    request,
    stream_with_context,
)
from sqlmodel import Session, col, select

from channels.base import BadRequest
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime, runtime_of
from gateway.messaging.inbound import accept_events
from gateway.messaging.live import conversation_topic, event_stream
from gateway.messaging.providers import channel_config, hosted_chat_channel, provider_for
from gateway.store.models import (
    Business,
    Channel,
    Conversation,
    Direction,
    Message,
    MessageStatus,
    StaffUser,
)
from gateway.web import cors, streams, visitors
from gateway.web.hardening import arg_id
from gateway.web.webhooks import to_webhook_request

bp = Blueprint("chat", __name__)

STREAM_SECONDS = 50
VISIBLE = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ)
CROSS_ORIGIN = {"chat.session_token", "chat.post_message", "chat.events"}


def webchat(rt: Runtime, slug: str) -> tuple[Business, Channel]:
    """The business of `slug` and its hosted chat channel, or 404."""
    with session_scope(rt.engine) as db:
        business = db.exec(select(Business).where(Business.slug == slug)).first()
        channel = hosted_chat_channel(db, business.id) if business else None
    if business is None or channel is None or business.id is None:
        abort(404, "no web chat for this business")
    return business, channel


@bp.before_request
def _cross_origin() -> Any:
    """The business's allowed origins for the public endpoints; preflights answered here."""
    if request.endpoint not in CROSS_ORIGIN or request.view_args is None:
        return None
    _, channel = webchat(runtime_of(current_app), str(request.view_args.get("slug")))
    g.chat_origins = cors.allowed_origins(channel.settings)
    if request.method == "OPTIONS":
        return cors.preflight(g.chat_origins)
    cors.check_origin(g.chat_origins)
    return None


@bp.after_request
def _cors_headers(response: Response) -> Response:
    origins = g.get("chat_origins")
    return cors.add_headers(response, origins) if origins is not None else response


@bp.route("/chat/<slug>/session", methods=["POST", "OPTIONS"])
def session_token(slug: str) -> Any:
    """A visitor token: the same visitor for a valid token (or the hosted page's cookie)."""
    rt = runtime_of(current_app)
    business, _ = webchat(rt, slug)
    assert business.id is not None
    visitor = visitors.renew(rt.settings.secret_key, business.id)
    token = visitors.issue(rt.settings.secret_key, business.id, visitor)
    return jsonify(token=token, expires_in=visitors.TOKEN_SECONDS)


def _visitor_of(rt: Runtime, slug: str) -> tuple[int, Channel, str]:
    """The business id, its chat channel and this request's visitor (401/403/404 otherwise)."""
    business, channel = webchat(rt, slug)
    assert business.id is not None
    return business.id, channel, visitors.require_visitor(rt.settings.secret_key, business.id)


@bp.route("/chat/<slug>/messages", methods=["POST", "OPTIONS"])
def post_message(slug: str) -> Any:
    """A visitor's message: stored once (the page sends an id, a retry is a duplicate), 202."""
    rt = runtime_of(current_app)
    _, channel, visitor = _visitor_of(rt, slug)
    wreq = to_webhook_request(request, rt.settings)
    module = provider_for(channel)
    assert module.visitor_header is not None
    wreq = replace(wreq, headers={**wreq.headers, module.visitor_header: visitor})
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


def staff_name(email: str) -> str:
    """How a staff member signs in the chat: the first word of their e-mail's name part."""
    local = email.split("@", 1)[0]
    first = local.replace("_", ".").replace("-", ".").replace("+", ".").split(".")[0]
    return first.capitalize() or "Staff"


def _staff_names(db: Session, business_id: int, rows: list[Message]) -> dict[str, str]:
    ids = {int(a) for r in rows if (a := r.author.removeprefix("staff:")).isdigit()}
    if not ids:
        return {}
    staff = db.exec(
        select(StaffUser).where(StaffUser.business_id == business_id, col(StaffUser.id).in_(ids))
    ).all()
    return {f"staff:{s.id}": staff_name(s.email) for s in staff}


def _item(r: Message, names: dict[str, str]) -> dict[str, Any]:
    author = "staff" if r.author.startswith("staff:") else r.author
    return {
        "id": r.id,
        "client_id": r.provider_message_id if r.direction == Direction.IN else None,
        "direction": str(r.direction),
        "text": r.text,
        "buttons": r.buttons,
        "images": [a["url"] for a in r.attachments if a.get("kind") == "image"],
        "author": author,
        "name": names.get(r.author) if author == "staff" else None,
        "at": r.created_at.isoformat(timespec="seconds").replace("+00:00", "") + "Z",
    }


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
        rows = [r for r in rows if r.kind != "edit"]
        names = _staff_names(db, business_id, rows)
        return [_item(r, names) for r in rows]


@bp.route("/chat/<slug>/events", methods=["GET", "OPTIONS"])
def events(slug: str) -> Any:
    """Server-sent events: the conversation so far, then each new message as it is sent."""
    rt = runtime_of(current_app)
    business_id, channel, visitor = _visitor_of(rt, slug)
    after = arg_id(request.headers.get("Last-Event-ID") or request.args.get("after")) or 0
    stream = streams.limited(_stream(rt, business_id, channel, visitor, after), visitor)
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
