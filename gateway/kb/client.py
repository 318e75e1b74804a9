"""The knowledge base of this process: one `KnowledgeBase` per Chroma location, opened lazily.

Chroma runs embedded (a persistent directory, `CHROMA_PATH`) by default, or as a client of a
Chroma server when `CHROMA_HOST` is set. Only worker processes open it: the web and command-line
processes enqueue jobs (gateway/kb/jobs.py), because an embedded Chroma opened by several
processes at once does not see the others' writes.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from gateway.core.settings import Settings

if TYPE_CHECKING:
    from gateway.store.models import Business
    from knowledge import KnowledgeBase

_bases: dict[tuple[str, str | None, int], KnowledgeBase] = {}
_lock = threading.Lock()


def _location(settings: Settings) -> tuple[str, str | None, int]:
    host = settings.chroma_host or None
    return (settings.chroma_path if not host else "", host, settings.chroma_port)


def knowledge_base(settings: Settings) -> KnowledgeBase:
    """This process's knowledge base for these settings; the Chroma client opens on first use."""
    key = _location(settings)
    with _lock:
        base = _bases.get(key)
        if base is None:
            # Importing `knowledge` registers our embedding function before any collection opens.
            from knowledge import KnowledgeBase, make_client

            path, host, port = key
            base = KnowledgeBase(lambda: make_client(path or None, host, port))
            _bases[key] = base
        return base


def business_key(business: Business) -> str:
    """The key of a business's Chroma collection (one collection per business)."""
    return business.slug


def forget_clients() -> None:
    """Drop the cached knowledge bases (tests that switch Chroma locations)."""
    with _lock:
        _bases.clear()
