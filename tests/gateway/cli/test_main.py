"""`make run PORT=...`, the install says it takes minutes, `make shell`, a busy port is one line."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from gateway.cli.main import _stop_group, cli

ROOT = Path(__file__).resolve().parents[3]
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="no make")


def _make(*args: str, env: dict[str, str] | None = None) -> list[str]:
    result = subprocess.run(
        ["make", "-n", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


@needs_make
def test_make_run_serves_on_the_port_given() -> None:
    assert ".venv/bin/switchboard run --port 8011" in _make("run", "PORT=8011")
    assert ".venv/bin/switchboard run --port 8012" in _make("run", env={"PORT": "8012"})


@needs_make
def test_the_install_says_it_takes_minutes_before_it_starts(tmp_path: Path) -> None:
    lines = _make("-W", "pyproject.toml", "install", f"VENV={tmp_path / 'venv'}")
    said = next(i for i, line in enumerate(lines) if "several minutes" in line)
    pip = next(i for i, line in enumerate(lines) if "pip install" in line and "-e" in line)
    assert said < pip


@needs_make
def test_make_shell_puts_the_venv_first_on_path() -> None:
    lines = _make("-o", ".venv/.installed", "shell")
    assert any('PATH="' in line and "/.venv/bin:" in line for line in lines)


def test_run_on_a_busy_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {"SWITCHBOARD_VAR_DIR": str(tmp_path / "var"), "PORT": str(port)}
        result = CliRunner().invoke(cli, ["run"], env=env)
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: port {port} is in use (another switchboard?): choose one with "
        f"`make run PORT=8011` or `switchboard run --port 8011`"
    )
    assert not (tmp_path / "var" / "redis.port").exists()  # nothing started


def test_the_processes_run_started_end_with_it() -> None:
    # honcho's group: a shell and its children, one of which ignores SIGINT like a busy worker
    script = "trap '' INT; sleep 60 & sleep 60 & wait"
    group = subprocess.Popen(["sh", "-c", script], start_new_session=True)
    _stop_group(group)
    assert group.poll() is not None
    with pytest.raises(ProcessLookupError):
        os.killpg(group.pid, 0)
