"""A small threaded HTTP server on 127.0.0.1 that stands in for a provider's API in tests.

Subclasses implement `route(request)`; the base records every request and can be told to
answer the next N requests with a failure (429 with a retry-after, 500, a provider error).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass(frozen=True)
class Recorded:
    """One request the fake received, decoded for assertions."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    form: dict[str, list[str]] = field(default_factory=dict)
    json: Any = None

    def param(self, name: str) -> str | None:
        """The first form value, or the JSON field, named `name`."""
        if name in self.form:
            return self.form[name][0]
        if isinstance(self.json, dict):
            value = self.json.get(name)
            return value if value is None or isinstance(value, str) else json.dumps(value)
        return None


@dataclass(frozen=True)
class Reply:
    """What the fake answers: a status, a body (JSON-encoded when not bytes), extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        """Body bytes and their content type."""
        if isinstance(self.body, bytes):
            return self.body, self.headers.get("Content-Type", "application/octet-stream")
        return json.dumps(self.body).encode(), "application/json"


@dataclass(frozen=True)
class Failure:
    """A queued failure: status, optional retry-after seconds, optional provider error code."""

    status: int
    retry_after: float | None = None
    code: int | None = None
    message: str = "failure injected by the test"


class FakeServer:
    """Base of the fakes: start/stop, request log, failure injection, JSON helpers."""

    name = "fake"

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._failures: deque[Failure] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self) -> Self:
        """Listen on a free port of 127.0.0.1 in a daemon thread."""
        handler = _handler_for(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The root URL to give the SDK, e.g. http://127.0.0.1:50123."""
        if self._server is None:
            raise RuntimeError(f"{self.name} fake is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # test controls
    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 429,
        retry_after: float | None = None,
        code: int | None = None,
        message: str = "failure injected by the test",
    ) -> None:
        """Answer the next `count` API requests with this failure instead of success."""
        with self._lock:
            for _ in range(count):
                self._failures.append(Failure(status, retry_after, code, message))

    def reset(self) -> None:
        """Forget recorded requests and pending failures."""
        with self._lock:
            self.requests.clear()
            self._failures.clear()

    def calls(self, suffix: str) -> list[Recorded]:
        """Recorded requests whose path ends with `suffix` (e.g. "/sendMessage")."""
        with self._lock:
            return [r for r in self.requests if r.path.endswith(suffix)]

    # for subclasses
    def route(self, request: Recorded) -> Reply:
        """Answer one request; subclasses implement the provider's API."""
        return Reply(404, {"error": "not found"})

    def failure_reply(self, failure: Failure) -> Reply:
        """Render a queued failure in the provider's error format."""
        headers = {}
        if failure.retry_after is not None:
            headers["Retry-After"] = _seconds(failure.retry_after)
        return Reply(failure.status, {"error": failure.message}, headers)

    def counts_for_failures(self, request: Recorded) -> bool:
        """Whether a queued failure may hit this request (file downloads are never failed)."""
        return True

    def _handle(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
            failure = None
            if self._failures and self.counts_for_failures(request):
                failure = self._failures.popleft()
        if failure is not None:
            return self.failure_reply(failure)
        return self.route(request)


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _decode(headers: dict[str, str], body: bytes) -> tuple[dict[str, list[str]], Any]:
    content_type = headers.get("content-type", "").lower()
    if "application/json" in content_type:
        try:
            return {}, json.loads(body or b"null")
        except ValueError:
            return {}, None
    if "application/x-www-form-urlencoded" in content_type:
        return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True), None
    if "multipart/form-data" in content_type:
        return _multipart_fields(content_type, body), None
    return {}, None


def _multipart_fields(content_type: str, body: bytes) -> dict[str, list[str]]:
    """The text fields of a multipart body (file parts are recorded as their filename)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    fields: dict[str, list[str]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        filename = part.get_filename()
        payload = part.get_payload(decode=True)
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        value = f"<file {filename}>" if filename else text
        fields.setdefault(name, []).append(value)
    return fields


def _handler_for(fake: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            parts = urlsplit(self.path)
            form, data = _decode(headers, body)
            recorded = Recorded(
                method=self.command,
                path=unquote(parts.path),
                query=parse_qs(parts.query, keep_blank_values=True),
                headers=headers,
                body=body,
                form=form,
                json=data,
            )
            reply = fake._handle(recorded)
            payload, content_type = reply.encoded()
            self.send_response(reply.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in reply.headers.items():
                if key.lower() != "content-type":
                    self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Keep test output quiet."""

    return Handler
