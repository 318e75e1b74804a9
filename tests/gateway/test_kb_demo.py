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
from gateway.kb.settings import request_settings_for
from tests.gateway.chat_helpers import open_chat
from tests.gateway.kb_helpers import source_rows, turn

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_app(rt: Runtime) -> Flask:
    """config/demo.yaml loaded with its settings and demo documents ingested (queued as
    `make run` does: `switchboard load` queues the settings, `kb demo` the documents)."""
    config = load_config_file(ROOT / "config" / "demo.yaml")
    with session_scope(rt.engine) as session:
        apply_config(session, config, rt.settings.secret_key)
    assert request_settings_for(rt, [b.slug for b in config.businesses]) == 4
    assert queue_demo_documents(rt, DEMO_KNOWLEDGE) > 0
    for row in source_rows(rt):
        run_ingest(rt, row.business_id, int(row.id or 0))
    assert {r.status for r in source_rows(rt)} == {SourceStatus.READY}
    assert queue_demo_documents(rt, DEMO_KNOWLEDGE) == 0  # a second start queues nothing
    app = create_app(runtime=rt)
    app.config["TESTING"] = True
    return app


CASES = [
    (
        "smile-dental",
        "How much is a dental cleaning?",
        "60 €",
        "According to Smile Dental price list",
    ),
    (
        "smile-dental",
        "¿Qué precio tiene un implante dental?",
        "1,250 €",
        "Según Smile Dental price",
    ),
    (
        "ortega-law",
        "What is your fee for an arraigo social application?",
        "650 €",
        "According to Fees and how we work:",
    ),
    ("ortega-law", "¿Cuánto cuesta la primera consulta?", "60 €", "Según "),
    ("casa-lucia", "How much is the paella?", "18,00 €", "According to Casa Lucía - Carta, p. 1:"),
    ("casa-lucia", "¿Cuánto cuestan las croquetas?", "9,50 €", "Según Casa Lucía - Carta, pág. 1:"),
    (
        "sol-homes",
        "How much does the energy certificate cost?",
        "150 €",
        "According to Sol Homes - Services and fees",
    ),
    ("sol-homes", "¿Hacéis visitas por videollamada?", "videollamada", "Según FAQ:"),
]
# One truth per business: its documents and config/demo.yaml agree, so whichever source
# answers, the customer reads the configured address, opening time and fee.
AGREED = [
    ("smile-dental", "¿Dónde estáis?", "Alcalá 123", ("Fuencarral",)),
    ("ortega-law", "Where is your office?", "Serrano 45", ("Velázquez",)),
    ("ortega-law", "How much is the first consultation?", "60 €", ("80 €", " 0 €")),
    ("casa-lucia", "¿A qué hora abrís para cenar?", "20:00", ("20:30",)),
    ("casa-lucia", "¿Cuánto cuesta el menú del día?", "16", ("16,50",)),
]


def test_each_demo_business_answers_from_its_own_documents_in_both_languages(
    demo_app: Flask, rt: Runtime
) -> None:
    for slug, question, fact, reference in CASES:
        client: FlaskClient = demo_app.test_client()
        open_chat(client, slug)
        reply = turn(client, rt, slug, question)
        # a fact the business also configured may come from its settings (the same fact)
        assert fact in reply, (slug, question, reply)
        assert reply.startswith(reference) or not reply.startswith(("According", "Según")), reply
    for slug, question, fact, contradicted in AGREED:
        client = demo_app.test_client()
        open_chat(client, slug)
        reply = turn(client, rt, slug, question)
        assert fact in reply, (slug, reply)  # from a document or the owner's own FAQ
        assert not any(old in reply for old in contradicted), (slug, reply)
    # ...and declines what its documents do not say, including another business's facts.
    client = demo_app.test_client()
    open_chat(client, "casa-lucia")
    reply = turn(client, rt, "casa-lucia", "How much is the lobster rice?")
    assert "I don't know" in reply and "person" in reply and "€" not in reply
    reply = turn(client, rt, "casa-lucia", "¿Cuánto cuesta una limpieza dental?")  # smile's
    assert "60" not in reply and "Smile" not in reply
