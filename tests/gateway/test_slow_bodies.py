"""A client that announces a body and goes silent is answered 408 and dropped, under the real
gunicorn `switchboard serve` runs, so it cannot hold the request threads webhooks need
(issue 16, hardening: slow uploads)."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from gateway.core.runtime import Runtime
from tests.support import ROOT, settings_env, wait_for

pytestmark = pytest.mark.db

STALLED = (
    b"POST /chat/acme-dental/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"text": "hel'
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(demo: Runtime) -> Iterator[str]:
    """The gateway under gunicorn with 2 threads and a 1 s body deadline."""
    port = _free_port()
    env = settings_env(demo.settings) | {"SWITCHBOARD_BODY_READ_TIMEOUT": "1"}
    args = [sys.executable, "-m", "gateway", "serve", "--port", str(port), "--workers", "1",
            "--threads", "2"]  # fmt: skip
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(f"{base}/healthz", timeout=2).ok
        except requests.RequestException:
            return False

    try:
        wait_for(up, timeout=60)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _stall(port: int) -> socket.socket:
    conn = socket.create_connection(("127.0.0.1", port), timeout=30)
    conn.sendall(STALLED)
    return conn


def test_a_stalled_body_is_a_408_and_frees_the_thread(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    stalled = [_stall(port) for _ in range(2)]  # as many as the server has threads
    try:
        for conn in stalled:
            answer = conn.recv(4096)
            assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
        # Without the deadline both threads would wait for the missing bytes until gunicorn's
        # 120 s worker timeout, and this request would wait with them.
        assert requests.get(f"{served}/healthz", timeout=30).ok
    finally:
        for conn in stalled:
            conn.close()
