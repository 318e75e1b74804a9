"""The admin API (`/api/v1`): a business manages its knowledge base with its own API token.

`Authorization: Bearer <token>` names the business; every query is filtered on it, so a token
of one business can never see or touch another's sources (their ids answer 404).
Ingestion, removal and answers run in a worker; the web process never loads a model.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, g, jsonify, request
from sqlmodel import select

from gateway.core.auth import hash_token, token_matches
from gateway.core.db import session_scope
from gateway.core.errors import NotFound
from gateway.core.runtime import Runtime, runtime_of
from gateway.kb.jobs import (
    AskTimeout,
    SourceError,
    add_source,
    ingest_job_id,
    is_url,
    job_progress,
    request_reindex,
    request_removal,
    source_of,
    sources_of,
)
from gateway.kb.uploads import save_upload
from gateway.store.models import Business, KnowledgeSource

bp = Blueprint("admin", __name__, url_prefix="/api/v1")

MAX_QUESTION = 500


def _rt() -> Runtime:
    return runtime_of(current_app)


def _token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def business_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Resolve the bearer token to its business (401 otherwise) and keep it in `g.business`."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        token = _token()
        business = None
        if token:
            with session_scope(_rt().engine) as session:
                business = session.exec(
                    select(Business).where(Business.api_token_hash == hash_token(token))
                ).first()
        if business is None or not token_matches(token, business.api_token_hash):
            response = jsonify(error="Unauthorized", detail="a valid API token is required")
            response.headers["WWW-Authenticate"] = 'Bearer realm="switchboard"'
            return response, 401
        g.business = business
        return view(*args, **kwargs)

    return wrapped


def _source_json(row: KnowledgeSource, job_id: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.id,
        "uri": row.uri if is_url(row.uri) else Path(row.uri).name,
        "kind": row.kind,
        "title": row.title,
        "status": row.status,
        "chunks": row.chunks,
        "error": row.error,
        "updated_at": row.updated_at.isoformat(),
    }
    if job_id:
        data["job"] = job_id
    return data


@bp.get("/knowledge/sources")
@business_required
def list_sources() -> Any:
    """The business's sources with status and chunk counts."""
    with session_scope(_rt().engine) as session:
        rows = sources_of(session, g.business)
    return jsonify(sources=[_source_json(r) for r in rows])


@bp.get("/knowledge/sources/<int:source_id>")
@business_required
def get_source(source_id: int) -> Any:
    """One source, with its ingestion progress while a worker reads it."""
    with session_scope(_rt().engine) as session:
        row = _own(session, source_id)
    data = _source_json(row)
    progress = job_progress(_rt(), ingest_job_id(source_id))
    if progress is not None and progress.status not in ("finished", "failed"):
        data["progress"] = {"stage": progress.stage, "done": progress.done, "total": progress.total}
    return jsonify(data)


@bp.post("/knowledge/sources")
@business_required
def add() -> Any:
    """Add a source: JSON `{"url": ..., "crawl": false}` or a multipart `file` upload."""
    rt = _rt()
    upload = request.files.get("file")
    if upload is not None:
        try:
            location = save_upload(
                rt.settings.var_dir, g.business, upload.filename or "", upload.stream.read()
            )
        except SourceError as exc:
            abort(400, str(exc))
        crawl = False
    else:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("url"), str):
            abort(400, 'send JSON {"url": "https://..."} or a multipart "file"')
        location, crawl = body["url"], bool(body.get("crawl", False))
        if not is_url(location):
            abort(400, "only http(s) URLs or uploaded files can be added through the API")
    try:
        row, job_id = add_source(rt, int(g.business.id), location, crawl)
    except SourceError as exc:
        abort(400, str(exc))
    return jsonify(_source_json(row, job_id)), 202


@bp.delete("/knowledge/sources/<int:source_id>")
@business_required
def remove(source_id: int) -> Any:
    """Remove a source and its chunks (done by a worker; the row goes when they are gone)."""
    try:
        row, job_id = request_removal(_rt(), int(g.business.id), source_id)
    except NotFound:
        abort(404, "no such knowledge source")
    return jsonify(_source_json(row, job_id)), 202


@bp.post("/knowledge/reindex")
@business_required
def reindex() -> Any:
    """Re-read every source from its location, replacing its chunks."""
    queued = request_reindex(_rt(), int(g.business.id))
    return jsonify(sources=[_source_json(row, job) for row, job in queued]), 202


@bp.post("/knowledge/ask")
@business_required
def ask() -> Any:
    """Ask the knowledge base as a customer would: the answer, grounded or not, and references."""
    from gateway.kb.jobs import ask_and_wait

    body = request.get_json(silent=True)
    question = body.get("question") if isinstance(body, dict) else None
    if not isinstance(question, str) or not question.strip():
        abort(400, 'send JSON {"question": "...", "language": "en"|"es" (optional)}')
    language = body.get("language") if isinstance(body, dict) else None
    if language is not None and (not isinstance(language, str) or len(language) > 8):
        abort(400, "language must be a short code such as en or es")
    try:
        answer = ask_and_wait(_rt(), g.business, question.strip()[:MAX_QUESTION], language)
    except AskTimeout as exc:
        abort(503, str(exc))
    return jsonify(answer)


def _own(session: Any, source_id: int) -> KnowledgeSource:
    try:
        return source_of(session, g.business, source_id)
    except NotFound:
        abort(404, "no such knowledge source")
