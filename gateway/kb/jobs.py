"""Knowledge-base work as RQ jobs: ingest, remove and ask, addressed by ids.

Every touch of Chroma happens in a worker (see gateway/kb/client.py); the web and the command line
register a `KnowledgeSource` row, enqueue, and read the row's status or the job's progress.
A job's `meta["progress"]` is `{"stage": "reading"|"embedding", "done": n, "total": m}`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from rq import get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlmodel import Session, col, select

from gateway.core.db import session_scope
from gateway.core.errors import NotFound, SwitchboardError
from gateway.core.runtime import Runtime, current_runtime
from gateway.kb.client import business_key, knowledge_base
from gateway.store.models import Business, KnowledgeSource, utcnow
from gateway.worker import tasks
from gateway.worker.queueing import enqueue_once

log = logging.getLogger(__name__)

INGEST_QUEUE = "default"
ASK_QUEUE = "inbound"  # interactive: ahead of long ingest jobs
INGEST_TIMEOUT = 1800
SUFFIXES = frozenset({".pdf", ".md", ".markdown", ".txt", ".html", ".htm", ".csv"})


class SourceStatus(StrEnum):
    """Where a source is in its life."""

    PENDING = "pending"
    INGESTING = "ingesting"
    READY = "ready"
    FAILED = "failed"
    REMOVING = "removing"


class SourceError(SwitchboardError):
    """A source location that cannot be added (bad scheme, missing file, unknown kind)."""


class AskTimeout(SwitchboardError):
    """No worker answered an admin question in time."""


@dataclass(frozen=True)
class JobProgress:
    """What a job is doing, for a progress bar."""

    status: str
    stage: str
    done: int
    total: int


def is_url(location: str) -> bool:
    """An http(s) URL (anything else is a file path)."""
    return urlparse(location).scheme.lower() in ("http", "https")


def normalize_location(location: str) -> str:
    """The stored form of a location; the same rule as `knowledge.base.normalize_location`."""
    if is_url(location):
        return location.rstrip("/") or location
    return str(Path(location).expanduser().resolve())


def check_location(location: str) -> str:
    """The normalized location, or SourceError when it cannot be a source."""
    location = location.strip()
    if not location:
        raise SourceError("a source needs a path or an http(s) URL")
    if "://" in location and not is_url(location):
        raise SourceError("only http:// and https:// URLs can be added")
    if is_url(location):
        if not urlparse(location).hostname:
            raise SourceError(f"not a valid URL: {location}")
        return normalize_location(location)
    path = Path(normalize_location(location))
    if path.suffix.lower() not in SUFFIXES:
        kind = path.suffix or "(none)"
        raise SourceError(f"unsupported file type {kind}: use PDF, MD, TXT, HTML or CSV")
    if not path.is_file():
        raise SourceError(f"no such file: {path}")
    return str(path)


def register_source(
    session: Session, business: Business, location: str, crawl: bool = False
) -> KnowledgeSource:
    """Add a source row (or reset an existing one of the same location) as pending."""
    uri = check_location(location)
    if crawl and not is_url(uri):
        raise SourceError("--crawl needs an http(s) URL")
    row = session.exec(
        select(KnowledgeSource).where(
            KnowledgeSource.business_id == business.id, KnowledgeSource.uri == uri
        )
    ).first()
    if row is None:
        row = KnowledgeSource(business_id=int(business.id or 0), uri=uri)
    if crawl:
        row.kind = "crawl"
    row.status = SourceStatus.PENDING
    row.error = None
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return row


def sources_of(session: Session, business: Business) -> list[KnowledgeSource]:
    """Every source row of a business, by id."""
    return list(
        session.exec(
            select(KnowledgeSource)
            .where(KnowledgeSource.business_id == business.id)
            .order_by(col(KnowledgeSource.id))
        ).all()
    )


def source_of(session: Session, business: Business, source_id: int) -> KnowledgeSource:
    """One source row of this business (NotFound for another business's id)."""
    row = session.get(KnowledgeSource, source_id)
    if row is None or row.business_id != business.id:
        raise NotFound(f"no knowledge source {source_id} for {business.slug}")
    return row


def ingest_job_id(source_id: int) -> str:
    """The RQ job id of a source's ingestion (one live job per source)."""
    return f"kb-ingest-{source_id}"


def enqueue_ingest(rt: Runtime, row: KnowledgeSource) -> str:
    """Queue the ingestion of a source row (a waiting job of the same source is reused)."""
    job_id = ingest_job_id(int(row.id or 0))
    enqueue_once(
        rt.queue(INGEST_QUEUE),
        tasks.INGEST_SOURCE,
        job_id,
        {"business_id": row.business_id, "source_id": row.id},
        job_timeout=INGEST_TIMEOUT,
    )
    return job_id


def enqueue_remove(rt: Runtime, row: KnowledgeSource) -> str:
    """Queue the removal of a (committed, status removing) source's chunks and row."""
    job_id = f"kb-remove-{row.id}"
    enqueue_once(
        rt.queue(INGEST_QUEUE),
        tasks.REMOVE_SOURCE,
        job_id,
        {"business_id": row.business_id, "source_id": row.id},
    )
    return job_id


def add_source(
    rt: Runtime, business_id: int, location: str, crawl: bool = False
) -> tuple[KnowledgeSource, str]:
    """Register a source for a business and queue its ingestion; returns the row and job id."""
    with session_scope(rt.engine) as session:
        business = session.get(Business, business_id)
        if business is None:
            raise NotFound(f"no business {business_id}")
        row = register_source(session, business, location, crawl)
    return row, enqueue_ingest(rt, row)  # after the commit, so the worker finds the row


def request_removal(rt: Runtime, business_id: int, source_id: int) -> tuple[KnowledgeSource, str]:
    """Mark a source of this business as removing and queue the removal (NotFound otherwise)."""
    with session_scope(rt.engine) as session:
        business = session.get(Business, business_id)
        if business is None:
            raise NotFound(f"no business {business_id}")
        row = source_of(session, business, source_id)
        row.status = SourceStatus.REMOVING
        row.updated_at = utcnow()
    return row, enqueue_remove(rt, row)


def request_reindex(rt: Runtime, business_id: int) -> list[tuple[KnowledgeSource, str]]:
    """Queue the re-ingestion of every source of a business (chunks are replaced)."""
    with session_scope(rt.engine) as session:
        business = session.get(Business, business_id)
        if business is None:
            raise NotFound(f"no business {business_id}")
        rows = [r for r in sources_of(session, business) if r.status != SourceStatus.REMOVING]
        for row in rows:
            row.status = SourceStatus.PENDING
            row.error = None
    return [(row, enqueue_ingest(rt, row)) for row in rows]


def job_progress(rt: Runtime, job_id: str) -> JobProgress | None:
    """A job's status and progress, or None when Redis no longer knows it."""
    try:
        job = Job.fetch(job_id, connection=rt.redis)
    except NoSuchJobError:
        return None
    meta = job.get_meta(refresh=True).get("progress", {})
    status = job.get_status(refresh=False)
    return JobProgress(
        status=status.value if isinstance(status, JobStatus) else str(status or ""),
        stage=str(meta.get("stage", "")),
        done=int(meta.get("done", 0)),
        total=int(meta.get("total", 0)),
    )


# --- job bodies (run in a worker) -------------------------------------------------------------


def ingest_source(business_id: int, source_id: int) -> dict[str, Any]:
    """RQ job: read, chunk, embed and store one source, replacing its earlier chunks."""
    job = get_current_job()

    def report(stage: str, done: int, total: int) -> None:
        if job is not None:
            job.meta["progress"] = {"stage": stage, "done": done, "total": total}
            job.save_meta()

    return run_ingest(current_runtime(), business_id, source_id, report)


def run_ingest(
    rt: Runtime,
    business_id: int,
    source_id: int,
    report: Any = None,
) -> dict[str, Any]:
    """Ingest a source row and record the outcome on it; `report(stage, done, total)`."""
    from knowledge import KnowledgeError, SourceKind, SourceSpec

    with session_scope(rt.engine) as session:
        row = session.get(KnowledgeSource, source_id)
        business = session.get(Business, business_id)
        if row is None or business is None or row.business_id != business_id:
            return {"status": "gone"}
        row.status = SourceStatus.INGESTING
        row.updated_at = utcnow()
        key, uri = business_key(business), row.uri
        kind = SourceKind(row.kind) if row.kind in set(SourceKind) else None
        configured = (dict(business.settings), list(business.languages), business.name)
    if report:
        report("reading", 0, 0)
    base = knowledge_base(rt.settings)
    started = time.monotonic()
    try:
        if kind is SourceKind.SETTINGS:  # the business's own settings, as cited passages
            found = base.ingest_settings(key, *configured)
            if found is None:  # nothing answerable configured: no source at all
                _finish(rt, source_id, status=SourceStatus.REMOVING)
                return remove_source(business_id, source_id, rt)
            result = found
        else:
            result = base.ingest(
                key,
                SourceSpec(uri, kind),
                progress=(lambda d, t: report("embedding", d, t)) if report else None,
            )
    except KnowledgeError as exc:
        log.warning(
            "knowledge ingest failed", extra={"business_id": business_id, "error": str(exc)}
        )
        _finish(rt, source_id, status=SourceStatus.FAILED, error=str(exc)[:1000])
        return {"status": SourceStatus.FAILED, "error": str(exc)}
    still_wanted = _finish(
        rt,
        source_id,
        status=SourceStatus.READY,
        kind=result.kind.value,
        title=result.title,
        chunks=result.chunks,
    )
    if not still_wanted:  # removed while we were ingesting: do not leave orphan chunks
        base.remove_source(key, uri)
        return {"status": "gone"}
    log.info(
        "knowledge source ingested",
        extra={
            "business_id": business_id,
            "source_id": source_id,
            "chunks": result.chunks,
            "replaced": result.replaced,
            "seconds": round(time.monotonic() - started, 2),
        },
    )
    return {
        "status": SourceStatus.READY,
        "chunks": result.chunks,
        "pages": result.pages,
        "replaced": result.replaced,
        "title": result.title,
    }


def _finish(rt: Runtime, source_id: int, **fields: Any) -> bool:
    """Record a job's outcome on the row; False when the row is gone or being removed."""
    with session_scope(rt.engine) as session:
        row = session.get(KnowledgeSource, source_id)
        if row is None or row.status == SourceStatus.REMOVING:
            return False
        for name, value in fields.items():
            setattr(row, name, value)
        if fields.get("status") == SourceStatus.READY:
            row.error = None
        row.updated_at = utcnow()
        return True


def remove_source(business_id: int, source_id: int, rt: Runtime | None = None) -> dict[str, Any]:
    """RQ job: delete a source's chunks from the business's collection, then its row."""
    rt = rt or current_runtime()
    with session_scope(rt.engine) as session:
        row = session.get(KnowledgeSource, source_id)
        business = session.get(Business, business_id)
        if row is None or business is None or row.business_id != business_id:
            return {"status": "gone", "chunks": 0}
        key, uri = business_key(business), row.uri
    removed = knowledge_base(rt.settings).remove_source(key, uri)
    with session_scope(rt.engine) as session:
        row = session.get(KnowledgeSource, source_id)
        if row is not None:
            session.delete(row)
    log.info(
        "knowledge source removed",
        extra={"business_id": business_id, "source_id": source_id, "chunks": removed},
    )
    return {"status": "removed", "chunks": removed}


def ask(business_id: int, question: str, language: str | None = None) -> dict[str, Any]:
    """RQ job: the business's answer to a question, with references (for owners testing)."""
    from gateway.bot.knowledge import answer_for

    rt = current_runtime()
    with session_scope(rt.engine) as session:
        business = session.get(Business, business_id)
        if business is None:
            return {"error": "no such business"}
        return answer_for(rt.settings, business, question, language, session)


def ask_and_wait(
    rt: Runtime, business: Business, question: str, language: str | None, timeout: float = 30.0
) -> dict[str, Any]:
    """Ask a worker and wait for its answer (the web process never loads the encoder)."""
    job = rt.queue(ASK_QUEUE).enqueue(
        tasks.ASK,
        kwargs={"business_id": business.id, "question": question, "language": language},
        description=f"knowledge ask (business {business.id})",  # RQ logs this at INFO
        job_timeout=60,
        result_ttl=60,
        failure_ttl=300,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = job.get_status(refresh=True)
        if status == JobStatus.FINISHED:
            result = job.return_value()
            return dict(result) if isinstance(result, dict) else {}
        if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
            raise AskTimeout("the worker could not answer")
        time.sleep(0.05)
    job.cancel()
    raise AskTimeout("no worker answered in time")
