"""Telegram: secret-token header, every recorded update, sends through telegram.Bot to the fake."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from channels import telegram
from channels.base import (
    Attachment,
    BadRequest,
    Button,
    InboundMessage,
    Location,
    Network,
    OutboundMessage,
    SendError,
    WebhookRequest,
)
from tests.channels.conftest import (
    TELEGRAM,
    expected_for,
    fixture_files,
    snapshot,
    telegram_request,
)
from tests.fakes import FakeTelegram

TEXT = (Path(__file__).parent.parent / "fixtures/telegram/message_text.json").read_bytes()


def test_verify_secret_token() -> None:
    assert telegram.verify(telegram_request(TEXT), TELEGRAM)
    assert not telegram.verify(telegram_request(TEXT, secret="tg-secret_0124"), TELEGRAM)
    assert not telegram.verify(telegram_request(TEXT, secret=None), TELEGRAM)
    assert not telegram.verify(telegram_request(TEXT, secret="ñ"), TELEGRAM)
    assert not telegram.verify(telegram_request(TEXT), replace(TELEGRAM, credentials={}))


def test_new_secret_tokens_use_telegrams_alphabet() -> None:
    token = telegram.new_secret_token()
    assert 1 <= len(token) <= 256
    assert all(c.isalnum() or c in "_-" for c in token)
    assert token != telegram.new_secret_token()


@pytest.mark.parametrize("path", fixture_files("telegram"), ids=lambda p: p.stem)
def test_parse_recorded_updates(path: Path) -> None:
    expected: Any = expected_for(path)
    if isinstance(expected, dict):  # {"error": ...}: not a body Telegram sends, refused (400)
        with pytest.raises(BadRequest):
            telegram.parse(telegram_request(path.read_bytes()), TELEGRAM)
        return
    events = telegram.parse(telegram_request(path.read_bytes()), TELEGRAM)
    assert [snapshot(e) for e in events] == expected
    for event in events:
        assert event.raw["update_id"] == json.loads(path.read_bytes())["update_id"]


def test_an_edit_is_distinct_from_the_message_it_edits() -> None:
    folder = Path(__file__).parent.parent / "fixtures/telegram"
    (original,) = telegram.parse(
        telegram_request((folder / "message_text.json").read_bytes()), TELEGRAM
    )
    (edit,) = telegram.parse(
        telegram_request((folder / "edited_message.json").read_bytes()), TELEGRAM
    )
    assert isinstance(edit, InboundMessage)
    assert edit.provider_message_id != original.provider_message_id
    assert edit.edit_of == original.provider_message_id


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b"{"),
        ("application/json", b"\xff"),
        ("application/json", b'"just a string"'),
        ("application/x-www-form-urlencoded", b"update_id=1"),
    ],
)
def test_parse_rejects_bodies_that_are_not_json_objects(content_type: str, body: bytes) -> None:
    request = WebhookRequest("POST", "https://x/", {"Content-Type": content_type}, body)
    with pytest.raises(BadRequest):
        telegram.parse(request, TELEGRAM)


# --- buttons --------------------------------------------------------------------------------


def test_callback_data_fits_in_64_bytes_and_maps_back() -> None:
    long_id = "appointment:" + "ñ" * 60
    buttons = (Button("yes", "Sí"), Button(long_id, "Otra"))
    short, hashed = (telegram.callback_data_for(b.id) for b in buttons)
    assert short == "yes"
    assert len(hashed.encode()) <= 64 and hashed.startswith(telegram.HASHED_PREFIX)
    assert telegram.button_for_callback(hashed, buttons) == buttons[1]
    assert telegram.button_for_callback("yes", buttons) == buttons[0]
    assert telegram.button_for_callback("unknown", buttons) is None


# --- sending --------------------------------------------------------------------------------


def _out(**fields: object) -> OutboundMessage:
    return OutboundMessage(recipient_id="987654321", network=Network.TELEGRAM, **fields)  # type: ignore[arg-type]


def test_send_message_with_inline_keyboard(fake_telegram: FakeTelegram) -> None:
    buttons = (Button("slot_tue_17", "Martes 17:00"), Button("x" * 100, "Otro día"))
    result = telegram.send(
        _out(text="¿Qué día?", buttons=buttons), replace(TELEGRAM, api_base=fake_telegram.base_url)
    )
    (call,) = fake_telegram.method_calls("sendMessage")
    assert call.path == "/bot123456:TEST-token/sendMessage"
    params = fake_telegram.params(call)
    assert params["chat_id"] == "987654321" and params["text"] == "¿Qué día?"
    keyboard = params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["Martes 17:00", "Otro día"]
    assert keyboard[0][0]["callback_data"] == "slot_tue_17"
    assert len(keyboard[1][0]["callback_data"].encode()) <= 64
    assert result.provider_message_ids == ("987654321:1000",)


def test_send_photo_document_and_location_as_real_attachments(fake_telegram: FakeTelegram) -> None:
    message = _out(
        text="Aquí tienes",
        attachments=(
            Attachment(kind="image", url="https://cdn.example.com/a.jpg", caption="Mapa"),
            Attachment(kind="document", url="https://cdn.example.com/p.pdf"),
        ),
        location=Location(40.41, -3.70),
        buttons=(Button("ok", "OK"),),
    )
    result = telegram.send(message, replace(TELEGRAM, api_base=fake_telegram.base_url))
    methods = [r.path.rsplit("/", 1)[1] for r in fake_telegram.requests]
    assert methods == ["sendMessage", "sendPhoto", "sendDocument", "sendLocation"]
    photo = fake_telegram.params(fake_telegram.method_calls("sendPhoto")[0])
    assert photo["photo"] == "https://cdn.example.com/a.jpg" and photo["caption"] == "Mapa"
    location = fake_telegram.params(fake_telegram.method_calls("sendLocation")[0])
    assert "reply_markup" in location  # buttons ride on the last part
    assert len(result.provider_message_ids) == 4


def test_local_paths_are_never_uploaded(fake_telegram: FakeTelegram) -> None:
    message = _out(attachments=(Attachment(kind="document", url="/etc/passwd"),))
    with pytest.raises(SendError) as caught:
        telegram.send(message, replace(TELEGRAM, api_base=fake_telegram.base_url))
    assert not caught.value.retryable
    assert fake_telegram.requests == []


def test_long_text_is_split_at_4096(fake_telegram: FakeTelegram) -> None:
    text = "🙂 hola " * 1200
    telegram.send(_out(text=text), replace(TELEGRAM, api_base=fake_telegram.base_url))
    texts = [fake_telegram.params(c)["text"] for c in fake_telegram.method_calls("sendMessage")]
    assert len(texts) == 3
    assert all(len(t.encode("utf-16-le")) // 2 <= 4096 for t in texts)
    assert " ".join(texts) == text.strip()


def test_retry_after_then_success(fake_telegram: FakeTelegram) -> None:
    config = replace(TELEGRAM, api_base=fake_telegram.base_url)
    fake_telegram.fail_next(1, status=429, retry_after=5)
    with pytest.raises(SendError) as caught:
        telegram.send(_out(text="hi"), config)
    assert caught.value.retryable and caught.value.retry_after == 5.0
    assert telegram.send(_out(text="hi"), config).provider_message_ids


@pytest.mark.parametrize(
    ("status", "message", "retryable", "code"),
    [
        (500, "Internal Server Error", True, None),
        (502, "Bad Gateway", True, None),
        (400, "Bad Request: chat not found", False, "400"),
        (403, "Forbidden: bot was blocked by the user", False, "403"),
    ],
)
def test_error_classification(
    fake_telegram: FakeTelegram, status: int, message: str, retryable: bool, code: str | None
) -> None:
    fake_telegram.fail_next(1, status=status, message=message)
    with pytest.raises(SendError) as caught:
        telegram.send(_out(text="hi"), replace(TELEGRAM, api_base=fake_telegram.base_url))
    assert caught.value.retryable is retryable
    assert caught.value.code == code


def test_network_error_is_retryable() -> None:
    with pytest.raises(SendError) as caught:
        telegram.send(_out(text="hi"), replace(TELEGRAM, api_base="http://127.0.0.1:9"))
    assert caught.value.retryable


def test_set_webhook_and_answer_callback(fake_telegram: FakeTelegram) -> None:
    config = replace(TELEGRAM, api_base=fake_telegram.base_url)
    assert telegram.set_webhook(config, "https://sb.example.com/webhooks/telegram/ch_tg", "s3cr3t")
    assert fake_telegram.webhook["url"] == "https://sb.example.com/webhooks/telegram/ch_tg"
    assert fake_telegram.webhook["secret_token"] == "s3cr3t"
    assert "callback_query" in fake_telegram.webhook["allowed_updates"]
    assert telegram.answer_callback("4382bfdwdsb323b2d9", config)
    (call,) = fake_telegram.method_calls("answerCallbackQuery")
    assert fake_telegram.params(call)["callback_query_id"] == "4382bfdwdsb323b2d9"


def test_download_file(fake_telegram: FakeTelegram) -> None:
    fake_telegram.files["AgACAgQAAxkBAAIBsmaLARGE"] = ("photos/file_1.jpg", b"\xff\xd8jpeg")
    data, _ = telegram.download_file(
        "AgACAgQAAxkBAAIBsmaLARGE", replace(TELEGRAM, api_base=fake_telegram.base_url)
    )
    assert data == b"\xff\xd8jpeg"


def test_parts_are_stable() -> None:
    message = _out(text="y " * 3000, buttons=(Button("a", "A"),), location=Location(1.0, 2.0))
    for part in telegram.parts(message, TELEGRAM):
        assert telegram.parts(part, TELEGRAM) == [part]
