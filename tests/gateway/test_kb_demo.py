"""The demo businesses answer from their own demo documents in the web chat, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.cli.config_file import apply_config, load_config_file
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.kb.cli import DEMO_KNOWLEDGE, queue_demo_documents
from gateway.kb.jobs import SourceStatus, run_ingest
from tests.gateway.chat_helpers import open_chat
from tests.gateway.kb_helpers import source_rows, turn

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_app(rt: Runtime) -> Flask:
    """config/demo.yaml loaded and its demo documents ingested (queued as `make run` does)."""
    with session_scope(rt.engine) as session:
        apply_config(
            session, load_config_file(ROOT / "config" / "demo.yaml"), rt.settings.secret_key
        )
    assert queue_demo_documents(rt, DEMO_KNOWLEDGE) > 0
    for row in source_rows(rt):
        run_ingest(rt, row.business_id, int(row.id or 0))
    assert {r.status for r in source_rows(rt)} == {SourceStatus.READY}
    assert queue_demo_documents(rt, DEMO_KNOWLEDGE) == 0  # a second start queues nothing
    app = create_app(runtime=rt)
    app.config["TESTING"] = True
    return app


CASES = [
    ("smile-dental", "How much is a dental cleaning?", "60 €", "Source: Smile Dental price list"),
    ("smile-dental", "¿Qué precio tiene un implante dental?", "1,250 €", "Fuente: Smile Dental"),
    ("ortega-law", "What is your fee for an arraigo social application?", "650 €", "Source: Fees"),
    ("ortega-law", "¿Cuánto cuesta la primera consulta?", "80 €", "Fuente: FAQ"),
    ("casa-lucia", "How much is the paella?", "18,00 €", "Source: Casa Lucía - Carta, p. 1"),
    ("casa-lucia", "¿Cuánto cuestan las croquetas?", "9,50 €", "Fuente: Casa Lucía - Carta"),
    ("sol-homes", "How much does the energy certificate cost?", "150 €", "Source: Sol Homes"),
    ("sol-homes", "¿Hacéis visitas por videollamada?", "videollamada", "Fuente: FAQ"),
]


def test_each_demo_business_answers_from_its_own_documents_in_both_languages(
    demo_app: Flask, rt: Runtime
) -> None:
    for slug, question, fact, reference in CASES:
        client: FlaskClient = demo_app.test_client()
        open_chat(client, slug)
        reply = turn(client, rt, slug, question)
        assert fact in reply and reference in reply, (slug, question, reply)
    # ...and declines what its documents do not say, including another business's facts.
    client = demo_app.test_client()
    open_chat(client, "casa-lucia")
    reply = turn(client, rt, "casa-lucia", "How much is the lobster rice?")
    assert "not sure" in reply and "€" not in reply
    reply = turn(client, rt, "casa-lucia", "¿Cuánto cuesta una limpieza dental?")  # smile's
    assert "60" not in reply and "Smile" not in reply
