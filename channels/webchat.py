"""The website chat widget: our own page posts JSON, replies are read back from the store.

The gateway authenticates the visitor (a signed cookie) and passes the visitor id in the
`X-Switchboard-Visitor` header; this module only checks it is there and parses the body.
"""

from __future__ import annotations

import logging
import uuid

from channels.base import (
    BadRequest,
    ChannelConfig,
    Event,
    InboundMessage,
    Network,
    OutboundMessage,
    Provider,
    SendResult,
    WebhookRequest,
    strict_json_loads,
)

log = logging.getLogger(__name__)

VISITOR_HEADER = "X-Switchboard-Visitor"
MAX_TEXT = 4096


def verify(request: WebhookRequest, config: ChannelConfig) -> bool:
    """Accept a request only when the gateway vouched for the visitor."""
    visitor = request.header(VISITOR_HEADER)
    return bool(visitor) and len(visitor or "") <= 64


def parse(request: WebhookRequest, config: ChannelConfig) -> list[Event]:
    """Turn the widget's JSON body into one inbound message; reject what it would never send."""
    try:
        data = strict_json_loads(request.body)
    except ValueError as exc:  # not UTF-8 JSON, nested too deeply, or a lone surrogate
        raise BadRequest("body must be UTF-8 JSON") from exc
    if not isinstance(data, dict):
        raise BadRequest("body must be a JSON object")
    text = data.get("text")
    payload = data.get("payload")
    if not isinstance(text, str) or (not text.strip() and not payload):
        raise BadRequest("text must be a non-empty string")
    if payload is not None and not isinstance(payload, str):
        raise BadRequest("payload must be a string")
    if len(text) > MAX_TEXT:
        raise BadRequest(f"text is longer than {MAX_TEXT} characters")
    client_id = data.get("id")
    if client_id is not None and (not isinstance(client_id, str) or not 0 < len(client_id) <= 64):
        raise BadRequest("id must be a string of at most 64 characters")
    return [
        InboundMessage(
            provider_message_id=client_id or uuid.uuid4().hex,
            sender_id=request.header(VISITOR_HEADER) or "",
            network=Network.WEBCHAT,
            text=text.replace("\x00", ""),
            button_payload=payload,
            raw=data,
        )
    ]


def send(message: OutboundMessage, config: ChannelConfig) -> SendResult:
    """Web chat replies are already in the store the page reads from: delivery is immediate."""
    return SendResult(provider_message_ids=(f"web-{uuid.uuid4().hex}",))


PROVIDER = Provider(
    name="webchat",
    verify=verify,
    parse=parse,
    send=send,
    max_text=MAX_TEXT,
    visitor_header=VISITOR_HEADER,
)
