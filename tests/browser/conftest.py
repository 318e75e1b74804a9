"""A real server and headless Chromium (Debian's) for the browser tests.

Never `playwright install`: the tests drive /usr/bin/chromium through `executable_path` and skip
cleanly when it (or the playwright package) is missing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from gateway.app import create_app
from gateway.core.runtime import Runtime

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
