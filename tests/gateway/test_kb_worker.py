"""The knowledge base with real workers: `kb` commands, ingestion jobs, web chat, Chroma server."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from gateway.cli.main import cli
from gateway.core.runtime import Runtime
from gateway.core.settings import Settings
from gateway.kb.jobs import SourceStatus
from knowledge import make_client
from knowledge.store import BusinessStore
from tests.gateway.chat_helpers import messages, open_chat, say
from tests.gateway.kb_helpers import load_kb_businesses, source_rows, write_docs
from tests.knowledge.conftest import chroma_server  # noqa: F401 (a fixture: a real `chroma run`)
from tests.support import WorkerPool, settings_env, wait_for

pytestmark = pytest.mark.db


def _kb(settings: Settings, *args: str) -> tuple[int, str]:
    """Run `switchboard kb ...` with the test's settings in the environment."""
    result = CliRunner().invoke(cli, ["kb", *args], env=settings_env(settings))
    return result.exit_code, result.output


def _ask(client: FlaskClient, rt: Runtime, slug: str, text: str) -> str:
    """Post a chat message and wait for the worker's reply."""
    assert say(client, text, slug=slug).status_code == 202
    inbound = messages(rt, "in")[-1]
    replies = wait_for(
        lambda: [m for m in messages(rt, "out") if m.reply_to_id == inbound.id], timeout=60
    )
    return "\n".join(m.text for m in replies)


def test_kb_commands_ingest_through_a_worker_and_the_chat_answers(
    client: FlaskClient, demo: Runtime, settings: Settings, worker_pool: WorkerPool, tmp_path: Path
) -> None:
    load_kb_businesses(demo)
    docs = write_docs(tmp_path / "docs")
    worker_pool.start(1)

    code, out = _kb(
        settings, "add", str(docs["bright-dental"]), "--business", "bright-dental", "--wait"
    )
    assert code == 0, out
    assert "ready" in out and "chunks" in out
    code, out = _kb(settings, "add", str(docs["bistro-mar"]), "--business", "bistro-mar", "--wait")
    assert code == 0, out
    code, out = _kb(settings, "list", "--business", "bright-dental")
    assert code == 0 and "bright-prices.md" in out and "ready" in out
    assert "bistro-menu.md" not in out

    open_chat(client, "bright-dental")
    english = _ask(client, demo, "bright-dental", "How much does teeth whitening cost?")
    assert "250" in english and english.startswith("According to "), english
    spanish = _ask(client, demo, "bright-dental", "¿Cuánto cuesta un implante dental?")
    assert "1,100" in spanish and spanish.startswith("Según "), spanish
    open_chat(client, "bistro-mar")
    other = _ask(client, demo, "bistro-mar", "How much does teeth whitening cost?")
    assert "250" not in other

    code, out = _kb(
        settings, "remove", str(docs["bright-dental"]), "--business", "bright-dental", "--wait"
    )
    assert code == 0, out
    assert source_rows(demo, "bright-dental") == []
    code, out = _kb(settings, "list", "--business", "bright-dental")
    assert "no knowledge sources" in out
    open_chat(client, "bright-dental")
    after = _ask(client, demo, "bright-dental", "How much does teeth whitening cost?")
    assert "250" not in after


def test_kb_add_rejects_what_cannot_be_a_source(
    demo: Runtime, settings: Settings, tmp_path: Path
) -> None:
    load_kb_businesses(demo)
    odd = tmp_path / "notes.docx"
    odd.write_text("x")
    code, out = _kb(settings, "add", str(odd), "--business", "bright-dental")
    assert code != 0 and "unsupported file type" in out
    code, out = _kb(settings, "add", str(tmp_path / "missing.md"), "--business", "bright-dental")
    assert code != 0 and "no such file" in out
    code, out = _kb(settings, "add", "ftp://example.com/a.pdf", "--business", "bright-dental")
    assert code != 0 and "http" in out
    code, out = _kb(settings, "add", "https://example.com", "--business", "nobody")
    assert code != 0 and "no business" in out
    assert source_rows(demo) == []


def test_chroma_server_mode_keeps_one_collection_per_business(
    client: FlaskClient,
    demo: Runtime,
    settings: Settings,
    worker_pool: WorkerPool,
    tmp_path: Path,
    chroma_server: tuple[str, int],  # noqa: F811
) -> None:
    host, port = chroma_server
    load_kb_businesses(demo)
    docs = write_docs(tmp_path / "docs")
    worker_pool.start(1, CHROMA_HOST=host, CHROMA_PORT=str(port))
    env = settings_env(settings) | {"CHROMA_HOST": host, "CHROMA_PORT": str(port)}
    for slug, path in docs.items():
        result = CliRunner().invoke(
            cli, ["kb", "add", str(path), "--business", slug, "--wait"], env=env
        )
        assert result.exit_code == 0, result.output
    assert {r.status for r in source_rows(demo)} == {SourceStatus.READY}

    server = make_client(host=host, port=port)
    dental = BusinessStore(server, "bright-dental")
    bistro = BusinessStore(server, "bistro-mar")
    dental_texts = " ".join(h.text for h in dental.query(_vector("whitening"), 10))
    bistro_texts = " ".join(h.text for h in bistro.query(_vector("paella"), 10))
    assert "whitening" in dental_texts and "paella" not in dental_texts
    assert "paella" in bistro_texts and "whitening" not in bistro_texts

    open_chat(client, "bistro-mar")
    reply = _ask(client, demo, "bistro-mar", "¿Cuánto cuesta la paella de marisco?")
    assert "42" in reply and reply.startswith("Según "), reply


def _vector(text: str) -> list[float]:
    from knowledge.embedding import encode

    return [float(x) for x in encode([text])[0]]
