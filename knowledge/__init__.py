"""Knowledge base: ingestion, chunking, embeddings, per-business Chroma store, grounded answers.

Pure logic: imports nothing of the gateway. The gateway calls :class:`KnowledgeBase`.
"""

from knowledge.answers import AnswerConfig
from knowledge.base import KnowledgeBase, source_id_for
from knowledge.embedding import USEEmbeddingFunction  # registers the function with Chroma first
from knowledge.errors import (
    FetchError,
    IngestError,
    KnowledgeError,
    StoreError,
    UnsafeURLError,
    UnsupportedSourceError,
)
from knowledge.retrieval import RetrievalConfig
from knowledge.settings import SETTINGS_TITLE, settings_sections
from knowledge.store import collection_name, make_client
from knowledge.types import (
    Answer,
    IngestReport,
    PartAnswer,
    Passage,
    Progress,
    Reference,
    SourceInfo,
    SourceKind,
    SourceSpec,
)

__all__ = [
    "Answer",
    "AnswerConfig",
    "FetchError",
    "IngestError",
    "IngestReport",
    "PartAnswer",
    "KnowledgeBase",
    "KnowledgeError",
    "Passage",
    "Progress",
    "Reference",
    "RetrievalConfig",
    "SETTINGS_TITLE",
    "SourceInfo",
    "SourceKind",
    "SourceSpec",
    "StoreError",
    "USEEmbeddingFunction",
    "UnsafeURLError",
    "UnsupportedSourceError",
    "collection_name",
    "make_client",
    "settings_sections",
    "source_id_for",
]
