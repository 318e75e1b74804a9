"""The Chroma side: clients, one collection per business, chunk writes, reads and queries."""

from __future__ import annotations

import contextlib
import hashlib
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings
from chromadb.errors import ChromaError, NotFoundError

from knowledge.embedding import USEEmbeddingFunction
from knowledge.errors import StoreError
from knowledge.types import Chunk, SourceKind

_UNSAFE = re.compile(r"[^a-z0-9-]+")


def make_client(
    path: str | None = None, host: str | None = None, port: int | None = None
) -> ClientAPI:
    """An HttpClient when ``host`` is given (Chroma server), else an embedded PersistentClient."""
    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    try:
        if host:
            return chromadb.HttpClient(host=host, port=port or 8000, settings=settings)
        if not path:
            raise StoreError("make_client needs a persistent path or a server host")
        return chromadb.PersistentClient(path=path, settings=settings)
    except (ChromaError, ValueError, ConnectionError) as exc:
        raise StoreError(f"cannot open Chroma ({host or path}): {exc}") from exc


def collection_name(business_key: str) -> str:
    """A safe, collision-free collection name for a business id or slug."""
    key = str(business_key)
    slug = _UNSAFE.sub("-", key.lower()).strip("-")[:40] or "business"
    tag = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return f"kb-{slug}-{tag}"


def chunk_metadata(chunk: Chunk, ingested_at: str, digest: str) -> dict[str, str | int]:
    """The flat metadata Chroma stores with a chunk (no None values)."""
    meta: dict[str, str | int] = {
        "source_id": chunk.source_id,
        "source_title": chunk.source_title,
        "location": chunk.location,
        "kind": chunk.kind.value,
        "ingested_at": ingested_at,
        "hash": digest,
    }
    if chunk.page is not None:
        meta["page"] = chunk.page
    if chunk.url:
        meta["url"] = chunk.url
    if chunk.heading:
        meta["heading"] = chunk.heading
    meta["block"] = chunk.block
    meta["language"] = chunk.language
    return meta


@dataclass(frozen=True)
class Hit:
    """One raw query result."""

    id: str
    text: str
    metadata: dict[str, Any]
    similarity: float


class BusinessStore:
    """The chunks of one business, in its own collection."""

    def __init__(self, client: ClientAPI, business_key: str) -> None:
        """Bind to the business's collection (created on first write)."""
        self.client = client
        self.name = collection_name(business_key)
        self._collection: Collection | None = None

    def collection(self, create: bool = True) -> Collection | None:
        """The collection, always with our embedding function (never Chroma's default)."""
        if self._collection is not None:
            return self._collection
        ef = USEEmbeddingFunction()
        try:
            if create:
                self._collection = self.client.get_or_create_collection(
                    self.name,
                    embedding_function=ef,  # type: ignore[arg-type]
                    configuration={"hnsw": {"space": "cosine"}},
                )
            else:
                self._collection = self.client.get_collection(self.name, embedding_function=ef)  # type: ignore[arg-type]
        except NotFoundError:
            return None
        except (ChromaError, ValueError) as exc:
            if not create and "does not exist" in str(exc):
                return None
            raise StoreError(f"collection {self.name}: {exc}") from exc
        return self._collection

    def ids_for_source(self, source_id: str) -> list[str]:
        """Ids of the chunks stored for a source."""
        col = self.collection(create=False)
        if col is None:
            return []
        return list(col.get(where={"source_id": source_id}, include=[])["ids"])

    def add(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        embeddings: Any,
        metas: Sequence[dict[str, Any]],
    ) -> None:
        """Upsert chunks with precomputed embeddings."""
        col = self.collection()
        assert col is not None
        try:
            col.upsert(
                ids=list(ids), documents=list(texts), embeddings=embeddings, metadatas=list(metas)
            )  # type: ignore[arg-type]
        except (ChromaError, ValueError) as exc:
            raise StoreError(f"upsert into {self.name}: {exc}") from exc

    def bump_revision(self) -> None:
        """Mark the collection changed, so every process rebuilds its lexical index."""
        col = self.collection(create=False)
        if col is None:
            return
        try:
            col.modify(metadata={"revision": uuid.uuid4().hex})
        except (ChromaError, ValueError) as exc:
            raise StoreError(f"modify {self.name}: {exc}") from exc

    def revision(self) -> str | None:
        """The collection's current revision (read fresh), or None when it does not exist."""
        try:
            col = self.client.get_collection(self.name)
        except (NotFoundError, ValueError, ChromaError):
            return None
        meta = col.metadata or {}
        return f"{meta.get('revision', '')}:{col.id}"

    def all_chunks(self) -> tuple[list[str], list[str], list[dict[str, Any]]]:
        """Every chunk's id, text and metadata (for the lexical index)."""
        col = self.collection(create=False)
        if col is None:
            return [], [], []
        res = col.get(include=["documents", "metadatas"])
        docs = [d or "" for d in (res["documents"] or [])]
        metas = [dict(m or {}) for m in (res["metadatas"] or [])]
        return list(res["ids"]), docs, metas

    def embeddings(self, ids: Sequence[str]) -> dict[str, Any]:
        """Stored embeddings by id."""
        col = self.collection(create=False)
        if col is None or not ids:
            return {}
        res = col.get(ids=list(ids), include=["embeddings"])
        vectors = res["embeddings"]
        if vectors is None:
            return {}
        return dict(zip(res["ids"], vectors, strict=False))

    def get(self, ids: Sequence[str]) -> list[Hit]:
        """Chunks by id (similarity 0), in the order found."""
        col = self.collection(create=False)
        if col is None or not ids:
            return []
        res = col.get(ids=list(ids), include=["documents", "metadatas"])
        docs = res["documents"] or []
        metas = res["metadatas"] or []
        return [
            Hit(i, d or "", dict(m or {}), 0.0)
            for i, d, m in zip(res["ids"], docs, metas, strict=False)
        ]

    def delete(self, ids: Iterable[str]) -> None:
        """Delete chunks by id."""
        ids = list(ids)
        col = self.collection(create=False)
        if col is None or not ids:
            return
        for start in range(0, len(ids), 1000):
            col.delete(ids=ids[start : start + 1000])

    def all_metadata(self) -> list[dict[str, Any]]:
        """Every chunk's metadata (for listing sources)."""
        col = self.collection(create=False)
        if col is None:
            return []
        return [dict(m or {}) for m in col.get(include=["metadatas"])["metadatas"] or []]

    def count(self) -> int:
        """Number of chunks stored."""
        col = self.collection(create=False)
        return 0 if col is None else col.count()

    def query(self, embedding: Any, n: int, contains: str | None = None) -> list[Hit]:
        """Nearest chunks to an embedding, optionally only those containing an exact string."""
        col = self.collection(create=False)
        if col is None:
            return []
        total = col.count()
        if total == 0:
            return []
        try:
            res = col.query(
                query_embeddings=[embedding],
                n_results=min(n, total),
                where_document={"$contains": contains} if contains else None,  # type: ignore[arg-type]
                include=["documents", "metadatas", "distances"],
            )
        except (ChromaError, ValueError) as exc:
            raise StoreError(f"query {self.name}: {exc}") from exc
        ids = res["ids"][0]
        docs = (res["documents"] or [[]])[0]
        metas = (res["metadatas"] or [[]])[0]
        dists = (res["distances"] or [[]])[0]
        return [
            Hit(i, d or "", dict(m or {}), 1.0 - float(dist))
            for i, d, m, dist in zip(ids, docs, metas, dists, strict=False)
        ]

    def drop(self) -> None:
        """Delete the whole collection (business removed or full reindex)."""
        with contextlib.suppress(NotFoundError, ValueError):
            self.client.delete_collection(self.name)
        self._collection = None


def kind_of(meta: dict[str, Any]) -> SourceKind:
    """The stored kind, tolerant of unknown values."""
    try:
        return SourceKind(str(meta.get("kind", "text")))
    except ValueError:
        return SourceKind.TEXT
