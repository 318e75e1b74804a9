"""Knowledge answers through the web chat, processed in this process: grounded, cited, isolated."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.kb.client import business_key, knowledge_base
from gateway.kb.jobs import SourceStatus, register_source, remove_source, run_ingest
from gateway.store.models import Business
from tests.gateway.chat_helpers import open_chat
from tests.gateway.kb_helpers import (
    business_id,
    load_kb_businesses,
    source_rows,
    turn,
    write_docs,
)

pytestmark = pytest.mark.db


def _ingest(rt: Runtime, slug: str, path: Path) -> int:
    """Register a source and run the ingestion job's body here; returns the row id."""
    with session_scope(rt.engine) as session:
        business = session.get(Business, business_id(rt, slug))
        assert business is not None
        row = register_source(session, business, str(path))
        source_id = int(row.id or 0)
    result = run_ingest(rt, business_id(rt, slug), source_id)
    assert result["status"] == SourceStatus.READY, result
    return source_id


@pytest.fixture
def docs(demo: Runtime, tmp_path: Path) -> dict[str, Path]:
    """bright-dental and bistro-mar loaded, each with its own document ingested."""
    load_kb_businesses(demo)
    paths = write_docs(tmp_path / "docs")
    for slug, path in paths.items():
        _ingest(demo, slug, path)
    return paths


def test_answers_in_english_and_spanish_with_a_reference(
    client: FlaskClient, demo: Runtime, docs: dict[str, Path]
) -> None:
    open_chat(client, "bright-dental")
    english = turn(client, demo, "bright-dental", "How much does teeth whitening cost?")
    assert "250" in english
    assert english.startswith("According to Bright Dental price list:"), english
    spanish = turn(client, demo, "bright-dental", "¿Cuánto cuesta una limpieza dental?")
    assert "60" in spanish
    assert spanish.startswith("Según Bright Dental price list:"), spanish


def test_an_unanswerable_question_gets_the_honest_decline(
    client: FlaskClient, demo: Runtime, docs: dict[str, Path]
) -> None:
    open_chat(client, "bright-dental")
    reply = turn(client, demo, "bright-dental", "Do you have parking for bicycles?")
    assert "I don't know" in reply and "person" in reply
    assert "euros" not in reply and "According to" not in reply


def test_a_business_never_answers_from_another_business_documents(
    client: FlaskClient, demo: Runtime, docs: dict[str, Path]
) -> None:
    open_chat(client, "bistro-mar")
    own = turn(client, demo, "bistro-mar", "¿Cuánto cuesta la paella de marisco?")
    assert "42" in own and own.startswith("Según Bistro Mar menu:"), own
    other = turn(client, demo, "bistro-mar", "How much does teeth whitening cost?")
    assert "250" not in other and "whitening" not in other.lower()
    open_chat(client, "bright-dental")
    mirror = turn(client, demo, "bright-dental", "How much is the seafood paella?")
    assert "42" not in mirror and "paella" not in mirror.lower()


def test_a_business_without_sources_keeps_the_engine_reply(
    client: FlaskClient, demo: Runtime, docs: dict[str, Path]
) -> None:
    open_chat(client)
    turn(client, demo, "acme-dental", "hello")
    reply = turn(client, demo, "acme-dental", "How much does teeth whitening cost?")
    assert "You said" in reply


def test_reingesting_replaces_and_removing_deletes_the_chunks(
    client: FlaskClient, demo: Runtime, docs: dict[str, Path]
) -> None:
    path = docs["bright-dental"]
    path.write_text(path.read_text().replace("250 euros", "310 euros"))
    source_id = _ingest(demo, "bright-dental", path)
    open_chat(client, "bright-dental")
    reply = turn(client, demo, "bright-dental", "How much does teeth whitening cost?")
    assert "310" in reply and "250" not in reply
    store = knowledge_base(demo.settings).store(business_key_of(demo, "bright-dental"))
    (row,) = source_rows(demo, "bright-dental")
    assert row.chunks == store.count() > 0

    assert remove_source(business_id(demo, "bright-dental"), source_id)["status"] == "removed"
    assert source_rows(demo, "bright-dental") == []
    assert store.count() == 0
    reply = turn(client, demo, "bright-dental", "How much does teeth whitening cost?")
    assert "310" not in reply


def business_key_of(rt: Runtime, slug: str) -> str:
    """The Chroma key of a business."""
    with session_scope(rt.engine) as session:
        business = session.get(Business, business_id(rt, slug))
        assert business is not None
        return business_key(business)
