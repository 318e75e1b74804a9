"""The entry point the gateway calls: ingest, list, remove, reindex, answer."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api import ClientAPI

from knowledge.analysis import guess_language
from knowledge.answers import AnswerConfig, answer_question, decline
from knowledge.bm25 import LexicalIndex
from knowledge.chunking import split_sections
from knowledge.embedding import encode
from knowledge.errors import IngestError
from knowledge.loaders import detect_kind, is_url, load
from knowledge.retrieval import IndexCache, RetrievalConfig, retrieve
from knowledge.settings import SETTINGS_LOCATION, SETTINGS_TITLE, settings_sections
from knowledge.store import BusinessStore, chunk_metadata, kind_of
from knowledge.types import (
    Answer,
    Chunk,
    IngestReport,
    Passage,
    Progress,
    Section,
    SourceInfo,
    SourceKind,
    SourceSpec,
)
from knowledge.web import Fetcher

log = logging.getLogger(__name__)

EMBED_BATCH = 32


def normalize_location(location: str) -> str:
    """A file path made absolute, a URL kept as given (minus a trailing slash)."""
    if is_url(location):
        return location.rstrip("/") or location
    if location == SETTINGS_LOCATION:
        return location
    return str(Path(location).expanduser().resolve())


def source_id_for(location: str) -> str:
    """A stable id for a source location, so re-ingesting it replaces its chunks."""
    return "src-" + hashlib.sha1(normalize_location(location).encode("utf-8")).hexdigest()[:16]


class KnowledgeBase:
    """Per-business knowledge over one Chroma client (embedded or server)."""

    def __init__(
        self,
        client: ClientAPI | Callable[[], ClientAPI],
        retrieval: RetrievalConfig | None = None,
        answering: AnswerConfig | None = None,
        fetcher_factory: Callable[[bool], Fetcher] | None = None,
    ) -> None:
        """Take a Chroma client or a zero-argument factory (opened lazily, e.g. after a fork)."""
        self._client = client if not callable(client) else None
        self._factory = client if callable(client) else None
        self.retrieval = retrieval or RetrievalConfig()
        self.answering = answering or AnswerConfig()
        self._fetcher_factory = fetcher_factory or (lambda allow: Fetcher(allow_private=allow))
        self._indexes = IndexCache()

    @property
    def client(self) -> ClientAPI:
        """The Chroma client, created on first use."""
        if self._client is None:
            assert self._factory is not None
            self._client = self._factory()
        return self._client

    def store(self, business_key: str) -> BusinessStore:
        """The store of one business."""
        return BusinessStore(self.client, business_key)

    def ingest(
        self, business_key: str, source: str | SourceSpec, progress: Progress | None = None
    ) -> IngestReport:
        """Read, chunk, embed and store a source, replacing its earlier chunks."""
        spec = source if isinstance(source, SourceSpec) else SourceSpec(location=source)
        kind = detect_kind(spec)
        location = normalize_location(spec.location)
        spec = SourceSpec(
            location, kind, spec.title, spec.max_depth, spec.max_pages, spec.allow_private
        )
        fetcher = self._fetcher_factory(spec.allow_private) if is_url(location) else None
        loaded = load(spec, fetcher)
        return self._store_sections(
            business_key,
            location,
            loaded.title,
            kind,
            loaded.sections,
            loaded.pages,
            progress,
            loaded.skipped_urls,
        )

    def ingest_settings(
        self,
        business_key: str,
        settings: Mapping[str, Any],
        languages: Sequence[str] = ("en", "es"),
        name: str | None = None,
    ) -> IngestReport | None:
        """Store a business's structured settings as cited passages ("Business settings").

        Call it whenever the settings change; it replaces the earlier settings passages, and
        removes them when nothing answerable is configured (returns None then).
        """
        sections = settings_sections(settings, languages, name=name)
        if not sections:
            self.remove_source(business_key, SETTINGS_LOCATION)
            return None
        return self._store_sections(
            business_key,
            SETTINGS_LOCATION,
            SETTINGS_TITLE,
            SourceKind.SETTINGS,
            sections,
            len(sections),
            None,
            (),
        )

    def _store_sections(
        self,
        business_key: str,
        location: str,
        title: str,
        kind: SourceKind,
        sections: tuple[Section, ...],
        pages: int,
        progress: Progress | None,
        skipped_urls: tuple[str, ...],
    ) -> IngestReport:
        """Chunk, embed and store loaded sections as one source, replacing its old chunks."""
        pieces, dropped = split_sections(sections)
        if not pieces:
            raise IngestError(f"no text to store from {location}")
        document_language = guess_language(" ".join(s.text for s in sections))
        source_id = source_id_for(location)
        store = self.store(business_key)
        old_ids = set(store.ids_for_source(source_id))
        now = datetime.now(UTC).isoformat(timespec="seconds")
        chunks = [
            Chunk(
                id=f"{source_id}:{p.section.page or 0}:{p.digest[:16]}",
                text=p.text,
                source_id=source_id,
                source_title=title,
                location=location,
                kind=kind,
                page=p.section.page,
                url=p.section.url,
                heading=p.heading,
                block=p.block,
                language=p.section.language or document_language,
            )
            for p in pieces
        ]
        total = len(chunks)
        if progress:
            progress(0, total)
        for start in range(0, total, EMBED_BATCH):
            batch = chunks[start : start + EMBED_BATCH]
            vectors = encode([c.text for c in batch])
            store.add(
                [c.id for c in batch],
                [c.text for c in batch],
                vectors,
                [chunk_metadata(c, now, c.id.rsplit(":", 1)[1]) for c in batch],
            )
            if progress:
                progress(min(start + EMBED_BATCH, total), total)
        stale = old_ids - {c.id for c in chunks}
        store.delete(stale)
        store.bump_revision()
        return IngestReport(
            source_id=source_id,
            title=title,
            location=location,
            kind=kind,
            pages=pages,
            chunks=total,
            duplicates_dropped=dropped,
            replaced=len(old_ids),
            skipped_urls=skipped_urls,
        )

    def list_sources(self, business_key: str) -> list[SourceInfo]:
        """The sources stored for a business, with their chunk counts."""
        grouped: dict[str, dict[str, Any]] = {}
        for meta in self.store(business_key).all_metadata():
            sid = str(meta.get("source_id", ""))
            entry = grouped.setdefault(sid, {"meta": meta, "chunks": 0})
            entry["chunks"] += 1
        return sorted(
            (
                SourceInfo(
                    source_id=sid,
                    title=str(e["meta"].get("source_title", "")),
                    location=str(e["meta"].get("location", "")),
                    kind=kind_of(e["meta"]),
                    chunks=e["chunks"],
                    ingested_at=str(e["meta"].get("ingested_at", "")),
                )
                for sid, e in grouped.items()
            ),
            key=lambda s: s.title.lower(),
        )

    def find_source(self, business_key: str, source: str) -> SourceInfo | None:
        """A stored source by id or by location."""
        wanted = {source, source_id_for(source)}
        for info in self.list_sources(business_key):
            if info.source_id in wanted or info.location == source:
                return info
        return None

    def remove_source(self, business_key: str, source: str) -> int:
        """Remove a source (by id or location) and all its chunks; returns chunks removed."""
        info = self.find_source(business_key, source)
        source_id = info.source_id if info else source_id_for(source)
        store = self.store(business_key)
        ids = store.ids_for_source(source_id)
        store.delete(ids)
        if ids:
            store.bump_revision()
        return len(ids)

    def reindex(
        self, business_key: str, progress: Progress | None = None, allow_private: bool = False
    ) -> list[IngestReport | IngestError]:
        """Re-ingest every stored source from its location; a failing source keeps its chunks."""
        results: list[IngestReport | IngestError] = []
        sources = self.list_sources(business_key)
        for index, info in enumerate(sources):
            if info.kind is SourceKind.SETTINGS:
                continue  # the gateway re-sends settings with ingest_settings
            kind = info.kind if info.kind in (SourceKind.CRAWL, SourceKind.WEB) else None
            spec = SourceSpec(info.location, kind, info.title or None, allow_private=allow_private)
            try:
                results.append(self.ingest(business_key, spec))
            except IngestError as exc:
                log.warning("reindex of %s failed: %s", info.location, exc)
                results.append(exc)
            if progress:
                progress(index + 1, len(sources))
        return results

    def drop_business(self, business_key: str) -> None:
        """Delete every chunk of a business (its whole collection)."""
        store = self.store(business_key)
        store.drop()
        self._indexes.forget(store)

    def lexical_index(self, business_key: str) -> LexicalIndex | None:
        """The business's BM25 index (cached per process, rebuilt after any write)."""
        return self._indexes.get(self.store(business_key))

    def search(self, business_key: str, question: str, k: int = 5) -> list[Passage]:
        """The best passages for a question, fused and ranked, best first (unthresholded)."""
        store = self.store(business_key)
        return retrieve(store, question, k, self.retrieval, lexical=self._indexes.get(store))

    def answer(
        self,
        business_key: str,
        question: str,
        language: str = "en",
        max_chars: int = 600,
        chat_model: Any | None = None,
    ) -> Answer:
        """A grounded answer with references, or an honest decline offering a person.

        Every part of a multi-part question is retrieved and decided on its own; the frame is
        in ``language`` and the quoted facts keep their document's wording.
        """
        if not question.strip():
            return decline(language, 0.0)
        store = self.store(business_key)
        lexical = self._indexes.get(store)

        def search(text: str, vector: np.ndarray) -> list[Passage]:
            return retrieve(
                store, text, self.answering.passages_used, self.retrieval, vector, lexical
            )

        return answer_question(
            question, search, language, max_chars, self.answering, chat_model, lexical
        )
