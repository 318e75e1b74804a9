"""`/webhooks/<provider>/<channel_id>`: verify, parse, store once, enqueue, answer at once."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, Request, Response, abort, current_app, jsonify, request

from channels.base import BadRequest, ChannelConfig, WebhookRequest
from gateway.app import runtime_of
from gateway.channel_config import channel_config, provider_for
from gateway.db import session_scope
from gateway.errors import ConfigError
from gateway.inbound import accept_events
from gateway.models import Channel
from gateway.settings import Settings

log = logging.getLogger(__name__)

bp = Blueprint("webhooks", __name__)


def to_webhook_request(req: Request, settings: Settings) -> WebhookRequest:
    """Rebuild the request as the provider made it, with the public URL it signed."""
    body = req.get_data(cache=True)
    url = settings.public_url + req.path
    if req.query_string:
        url += "?" + req.query_string.decode("latin-1")
    form = None
    if req.mimetype == "application/x-www-form-urlencoded":
        try:
            form = dict(
                parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            )
        except UnicodeDecodeError:
            abort(400, "form body is not UTF-8")
    return WebhookRequest(
        method=req.method,
        url=url,
        headers={k: v for k, v in req.headers.items()},
        body=body,
        query={k: v for k, v in req.args.items()},
        form=form,
    )


def load_channel(provider: str, channel_id: str) -> tuple[Channel, ChannelConfig]:
    """The channel named in the URL, 404 when unknown or of another provider."""
    rt = runtime_of(current_app)
    with session_scope(rt.engine) as session:
        channel = session.get(Channel, channel_id)
    if channel is None or channel.provider != provider:
        abort(404, "no such channel")
    try:
        return channel, channel_config(rt.settings, channel)
    except ConfigError as exc:
        log.error(
            "channel credentials unreadable", extra={"channel_id": channel_id, "error": str(exc)}
        )
        abort(503, "channel misconfigured")


@bp.get("/webhooks/<provider>/<channel_id>")
def handshake(provider: str, channel_id: str) -> Any:
    """A provider's subscription check (WhatsApp Cloud API's hub.challenge)."""
    channel, config = load_channel(provider, channel_id)
    module = provider_for(channel)
    if module.handshake is None:
        abort(405)
    wreq = to_webhook_request(request, runtime_of(current_app).settings)
    answer = module.handshake(wreq, config)
    if answer is None:
        abort(403, "verification failed")
    return Response(answer, mimetype="text/plain")


@bp.post("/webhooks/<provider>/<channel_id>")
@bp.post("/webhooks/<provider>/<channel_id>/status")
def receive(provider: str, channel_id: str) -> Any:
    """Accept a provider's POST: 403 when unsigned, 400 when malformed, 200 otherwise."""
    rt = runtime_of(current_app)
    channel, config = load_channel(provider, channel_id)
    module = provider_for(channel)
    wreq = to_webhook_request(request, rt.settings)
    if not module.verify(wreq, config):
        log.warning("webhook signature rejected", extra={"channel_id": channel_id})
        abort(403, "signature check failed")
    try:
        events = module.parse(wreq, config)
    except BadRequest as exc:
        abort(400, str(exc))
    accepted = accept_events(rt, channel, events)
    return jsonify(
        stored=len(accepted.stored), duplicates=accepted.duplicates, statuses=accepted.statuses
    )
