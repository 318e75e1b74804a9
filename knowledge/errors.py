"""The small error hierarchy of the knowledge package."""

from __future__ import annotations


class KnowledgeError(Exception):
    """Base class for every error raised by the knowledge package."""


class IngestError(KnowledgeError):
    """A source could not be read, fetched or parsed."""


class UnsupportedSourceError(IngestError):
    """The source's kind could not be determined or is not supported."""


class UnsafeURLError(IngestError):
    """A URL points at a private, loopback or link-local address, or uses a bad scheme."""


class FetchError(IngestError):
    """An HTTP fetch failed (status, size, content type, redirect off-site)."""


class StoreError(KnowledgeError):
    """The Chroma store failed or was misconfigured."""
