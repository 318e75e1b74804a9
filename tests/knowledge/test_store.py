"""The store: one collection per business, replace/remove, reopen in a new process, server mode."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import KnowledgeBase, collection_name, make_client
from knowledge.embedding import NAME

from .conftest import DEMO, ROOT


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_collection_names_are_safe_and_distinct() -> None:
    a, b = collection_name("Casa Lucía!"), collection_name("casa-lucia")
    assert a != b
    for name in (a, b, collection_name("x" * 300), collection_name("7")):
        assert 3 <= len(name) <= 63 and name.replace("-", "").isalnum()


def test_businesses_never_see_each_other(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.ingest("clinic", _write(tmp_path / "a.md", "# Prices\n\nWhitening costs 350 euros."))
    kb.ingest("bistro", _write(tmp_path / "b.md", "# Menu\n\nPaella costs 18 euros."))
    for passage in kb.search("clinic", "How much is the paella?", k=10):
        assert "Paella" not in passage.text
    assert kb.answer("bistro", "How much is whitening?").grounded is False


def test_reingest_replaces_and_remove_removes(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "hours.md"
    first = kb.ingest("clinic", _write(path, "# Hours\n\nWe open at 9:00 on Mondays."))
    assert first.replaced == 0
    second = kb.ingest("clinic", _write(path, "# Hours\n\nWe open at 10:30 on Mondays."))
    assert second.source_id == first.source_id and second.replaced == 1
    texts = [p.text for p in kb.search("clinic", "When do you open on Monday?", k=10)]
    assert any("10:30" in t for t in texts) and not any("9:00" in t for t in texts)
    [info] = kb.list_sources("clinic")
    assert info.location == str(path.resolve()) and info.chunks == second.chunks
    assert kb.remove_source("clinic", str(path)) == second.chunks
    assert kb.list_sources("clinic") == [] and kb.search("clinic", "open") == []


def test_progress_callback_reaches_total(kb: KnowledgeBase) -> None:
    calls: list[tuple[int, int]] = []
    path = str(DEMO / "smile-dental" / "price-list.pdf")
    report = kb.ingest("clinic", path, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, report.chunks) and calls[-1] == (report.chunks, report.chunks)


def test_reindex_reads_sources_again(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "menu.md"
    kb.ingest("bistro", _write(path, "# Menu\n\nGazpacho 6 euros."))
    path.write_text("# Menu\n\nGazpacho 7 euros.", encoding="utf-8")
    [report] = kb.reindex("bistro")
    assert not isinstance(report, Exception)
    assert "7 euros" in kb.search("bistro", "gazpacho")[0].text


def test_collection_uses_registered_function_and_reopens_in_new_process(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    kb.ingest("clinic", str(DEMO / "smile-dental" / "faq.csv"))
    col = kb.client.get_collection(collection_name("clinic"))  # no function passed: from config
    # Chroma rebuilt our function from the persisted config through the registry, and embeds
    # with it (not with its downloading default) when no function is passed.
    assert col.configuration["embedding_function"].name() == NAME  # type: ignore[union-attr]
    script = (
        "import json, sys\n"
        "from knowledge import KnowledgeBase, make_client, collection_name\n"
        "client = make_client(path=sys.argv[1])\n"
        "col = client.get_collection(collection_name('clinic'))\n"
        "assert col.configuration['embedding_function'].name() == 'switchboard-usem3'\n"
        "res = col.query(query_texts=['Do you speak English?'], n_results=1)\n"
        "kb = KnowledgeBase(client)\n"
        "answer = kb.answer('clinic', 'Is the first visit free?').text\n"
        "print(json.dumps([res['documents'][0][0], answer]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "chroma")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
    )
    doc, answer = json.loads(out.stdout.strip().splitlines()[-1])
    assert "English" in doc and "free" in answer


def test_http_client_against_real_chroma_server(
    chroma_server: tuple[str, int], tmp_path: Path
) -> None:
    host, port = chroma_server
    kb = KnowledgeBase(lambda: make_client(host=host, port=port))
    report = kb.ingest("casa-lucia", str(DEMO / "casa-lucia" / "carta.pdf"))
    assert report.pages == 2
    answer = kb.answer("casa-lucia", "¿Cuánto cuestan las croquetas?", "es", 300)
    assert answer.grounded and "9,50 €" in answer.text and "pág." in answer.text
    other = KnowledgeBase(make_client(host=host, port=port))
    assert [s.source_id for s in other.list_sources("casa-lucia")] == [report.source_id]
    assert other.list_sources("smile-dental") == []
    kb.drop_business("casa-lucia")
    assert other.list_sources("casa-lucia") == []


def test_make_client_needs_path_or_host() -> None:
    from knowledge import StoreError

    with pytest.raises(StoreError):
        make_client()
