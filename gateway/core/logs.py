"""Structured logging: one JSON line per event, ids as fields, never message text at INFO.

On a terminal the same events are written for people: time, level, logger, event, key=value.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime

_STANDARD = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}
_SECRET_HINTS = ("token", "secret", "password", "auth", "key", "credential")


def _fields(record: logging.LogRecord) -> dict[str, object]:
    """The record's `extra` fields, secret-named ones masked."""
    data: dict[str, object] = {}
    for key, value in vars(record).items():
        if key in _STANDARD or key.startswith("_"):
            continue
        if any(hint in key.lower() for hint in _SECRET_HINTS):
            value = "***"
        data[key] = value if isinstance(value, (int, float, bool, type(None))) else str(value)
    return data


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON object with its `extra` fields; secret-named fields masked."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        data.update(_fields(record))
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """One line a person reads: `14:02:07 INFO  gateway.worker.run: worker started pid=12`."""

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        extra = " ".join(f"{k}={v}" for k, v in _fields(record).items())
        line = f"{when} {record.levelname:<5} {record.name}: {record.getMessage()}"
        line = f"{line} {extra}" if extra else line
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return line


def setup_logging(level: str = "INFO", fmt: str | None = None) -> None:
    """Send logs to stderr at the given level: text on a terminal, JSON lines otherwise.

    `fmt` (default `SWITCHBOARD_LOG_FORMAT`): `auto`, `text` or `json`.
    """
    stream = sys.stderr
    fmt = (fmt or os.environ.get("SWITCHBOARD_LOG_FORMAT") or "auto").lower()
    text = fmt == "text" or (fmt == "auto" and stream.isatty())
    handler = logging.StreamHandler(stream)
    handler.setFormatter(TextFormatter() if text else JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("urllib3", "httpx", "httpcore", "chromadb", "telegram", "twilio"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
