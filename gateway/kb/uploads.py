"""Keeping an uploaded document where the worker reads it (the admin API and the console)."""

from __future__ import annotations

from pathlib import Path

from werkzeug.utils import secure_filename

from gateway.kb.jobs import SUFFIXES, SourceError
from gateway.store.models import Business

MAX_UPLOAD = 20 * 1024 * 1024


def save_upload(var_dir: Path, business: Business, filename: str, data: bytes) -> str:
    """Store the file under var/knowledge/<slug>/ and return its path; SourceError if unfit."""
    name = secure_filename(filename)
    if not name or Path(name).suffix.lower() not in SUFFIXES:
        raise SourceError("upload a PDF, Markdown, text, HTML or CSV file")
    if not data:
        raise SourceError("the uploaded file is empty")
    if len(data) > MAX_UPLOAD:
        raise SourceError(f"the file is larger than {MAX_UPLOAD // (1024 * 1024)} MB")
    folder = Path(var_dir).resolve() / "knowledge" / business.slug
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return str(path)
