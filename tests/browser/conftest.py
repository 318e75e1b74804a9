"""A real server and headless Chromium (Debian's) for the browser tests.

Never `playwright install`: the tests drive /usr/bin/chromium through `executable_path` and skip
cleanly when it (or the playwright package) is missing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from gateway.app import create_app
from gateway.core.runtime import Runtime

SHOTS = os.environ.get("SWITCHBOARD_SCREENSHOTS")
"""A folder for the README's screenshots (`SWITCHBOARD_SCREENSHOTS=docs/screenshots`)."""
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def live_server(demo: Runtime) -> Iterator[str]:
    """The gateway served by werkzeug in a thread (threads carry the live streams)."""
    app: Flask = create_app(runtime=demo)
    app.config["SESSION_COOKIE_SECURE"] = False  # plain http on 127.0.0.1
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium driven by Playwright's sync API."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def site_page(gateway: str, slug: str, lang: str) -> bytes:
    """A business's own web page (with hostile CSS) and the widget snippet pasted in."""
    return (
        f'<!doctype html><html lang="{lang}"><head><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>Shop</title>'
        "<style>button { background: red !important; } * { font-size: 40px; }</style></head>"
        "<body><h1>Our shop</h1>"
        f'<script src="{gateway}/widget.js" data-business="{slug}" async></script>'
        "</body></html>"
    ).encode()


@pytest.fixture
def other_site(live_server: str) -> Iterator[str]:
    """A second web server reached as `localhost` (another site than the gateway's 127.0.0.1,
    so its cookie is not sent); `/<slug>/<lang>` is a page embedding that business's widget."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            _, slug, lang = (self.path.split("/") + ["", "", ""])[:3]
            body = site_page(live_server, slug, lang or "en")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_port}"
    server.shutdown()
    server.server_close()


def screenshot(page: Any, name: str) -> None:
    """Save a screenshot for the README when SWITCHBOARD_SCREENSHOTS names a folder."""
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))
