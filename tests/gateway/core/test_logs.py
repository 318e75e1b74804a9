"""Logs for people on a terminal, JSON lines for machines otherwise; secrets masked in both."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from gateway.core.logs import setup_logging


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


def _log(monkeypatch: pytest.MonkeyPatch, stream: io.StringIO, fmt: str | None = None) -> str:
    monkeypatch.delenv("SWITCHBOARD_LOG_FORMAT", raising=False)
    monkeypatch.setattr("sys.stderr", stream)
    setup_logging("INFO", fmt)
    logging.getLogger("gateway.test").info("worker started", extra={"pid": 12, "token": "abc"})
    return stream.getvalue()


def test_a_terminal_gets_human_readable_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    line = _log(monkeypatch, _Terminal()).strip()
    assert "INFO  gateway.test: worker started pid=12 token=***" in line
    assert not line.startswith("{")


def test_a_pipe_gets_json(monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.loads(_log(monkeypatch, io.StringIO()))
    assert (data["event"], data["pid"], data["token"]) == ("worker started", 12, "***")


def test_the_format_can_be_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    assert json.loads(_log(monkeypatch, _Terminal(), "json"))["pid"] == 12
    assert "worker started pid=12" in _log(monkeypatch, io.StringIO(), "text")
