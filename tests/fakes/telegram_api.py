"""A fake of the Telegram Bot API: the methods `telegram.Bot` calls when we send and set up."""

from __future__ import annotations

import itertools
import json
import re
import time
from typing import Any

from tests.fakes.base import Failure, FakeServer, Recorded, Reply

_METHOD = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>\w+)$")
_FILE = re.compile(r"^/file/bot(?P<token>[^/]+)/(?P<path>.+)$")
_SENDS = {
    "sendMessage": None,
    "sendPhoto": "photo",
    "sendDocument": "document",
    "sendAudio": "audio",
    "sendVoice": "voice",
    "sendVideo": "video",
    "sendLocation": "location",
    "sendVenue": "venue",
}


class FakeTelegram(FakeServer):
    """Answers Bot API calls for one bot token; files for getFile live in `files`."""

    name = "telegram"

    def __init__(self, token: str = "123456:TEST-token") -> None:
        super().__init__()
        self.token = token
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self.webhook: dict[str, Any] = {}
        self._ids = itertools.count(1000)

    def method_calls(self, method: str) -> list[Recorded]:
        """Recorded calls of one Bot API method, e.g. "sendMessage"."""
        return self.calls(f"/{method}")

    def params(self, request: Recorded) -> dict[str, Any]:
        """A call's parameters, with JSON-encoded ones (reply_markup...) decoded."""
        raw: dict[str, Any] = dict(request.json) if isinstance(request.json, dict) else {}
        for key, values in request.form.items():
            raw[key] = values[0]
        for key in ("reply_markup", "allowed_updates"):
            if isinstance(raw.get(key), str):
                raw[key] = json.loads(raw[key])
        return raw

    def counts_for_failures(self, request: Recorded) -> bool:
        """File downloads are never failed on purpose."""
        return not request.path.startswith("/file/")

    def route(self, request: Recorded) -> Reply:
        """Dispatch to the Bot API method named in the path."""
        file_match = _FILE.match(request.path)
        if file_match:
            return self._file(file_match.group("token"), file_match.group("path"))
        match = _METHOD.match(request.path)
        if not match:
            return _error(404, "Not Found")
        if match.group("token") != self.token:
            return _error(401, "Unauthorized")
        method, params = match.group("method"), self.params(request)
        if method in _SENDS:
            return self._sent(_SENDS[method], params)
        if method in ("answerCallbackQuery", "deleteWebhook"):
            return _ok(True)
        if method == "setWebhook":
            self.webhook = params
            return _ok(True)
        if method == "getMe":
            return _ok({"id": 123456, "is_bot": True, "first_name": "Test", "username": "test_bot"})
        if method == "getFile":
            return self._get_file(str(params.get("file_id")))
        return _error(404, "Not Found: method not found")

    def _sent(self, media: str | None, params: dict[str, Any]) -> Reply:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            return _error(400, "Bad Request: chat_id is empty")
        text = params.get("text")
        if media is None and not text:
            return _error(400, "Bad Request: message text is empty")
        chat = int(chat_id) if str(chat_id).lstrip("-").isdigit() else chat_id
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "from": {"id": 123456, "is_bot": True, "first_name": "Test", "username": "test_bot"},
            "chat": {"id": chat, "type": "private"},
            "date": int(time.time()),
        }
        if text:
            message["text"] = text
        if media == "photo":
            size = {"file_id": "AgAD", "file_unique_id": "u1", "width": 90, "height": 90}
            message["photo"] = [size]
        elif media in ("location", "venue"):
            location = {
                "latitude": float(params.get("latitude", 0)),
                "longitude": float(params.get("longitude", 0)),
            }
            message["location"] = location
            if media == "venue":
                message["venue"] = {
                    "location": location,
                    "title": params.get("title", ""),
                    "address": params.get("address", ""),
                }
        elif media is not None:
            message[media] = {"file_id": f"{media}-id", "file_unique_id": f"{media}-u"}
        if params.get("caption"):
            message["caption"] = params["caption"]
        return _ok(message)

    def _get_file(self, file_id: str) -> Reply:
        if file_id not in self.files:
            return _error(400, "Bad Request: invalid file_id")
        path, content = self.files[file_id]
        return _ok(
            {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": len(content),
             "file_path": path}
        )  # fmt: skip

    def _file(self, token: str, path: str) -> Reply:
        if token != self.token:
            return Reply(401, b"Unauthorized", {"Content-Type": "text/plain"})
        for stored_path, content in self.files.values():
            if stored_path == path:
                return Reply(200, content, {"Content-Type": "application/octet-stream"})
        return Reply(404, b"Not Found", {"Content-Type": "text/plain"})

    def failure_reply(self, failure: Failure) -> Reply:
        """Telegram's error body; a 429 carries `parameters.retry_after`."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": failure.status,
            "description": failure.message,
        }
        if failure.status == 429:
            retry = int(failure.retry_after if failure.retry_after is not None else 1)
            body["description"] = f"Too Many Requests: retry after {retry}"
            body["parameters"] = {"retry_after": retry}
        return Reply(failure.status, body)


def _ok(result: Any) -> Reply:
    return Reply(200, {"ok": True, "result": result})


def _error(status: int, description: str) -> Reply:
    return Reply(status, {"ok": False, "error_code": status, "description": description})
