"""A business's configured settings as one knowledge source, so chat and the admin API answer
"when are you open?" from the same cited passages ("Business settings") as its documents.

Loading a business (`switchboard load`, `make run`) registers a `KnowledgeSource` row of kind
"settings" and queues the usual ingest job: a worker turns the settings into passages with
`KnowledgeBase.ingest_settings` (only workers open Chroma). The sweep and `kb reindex` treat it
like any other source; a business with nothing answerable configured ends with no such row.
"""

from __future__ import annotations

from sqlmodel import select

from gateway.core.db import session_scope
from gateway.core.errors import NotFound
from gateway.core.runtime import Runtime
from gateway.kb.jobs import SourceStatus, enqueue_ingest
from gateway.store.models import Business, KnowledgeSource, utcnow

SETTINGS_URI = "settings:"  # knowledge.settings.SETTINGS_LOCATION
SETTINGS_KIND = "settings"  # knowledge.SourceKind.SETTINGS
SETTINGS_TITLE = "Business settings"


def request_settings_ingest(rt: Runtime, business_id: int) -> tuple[KnowledgeSource, str]:
    """(Re)register the business's settings source as pending and queue its ingestion."""
    with session_scope(rt.engine) as session:
        business = session.get(Business, business_id)
        if business is None:
            raise NotFound(f"no business {business_id}")
        row = session.exec(
            select(KnowledgeSource).where(
                KnowledgeSource.business_id == business_id, KnowledgeSource.uri == SETTINGS_URI
            )
        ).first() or KnowledgeSource(business_id=business_id, uri=SETTINGS_URI)
        row.kind, row.title = SETTINGS_KIND, row.title or SETTINGS_TITLE
        row.status, row.error, row.updated_at = SourceStatus.PENDING, None, utcnow()
        session.add(row)
        session.flush()
    return row, enqueue_ingest(rt, row)  # after the commit, so the worker finds the row


def request_settings_for(rt: Runtime, slugs: list[str]) -> int:
    """Queue the settings ingestion of each business loaded by slug; returns how many."""
    with session_scope(rt.engine) as session:
        ids = [
            int(b.id or 0)
            for b in session.exec(select(Business).where(Business.slug.in_(slugs))).all()  # type: ignore[attr-defined]
        ]
    for business_id in ids:
        request_settings_ingest(rt, business_id)
    return len(ids)
