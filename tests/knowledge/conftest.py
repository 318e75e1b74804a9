"""Fixtures: demo documents, an embedded Chroma, a real `chroma run` server, a local web site."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from knowledge import KnowledgeBase, make_client

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo" / "knowledge"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    """A knowledge base over a fresh embedded Chroma directory."""
    return KnowledgeBase(make_client(path=str(tmp_path / "chroma")))


@pytest.fixture(scope="module")
def demo_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The smile-dental and casa-lucia demo documents, ingested once per module."""
    base = KnowledgeBase(make_client(path=str(tmp_path_factory.mktemp("demo") / "chroma")))
    for slug in ("smile-dental", "casa-lucia"):
        for path in sorted((DEMO / slug).iterdir()):
            if path.suffix in (".pdf", ".md", ".html", ".csv"):
                base.ingest(slug, str(path))
    return base


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real `chroma run` server on a free port; stopped after the session."""
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("chroma server did not start")
            time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


class Site:
    """A tiny local web site: path -> (status, headers, body); records requested paths."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requested: list[str] = []
        self.port = 0

    @property
    def base(self) -> str:
        """The site's root URL."""
        return f"http://127.0.0.1:{self.port}"

    def page(self, path: str, html: str) -> None:
        """Serve an HTML page."""
        self.routes[path] = (200, {"Content-Type": "text/html; charset=utf-8"}, html.encode())

    def redirect(self, path: str, target: str) -> None:
        """Serve a 302 redirect."""
        self.routes[path] = (302, {"Location": target}, b"")


@pytest.fixture
def site() -> Iterator[Site]:
    """A local HTTP server on 127.0.0.1 serving a Site."""
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            state.requested.append(self.path)
            status, headers, body = state.routes.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def article(title: str, body: str, links: tuple[str, ...] = ()) -> str:
    """A realistic page trafilatura will extract (enough text, an article element)."""
    filler = (
        "<p>We are a small family business in Madrid and we take pride in looking after every "
        "customer personally, in Spanish and in English, every day of the week.</p>"
    )
    anchors = "".join(f'<a href="{link}">{link}</a> ' for link in links)
    return (
        f"<html><head><title>{title}</title></head><body><nav>{anchors}</nav>"
        f"<article><h1>{title}</h1>{filler}<h2>Details</h2><p>{body}</p>{filler}</article>"
        "</body></html>"
    )
