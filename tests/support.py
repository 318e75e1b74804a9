"""Test helpers shared by every package's tests: real services, real workers, polling."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def wait_for(predicate: Callable[[], T], timeout: float = 60.0, interval: float = 0.05) -> T:
    """Poll until `predicate()` is truthy and return it; fail the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s: {predicate}")
        time.sleep(interval)


def settings_env(settings: Any) -> dict[str, str]:
    """The environment that reproduces `settings` in a child process."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=settings.database_url,
        REDIS_URL=settings.redis_url or "",
        CHROMA_PATH=settings.chroma_path,
        SWITCHBOARD_SECRET_KEY=settings.secret_key,
        SWITCHBOARD_PUBLIC_URL=settings.public_url,
        SWITCHBOARD_VAR_DIR=str(settings.var_dir),
        SWITCHBOARD_LOCK_SECONDS=str(settings.lock_seconds),
        SWITCHBOARD_SWEEP_INTERVAL=str(settings.sweep_interval),
        SWITCHBOARD_SWEEP_MIN_AGE=str(settings.sweep_min_age),
        SWITCHBOARD_LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    return env


class WorkerPool:
    """Real `switchboard worker` processes, started and stopped by a test."""

    def __init__(self, settings: Any, log_dir: Path) -> None:
        self.settings = settings
        self.log_dir = log_dir
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, count: int = 1, **overrides: str) -> list[subprocess.Popen[bytes]]:
        """Start `count` workers; environment overrides are SWITCHBOARD_* names."""
        env = settings_env(self.settings) | overrides
        started = []
        for _ in range(count):
            log = open(self.log_dir / f"worker-{len(self.procs)}.log", "wb")  # noqa: SIM115
            proc = subprocess.Popen(
                [sys.executable, "-m", "gateway", "worker"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
            self.procs.append(proc)
            started.append(proc)
        return started

    def start_slow(self, commit_delay: float, **overrides: str) -> subprocess.Popen[bytes]:
        """One worker that sleeps before every database commit (tests/slow_commits), so a test
        can kill it inside a transaction (or outlive its lock there)."""
        hooks = ROOT / "tests" / "slow_commits"
        return self.start(
            1,
            SWITCHBOARD_TEST_COMMIT_DELAY=str(commit_delay),
            PYTHONPATH=f"{hooks}{os.pathsep}{ROOT}",
            **overrides,
        )[0]

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL one worker, as a crash would."""
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        """Stop every worker: politely, then firmly."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()


@contextmanager
def workers(settings: Any, log_dir: Path, count: int = 1) -> Iterator[WorkerPool]:
    """Run `count` real workers for the duration of a block."""
    pool = WorkerPool(settings, log_dir)
    pool.start(count)
    try:
        yield pool
    finally:
        pool.stop_all()
