"""Telegram Bot API: updates checked by the secret-token header, replies through `telegram.Bot`.

Senders are chats: `sender_id` is the chat id (where a reply goes), the user id is in `raw`.
Message ids are only unique per chat, so `provider_message_id` is "{chat_id}:{message_id}";
an edit is "{chat_id}:{message_id}:edit:{edit_date}" with `edit_of` = the original's id;
a button press is "cb:{callback_query_id}" with `ack_token` for `answer_callback`.

Credentials: `token`, `secret_token`. Settings: `buttons_prompt` (text sent with buttons when
a reply has nothing else to carry them).
"""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import hmac
import json
import logging
import math
import secrets
import ssl
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

import certifi
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import (
    BadRequest as TelegramBadRequest,
)
from telegram.error import (
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from channels.base import (
    Attachment,
    BadRequest,
    Button,
    ChannelConfig,
    ChannelError,
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
    WebhookRequest,
    read_json_object,
    text_field,
)
from channels.phone import to_e164
from channels.text import split_text, truncate

log = logging.getLogger(__name__)

TELEGRAM_API = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes
MAX_BUTTON_TEXT = 64
HASHED_PREFIX = "~"
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
TIMEOUT = 15.0

T = TypeVar("T")


# --- verification and set-up -----------------------------------------------------------------


def verify(request: WebhookRequest, config: ChannelConfig) -> bool:
    """Compare `X-Telegram-Bot-Api-Secret-Token` with the channel's secret in constant time."""
    expected = config.credentials.get("secret_token") or ""
    given = request.header(SECRET_HEADER) or ""
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def new_secret_token() -> str:
    """A fresh webhook secret in Telegram's alphabet (A-Z a-z 0-9 _ -), 43 characters."""
    return secrets.token_urlsafe(32)


def set_webhook(config: ChannelConfig, url: str, secret_token: str) -> bool:
    """Point the bot's webhook at `url`, signed with `secret_token` (for `channel add telegram`)."""
    return _run(
        config,
        lambda bot: bot.set_webhook(
            url=url, secret_token=secret_token, allowed_updates=list(ALLOWED_UPDATES)
        ),
    )


def answer_callback(ack_token: str, config: ChannelConfig, text: str | None = None) -> bool:
    """Answer a callback query so the user's button stops spinning."""
    return _run(
        config,
        lambda bot: bot.answer_callback_query(
            ack_token, text=truncate(text, 200) if text else None
        ),
    )


def download_file(file_id: str, config: ChannelConfig) -> tuple[bytes, str | None]:
    """Fetch a file the user sent (photo, document, voice...) by its file id."""

    async def fetch(bot: Bot) -> tuple[bytes, str | None]:
        file = await bot.get_file(file_id)
        return bytes(await file.download_as_bytearray()), None

    return _run(config, fetch)


# --- parsing ---------------------------------------------------------------------------------


def parse(request: WebhookRequest, config: ChannelConfig) -> list[Event]:
    """Turn one update into events: messages, edits and button presses; [] for the rest."""
    update = read_json_object(request)
    update_id = update.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        # Every Telegram Update has one: a body without it did not come from Telegram.
        raise BadRequest("an update needs an integer update_id")
    for key in ("message", "edited_message"):
        if isinstance(update.get(key), dict):
            event = _message(update[key], update, edited=key == "edited_message")
            return [event] if event is not None else []
    if isinstance(update.get("callback_query"), dict):
        event = _callback(update["callback_query"], update)
        return [event] if event is not None else []
    log.debug("telegram: ignoring update kind %s", sorted(k for k in update if k != "update_id"))
    return []


def _message(message: dict[str, Any], update: dict[str, Any], *, edited: bool) -> Event | None:
    chat_id, message_id = _chat_id(message), _int(message.get("message_id"))
    if chat_id is None or message_id is None:
        log.debug("telegram: ignoring a message without chat or message id")
        return None
    content = _content(message)
    if content is None:
        log.debug("telegram: ignoring a message with no content we handle")
        return None
    original = f"{chat_id}:{message_id}"
    provider_id, edit_of, date = original, None, message.get("date")
    if edited:
        date = message.get("edit_date") or date
        provider_id, edit_of = f"{original}:edit:{_int(date) or 0}", original
    sender = _dict(message.get("from"))
    return InboundMessage(
        provider_message_id=provider_id,
        sender_id=chat_id,
        network=Network.TELEGRAM,
        sender_name=_name(sender),
        timestamp=_timestamp(date),
        edit_of=edit_of,
        raw=update,
        **content,
    )


def _content(message: dict[str, Any]) -> dict[str, Any] | None:
    caption = text_field(message, "caption") or ""
    text = text_field(message, "text")
    if text is not None:
        return {"text": text}
    photo = _largest_photo(message.get("photo"))
    if photo is not None:
        attachment = Attachment(kind="image", content_type="image/jpeg", media_id=photo)
        return {"kind": Kind.IMAGE, "text": caption, "attachments": (attachment,)}
    for field, kind in (
        ("document", Kind.DOCUMENT),
        ("voice", Kind.AUDIO),
        ("audio", Kind.AUDIO),
        ("video", Kind.VIDEO),
        ("video_note", Kind.VIDEO),
        ("animation", Kind.VIDEO),
        ("sticker", Kind.STICKER),
    ):
        media = message.get(field)
        if isinstance(media, dict) and _str(media, "file_id"):
            attachment = Attachment(
                kind=kind.value,
                content_type=_str(media, "mime_type"),
                media_id=_str(media, "file_id"),
                filename=_str(media, "file_name"),
                caption=caption or None,
            )
            return {"kind": kind, "text": caption, "attachments": (attachment,)}
    contact = _contact(message.get("contact"))
    if contact is not None:
        return {"kind": Kind.CONTACT, "contact": contact}
    location = _location(message)
    if location is not None:
        return {"kind": Kind.LOCATION, "location": location}
    return None


def _largest_photo(sizes: Any) -> str | None:
    best: tuple[int, str] | None = None
    for size in sizes if isinstance(sizes, list) else []:
        file_id = _str(size, "file_id")
        if not file_id:
            continue
        area = (_int(size.get("width")) or 0) * (_int(size.get("height")) or 0)
        weight = _int(size.get("file_size")) or area
        if best is None or weight >= best[0]:
            best = (weight, file_id)
    return best[1] if best else None


def _contact(contact: Any) -> SharedContact | None:
    if not isinstance(contact, dict):
        return None
    phone = _str(contact, "phone_number")
    name = " ".join(p for p in (_str(contact, "first_name"), _str(contact, "last_name")) if p)
    if not phone and not name:
        return None
    user_id = _int(contact.get("user_id"))
    return SharedContact(
        name=name or None,
        phone=(to_e164(phone) or phone) if phone else None,
        user_id=str(user_id) if user_id is not None else None,
    )


def _location(message: dict[str, Any]) -> Location | None:
    venue = _dict(message.get("venue"))
    point = message.get("location")
    if not isinstance(point, dict) and venue:
        point = venue.get("location")
    if not isinstance(point, dict):
        return None
    latitude, longitude = _number(point.get("latitude"), 90), _number(point.get("longitude"), 180)
    if latitude is None or longitude is None:
        return None
    return Location(latitude, longitude, name=_str(venue, "title"), address=_str(venue, "address"))


def _callback(query: dict[str, Any], update: dict[str, Any]) -> Event | None:
    query_id, data = _str(query, "id"), _str(query, "data")
    sender = _dict(query.get("from"))
    message = _dict(query.get("message"))
    user_id = _int(sender.get("id"))
    chat_id = _chat_id(message) or (str(user_id) if user_id is not None else None)
    if not query_id or not data or not chat_id:
        log.debug("telegram: ignoring a callback query without id, data or chat")
        return None
    return InboundMessage(
        provider_message_id=f"cb:{query_id}",
        sender_id=chat_id,
        network=Network.TELEGRAM,
        text=_button_text(message, data) or data,
        kind=Kind.BUTTON,
        sender_name=_name(sender),
        button_payload=data,
        ack_token=query_id,
        raw=update,
    )


def _button_text(message: dict[str, Any], data: str) -> str | None:
    """The title of the pressed button, read from the keyboard Telegram echoes back."""
    markup = message.get("reply_markup")
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    for row in rows if isinstance(rows, list) else []:
        for button in row if isinstance(row, list) else []:
            if isinstance(button, dict) and button.get("callback_data") == data:
                return _str(button, "text")
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _chat_id(message: Any) -> str | None:
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = _int(chat.get("id")) if isinstance(chat, dict) else None
    return str(chat_id) if chat_id is not None else None


def _name(user: Any) -> str | None:
    if not isinstance(user, dict):
        return None
    name = " ".join(p for p in (_str(user, "first_name"), _str(user, "last_name")) if p)
    return name or _str(user, "username")


def _str(data: Any, key: str) -> str | None:
    value = data.get(key) if isinstance(data, dict) else None
    return value.replace("\x00", "") if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: Any, bound: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and abs(value) <= bound else None


def _timestamp(value: Any) -> datetime | None:
    seconds = _int(value)
    if seconds is None or not 0 < seconds < 32503680000:
        return None
    return datetime.fromtimestamp(seconds, tz=UTC)


# --- buttons ---------------------------------------------------------------------------------


def callback_data_for(button_id: str) -> str:
    """The `callback_data` for a button: its id if it fits in 64 bytes, else a stable hash."""
    if 0 < len(button_id.encode("utf-8")) <= MAX_CALLBACK_DATA and not button_id.startswith(
        HASHED_PREFIX
    ):
        return button_id
    digest = hashlib.sha256(button_id.encode("utf-8")).digest()[:24]
    return HASHED_PREFIX + base64.urlsafe_b64encode(digest).decode("ascii")


def button_for_callback(data: str, buttons: Sequence[Button]) -> Button | None:
    """Find which of the buttons we sent a callback's `data` stands for (hashed ids included)."""
    for button in buttons:
        if callback_data_for(button.id) == data:
            return button
    return None


def match_option(
    text: str, payload: str | None, raw: Mapping[str, Any], sent: Sequence[SentOptions]
) -> Button | None:
    """The button a callback's data stands for, looked up first on the keyboard that was pressed
    (named in the raw update), then on the other recent ones; typed text chooses nothing."""
    if not payload:
        return None
    pressed = _pressed_message_id(raw)
    exact = [offer for offer in sent if pressed and offer.provider_message_id == pressed]
    for offer in [*exact, *sent]:
        choice = button_for_callback(payload, offer.buttons)
        if choice is not None:
            return choice
    return None


def _pressed_message_id(update: Mapping[str, Any]) -> str | None:
    """The "{chat}:{message}" id (as `send` gives it) of the message whose keyboard was pressed."""
    query = update.get("callback_query")
    sent = query.get("message") if isinstance(query, dict) else None
    chat = sent.get("chat") if isinstance(sent, dict) else None
    if not isinstance(chat, dict) or not isinstance(sent, dict):
        return None
    chat_id, message_id = chat.get("id"), sent.get("message_id")
    if not isinstance(chat_id, int) or not isinstance(message_id, int):
        return None
    return f"{chat_id}:{message_id}"


def _keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    truncate(b.title, MAX_BUTTON_TEXT), callback_data=callback_data_for(b.id)
                )
            ]
            for b in buttons
        ]
    )


# --- sending ---------------------------------------------------------------------------------


def parts(message: OutboundMessage, config: ChannelConfig) -> list[OutboundMessage]:
    """Break a reply into Bot API calls: text chunks, media, location; buttons on the last one."""
    base = replace(message, text="", buttons=(), attachments=(), location=None, template=None)
    out = [replace(base, text=chunk) for chunk in split_text(message.text, MAX_TEXT)]
    out.extend(replace(base, attachments=(a,)) for a in message.attachments)
    if message.location is not None:
        out.append(replace(base, location=message.location))
    if message.buttons:
        if not out:
            out.append(replace(base, text=_prompt(config)))
        out[-1] = replace(out[-1], buttons=message.buttons)
    return out


def _prompt(config: ChannelConfig) -> str:
    prompt = config.settings.get("buttons_prompt")
    return prompt if isinstance(prompt, str) and prompt.strip() else "👇"


def send(message: OutboundMessage, config: ChannelConfig) -> SendResult:
    """Deliver a reply with `telegram.Bot`, one API call per part; ids are "{chat}:{message}"."""
    chat_id = _target(message.recipient_id)
    pieces = parts(message, config)

    async def deliver(bot: Bot) -> list[str]:
        ids = []
        for part in pieces:
            sent = await _send_part(bot, chat_id, part)
            ids.append(f"{sent.chat.id}:{sent.message_id}")
        return ids

    return SendResult(provider_message_ids=tuple(_run(config, deliver)))


def _target(recipient_id: str) -> int | str:
    value = recipient_id.strip()
    if value.lstrip("-").isdigit():
        return int(value)
    if value.startswith("@") and len(value) > 1:
        return value
    raise SendError(f"not a Telegram chat id: {recipient_id[:40]!r}", retryable=False)


async def _send_part(bot: Bot, chat_id: int | str, part: OutboundMessage) -> Message:
    markup = _keyboard(part.buttons) if part.buttons else None
    if part.attachments:
        return await _send_media(bot, chat_id, part.attachments[0], markup)
    if part.location is not None:
        loc = part.location
        if loc.name and loc.address:
            return await bot.send_venue(
                chat_id, loc.latitude, loc.longitude, loc.name, loc.address, reply_markup=markup
            )
        return await bot.send_location(chat_id, loc.latitude, loc.longitude, reply_markup=markup)
    return await bot.send_message(chat_id, part.text, reply_markup=markup)


async def _send_media(
    bot: Bot, chat_id: int | str, attachment: Attachment, markup: InlineKeyboardMarkup | None
) -> Message:
    source = _media_source(attachment)
    caption = truncate(attachment.caption, MAX_CAPTION) if attachment.caption else None
    if attachment.kind == "image":
        return await bot.send_photo(chat_id, source, caption=caption, reply_markup=markup)
    if attachment.kind == "video":
        return await bot.send_video(chat_id, source, caption=caption, reply_markup=markup)
    if attachment.kind == "audio":
        return await bot.send_audio(chat_id, source, caption=caption, reply_markup=markup)
    return await bot.send_document(chat_id, source, caption=caption, reply_markup=markup)


def _media_source(attachment: Attachment) -> str:
    """A URL Telegram fetches itself, or a Telegram file id; never a local path (PTB would
    read and upload any file on this machine)."""
    if attachment.url and attachment.url.startswith(("https://", "http://")):
        return attachment.url
    if attachment.media_id and "/" not in attachment.media_id:
        return attachment.media_id
    raise SendError("telegram attachments need an http(s) url or a file id", retryable=False)


# --- running the async SDK from the synchronous worker -----------------------------------------


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context per process: building one per client costs about 100 ms (CA loading).
    Clients themselves stay per call, so no pooled connection outlives an RQ fork."""
    return ssl.create_default_context(cafile=certifi.where())


def _run(config: ChannelConfig, call: Callable[[Bot], Awaitable[T]]) -> T:
    """Run one Bot conversation in a fresh event loop, mapping its errors to SendError."""
    token = config.credentials.get("token")
    if not token:
        raise SendError("telegram channel lacks a token", retryable=False)
    base = (config.api_base or TELEGRAM_API).rstrip("/")

    async def main() -> T:
        request = HTTPXRequest(
            read_timeout=TIMEOUT,
            write_timeout=TIMEOUT,
            connect_timeout=TIMEOUT,
            httpx_kwargs={"verify": _tls()},
        )
        bot = Bot(
            token,
            base_url=f"{base}/bot",
            base_file_url=f"{base}/file/bot",
            request=request,
            get_updates_request=request,
        )
        try:
            return await call(bot)
        finally:
            await request.shutdown()

    try:
        return asyncio.run(main())
    except TelegramError as exc:
        raise _send_error(exc) from exc


def _send_error(exc: TelegramError) -> SendError:
    if isinstance(exc, RetryAfter):
        wait = exc.retry_after
        seconds = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
        return SendError(str(exc), retryable=True, code="429", retry_after=seconds)
    final: list[tuple[type[TelegramError], str]] = [
        (TelegramBadRequest, "400"),
        (Forbidden, "403"),
        (InvalidToken, "401"),
        (Conflict, "409"),
        (ChatMigrated, "chat_migrated"),
    ]
    for kind, code in final:
        if isinstance(exc, kind):
            return SendError(f"telegram {code}: {exc.message}", retryable=False, code=code)
    if isinstance(exc, NetworkError):  # timeouts, connection errors and 5xx
        return SendError(f"telegram unreachable or failing: {exc.message}", retryable=True)
    return SendError(f"telegram error: {exc.message}", retryable=False)


def simulate(
    config: ChannelConfig,
    who: SimulatedCustomer,
    network: Network,
    text: str,
    payload: str | None,
) -> WebhookRequest:
    """The update Telegram would POST for `who` typing `text` (or pressing a button)."""
    user: dict[str, Any] = {"id": who.user_id, "is_bot": False, "first_name": "Customer"}
    if who.display_name:
        first, _, last = who.display_name.partition(" ")
        user |= {"first_name": first} | ({"last_name": last} if last else {})
    message = {
        "message_id": who.seq,
        "from": user,
        "chat": {"id": who.user_id, "type": "private", "first_name": user["first_name"]},
        "date": int(datetime.now(UTC).timestamp()),
        "text": text,
    }
    update: dict[str, Any] = {"update_id": 700000000 + who.seq, "message": message}
    if payload:
        bot = {"id": 1, "is_bot": True, "first_name": "Bot"}
        update = {
            "update_id": 700000000 + who.seq,
            "callback_query": {
                "id": f"cb{who.user_id}{who.seq}",
                "from": user,
                "message": {**message, "text": "", "from": bot},
                "chat_instance": "1",
                "data": payload,
            },
        }
    return WebhookRequest(
        method="POST",
        url=config.webhook_url,
        headers={
            "Content-Type": "application/json",
            SECRET_HEADER: config.credentials.get("secret_token", ""),
        },
        body=json.dumps(update).encode("utf-8"),
    )


SIMULATOR = Simulator(
    networks=(Network.TELEGRAM,),
    credentials={"token": "123456:simulated", "secret_token": "simulated-secret"},
    request=simulate,
)


def _setup_prepare(values: Mapping[str, str]) -> dict[str, str]:
    """The bot token, and a fresh secret token (running setup again rotates it)."""
    token = values.get("token", "").strip()
    if not token:
        raise SetupError("token: the bot token from @BotFather is required")
    return {"token": token, "secret_token": new_secret_token()}


def _setup_connect(config: ChannelConfig, links: SetupLinks) -> tuple[str, ...]:
    """Point the bot's webhook at us; a bot whose webhook is not ours would be silent."""
    try:
        set_webhook(config, links.webhook_url, config.credentials["secret_token"])
    except ChannelError as exc:
        raise SetupError(f"Telegram refused setWebhook: {exc}") from None
    return (
        f"Telegram now delivers updates to {links.webhook_url}",
        "(signed with a secret token stored encrypted; run this again to rotate it)",
    )


SETUP = Setup(
    title="Telegram",
    fields=(
        SetupField(
            "token",
            "The bot token from @BotFather (or TELEGRAM_BOT_TOKEN).",
            secret=True,
            env="TELEGRAM_BOT_TOKEN",
            prompt="Bot token (from @BotFather)",
            required=True,
        ),
    ),
    prepare=_setup_prepare,
    connect=_setup_connect,
)


PROVIDER = Provider(
    name="telegram",
    verify=verify,
    parse=parse,
    send=send,
    max_text=MAX_TEXT,
    native_buttons=True,
    parts=parts,
    acknowledge=answer_callback,
    match_option=match_option,
    # about 30 messages a second overall and one a second per chat (Telegram's published limits)
    rate_limit=RateLimit(30.0, 30.0),
    chat_rate_limit=RateLimit(1.0, 3.0),
    credentials=("token", "secret_token"),
    setup=SETUP,
    simulator=SIMULATOR,
)
