"""Plain data the knowledge package takes in and gives back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while a source is ingested (for a progress bar)."""


class SourceKind(StrEnum):
    """How a source is read."""

    PDF = "pdf"
    MARKDOWN = "markdown"
    TEXT = "text"
    HTML = "html"
    FAQ = "faq"
    WEB = "web"
    CRAWL = "crawl"
    SETTINGS = "settings"


@dataclass(frozen=True)
class SourceSpec:
    """What to ingest: a file path or URL, optionally with its kind, title and crawl limits."""

    location: str
    kind: SourceKind | None = None
    title: str | None = None
    max_depth: int = 2
    max_pages: int = 30
    allow_private: bool = False


@dataclass(frozen=True)
class Section:
    """A piece of loaded text before chunking: a PDF page, a web page, a document, a Q/A."""

    text: str
    title: str
    page: int | None = None
    url: str | None = None
    markdown: bool = False
    atomic: bool = False  # one chunk as is (an FAQ row)
    language: str | None = None  # 'en'/'es' when known; else guessed from the whole source


@dataclass(frozen=True)
class Chunk:
    """One stored passage with where it came from."""

    id: str
    text: str
    source_id: str
    source_title: str
    location: str
    kind: SourceKind
    page: int | None = None
    url: str | None = None
    heading: str | None = None
    block: str = "text"  # "text", "row" (a table row) or "faq" (an answer to its heading)
    language: str = "en"


@dataclass(frozen=True)
class IngestReport:
    """The outcome of ingesting one source."""

    source_id: str
    title: str
    location: str
    kind: SourceKind
    pages: int
    chunks: int
    duplicates_dropped: int
    replaced: int
    skipped_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceInfo:
    """A source currently stored for a business."""

    source_id: str
    title: str
    location: str
    kind: SourceKind
    chunks: int
    ingested_at: str


@dataclass(frozen=True)
class Reference:
    """Where a passage came from, for a short citation."""

    source_id: str
    title: str
    page: int | None = None
    url: str | None = None

    def label(self, language: str = "en") -> str:
        """A short human reference: 'Price list, p. 2' or 'Price list (https://...)'."""
        if self.page is not None:
            return f"{self.title}, p. {self.page}"
        if self.url:
            return f"{self.title} ({self.url})"
        return self.title


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its scores (``score`` is the fused reciprocal-rank score)."""

    chunk_id: str
    text: str
    reference: Reference
    score: float
    vector_score: float
    keyword_score: float
    heading: str | None = None
    kind: str = ""
    block: str = "text"
    language: str = "en"
    rank: int = 0  # 0-based rank after fusion
    vector_rank: int | None = None
    keyword_rank: int | None = None


@dataclass(frozen=True)
class Answer:
    """The bot's answer to a question, grounded or an honest decline."""

    text: str
    references: tuple[Reference, ...]
    grounded: bool
    score: float
    language: str = "en"
    passages: tuple[Passage, ...] = field(default=(), repr=False)
    parts: tuple[PartAnswer, ...] = ()
    declined_parts: tuple[str, ...] = ()  # parts of the question nobody could answer


@dataclass(frozen=True)
class PartAnswer:
    """One part of a (possibly multi-part) question: the quoted fact or None, and why."""

    question: str
    fact: str | None
    reference: Reference | None
    confidence: float
