"""The knowledge base in the console (owners only): upload documents or add pages, watch them
being read (the page polls `status.json` while any is in progress), remove them. Ingestion runs
in a worker, exactly as through the admin API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for

from gateway.console import security
from gateway.core.db import session_scope
from gateway.core.errors import NotFound
from gateway.kb.jobs import (
    SourceError,
    add_source,
    ingest_job_id,
    is_url,
    job_progress,
    request_removal,
    sources_of,
)
from gateway.kb.uploads import save_upload
from gateway.store.models import Business, KnowledgeSource

bp = Blueprint("documents", __name__, url_prefix="/console/setup/documents")

IN_PROGRESS = ("pending", "ingesting", "removing")


@bp.before_request
def _owner_only() -> Any:
    """CSRF on every POST; a signed-in owner on every page (an agent gets 403)."""
    return security.require_owner()


def _row(row: KnowledgeSource) -> dict[str, Any]:
    """One source as the page shows it, with the worker's progress while it reads."""
    item: dict[str, Any] = {
        "id": row.id,
        "name": row.title or (row.uri if is_url(row.uri) else Path(row.uri).name),
        "status": row.status,
        "chunks": row.chunks,
        "error": row.error or "",
        "progress": "",
    }
    if row.status in IN_PROGRESS and row.id is not None:
        progress = job_progress(g.rt, ingest_job_id(row.id))
        if progress is not None and progress.stage:
            done = f" {progress.done}/{progress.total}" if progress.total else ""
            item["progress"] = f"{progress.stage}{done}"
    return item


def _rows() -> list[dict[str, Any]]:
    with session_scope(g.rt.engine) as db:
        business = db.get(Business, g.business.id)
        assert business is not None
        return [_row(row) for row in sources_of(db, business)]


def _page(error: str | None = None, status: int = 200) -> Any:
    page = render_template(
        "console/setup_documents.html", rows=_rows(), error=error, in_progress=IN_PROGRESS,
        business=g.business, staff=g.staff,
    )  # fmt: skip
    return page, status


@bp.get("/")
def index() -> Any:
    """The business's documents and pages, their state, and the forms to add more."""
    return _page()


@bp.get("/status.json")
def status() -> Any:
    """Every source's state and progress, for the page's live view."""
    return jsonify(sources=_rows())


@bp.post("/upload")
def upload() -> Any:
    """Keep an uploaded file and queue its reading."""
    file = request.files.get("file")
    try:
        if file is None:
            raise SourceError("choose a file to upload")
        path = save_upload(g.rt.settings.var_dir, g.business, file.filename or "", file.read())
        add_source(g.rt, g.business.id, path)
    except SourceError as exc:
        return _page(str(exc), 400)
    return redirect(url_for("documents.index"))


@bp.post("/page")
def page() -> Any:
    """Add a web page (or a site, following its links) and queue its reading."""
    url = (request.form.get("url") or "").strip()
    try:
        if not is_url(url):
            raise SourceError("give an http(s) address")
        add_source(g.rt, g.business.id, url, crawl=request.form.get("crawl") == "1")
    except SourceError as exc:
        return _page(str(exc), 400)
    return redirect(url_for("documents.index"))


@bp.post("/<int:source_id>/remove")
def remove(source_id: int) -> Any:
    """Remove a source and its passages (a worker does it; the row goes when they are gone)."""
    try:
        request_removal(g.rt, g.business.id, source_id)
    except NotFound:
        return _page("no such document", 404)
    return redirect(url_for("documents.index"))
