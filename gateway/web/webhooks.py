"""`/webhooks/<provider>/<channel_id>`: verify, parse, store once, enqueue, answer at once.

Routes (what a business pastes into the provider's console, see README "Channels"):
- `POST /webhooks/<provider>/<id>` the provider's events, answered with the provider's
  `webhook_answer` (Twilio: empty TwiML) or JSON counts;
- `POST /webhooks/<provider>/<id>/status` delivery reports, for a provider with
  `status_webhook` (Twilio's status callbacks, signed over this URL);
- `GET /webhooks/<provider>/<id>` a provider's subscription `handshake` (the Cloud API's).
A channel the gateway hosts itself (the web chat, `visitor_header`) takes no webhooks.
A forged or missing signature is 403 and nothing is stored; a body the provider would never
send is 400; anything else valid (an unknown kind, a redelivery) is 2xx.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, Request, Response, abort, current_app, jsonify, request

from channels import get_provider
from channels.base import BadRequest, ChannelConfig, Provider, WebhookRequest
from gateway.core.db import session_scope
from gateway.core.errors import ConfigError
from gateway.core.runtime import runtime_of
from gateway.core.settings import Settings
from gateway.messaging.inbound import Accepted
from gateway.messaging.inbox import record_events
from gateway.messaging.providers import channel_config, provider_for
from gateway.store.models import Channel

log = logging.getLogger(__name__)

bp = Blueprint("webhooks", __name__)

CACHE_SECONDS = 10.0
_CHANNEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


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
        except (UnicodeDecodeError, ValueError):
            form = None  # the provider module rejects the body itself
    return WebhookRequest(
        method=req.method,
        url=url,
        headers={k: v for k, v in req.headers.items()},
        body=body,
        query={k: v for k, v in req.args.items()},
        form=form,
    )


def load_channel(
    provider: str, channel_id: str, url: str | None = None
) -> tuple[Channel, ChannelConfig]:
    """The channel named in the URL, 404 when unknown or of another provider.

    Channels and their decrypted credentials are kept per process for CACHE_SECONDS: every
    webhook needs them and they change only when someone runs `load` or `channel add`.
    """
    if not _CHANNEL_ID.match(channel_id):
        abort(404, "no such channel")
    cache: dict[str, tuple[float, Channel, ChannelConfig]] = current_app.extensions.setdefault(
        "switchboard_channels", {}
    )
    hit = cache.get(channel_id)
    if hit is not None and hit[0] > time.monotonic():
        channel, config = hit[1], hit[2]
    else:
        channel, config = _read_channel(channel_id)
        cache[channel_id] = (time.monotonic() + CACHE_SECONDS, channel, config)
    module = get_provider(channel.provider)
    if channel.provider != provider or (module is not None and module.visitor_header is not None):
        abort(404, "no such channel")
    return channel, replace(config, webhook_url=url) if url else config


def _read_channel(channel_id: str) -> tuple[Channel, ChannelConfig]:
    rt = runtime_of(current_app)
    with session_scope(rt.engine) as session:
        channel = session.get(Channel, channel_id)
    if channel is None:
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
        log.warning("webhook handshake refused", extra={"channel_id": channel_id})
        abort(403, "verification failed")
    return Response(answer, mimetype="text/plain")


@bp.post("/webhooks/<provider>/<channel_id>")
def receive(provider: str, channel_id: str) -> Any:
    """Accept a provider's POST: 403 when unsigned, 400 when malformed, 2xx otherwise."""
    module, accepted = _accept(provider, channel_id)
    return _answer(module, accepted)


@bp.post("/webhooks/<provider>/<channel_id>/status")
def status(provider: str, channel_id: str) -> Any:
    """Delivery reports of a provider that sends them apart (signed over this URL)."""
    module, accepted = _accept(provider, channel_id, status_route=True)
    return _answer(module, accepted)


def _accept(
    provider: str, channel_id: str, status_route: bool = False
) -> tuple[Provider, Accepted]:
    rt = runtime_of(current_app)
    wreq = to_webhook_request(request, rt.settings)
    # Twilio signs the exact URL it called, so the config carries this request's public URL.
    channel, config = load_channel(provider, channel_id, url=wreq.url)
    module = provider_for(channel)
    if status_route and not module.status_webhook:
        abort(404, "no such channel")
    if not module.verify(wreq, config):
        log.warning("webhook signature rejected", extra={"channel_id": channel_id})
        abort(403, "signature check failed")
    try:
        events = module.parse(wreq, config)
    except BadRequest as exc:
        log.info("webhook body rejected", extra={"channel_id": channel_id, "error": str(exc)})
        abort(400, str(exc))
    return module, record_events(rt, channel, events)


def _answer(module: Provider, accepted: Accepted) -> Any:
    """The provider's own success body when it expects one, else what was stored, as JSON."""
    if module.webhook_answer is not None:
        answer = module.webhook_answer
        return Response(answer.body, mimetype=answer.content_type)
    return jsonify(
        stored=len(accepted.stored), duplicates=accepted.duplicates, statuses=accepted.statuses
    )
