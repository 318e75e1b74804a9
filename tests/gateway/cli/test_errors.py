"""A failing command prints one line, not a traceback, and stops the Redis it started."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from gateway.cli.errors import run_cli
from gateway.core.runtime import ensure_embedded_redis, running_embedded_redis

ROOT = Path(__file__).resolve().parents[3]


def test_a_database_that_does_not_answer_is_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SWITCHBOARD_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/switchboard",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    env.pop("SWITCHBOARD_LOG_LEVEL", None)
    result = subprocess.run(
        [sys.executable, "-m", "gateway", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: database: ")
    assert lines[0].endswith("(SWITCHBOARD_LOG_LEVEL=DEBUG shows the traceback)")


def test_a_failing_command_stops_the_redis_it_started(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    var = tmp_path / "var"
    monkeypatch.setenv("SWITCHBOARD_VAR_DIR", str(var))
    for name in ("REDIS_URL", "SWITCHBOARD_REDIS_URL", "SWITCHBOARD_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "argv", ["switchboard", "boom"])

    @click.group()
    def group() -> None:
        pass

    @group.command()
    def boom() -> None:
        ensure_embedded_redis(var)
        raise RuntimeError("something broke\nwith a second line")

    with pytest.raises(SystemExit) as info:
        run_cli(group)
    assert info.value.code == 1
    assert running_embedded_redis(var) is None
