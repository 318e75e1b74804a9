"""Twilio Programmable Messaging: SMS and WhatsApp through one account.

Inbound messages and status callbacks are form-encoded POSTs signed with `X-Twilio-Signature`
over the public URL (`config.webhook_url`, rebuilt by the gateway) and the form parameters.
A `whatsapp:` address means WhatsApp. Replies go out through the real `twilio.rest.Client`,
whose HTTP client is pointed at `config.api_base` when one is set (tests use a local fake).

Credentials: `account_sid`, `auth_token`, `from_number` (E.164, no prefix), optional
`whatsapp_from` (when the WhatsApp sender differs), optional `messaging_service_sid`, optional
`webhook_signing_key` (when the account signs webhooks with a shared key instead of the token).
Settings: `status_callback_url`, `max_sms_segments` (default 10), `default_region`.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator, get_signature_algorithm
from twilio.rest import Client

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
    SimulatedCustomer,
    Simulator,
    StatusUpdate,
    WebhookAnswer,
    WebhookRequest,
)
from channels.phone import to_e164
from channels.text import pick_numbered_option, split_sms, split_text, with_numbered_options

log = logging.getLogger(__name__)

TWILIO_API = "https://api.twilio.com"
SIGNATURE_HEADER = "X-Twilio-Signature"
SIGNATURE_SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"
WHATSAPP_PREFIX = "whatsapp:"
MAX_BODY = 1600  # Twilio's limit for one message body, SMS and WhatsApp alike
MAX_MEDIA_SMS = 10
MAX_MEDIA_WHATSAPP = 1
MAX_MEDIA_FIELDS = 20  # we never read more MediaUrlN fields than this, whatever NumMedia says
TIMEOUT = 15.0

_STATUSES = {
    "accepted": DeliveryStatus.QUEUED,
    "scheduled": DeliveryStatus.QUEUED,
    "queued": DeliveryStatus.QUEUED,
    "sending": DeliveryStatus.QUEUED,
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.READ,
    "undelivered": DeliveryStatus.UNDELIVERED,
    "failed": DeliveryStatus.FAILED,
    "canceled": DeliveryStatus.FAILED,
}
_INBOUND_STATUSES = {"received", "receiving"}


# --- inbound ---------------------------------------------------------------------------------


class _Params(dict[str, list[str]]):
    """Form parameters with every value kept, shaped for `RequestValidator.get_values`."""

    def getall(self, name: str) -> list[str]:
        """Return every value sent for `name`."""
        return self[name]

    def first(self, name: str) -> str | None:
        """Return the first value sent for `name`, without null bytes, or None."""
        values = self.get(name)
        return values[0].replace("\x00", "") if values else None


def _params(request: WebhookRequest) -> _Params:
    """Read the form body; raise BadRequest when it is not a UTF-8 form at all."""
    content_type = (request.header("Content-Type") or "").lower()
    if content_type and "application/x-www-form-urlencoded" not in content_type:
        raise BadRequest(f"expected a form body, got {content_type!r}")
    try:
        text = request.body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest("body is not a UTF-8 form") from exc
    params = _Params()
    for name, value in pairs:
        params.setdefault(name, []).append(value)
    return params


def verify(request: WebhookRequest, config: ChannelConfig) -> bool:
    """Check `X-Twilio-Signature` over the public URL and the form parameters."""
    signature = request.header(SIGNATURE_HEADER)
    settings = request.header(SIGNATURE_SETTINGS_HEADER)
    secret = config.credentials.get("auth_token")
    if settings and config.credentials.get("webhook_signing_key"):
        secret = config.credentials["webhook_signing_key"]
    if not signature or not secret or not config.webhook_url:
        return False
    try:
        params = _params(request)
    except BadRequest:
        return False
    validator = RequestValidator(secret)
    try:
        return bool(
            validator.validate(
                config.webhook_url, params, signature, get_signature_algorithm(settings)
            )
        )
    except (ValueError, TypeError):
        return False


def parse(request: WebhookRequest, config: ChannelConfig) -> list[Event]:
    """Turn an inbound message or a status callback into events (status if it has no Body)."""
    params = _params(request)
    status = params.first("MessageStatus")
    if status is not None and "Body" not in params and status not in _INBOUND_STATUSES:
        return _status(params, status)
    return _inbound(params, config)


def _status(params: _Params, status: str) -> list[Event]:
    sid = params.first("MessageSid") or params.first("SmsSid")
    mapped = _STATUSES.get(status.lower())
    if not sid or mapped is None:
        log.debug("twilio: ignoring status callback %r for %r", status, sid)
        return []
    return [
        StatusUpdate(
            provider_message_id=sid,
            status=mapped,
            error_code=params.first("ErrorCode") or None,
            error_message=params.first("ErrorMessage") or None,
            raw=_raw(params),
        )
    ]


def _inbound(params: _Params, config: ChannelConfig) -> list[Event]:
    sid = params.first("MessageSid") or params.first("SmsMessageSid") or params.first("SmsSid")
    address = params.first("From")
    if not sid or not address:
        log.debug("twilio: ignoring a form with no MessageSid or From")
        return []
    network, number = _network(address)
    if network is None:
        log.debug("twilio: ignoring a message on an unsupported address %r", address[:40])
        return []
    region = config.settings.get("default_region")
    phone = to_e164(number, region if isinstance(region, str) else None)
    attachments = _attachments(params)
    location = _location(params)
    payload = params.first("ButtonPayload") or params.first("ListId")
    button_text = params.first("ButtonText") or params.first("ListTitle")
    text = params.first("Body") or ""
    if payload or button_text:
        kind, payload = Kind.BUTTON, payload or button_text
        text = text or button_text or ""
    elif location is not None:
        kind = Kind.LOCATION
    elif attachments:
        kind = Kind(attachments[0].kind)
    else:
        kind = Kind.TEXT
    return [
        InboundMessage(
            provider_message_id=sid,
            sender_id=number,  # reply to the address as Twilio gave it; link by sender_phone
            network=network,
            text=text,
            kind=kind,
            sender_name=params.first("ProfileName") or None,
            sender_phone=phone,
            attachments=attachments,
            location=location,
            button_payload=payload,
            raw=_raw(params),
        )
    ]


def _network(address: str) -> tuple[Network | None, str]:
    """Tell SMS from WhatsApp by the address prefix; other Twilio channels are not ours."""
    if address.lower().startswith(WHATSAPP_PREFIX):
        return Network.WHATSAPP, address[len(WHATSAPP_PREFIX) :]
    if ":" in address:
        return None, address
    return Network.SMS, address


def _media_kind(content_type: str | None) -> str:
    major = (content_type or "").split("/", 1)[0].lower()
    if major in ("image", "audio", "video"):
        return major
    if (content_type or "").lower() in ("text/vcard", "text/x-vcard"):
        return Kind.CONTACT.value
    return Kind.DOCUMENT.value


def _attachments(params: _Params) -> tuple[Attachment, ...]:
    found = []
    for i in range(MAX_MEDIA_FIELDS):
        url = params.first(f"MediaUrl{i}")
        if not url:
            continue
        content_type = params.first(f"MediaContentType{i}") or None
        found.append(Attachment(kind=_media_kind(content_type), content_type=content_type, url=url))
    return tuple(found)


def _location(params: _Params) -> Location | None:
    latitude = _coordinate(params.first("Latitude"), 90)
    longitude = _coordinate(params.first("Longitude"), 180)
    if latitude is None or longitude is None:
        return None
    return Location(
        latitude=latitude,
        longitude=longitude,
        name=params.first("Label") or None,
        address=params.first("Address") or None,
    )


def _coordinate(value: str | None, bound: float) -> float | None:
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    if number is None or not math.isfinite(number) or abs(number) > bound:
        return None
    return number


def _raw(params: _Params) -> dict[str, Any]:
    return {k: v[0] if len(v) == 1 else list(v) for k, v in params.items()}


# --- outbound --------------------------------------------------------------------------------


def parts(message: OutboundMessage, config: ChannelConfig) -> list[OutboundMessage]:
    """Break a reply into Twilio API calls: numbered options in the text, split by segments."""
    if message.template is not None:
        return [replace(message, text="", buttons=(), attachments=(), location=None)]
    whatsapp = message.network == Network.WHATSAPP
    location = message.location
    base = replace(message, text="", buttons=(), attachments=(), location=None)
    if location is not None and whatsapp and not message.buttons and not message.attachments:
        label = location.name or location.address or ""
        if message.text in ("", label):
            # Already a location part (parts() of a part must give that part back).
            return [replace(base, text=label, location=location)]
    text = with_numbered_options(message.text, message.buttons)
    if location is not None and not whatsapp:
        text = f"{text}\n\n{_map_link(location)}".strip()
        location = None
    chunks = split_text(text, MAX_BODY) if whatsapp else split_sms(text, _max_segments(config))
    out = [replace(base, text=chunk) for chunk in chunks]
    media_per_call = MAX_MEDIA_WHATSAPP if whatsapp else MAX_MEDIA_SMS
    media = list(message.attachments)
    if media and out:
        out[-1] = replace(out[-1], attachments=tuple(media[:media_per_call]))
        media = media[media_per_call:]
    for start in range(0, len(media), media_per_call):
        out.append(replace(base, attachments=tuple(media[start : start + media_per_call])))
    if location is not None:
        out.append(replace(base, text=location.name or location.address or "", location=location))
    return out


def _max_segments(config: ChannelConfig) -> int:
    value = config.settings.get("max_sms_segments", 10)
    return value if isinstance(value, int) and 1 <= value <= 10 else 10


def _map_link(location: Location) -> str:
    label = f"{location.name}\n" if location.name else ""
    return f"{label}https://maps.google.com/?q={location.latitude},{location.longitude}"


def send(message: OutboundMessage, config: ChannelConfig) -> SendResult:
    """Deliver a reply through the Twilio REST API; one message per part."""
    client, http = _client(config)
    ids = []
    try:
        for part in parts(message, config):
            ids.append(_create(client, http, part, config))
    finally:
        if http.session is not None:
            http.session.close()
    return SendResult(provider_message_ids=tuple(ids))


class _RebasedHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, sending to `api_base` instead of api.twilio.com."""

    def __init__(self, api_base: str | None) -> None:
        super().__init__(timeout=TIMEOUT)
        self.api_base = api_base.rstrip("/") if api_base else None
        self.last: Response | None = None

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        """Send the request to the configured base URL and remember the response."""
        if self.api_base and url.startswith(TWILIO_API):
            url = self.api_base + url[len(TWILIO_API) :]
        self.last = None
        self.last = super().request(method, url, *args, **kwargs)
        return self.last


def _client(config: ChannelConfig) -> tuple[Client, _RebasedHttpClient]:
    sid = config.credentials.get("account_sid")
    token = config.credentials.get("auth_token")
    if not sid or not token:
        raise SendError("twilio channel lacks account_sid or auth_token", retryable=False)
    http = _RebasedHttpClient(config.api_base)
    return Client(sid, token, http_client=http), http


def _sender(message: OutboundMessage, config: ChannelConfig) -> dict[str, str]:
    service = config.credentials.get("messaging_service_sid")
    if service:
        return {"messaging_service_sid": service}
    number = config.credentials.get("from_number", "")
    if message.network == Network.WHATSAPP:
        number = config.credentials.get("whatsapp_from") or number
        return {"from_": _whatsapp(number)}
    if not number:
        raise SendError("twilio channel lacks from_number", retryable=False)
    return {"from_": number}


def _whatsapp(number: str) -> str:
    if not number:
        raise SendError("twilio channel lacks from_number", retryable=False)
    return number if number.lower().startswith(WHATSAPP_PREFIX) else WHATSAPP_PREFIX + number


def _recipient(message: OutboundMessage) -> str:
    if message.network == Network.WHATSAPP:
        return _whatsapp(message.recipient_id)
    return message.recipient_id


def _fields(part: OutboundMessage, config: ChannelConfig) -> dict[str, Any]:
    fields: dict[str, Any] = {"to": _recipient(part), **_sender(part, config)}
    if part.template is not None:
        fields["content_sid"] = part.template.name
        variables = {str(i): v for i, v in enumerate(part.template.variables, start=1)}
        if variables:
            fields["content_variables"] = json.dumps(variables, ensure_ascii=False)
    if part.text:
        fields["body"] = part.text
    urls = [a.url for a in part.attachments if a.url]
    if urls:
        fields["media_url"] = urls
    if part.location is not None:
        loc = part.location
        label = f"|{loc.name or loc.address}" if (loc.name or loc.address) else ""
        fields["persistent_action"] = [f"geo:{loc.latitude},{loc.longitude}{label}"]
        fields.setdefault("body", loc.name or loc.address or "📍")
    callback = _status_callback(config)
    if callback:
        fields["status_callback"] = callback
    return fields


def _status_callback(config: ChannelConfig) -> str | None:
    explicit = config.settings.get("status_callback_url")
    if isinstance(explicit, str) and explicit:
        return explicit
    base = config.webhook_url.rstrip("/")
    if not base:
        return None
    return base if base.endswith("/status") else base + "/status"


def _create(
    client: Client, http: _RebasedHttpClient, part: OutboundMessage, config: ChannelConfig
) -> str:
    try:
        created = client.messages.create(**_fields(part, config))
    except TwilioRestException as exc:
        raise _rest_error(exc, http.last) from exc
    except requests.RequestException as exc:
        raise SendError(f"twilio unreachable: {exc}", retryable=True) from exc
    if not created.sid:
        raise SendError("twilio answered without a message sid", retryable=True)
    return str(created.sid)


def _rest_error(exc: TwilioRestException, response: Response | None) -> SendError:
    status = int(exc.status or 0)
    code = str(exc.code) if exc.code else str(status)
    retryable = status == 429 or status >= 500
    retry_after = _retry_after(response.headers if response is not None else None)
    return SendError(
        f"twilio {status} {code}: {exc.msg}",
        retryable=retryable,
        code=code,
        retry_after=retry_after if retryable else None,
    )


def _retry_after(headers: Any) -> float | None:
    if not isinstance(headers, Mapping):
        return None
    value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and math.isfinite(seconds) and seconds >= 0 else None


def match_option(
    text: str, payload: str | None, raw: Mapping[str, Any], sent: Sequence[SentOptions]
) -> Button | None:
    """Map a typed reply such as "2" to the numbered option of the last message that had options
    (quick replies carry their id already, in the payload)."""
    if payload or not sent:
        return None
    return pick_numbered_option(text, sent[0].buttons)


EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def simulate(
    config: ChannelConfig,
    who: SimulatedCustomer,
    network: Network,
    text: str,
    payload: str | None,
) -> WebhookRequest:
    """The signed form Twilio would POST for `who` texting `text` (SMS or WhatsApp); a button
    press arrives as its text, as on a network without buttons."""
    prefix = "whatsapp:" if network is Network.WHATSAPP else ""
    number = config.credentials.get("from_number", "")
    params = {
        "MessageSid": f"SM{who.user_id:016x}{who.seq:016x}",
        "AccountSid": config.credentials.get("account_sid", ""),
        "From": prefix + who.phone,
        "To": prefix + number,
        "Body": text,
        "NumMedia": "0",
    }
    if who.display_name:
        params["ProfileName"] = who.display_name
    signature = RequestValidator(config.credentials.get("auth_token", "")).compute_signature(
        config.webhook_url, params
    )
    return WebhookRequest(
        method="POST",
        url=config.webhook_url,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            SIGNATURE_HEADER: signature,
        },
        body=urlencode(params).encode("utf-8"),
        form=params,
    )


SIMULATOR = Simulator(
    networks=(Network.SMS, Network.WHATSAPP),
    credentials={
        "account_sid": "ACsimulated",
        "auth_token": "simulated-token",
        "from_number": "+15550000000",
    },
    request=simulate,
)


def _setup_prepare(values: Mapping[str, str]) -> dict[str, str]:
    """Check the Account SID and the numbers (to E.164); a sender number or service is needed."""
    if not values.get("account_sid", "").startswith("AC"):
        raise SetupError("account_sid: a Twilio Account SID starts with AC")
    credentials = {
        "account_sid": values["account_sid"],
        "auth_token": values.get("auth_token", "").strip(),
    }
    for key in ("from_number", "whatsapp_from"):
        if value := values.get(key, ""):
            number = to_e164(value.removeprefix("whatsapp:"))
            if number is None:
                raise SetupError(f"{key}: {value!r} is not a phone number")
            credentials[key] = number
    if service := values.get("messaging_service_sid", ""):
        credentials["messaging_service_sid"] = service
    if not {"from_number", "whatsapp_from", "messaging_service_sid"} & credentials.keys():
        raise SetupError("give from_number or messaging_service_sid")
    return credentials


def _setup_connect(config: ChannelConfig, links: SetupLinks) -> tuple[str, ...]:
    """Twilio is wired by hand: the two URLs to paste into its console."""
    return (
        "In the Twilio console, for your number (and WhatsApp sender), set:",
        f"  A message comes in (HTTP POST):  {links.webhook_url}",
        f"  Status callback URL:             {links.status_url}",
        "(replies also ask Twilio for status callbacks at that URL)",
    )


SETUP = Setup(
    title="Twilio",
    fields=(
        SetupField("account_sid", "Twilio Account SID (AC...).", required=True),
        SetupField(
            "auth_token",
            "Twilio auth token (or TWILIO_AUTH_TOKEN).",
            secret=True,
            env="TWILIO_AUTH_TOKEN",
            prompt="Twilio auth token",
            required=True,
        ),
        SetupField("from_number", "Your Twilio number in E.164, e.g. +14155550100."),
        SetupField("whatsapp_from", "WhatsApp sender, when it differs."),
        SetupField("messaging_service_sid", "Send through a Messaging Service."),
    ),
    prepare=_setup_prepare,
    connect=_setup_connect,
)


PROVIDER = Provider(
    name="twilio",
    verify=verify,
    parse=parse,
    send=send,
    max_text=MAX_BODY,
    native_buttons=False,
    parts=parts,
    match_option=match_option,
    # empty TwiML: Twilio sends nothing on our behalf
    webhook_answer=WebhookAnswer(EMPTY_TWIML, "text/xml"),
    status_webhook=True,
    # about 10 messages a second for a WhatsApp sender; Twilio queues slower SMS senders itself
    rate_limit=RateLimit(10.0, 10.0),
    credentials=("account_sid", "auth_token", "from_number"),
    optional_credentials=("whatsapp_from", "messaging_service_sid", "webhook_signing_key"),
    setup=SETUP,
    simulator=SIMULATOR,
)
