"""A fake of Twilio's REST API: enough of `Accounts/{sid}/Messages.json` for `Client.messages`."""

from __future__ import annotations

import base64
import itertools
import re
from datetime import UTC, datetime
from email.utils import format_datetime

from tests.fakes.base import Failure, FakeServer, Recorded, Reply

_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC\w+)/Messages\.json$")


class FakeTwilio(FakeServer):
    """Accepts message creation for any account whose Basic auth matches `auth_tokens`."""

    name = "twilio"

    def __init__(self, auth_tokens: dict[str, str] | None = None) -> None:
        super().__init__()
        self.auth_tokens = auth_tokens or {}
        self._counter = itertools.count(1)

    def messages(self) -> list[Recorded]:
        """The message-creation requests received so far."""
        return [r for r in self.calls("/Messages.json") if r.method == "POST"]

    def route(self, request: Recorded) -> Reply:
        """Create a message and answer like Twilio does (201 and the message resource)."""
        match = _MESSAGES.match(request.path)
        if not match or request.method != "POST":
            return _error(404, 20404, "The requested resource was not found")
        account = match.group("sid")
        if not self._authorized(request, account):
            return _error(401, 20003, "Authenticate")
        if not request.param("To"):
            return _error(400, 21604, "A 'To' phone number is required.")
        sid = f"SM{next(self._counter):032x}"
        now = format_datetime(datetime.now(UTC))
        return Reply(
            201,
            {
                "account_sid": account,
                "api_version": "2010-04-01",
                "body": request.param("Body") or "",
                "date_created": now,
                "date_sent": None,
                "date_updated": now,
                "direction": "outbound-api",
                "error_code": None,
                "error_message": None,
                "from": request.param("From"),
                "messaging_service_sid": request.param("MessagingServiceSid"),
                "num_media": str(len(request.form.get("MediaUrl", []))),
                "num_segments": "1",
                "price": None,
                "price_unit": "USD",
                "sid": sid,
                "status": "queued",
                "subresource_uris": {
                    "media": f"/2010-04-01/Accounts/{account}/Messages/{sid}/Media.json"
                },
                "to": request.param("To"),
                "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
            },
        )

    def _authorized(self, request: Recorded, account: str) -> bool:
        header = request.headers.get("authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        expected = self.auth_tokens.get(account)
        return user == account and (expected is None or password == expected)

    def failure_reply(self, failure: Failure) -> Reply:
        """Twilio's error body: code, message, more_info, status."""
        code = failure.code or {429: 20429, 500: 20500}.get(failure.status, failure.status)
        reply = _error(failure.status, code, failure.message)
        if failure.retry_after is not None:
            reply.headers["Retry-After"] = str(int(failure.retry_after))
        return reply


def _error(status: int, code: int, message: str) -> Reply:
    return Reply(
        status,
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
    )
