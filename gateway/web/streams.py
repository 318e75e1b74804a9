"""Limits on live streams (server-sent events), so open streams never hold every request thread.

A gthread web process has a fixed number of threads and each open stream holds one for up to
a minute. Per process, at most `max_streams` streams are open at once (by default half of
`switchboard serve`'s 16 threads), at most `max_streams_per_address` from one client address
and `max_streams_per_visitor` for one web-chat visitor or staff member. A stream over a limit
is refused with 429 and `Retry-After` (the page's EventSource retries by itself), so webhooks
and page requests always find a free thread.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from flask import Flask, abort, current_app, request

EXTENSION = "switchboard.streams"
RETRY_AFTER = 5


@dataclass
class StreamSlots:
    """Counts of the open streams of one process, by key."""

    total: int
    per_address: int
    per_visitor: int
    _open: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def acquire(self, address: str, visitor: str) -> tuple[str, ...] | None:
        """Take a slot for a stream; its keys (to release), or None when over a limit."""
        keys = ("*", f"a:{address}", f"v:{visitor}")
        limits = (self.total, self.per_address, self.per_visitor)
        with self._lock:
            if any(self._open[k] >= limit for k, limit in zip(keys, limits, strict=True)):
                return None
            for key in keys:
                self._open[key] += 1
        return keys

    def release(self, keys: tuple[str, ...]) -> None:
        """Give a stream's slot back."""
        with self._lock:
            for key in keys:
                self._open[key] -= 1
                if self._open[key] <= 0:
                    del self._open[key]

    def open_count(self) -> int:
        """How many streams are open in this process."""
        with self._lock:
            return self._open["*"]


def install(app: Flask, total: int, per_address: int, per_visitor: int) -> None:
    """Give an application its stream limits."""
    app.extensions[EXTENSION] = StreamSlots(total, per_address, per_visitor)


def limited(stream: Iterator[str], visitor: str) -> Iterator[str]:
    """`stream`, holding a slot while it is open; 429 now when no slot is free."""
    slots = current_app.extensions[EXTENSION]
    assert isinstance(slots, StreamSlots)
    keys = slots.acquire(request.remote_addr or "-", visitor)
    if keys is None:
        abort(429, f"too many live streams; retry in {RETRY_AFTER} s")

    def run() -> Iterator[str]:
        try:
            yield from stream
        finally:
            slots.release(keys)

    return run()
