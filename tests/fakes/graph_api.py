"""A fake of Meta's Graph API for WhatsApp Cloud: send messages, fetch media in two steps."""

from __future__ import annotations

import hashlib
import itertools
import re
from typing import Any

from tests.fakes.base import Failure, FakeServer, Recorded, Reply

_MESSAGES = re.compile(r"^/v(?P<version>[\d.]+)/(?P<phone_id>\d+)/messages$")
_MEDIA = re.compile(r"^/v(?P<version>[\d.]+)/(?P<media_id>[\w.-]+)$")
_BLOB = re.compile(r"^/media-blob/(?P<media_id>[\w.-]+)$")


class FakeGraph(FakeServer):
    """Answers `POST /vXX/{phone_number_id}/messages` and media GETs for one access token."""

    name = "graph"

    def __init__(self, access_token: str = "EAAG-test-token") -> None:
        super().__init__()
        self.access_token = access_token
        self.media: dict[str, tuple[bytes, str]] = {}  # media_id -> (content, mime type)
        self._ids = itertools.count(1)

    def messages(self) -> list[Recorded]:
        """The message sends received so far."""
        return [r for r in self.requests if r.method == "POST" and r.path.endswith("/messages")]

    def route(self, request: Recorded) -> Reply:
        """Dispatch on the path: messages, media metadata, media bytes."""
        if request.headers.get("authorization") != f"Bearer {self.access_token}":
            return _error(401, 190, "Invalid OAuth access token - Cannot parse access token")
        match = _MESSAGES.match(request.path)
        if match and request.method == "POST":
            return self._send(request)
        blob = _BLOB.match(request.path)
        if blob and request.method == "GET":
            return self._blob(blob.group("media_id"))
        media = _MEDIA.match(request.path)
        if media and request.method == "GET":
            return self._media_info(media.group("media_id"))
        return _error(400, 100, "Unsupported request")

    def _send(self, request: Recorded) -> Reply:
        body = request.json
        if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
            return _error(400, 100, "(#100) The parameter messaging_product is required.")
        to = str(body.get("to") or "")
        if not to:
            return _error(400, 100, "(#100) The parameter to is required.")
        wamid = f"wamid.FAKE{next(self._ids):08d}"
        return Reply(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to.lstrip("+")}],
                "messages": [{"id": wamid}],
            },
        )

    def _media_info(self, media_id: str) -> Reply:
        if media_id not in self.media:
            return _error(400, 100, "(#100) Invalid parameter")
        content, mime = self.media[media_id]
        return Reply(
            200,
            {
                "messaging_product": "whatsapp",
                "url": f"{self.base_url}/media-blob/{media_id}",
                "mime_type": mime,
                "sha256": hashlib.sha256(content).hexdigest(),
                "file_size": len(content),
                "id": media_id,
            },
        )

    def _blob(self, media_id: str) -> Reply:
        if media_id not in self.media:
            return Reply(404, b"", {"Content-Type": "text/plain"})
        content, mime = self.media[media_id]
        return Reply(200, content, {"Content-Type": mime})

    def failure_reply(self, failure: Failure) -> Reply:
        """Graph's error body: error.code (130429 for a rate limit), type, fbtrace_id."""
        code = failure.code or {429: 130429, 500: 131000}.get(failure.status, 100)
        reply = _error(failure.status, code, failure.message)
        if failure.retry_after is not None:
            reply.headers["Retry-After"] = str(int(failure.retry_after))
        return reply


def _error(status: int, code: int, message: str) -> Reply:
    body: dict[str, Any] = {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": message},
            "fbtrace_id": "AbCdEfGhIjK",
        }
    }
    return Reply(status, body)
