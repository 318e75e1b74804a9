"""The admin API: per-business tokens, sources listed/added/removed, reindex, ask."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime, runtime_of
from gateway.kb.jobs import SourceStatus, register_source
from gateway.store.models import Business
from tests.gateway.kb_helpers import (
    DENTAL_DOC,
    business_id,
    load_kb_businesses,
    source_rows,
    write_docs,
)
from tests.support import WorkerPool, wait_for

pytestmark = pytest.mark.db

DENTAL = {"Authorization": "Bearer bright-admin-token-0123456789"}
BISTRO = {"Authorization": "Bearer bistro-admin-token-0123456789"}


def _seed(rt: Runtime, slug: str, path: Path) -> int:
    """A source row without ingestion (enough for listing and ownership checks)."""
    with session_scope(rt.engine) as session:
        business = session.get(Business, business_id(rt, slug))
        assert business is not None
        return int(register_source(session, business, str(path)).id or 0)


@pytest.fixture
def two(demo: Runtime, tmp_path: Path) -> dict[str, int]:
    """bright-dental and bistro-mar, each with one (un-ingested) source row."""
    load_kb_businesses(demo)
    docs = write_docs(tmp_path / "docs")
    return {slug: _seed(demo, slug, path) for slug, path in docs.items()}


ENDPOINTS = [
    ("get", "/api/v1/knowledge/sources"),
    ("post", "/api/v1/knowledge/sources"),
    ("get", "/api/v1/knowledge/sources/1"),
    ("delete", "/api/v1/knowledge/sources/1"),
    ("post", "/api/v1/knowledge/reindex"),
    ("post", "/api/v1/knowledge/ask"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-0123456789"},
        {"Authorization": "bright-admin-token-0123456789"},
        {"Authorization": "Basic bright-admin-token-0123456789"},
        {"Authorization": "Bearer "},
    ],
)
def test_without_a_valid_token_every_endpoint_is_401(
    client: FlaskClient, two: dict[str, int], method: str, url: str, headers: dict[str, str]
) -> None:
    response = getattr(client, method)(url, headers=headers, json={"question": "hi"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert {r.status for r in source_rows(runtime_of(client.application))} == {SourceStatus.PENDING}


def test_a_token_lists_only_its_own_business_sources(
    client: FlaskClient, two: dict[str, int]
) -> None:
    dental = client.get("/api/v1/knowledge/sources", headers=DENTAL).get_json()["sources"]
    bistro = client.get("/api/v1/knowledge/sources", headers=BISTRO).get_json()["sources"]
    assert [s["id"] for s in dental] == [two["bright-dental"]]
    assert [s["id"] for s in bistro] == [two["bistro-mar"]]
    assert dental[0]["uri"] == "bright-prices.md"  # no server paths in answers
    assert dental[0]["status"] == "pending"


def test_another_business_source_id_is_404_and_untouched(
    client: FlaskClient, demo: Runtime, two: dict[str, int]
) -> None:
    theirs = two["bistro-mar"]
    assert client.get(f"/api/v1/knowledge/sources/{theirs}", headers=DENTAL).status_code == 404
    assert client.delete(f"/api/v1/knowledge/sources/{theirs}", headers=DENTAL).status_code == 404
    assert client.delete("/api/v1/knowledge/sources/99999", headers=DENTAL).status_code == 404
    (row,) = source_rows(demo, "bistro-mar")
    assert row.status == SourceStatus.PENDING

    reindexed = client.post("/api/v1/knowledge/reindex", headers=DENTAL)
    assert reindexed.status_code == 202
    assert [s["id"] for s in reindexed.get_json()["sources"]] == [two["bright-dental"]]
    queued = demo.queue("default").get_job_ids()
    assert f"kb-ingest-{two['bright-dental']}" in queued
    assert f"kb-ingest-{theirs}" not in queued

    mine = client.delete(f"/api/v1/knowledge/sources/{two['bright-dental']}", headers=DENTAL)
    assert mine.status_code == 202 and mine.get_json()["status"] == "removing"
    assert f"kb-remove-{two['bright-dental']}" in demo.queue("default").get_job_ids()


@pytest.mark.parametrize(
    ("kwargs", "detail"),
    [
        ({"json": {"url": "/etc/passwd"}}, "only http(s) URLs"),
        ({"json": {"url": "file:///etc/passwd"}}, "only http(s) URLs"),
        ({"json": {"nope": 1}}, "multipart"),
        ({"data": {"file": (io.BytesIO(b"x"), "evil.exe")}}, "upload a PDF"),
        ({"data": {"file": (io.BytesIO(b""), "empty.md")}}, "empty"),
    ],
)
def test_what_cannot_be_a_source_is_refused(
    client: FlaskClient, demo: Runtime, two: dict[str, int], kwargs: dict[str, Any], detail: str
) -> None:
    response = client.post("/api/v1/knowledge/sources", headers=DENTAL, **kwargs)
    assert response.status_code == 400
    assert detail in response.get_json()["detail"]
    assert len(source_rows(demo, "bright-dental")) == 1


def test_ask_needs_a_question(client: FlaskClient, two: dict[str, int]) -> None:
    response = client.post("/api/v1/knowledge/ask", headers=DENTAL, json={"question": " "})
    assert response.status_code == 400


def test_upload_ingest_ask_and_delete_through_a_worker(
    client: FlaskClient, demo: Runtime, worker_pool: WorkerPool
) -> None:
    load_kb_businesses(demo)
    worker_pool.start(1)
    upload = {"file": (io.BytesIO(DENTAL_DOC.encode()), "prices.md")}
    added = client.post("/api/v1/knowledge/sources", headers=DENTAL, data=upload)
    assert added.status_code == 202, added.get_json()
    source_id = added.get_json()["id"]

    def status() -> Any:
        body = client.get(f"/api/v1/knowledge/sources/{source_id}", headers=DENTAL).get_json()
        return body if body["status"] == "ready" else None

    ready = wait_for(status, timeout=90)
    assert ready["chunks"] > 0 and ready["title"]

    asked = client.post(
        "/api/v1/knowledge/ask",
        headers=DENTAL,
        json={"question": "¿Cuánto cuesta el blanqueamiento dental?"},
    ).get_json()
    assert asked["grounded"] and "250" in asked["answer"] and asked["language"] == "es"
    assert asked["answer"].startswith("Según Bright Dental price list:"), asked["answer"]
    assert asked["references"][0]["title"] == "Bright Dental price list"

    other = client.post(
        "/api/v1/knowledge/ask", headers=BISTRO, json={"question": "How much is whitening?"}
    ).get_json()
    assert not other["grounded"] and other["references"] == [] and "250" not in other["answer"]

    assert (
        client.delete(f"/api/v1/knowledge/sources/{source_id}", headers=DENTAL).status_code == 202
    )
    wait_for(lambda: source_rows(demo, "bright-dental") == [], timeout=60)
    gone = client.post(
        "/api/v1/knowledge/ask", headers=DENTAL, json={"question": "How much is whitening?"}
    ).get_json()
    assert not gone["grounded"] and "250" not in gone["answer"]
