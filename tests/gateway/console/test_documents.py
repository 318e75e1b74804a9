"""The knowledge base in the console: an owner uploads a document, watches it being read by the
worker's job, and removes it; unfit files are refused with the reason (issue 18)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.kb.jobs import run_ingest
from gateway.store.models import KnowledgeSource
from tests.gateway.test_console import ACME, OTHER, csrf, sign_in, staff  # noqa: F401 (fixture)

pytestmark = pytest.mark.db

DOCS = "/console/setup/documents/"
PRICES = b"# Prices\n\n## Whitening\n\nA whitening session costs 180 euros and takes one hour.\n"


def _upload(client: FlaskClient, name: str, data: bytes) -> Any:
    form = {"csrf_token": csrf(client, DOCS), "file": (io.BytesIO(data), name)}
    return client.post(f"{DOCS}upload", data=form, content_type="multipart/form-data")


def _sources(rt: Runtime) -> list[KnowledgeSource]:
    with session_scope(rt.engine) as db:
        return list(db.exec(select(KnowledgeSource)).all())


def test_an_uploaded_document_is_read_by_the_worker_and_can_be_removed(
    client: FlaskClient,
    demo: Runtime,
    staff: dict[str, int],  # noqa: F811
) -> None:
    sign_in(client, *ACME)
    before = {s.id for s in _sources(demo)}
    assert _upload(client, "prices.md", PRICES).status_code == 302
    (row,) = [s for s in _sources(demo) if s.id not in before]
    listed = client.get(f"{DOCS}status.json").get_json()["sources"]
    assert [(s["name"], s["status"]) for s in listed if s["id"] == row.id] == [
        ("prices.md", "pending")
    ]
    assert run_ingest(demo, row.business_id, row.id or 0)["status"] == "ready"
    (ready,) = [s for s in client.get(f"{DOCS}status.json").get_json()["sources"]
                if s["id"] == row.id]  # fmt: skip
    assert ready["status"] == "ready" and ready["chunks"] >= 1
    assert "Remove" in client.get(DOCS).get_data(as_text=True)
    removed = client.post(f"{DOCS}{row.id}/remove", data={"csrf_token": csrf(client, DOCS)})
    assert removed.status_code == 302
    assert [s.status for s in _sources(demo) if s.id == row.id] == ["removing"]


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [("virus.exe", b"MZ...", "upload a PDF"), ("empty.md", b"", "empty")],
)
def test_an_unfit_file_is_refused_with_the_reason_and_nothing_is_kept(
    client: FlaskClient,
    demo: Runtime,
    staff: dict[str, int],  # noqa: F811
    name: str,
    data: bytes,
    says: str,
) -> None:
    sign_in(client, *ACME)
    before = len(_sources(demo))
    answer = _upload(client, name, data)
    assert answer.status_code == 400 and says in answer.get_data(as_text=True)
    assert len(_sources(demo)) == before


def test_agents_cannot_manage_documents(client: FlaskClient, staff: dict[str, int]) -> None:  # noqa: F811
    sign_in(client, *OTHER)
    assert client.get(DOCS).status_code == 403
