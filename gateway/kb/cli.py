"""`switchboard kb ...`: add, list, remove and reindex a business's knowledge sources.

Ingestion and removal run as RQ jobs in a worker; `--wait` follows them with a progress bar.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import click
from rq import Worker
from sqlmodel import Session, select

from gateway.core.db import session_scope
from gateway.core.errors import NotFound
from gateway.core.runtime import Runtime
from gateway.kb.jobs import (
    INGEST_QUEUE,
    SUFFIXES,
    SourceError,
    SourceStatus,
    add_source,
    job_progress,
    normalize_location,
    request_reindex,
    request_removal,
    sources_of,
)
from gateway.store.models import Business, KnowledgeSource

DEMO_KNOWLEDGE = Path(__file__).resolve().parents[2] / "demo" / "knowledge"
NO_WORKER_AFTER = 5.0


def _business(rt: Runtime, slug: str) -> Business:
    with session_scope(rt.engine) as session:
        business = session.exec(select(Business).where(Business.slug == slug)).first()
    if business is None:
        raise click.ClickException(f"no business with slug {slug!r} (see config/*.yaml)")
    return business


@click.group()
def kb() -> None:
    """The knowledge base: documents and pages each business's bot answers from."""


@kb.command("add")
@click.argument("location")
@click.option("--business", "slug", required=True, help="The business slug.")
@click.option("--crawl", is_flag=True, help="Follow same-site links from a URL.")
@click.option("--wait", is_flag=True, help="Show a progress bar until it is ingested.")
def add(location: str, slug: str, crawl: bool, wait: bool) -> None:
    """Add (or re-ingest) a PDF, Markdown, text, HTML or FAQ CSV file, or a web page."""
    rt = Runtime.for_command("WARNING")
    business = _business(rt, slug)
    try:
        row, job_id = add_source(rt, int(business.id or 0), location, crawl)
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"source {row.id} queued: {row.uri}")
    if wait and not _follow(rt, [(row, job_id)]):
        raise click.ClickException("ingestion failed")


@kb.command("list")
@click.option("--business", "slug", required=True, help="The business slug.")
def list_sources(slug: str) -> None:
    """List a business's sources with their status and chunk counts."""
    rt = Runtime.for_command("WARNING")
    business = _business(rt, slug)
    with session_scope(rt.engine) as session:
        rows = sources_of(session, business)
    if not rows:
        click.echo(f"{slug} has no knowledge sources yet (add one with `switchboard kb add`)")
        return
    for row in rows:
        line = f"{row.id:>4}  {row.status:<9} {row.kind or '-':<8} {row.chunks:>5} chunks  "
        click.echo(line + f"{row.title or '-'}  {row.uri}")
        if row.error:
            click.echo(f"      error: {row.error}")


@kb.command("remove")
@click.argument("source")
@click.option("--business", "slug", required=True, help="The business slug.")
@click.option("--wait", is_flag=True, help="Wait until its chunks are gone.")
def remove(source: str, slug: str, wait: bool) -> None:
    """Remove a source (by id or location) and all its chunks."""
    rt = Runtime.for_command("WARNING")
    business = _business(rt, slug)
    with session_scope(rt.engine) as session:
        row = _find(session, business, source)
    try:
        row, job_id = request_removal(rt, int(business.id or 0), int(row.id or 0))
    except NotFound as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"source {row.id} is being removed: {row.uri}")
    if wait:
        _follow(rt, [(row, job_id)])


@kb.command("reindex")
@click.option("--business", "slug", required=True, help="The business slug.")
@click.option("--wait", is_flag=True, help="Show progress until every source is done.")
def reindex(slug: str, wait: bool) -> None:
    """Re-read every source of a business from its location, replacing its chunks."""
    rt = Runtime.for_command("WARNING")
    business = _business(rt, slug)
    queued = request_reindex(rt, int(business.id or 0))
    click.echo(f"{len(queued)} source(s) queued for {slug}")
    if wait and not _follow(rt, queued):
        raise click.ClickException("some sources failed")


@kb.command("demo")
def demo() -> None:
    """Queue the demo documents of the demo businesses (skips what is already ingested)."""
    rt = Runtime.for_command("WARNING")
    try:
        queued = queue_demo_documents(rt, DEMO_KNOWLEDGE)
    finally:
        rt.close()
    if queued:
        click.echo(f"knowledge: {queued} demo document(s) queued for ingestion by the worker")


def queue_demo_documents(rt: Runtime, root: Path) -> int:
    """Queue each demo business's documents unless already ingested since the file changed."""
    queued = 0
    with session_scope(rt.engine) as session:
        businesses = session.exec(select(Business)).all()
        known = {
            (row.business_id, row.uri): row for row in session.exec(select(KnowledgeSource)).all()
        }
    for business in businesses:
        folder = root / business.slug
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in SUFFIXES or path.name.endswith(".pdf.txt"):
                continue  # the .pdf.txt files are the PDFs' sources, not documents
            row = known.get((int(business.id or 0), normalize_location(str(path))))
            if row is not None and _fresh(row, path):
                continue
            add_source(rt, int(business.id or 0), str(path))
            queued += 1
    return queued


def _fresh(row: KnowledgeSource, path: Path) -> bool:
    """Ingested (or on its way) after the file last changed."""
    if row.status not in (SourceStatus.READY, SourceStatus.INGESTING):
        return False
    stamp = row.updated_at if row.updated_at.tzinfo else row.updated_at.replace(tzinfo=UTC)
    return stamp >= datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _find(session: Session, business: Business, source: str) -> KnowledgeSource:
    rows = sources_of(session, business)
    wanted = normalize_location(source) if not source.isdigit() else None
    for row in rows:
        if (source.isdigit() and row.id == int(source)) or row.uri in (source, wanted):
            return row
    raise click.ClickException(f"{business.slug} has no source {source!r} (see `kb list`)")


def _follow(rt: Runtime, items: Sequence[tuple[KnowledgeSource, str]]) -> bool:
    """Show each job's progress until its row is ready, failed or gone; True when all ok."""
    ok = True
    for row, job_id in items:
        label = (row.title or Path(row.uri).name or row.uri)[:40]
        with click.progressbar(length=100, label=label, show_eta=False) as bar:
            status = _poll(rt, int(row.id or 0), job_id, bar)
        if status == SourceStatus.FAILED:
            ok = False
            click.echo(f"  failed: {_row_error(rt, int(row.id or 0))}", err=True)
        else:
            click.echo(f"  {status}")
    return ok


def _poll(rt: Runtime, source_id: int, job_id: str, bar: object) -> str:
    shown = 0
    started = time.monotonic()
    warned = False
    while True:
        with session_scope(rt.engine) as session:
            row = session.get(KnowledgeSource, source_id)
            status = row.status if row else "removed"
            chunks = row.chunks if row else 0
        progress = job_progress(rt, job_id)
        done = progress is None or progress.status in ("finished", "failed", "stopped")
        if status in ("removed", SourceStatus.FAILED) or (status == SourceStatus.READY and done):
            bar.update(100 - shown)  # type: ignore[attr-defined]
            return f"{status}, {chunks} chunks" if status == SourceStatus.READY else status
        if progress and progress.total:
            pct = int(100 * progress.done / progress.total)
            bar.update(max(pct - shown, 0))  # type: ignore[attr-defined]
            shown = max(pct, shown)
        if not warned and time.monotonic() - started > NO_WORKER_AFTER and not _workers(rt):
            click.echo("\nwaiting for a worker: start one with `switchboard worker`", err=True)
            warned = True
        time.sleep(0.2)


def _workers(rt: Runtime) -> int:
    return Worker.count(connection=rt.redis, queue=rt.queue(INGEST_QUEUE))


def _row_error(rt: Runtime, source_id: int) -> str:
    with session_scope(rt.engine) as session:
        row = session.get(KnowledgeSource, source_id)
        return (row.error or "") if row else ""
