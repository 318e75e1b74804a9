"""WhatsApp Cloud API (Meta): webhooks signed with X-Hub-Signature-256, sends over the Graph API.

GET verification: the gateway answers `verify_subscription(query, config)`'s challenge as plain
text, or 403 when it returns None. POST events: `verify` then `parse`, which walks every entry
and change. Media arrive as ids that expire: `download_media` fetches them in two steps.

Credentials: `access_token`, `app_secret`, `verify_token`, `phone_number_id`.
Settings: `graph_version` (default v21.0), `list_button_label` (default "Options"),
`default_region`.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import math
import secrets
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import certifi
import httpx

from channels.base import (
    Attachment,
    BadRequest,
    Button,
    ChannelConfig,
    DeliveryStatus,
    Event,
    InboundMessage,
    Kind,
    Location,
    Network,
    OutboundMessage,
    Provider,
    RateLimit,
    SendError,
    SendResult,
    SentOptions,
    Setup,
    SetupError,
    SetupField,
    SetupLinks,
    SharedContact,
    SimulatedCustomer,
    Simulator,
    StatusUpdate,
    WebhookRequest,
    read_json_object,
    text_field,
)
from channels.phone import to_e164
from channels.text import pick_numbered_option, split_text, truncate, with_numbered_options

log = logging.getLogger(__name__)

GRAPH_API = "https://graph.facebook.com"
GRAPH_VERSION = "v21.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_TEXT = 4096
MAX_INTERACTIVE_BODY = 1024
MAX_CAPTION = 1024
MAX_REPLY_BUTTONS, MAX_BUTTON_TITLE = 3, 20
MAX_LIST_ROWS, MAX_ROW_TITLE, MAX_ROW_DESCRIPTION = 10, 24, 72
TIMEOUT = 15.0

# Graph error codes that mean "slow down", whatever the HTTP status says.
RATE_LIMIT_CODES = {4, 80007, 130429, 131056}
SERVER_ERROR_CODES = {1, 2, 131000, 131016, 133004}
WINDOW_CLOSED = 131047

_MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")
_IGNORED_TYPES = {"reaction", "unsupported", "system", "ephemeral", "order", "request_welcome"}
_STATUSES = {
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.READ,
    "failed": DeliveryStatus.FAILED,
}


class MediaFetchError(SendError):
    """Downloading a media file from the Graph API failed (`retryable` as for sends)."""


# --- verification ----------------------------------------------------------------------------


def verify_subscription(query: Mapping[str, str], config: ChannelConfig) -> str | None:
    """Answer Meta's GET handshake: the challenge when mode and verify token match, else None."""
    expected = config.credentials.get("verify_token") or ""
    given = query.get("hub.verify_token") or ""
    challenge = query.get("hub.challenge")
    if query.get("hub.mode") != "subscribe" or not expected or not challenge:
        return None
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        return None
    return challenge


def handshake(request: WebhookRequest, config: ChannelConfig) -> str | None:
    """The `Provider.handshake` form of `verify_subscription`: the challenge or None."""
    return verify_subscription(request.query, config)


def signature_for(body: bytes, app_secret: str) -> str:
    """The `X-Hub-Signature-256` value Meta sends for `body` (also used by tests to sign)."""
    digest = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(request: WebhookRequest, config: ChannelConfig) -> bool:
    """Check `X-Hub-Signature-256` against an HMAC-SHA256 of the raw body, in constant time."""
    secret = config.credentials.get("app_secret")
    given = request.header(SIGNATURE_HEADER)
    if not secret or not given:
        return False
    expected = signature_for(request.body, secret)
    return hmac.compare_digest(given.strip().lower().encode("utf-8"), expected.encode("utf-8"))


# --- parsing ---------------------------------------------------------------------------------


def parse(request: WebhookRequest, config: ChannelConfig) -> list[Event]:
    """Turn a webhook POST into events, looping over every entry, change, message and status."""
    data = read_json_object(request)
    if not isinstance(data.get("object"), str) or not isinstance(data.get("entry"), list):
        # Every Cloud API notification has both: a body without them is not from Meta.
        raise BadRequest("a notification needs an object and a list of entries")
    if data.get("object") != "whatsapp_business_account":
        log.debug("whatsapp: ignoring object %r", str(data.get("object"))[:40])
        return []
    events: list[Event] = []
    for entry in _dicts(data.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, dict):
                log.debug("whatsapp: ignoring change field %r", str(change.get("field"))[:40])
                continue
            events.extend(_value_events(value, config))
    return events


def _value_events(value: dict[str, Any], config: ChannelConfig) -> list[Event]:
    ours = config.credentials.get("phone_number_id")
    metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
    theirs = metadata.get("phone_number_id") if metadata else None
    if ours and theirs is not None and str(theirs) != str(ours):
        # One app webhook serves every number of the account: this event is another channel's.
        log.debug("whatsapp: ignoring an event for phone number id %r", str(theirs)[:40])
        return []
    names: dict[str, str] = {}
    for contact in _dicts(value.get("contacts")):
        profile = contact.get("profile")
        name = _str(profile, "name") if isinstance(profile, dict) else None
        wa_id = _str(contact, "wa_id")
        if wa_id and name:
            names[wa_id] = name
    region = config.settings.get("default_region")
    events: list[Event] = []
    for message in _dicts(value.get("messages")):
        inbound = _message(message, names, region if isinstance(region, str) else None)
        if inbound is not None:
            events.append(inbound)
    for status in _dicts(value.get("statuses")):
        update = _status(status)
        if update is not None:
            events.append(update)
    return events


def _message(
    message: dict[str, Any], names: dict[str, str], region: str | None
) -> InboundMessage | None:
    message_id, sender, kind = _str(message, "id"), _str(message, "from"), _str(message, "type")
    if not message_id or not sender or not kind:
        log.debug("whatsapp: ignoring a message without id, from or type")
        return None
    if kind in _IGNORED_TYPES:
        log.debug("whatsapp: ignoring a %s message", kind)
        return None
    body = _content(kind, message.get(kind))
    if body is None:
        log.debug("whatsapp: ignoring a message of unknown type %r", kind[:40])
        return None
    # `from` is the wa_id: international digits without "+". We reply to it as it is, and link
    # contacts by its E.164 form (which differs for Mexico's legacy "521" wa_ids).
    phone = to_e164(sender, region) if region else to_e164(sender)
    return InboundMessage(
        provider_message_id=message_id,
        sender_id="+" + sender if sender.isdigit() else sender,
        network=Network.WHATSAPP,
        sender_name=names.get(sender),
        sender_phone=phone,
        timestamp=_timestamp(message.get("timestamp")),
        raw=message,
        **body,
    )


def _content(kind: str, part: Any) -> dict[str, Any] | None:
    """The normalized fields for one message type, or None for a type we do not handle."""
    if kind == "contacts":
        return _contact(part)
    if not isinstance(part, dict):
        return None
    if kind == "text":
        return {"text": _text(text_field(part, "body") or None)}
    if kind in _MEDIA_TYPES:
        media_id = _str(part, "id")
        if not media_id:
            return None
        caption = _text(text_field(part, "caption") or None)
        attachment = Attachment(
            kind=kind,
            content_type=_str(part, "mime_type"),
            media_id=media_id,
            filename=_str(part, "filename"),
            caption=caption or None,
        )
        return {"kind": Kind(kind), "text": caption, "attachments": (attachment,)}
    if kind == "location":
        location = _location(part)
        return {"kind": Kind.LOCATION, "location": location} if location else None
    if kind == "interactive":
        return _interactive(part)
    if kind == "button":
        payload, title = _str(part, "payload"), _str(part, "text")
        if not payload and not title:
            return None
        return {"kind": Kind.BUTTON, "text": _text(title), "button_payload": payload or title}
    return None


def _interactive(part: dict[str, Any]) -> dict[str, Any] | None:
    reply_type = _str(part, "type")
    if reply_type not in ("button_reply", "list_reply"):
        return None
    reply = part.get(reply_type)
    if not isinstance(reply, dict) or not _str(reply, "id"):
        return None
    return {
        "kind": Kind.BUTTON,
        "text": _text(_str(reply, "title")),
        "button_payload": _str(reply, "id"),
    }


def _contact(part: Any) -> dict[str, Any] | None:
    # `contacts` is a list of cards; the first one with a phone is the one we link.
    cards = part if isinstance(part, list) else []
    for card in _dicts(cards):
        name_part = card.get("name")
        name = _str(name_part, "formatted_name") if isinstance(name_part, dict) else None
        for phone in _dicts(card.get("phones")):
            number = _str(phone, "wa_id") or _str(phone, "phone")
            if number:
                shared = SharedContact(
                    name=name, phone=to_e164(number) or number, user_id=_str(phone, "wa_id")
                )
                return {"kind": Kind.CONTACT, "contact": shared}
        if name:
            return {"kind": Kind.CONTACT, "contact": SharedContact(name=name, phone=None)}
    return None


def _location(part: dict[str, Any]) -> Location | None:
    latitude, longitude = _number(part.get("latitude"), 90), _number(part.get("longitude"), 180)
    if latitude is None or longitude is None:
        return None
    return Location(latitude, longitude, name=_str(part, "name"), address=_str(part, "address"))


def _status(status: dict[str, Any]) -> StatusUpdate | None:
    message_id, state = _str(status, "id"), _str(status, "status")
    mapped = _STATUSES.get(state or "")
    if not message_id or mapped is None:
        log.debug("whatsapp: ignoring status %r", (state or "")[:40])
        return None
    errors = list(_dicts(status.get("errors")))
    first = errors[0] if errors else {}
    code = first.get("code")
    details = first.get("error_data")
    message = _str(details, "details") if isinstance(details, dict) else None
    return StatusUpdate(
        provider_message_id=message_id,
        status=mapped,
        error_code=str(code) if isinstance(code, int | str) and str(code) else None,
        error_message=message or _str(first, "message") or _str(first, "title"),
        timestamp=_timestamp(status.get("timestamp")),
        raw=status,
    )


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _str(data: Any, key: str) -> str | None:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    return value.replace("\x00", "") if isinstance(value, str) and value else None


def _text(value: str | None) -> str:
    return value or ""


def _number(value: Any, bound: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and abs(number) <= bound else None


def _timestamp(value: Any) -> datetime | None:
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return None
    if not 0 < seconds < 32503680000:  # before the year 3000
        return None
    return datetime.fromtimestamp(seconds, tz=UTC)


# --- sending ---------------------------------------------------------------------------------


def parts(message: OutboundMessage, config: ChannelConfig) -> list[OutboundMessage]:
    """Break a reply into Graph API calls: text chunks (buttons on the last), media, location."""
    base = replace(message, text="", buttons=(), attachments=(), location=None)
    if message.template is not None:
        return [replace(base, template=message.template)]
    text, buttons = message.text, message.buttons
    if len(buttons) > MAX_LIST_ROWS:
        text, buttons = with_numbered_options(text, buttons), ()
    chunks = split_text(text, MAX_TEXT)
    if buttons:
        tail = split_text(chunks.pop(), MAX_INTERACTIVE_BODY) if chunks else [_label(config)]
        chunks.extend(tail)
    out = [replace(base, text=chunk) for chunk in chunks]
    if buttons:
        out[-1] = replace(out[-1], buttons=buttons)
    out.extend(replace(base, attachments=(a,)) for a in message.attachments)
    if message.location is not None:
        out.append(replace(base, location=message.location))
    return out


def _label(config: ChannelConfig) -> str:
    label = config.settings.get("list_button_label")
    return label if isinstance(label, str) and label.strip() else "Options"


def payload_for(part: OutboundMessage, config: ChannelConfig) -> dict[str, Any]:
    """The `/messages` JSON for one part (see `parts`)."""
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": part.recipient_id.removeprefix("whatsapp:").lstrip("+"),
    }
    if part.template is not None:
        template: dict[str, Any] = {
            "name": part.template.name,
            "language": {"code": part.template.language},
        }
        if part.template.variables:
            parameters = [{"type": "text", "text": v} for v in part.template.variables]
            template["components"] = [{"type": "body", "parameters": parameters}]
        return {**body, "type": "template", "template": template}
    if part.attachments:
        return {**body, **_media(part.attachments[0])}
    if part.location is not None:
        loc = part.location
        location: dict[str, Any] = {"latitude": loc.latitude, "longitude": loc.longitude}
        location.update({k: v for k, v in (("name", loc.name), ("address", loc.address)) if v})
        return {**body, "type": "location", "location": location}
    if part.buttons:
        return {**body, "type": "interactive", "interactive": _interactive_out(part, config)}
    return {**body, "type": "text", "text": {"body": part.text, "preview_url": False}}


def _media(attachment: Attachment) -> dict[str, Any]:
    kind = attachment.kind if attachment.kind in ("image", "audio", "video", "sticker") else None
    kind = kind or "document"
    media: dict[str, Any] = (
        {"id": attachment.media_id} if attachment.media_id else {"link": attachment.url}
    )
    if attachment.caption and kind in ("image", "video", "document"):
        media["caption"] = truncate(attachment.caption, MAX_CAPTION)
    if kind == "document" and attachment.filename:
        media["filename"] = attachment.filename
    return {"type": kind, kind: media}


def _interactive_out(part: OutboundMessage, config: ChannelConfig) -> dict[str, Any]:
    body = {"text": part.text or _label(config)}
    if len(part.buttons) <= MAX_REPLY_BUTTONS:
        buttons = [
            {"type": "reply", "reply": {"id": b.id, "title": truncate(b.title, MAX_BUTTON_TITLE)}}
            for b in part.buttons
        ]
        return {"type": "button", "body": body, "action": {"buttons": buttons}}
    rows = [_row(b) for b in part.buttons]
    return {
        "type": "list",
        "body": body,
        "action": {
            "button": truncate(_label(config), MAX_BUTTON_TITLE),
            "sections": [{"rows": rows}],
        },
    }


def _row(button: Button) -> dict[str, str]:
    row = {"id": button.id, "title": truncate(button.title, MAX_ROW_TITLE)}
    if button.description:
        row["description"] = truncate(button.description, MAX_ROW_DESCRIPTION)
    return row


def match_option(
    text: str, payload: str | None, raw: Mapping[str, Any], sent: Sequence[SentOptions]
) -> Button | None:
    """A typed number chooses from the last options only when they were too many for a native
    list and went out as numbered text; native replies carry their id in the payload."""
    if payload or not sent or len(sent[0].buttons) <= MAX_LIST_ROWS:
        return None
    return pick_numbered_option(text, sent[0].buttons)


def send(message: OutboundMessage, config: ChannelConfig) -> SendResult:
    """Deliver a reply through the Cloud API, one `/messages` call per part."""
    phone_id = config.credentials.get("phone_number_id")
    if not phone_id or not config.credentials.get("access_token"):
        raise SendError("whatsapp channel lacks phone_number_id or access_token", retryable=False)
    url = f"{_graph(config)}/{phone_id}/messages"
    ids = []
    with httpx.Client(timeout=TIMEOUT, headers=_auth(config), verify=_tls()) as http:
        for part in parts(message, config):
            response = _call(http, "POST", url, json=payload_for(part, config))
            ids.append(_message_id(response))
    return SendResult(provider_message_ids=tuple(ids))


def download_media(media_id: str, config: ChannelConfig) -> tuple[bytes, str]:
    """Fetch a media file by id: look up its short-lived URL, then download it with the token."""
    with httpx.Client(timeout=TIMEOUT, headers=_auth(config), verify=_tls()) as http:
        info = _call(http, "GET", f"{_graph(config)}/{media_id}", error=MediaFetchError)
        try:
            data = info.json()
        except ValueError as exc:
            raise MediaFetchError("media lookup answered non-JSON", retryable=True) from exc
        url = data.get("url") if isinstance(data, dict) else None
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise MediaFetchError("media lookup gave no url", retryable=False)
        blob = _call(http, "GET", url, error=MediaFetchError)
        mime = data.get("mime_type") or blob.headers.get("Content-Type") or ""
        return blob.content, str(mime).split(";")[0].strip() or "application/octet-stream"


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context per process: building one per client costs about 100 ms (CA loading).
    Clients themselves stay per call, so no pooled connection outlives an RQ fork."""
    return ssl.create_default_context(cafile=certifi.where())


def _graph(config: ChannelConfig) -> str:
    version = config.settings.get("graph_version") or GRAPH_VERSION
    return f"{(config.api_base or GRAPH_API).rstrip('/')}/{version}"


def _auth(config: ChannelConfig) -> dict[str, str]:
    return {"Authorization": f"Bearer {config.credentials.get('access_token', '')}"}


def _call(
    http: httpx.Client,
    method: str,
    url: str,
    *,
    json: Any = None,
    error: type[SendError] = SendError,
) -> httpx.Response:
    try:
        response = http.request(method, url, json=json)
    except httpx.HTTPError as exc:
        raise error(f"graph api unreachable: {exc}", retryable=True) from exc
    if response.is_success:
        return response
    raise _graph_error(response, error)


def _graph_error(response: httpx.Response, error: type[SendError]) -> SendError:
    status = response.status_code
    try:
        details = response.json().get("error") or {}
    except (ValueError, AttributeError):
        details = {}
    code = details.get("code") if isinstance(details, dict) else None
    message = details.get("message") if isinstance(details, dict) else None
    rate_limited = status == 429 or code in RATE_LIMIT_CODES
    retryable = rate_limited or status >= 500 or code in SERVER_ERROR_CODES
    return error(
        f"graph api {status} {code}: {message or response.reason_phrase}",
        retryable=retryable,
        code=str(code) if code is not None else str(status),
        retry_after=_retry_after(response) if rate_limited else None,
    )


def _retry_after(response: httpx.Response) -> float | None:
    try:
        seconds = float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _message_id(response: httpx.Response) -> str:
    try:
        messages = response.json().get("messages")
        message_id = messages[0]["id"]
    except (ValueError, AttributeError, LookupError, TypeError) as exc:
        raise SendError("graph api answered without a message id", retryable=False) from exc
    return str(message_id)


def simulate(
    config: ChannelConfig,
    who: SimulatedCustomer,
    network: Network,
    text: str,
    payload: str | None,
) -> WebhookRequest:
    """The signed notification the Cloud API would POST for `who` writing `text` (or tapping
    a reply button)."""
    wa_id = "".join(ch for ch in who.phone if ch.isdigit())
    message: dict[str, Any] = {
        "from": wa_id,
        "id": f"wamid.sim{who.user_id}x{who.seq}",
        "timestamp": str(int(datetime.now(UTC).timestamp())),
        "type": "text",
        "text": {"body": text},
    }
    if payload:
        message |= {
            "type": "interactive",
            "interactive": {"type": "button_reply", "button_reply": {"id": payload, "title": text}},
        }
        del message["text"]
    contact: dict[str, Any] = {"wa_id": wa_id}
    if who.display_name:
        contact["profile"] = {"name": who.display_name}
    value = {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": "15550000001",
            "phone_number_id": config.credentials.get("phone_number_id", ""),
        },
        "contacts": [contact],
        "messages": [message],
    }
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "0", "changes": [{"field": "messages", "value": value}]}],
        }
    ).encode("utf-8")
    return WebhookRequest(
        method="POST",
        url=config.webhook_url,
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature_for(body, config.credentials.get("app_secret", "")),
        },
        body=body,
    )


SIMULATOR = Simulator(
    networks=(Network.WHATSAPP,),
    credentials={
        "phone_number_id": "100000000000001",
        "access_token": "simulated-token",
        "app_secret": "simulated-secret",
        "verify_token": "simulated-verify",
    },
    request=simulate,
)


def _setup_prepare(values: Mapping[str, str]) -> dict[str, str]:
    """The Cloud API credentials and a fresh verify token for Meta's webhook handshake."""
    phone_number_id = values.get("phone_number_id", "")
    if not phone_number_id.isdigit():
        raise SetupError("phone_number_id: digits only, as Meta shows it")
    return {
        "phone_number_id": phone_number_id,
        "access_token": values.get("access_token", "").strip(),
        "app_secret": values.get("app_secret", "").strip(),
        "verify_token": secrets.token_urlsafe(24),
    }


def _setup_connect(config: ChannelConfig, links: SetupLinks) -> tuple[str, ...]:
    """The Cloud API is wired by hand in Meta's dashboard: the URL and verify token to paste."""
    return (
        "In the Meta app dashboard, WhatsApp > Configuration > Webhook, set:",
        f"  Callback URL:  {links.webhook_url}",
        f"  Verify token:  {config.credentials['verify_token']}",
        "then subscribe the webhook to the 'messages' field.",
    )


SETUP = Setup(
    title="WhatsApp Cloud API",
    fields=(
        SetupField("phone_number_id", "The Cloud API phone number id.", required=True),
        SetupField(
            "access_token",
            "A system-user access token (or WHATSAPP_ACCESS_TOKEN).",
            secret=True,
            env="WHATSAPP_ACCESS_TOKEN",
            prompt="Cloud API access token",
            required=True,
        ),
        SetupField(
            "app_secret",
            "The Meta app's secret, which signs webhooks (or WHATSAPP_APP_SECRET).",
            secret=True,
            env="WHATSAPP_APP_SECRET",
            prompt="Meta app secret",
            required=True,
        ),
    ),
    prepare=_setup_prepare,
    connect=_setup_connect,
)


PROVIDER = Provider(
    name="whatsapp",
    verify=verify,
    parse=parse,
    send=send,
    max_text=MAX_TEXT,
    native_buttons=True,
    handshake=handshake,
    parts=parts,
    fetch_media=download_media,
    match_option=match_option,
    rate_limit=RateLimit(80.0, 80.0),  # the Cloud API's default throughput
    credentials=("access_token", "app_secret", "verify_token", "phone_number_id"),
    setup=SETUP,
    simulator=SIMULATOR,
)
