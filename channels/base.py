"""The normalized message model every provider module speaks, and the provider interface.

Nothing here imports the rest of Switchboard: the gateway turns these values into rows, and
each provider module turns its provider's wire format into them and back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Network(StrEnum):
    """The customer-facing network a message travelled on (Twilio carries two of them)."""

    SMS = "sms"
    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    WEBCHAT = "webchat"


class Kind(StrEnum):
    """What an inbound message mainly is."""

    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    DOCUMENT = "document"
    STICKER = "sticker"
    LOCATION = "location"
    CONTACT = "contact"
    BUTTON = "button"


class DeliveryStatus(StrEnum):
    """Delivery states a provider reports for an outbound message."""

    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    UNDELIVERED = "undelivered"


@dataclass(frozen=True)
class Attachment:
    """A media file: where to fetch it (url or provider media id) and what it is."""

    kind: str
    content_type: str | None = None
    url: str | None = None
    media_id: str | None = None
    filename: str | None = None
    caption: str | None = None


@dataclass(frozen=True)
class Location:
    """A point on the map, as a customer shared it or as we send it."""

    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class SharedContact:
    """A contact card the customer shared (often their own, to link a phone number)."""

    name: str | None
    phone: str | None
    user_id: str | None = None


@dataclass(frozen=True)
class Button:
    """A reply option: `id` comes back as the payload, `title` is what the customer sees."""

    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class TemplateRef:
    """An approved message template, used outside the WhatsApp 24-hour window."""

    name: str
    language: str = "en"
    variables: tuple[str, ...] = ()


@dataclass(frozen=True)
class InboundMessage:
    """One message from a customer, whatever provider brought it."""

    provider_message_id: str
    sender_id: str
    network: Network
    text: str = ""
    kind: Kind = Kind.TEXT
    sender_name: str | None = None
    sender_phone: str | None = None
    timestamp: datetime | None = None
    attachments: tuple[Attachment, ...] = ()
    location: Location | None = None
    contact: SharedContact | None = None
    button_payload: str | None = None
    edit_of: str | None = None
    ack_token: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class StatusUpdate:
    """A provider's report on an outbound message we sent."""

    provider_message_id: str
    status: DeliveryStatus
    error_code: str | None = None
    error_message: str | None = None
    timestamp: datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


Event = InboundMessage | StatusUpdate


@dataclass(frozen=True)
class OutboundMessage:
    """One reply to deliver; a provider renders buttons and media as its channel allows."""

    recipient_id: str
    network: Network
    text: str = ""
    buttons: tuple[Button, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    location: Location | None = None
    template: TemplateRef | None = None


@dataclass(frozen=True)
class SendResult:
    """What the provider answered: the ids of the messages it accepted (one per part)."""

    provider_message_ids: tuple[str, ...]


@dataclass(frozen=True)
class ChannelConfig:
    """Everything a provider module needs to know about one configured channel."""

    id: str
    provider: str
    credentials: Mapping[str, str] = field(default_factory=dict, repr=False)
    api_base: str | None = None
    webhook_url: str = ""
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WebhookRequest:
    """An HTTP request as the provider made it, free of any web framework."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes
    query: Mapping[str, str] = field(default_factory=dict)
    form: Mapping[str, str] | None = None

    def header(self, name: str) -> str | None:
        """Return a header's value, matched case-insensitively."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def strict_json_loads(body: bytes | str) -> Any:
    """JSON that can be stored: ValueError for invalid UTF-8 or JSON, nesting too deep to parse,
    or a lone surrogate escape ("\\ud800"), which no database or encoder accepts."""
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError as exc:  # thousands of nested brackets, valid JSON or not
        raise ValueError("JSON nested too deeply") from exc
    if _SURROGATE_ESCAPE.search(raw):  # rare: only then check the strings precisely
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except (UnicodeEncodeError, RecursionError) as exc:
            raise ValueError("JSON with a lone surrogate") from exc
    return data


def text_field(data: Any, key: str) -> str | None:
    """A customer-written text field: None when absent, BadRequest when present but not a
    string (a number where the customer's words belong is refused by every provider alike)."""
    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{key} must be a string")
    return value.replace("\x00", "")


def read_json_object(request: WebhookRequest) -> dict[str, Any]:
    """The request body as a JSON object; BadRequest for anything a provider would never send."""
    content_type = (request.header("Content-Type") or "").lower()
    if content_type and "json" not in content_type:
        raise BadRequest(f"expected JSON, got {content_type!r}")
    try:
        data = strict_json_loads(request.body)
    except ValueError as exc:  # UnicodeDecodeError is a ValueError
        raise BadRequest("body is not UTF-8 JSON") from exc
    if not isinstance(data, dict):
        raise BadRequest("body is not a JSON object")
    return data


class ChannelError(Exception):
    """Base of every error a provider module raises."""


class BadRequest(ChannelError):
    """The request is not something this provider would send (answer 400, store nothing)."""


class SendError(ChannelError):
    """Delivery failed; `retryable` says whether trying again may help."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.code = code
        self.retry_after = retry_after


@dataclass(frozen=True)
class RateLimit:
    """A token bucket: `rate` sends per second, at most `burst` at once."""

    rate: float
    burst: float


@dataclass(frozen=True)
class SentOptions:
    """The options (buttons) we sent in one earlier message, and that message's provider id."""

    provider_message_id: str | None
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class WebhookAnswer:
    """The body a provider expects in a successful webhook answer (Twilio: empty TwiML)."""

    body: str
    content_type: str


Verifier = Callable[[WebhookRequest, ChannelConfig], bool]
Parser = Callable[[WebhookRequest, ChannelConfig], list[Event]]
Sender = Callable[[OutboundMessage, ChannelConfig], SendResult]
Handshake = Callable[[WebhookRequest, ChannelConfig], str | None]
Splitter = Callable[[OutboundMessage, ChannelConfig], list[OutboundMessage]]
Acknowledger = Callable[[str, ChannelConfig], bool]
MediaFetcher = Callable[[str, ChannelConfig], tuple[bytes, str]]
OptionMatcher = Callable[[str, str | None, Mapping[str, Any], Sequence[SentOptions]], Button | None]


@dataclass(frozen=True)
class SimulatedCustomer:
    """A customer that a test or a demo plays: their id on the network, phone and shown name."""

    user_id: int
    phone: str
    display_name: str | None
    seq: int


SimulatedRequest = Callable[
    [ChannelConfig, SimulatedCustomer, Network, str, str | None], WebhookRequest
]


@dataclass(frozen=True)
class Simulator:
    """The webhook request a provider would make for a customer's message (or button press),
    signed with the credentials of a local test channel: for the conversation test runner and
    demos, so they need no provider-specific code of their own."""

    networks: tuple[Network, ...]
    credentials: Mapping[str, str]
    request: SimulatedRequest


class SetupError(ChannelError):
    """A value the owner gave to connect a channel is wrong; the message says which and why."""


@dataclass(frozen=True)
class SetupField:
    """One value the owner gives to connect a channel (a credential key, e.g. `auth_token`)."""

    key: str
    help: str
    secret: bool = False
    """Never shown back; asked with a hidden prompt."""
    env: str | None = None
    """An environment variable that may hold it, so it stays out of shell history."""
    prompt: str | None = None
    """Asked interactively when not given (None: a plain option)."""
    required: bool = False


@dataclass(frozen=True)
class SetupLinks:
    """Our URLs for one channel, which the provider must be told about."""

    webhook_url: str
    status_url: str


SetupPreparer = Callable[[Mapping[str, str]], dict[str, str]]
SetupConnector = Callable[[ChannelConfig, SetupLinks], tuple[str, ...]]


@dataclass(frozen=True)
class Setup:
    """How an owner connects a channel of a provider: the values asked, their checks, the wiring."""

    title: str
    fields: tuple[SetupField, ...]
    prepare: SetupPreparer
    """The given values (keys of `fields`, "" when not given) checked and normalized into the
    credentials to store, generated secrets included. Raises SetupError."""
    connect: SetupConnector
    """Wires the provider to our URLs (it may call the provider's API; raises SetupError) and
    returns the lines the owner reads: what to paste where."""


@dataclass(frozen=True)
class Provider:
    """A provider module's narrow interface: verify, parse inbound, send outbound."""

    name: str
    verify: Verifier
    parse: Parser
    send: Sender
    max_text: int = 4096
    native_buttons: bool = True
    handshake: Handshake | None = None
    """Answers a provider's GET verification (the challenge text) or None to refuse it."""
    # Breaks a reply into parts that are each exactly one provider API call, so the gateway can
    # store and retry them one by one and a retry never re-sends a part that already went out.
    # None means the provider sends any message in one call.
    parts: Splitter | None = None

    # Optional hooks: the gateway asks these instead of naming a provider, so a new provider
    # touches channels/ and the registry only. None means "this provider has no such thing".
    acknowledge: Acknowledger | None = None
    """Answers an inbound event's `ack_token` soon after arrival (a Telegram button press spins
    until answered); True when the provider took the answer."""
    fetch_media: MediaFetcher | None = None
    """Downloads an attachment by its `media_id` while the id is valid (Cloud API media ids
    expire): the bytes and their content type. Raises SendError."""
    match_option: OptionMatcher | None = None
    """Which option we sent a reply chose: `(text, button payload, raw payload, options sent,
    newest first)` -> the option, or None when the reply chose none."""
    webhook_answer: WebhookAnswer | None = None
    """The body of a successful webhook answer; None: the gateway answers with JSON counts."""
    status_webhook: bool = False
    """Delivery reports arrive at the webhook URL plus `/status` (signed over that URL)."""
    rate_limit: RateLimit | None = None
    """The provider's published send rate per channel; None: unlimited."""
    chat_rate_limit: RateLimit | None = None
    """The send rate per recipient chat; None: no per-chat limit."""
    visitor_header: str | None = None
    """For a chat the gateway hosts itself (the web chat page): the header in which the gateway
    vouches for the visitor. Such a channel takes no provider webhooks."""
    credentials: tuple[str, ...] = ()
    """The credential keys a channel of this provider must have (checked when it is loaded)."""
    optional_credentials: tuple[str, ...] = ()
    """Credential keys it may also have; any other key of a channel is a mistake."""
    setup: Setup | None = None
    """How an owner connects a channel (`switchboard channel add <name>`); None: not by hand."""
    # How a customer's message arrives from this provider, for tests and demos (None: it has
    # no webhook, e.g. the web chat widget posts to our own page).
    simulator: Simulator | None = None
