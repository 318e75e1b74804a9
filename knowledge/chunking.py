"""Splitting sections into passages: Markdown headings kept with their text, duplicates dropped."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from knowledge.types import Section

CHUNK_SIZE = 700
CHUNK_OVERLAP = 100
_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3")]
_SEPARATORS = ["\n\n", "\n", ". ", "; ", ", ", " ", ""]


@dataclass(frozen=True)
class Piece:
    """A chunk of text before it gets ids: its section and the heading trail it sits under."""

    text: str
    section: Section
    heading: str | None
    digest: str


def normalize(text: str) -> str:
    """Whitespace collapsed and lower-cased, for duplicate detection."""
    return re.sub(r"\s+", " ", text).strip().lower()


def digest(text: str) -> str:
    """A stable hash of a chunk's normalized text."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def _recursive(size: int, overlap: int) -> RecursiveCharacterTextSplitter:
    """The fallback splitter for long sections."""
    return RecursiveCharacterTextSplitter(
        chunk_size=size, chunk_overlap=overlap, separators=_SEPARATORS, keep_separator="end"
    )


def _markdown_blocks(text: str) -> list[tuple[str | None, str]]:
    """(heading trail, body) pairs from Markdown, split at h1-h3."""
    splitter = MarkdownHeaderTextSplitter(headers_to_split_on=_HEADERS, strip_headers=True)
    blocks = []
    for doc in splitter.split_text(text):
        trail = " > ".join(doc.metadata[k] for k in ("h1", "h2", "h3") if doc.metadata.get(k))
        blocks.append((trail or None, doc.page_content))
    return blocks


def split_section(
    section: Section, size: int = CHUNK_SIZE, overlap: int = CHUNK_OVERLAP
) -> list[Piece]:
    """Split one section; every piece of a Markdown block starts with its heading trail."""
    if section.atomic:
        return [Piece(section.text.strip(), section, None, digest(section.text))]
    blocks = _markdown_blocks(section.text) if section.markdown else [(None, section.text)]
    splitter = _recursive(size, overlap)
    pieces: list[Piece] = []
    for heading, body in blocks:
        for part in splitter.split_text(body):
            part = part.strip()
            if len(part) < 3:
                continue
            text = f"{heading}\n{part}" if heading else part
            pieces.append(Piece(text, section, heading, digest(text)))
    return pieces


def split_sections(sections: tuple[Section, ...] | list[Section]) -> tuple[list[Piece], int]:
    """Split every section and drop duplicate pieces; returns the pieces and how many dropped."""
    seen: set[str] = set()
    kept: list[Piece] = []
    dropped = 0
    for section in sections:
        for piece in split_section(section):
            if piece.digest in seen:
                dropped += 1
                continue
            seen.add(piece.digest)
            kept.append(piece)
    return kept, dropped
