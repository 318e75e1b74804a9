"""Reading and chunking: PDF pages, FAQ rows, Markdown headings, duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.chunking import split_sections
from knowledge.errors import IngestError, UnsupportedSourceError
from knowledge.loaders import load
from knowledge.types import SourceKind, SourceSpec

from .conftest import DEMO


def test_pdf_keeps_page_numbers_and_title() -> None:
    loaded = load(SourceSpec(str(DEMO / "smile-dental" / "price-list.pdf")))
    assert loaded.kind is SourceKind.PDF
    assert loaded.title == "Smile Dental price list 2025"
    assert [s.page for s in loaded.sections] == [1, 2]
    assert "250 €" in loaded.sections[1].text  # whitening, page 2


def test_pdf_headings_stay_with_their_text() -> None:
    loaded = load(SourceSpec(str(DEMO / "ortega-law" / "documentos.pdf")))
    pieces, _ = split_sections(loaded.sections)
    divorce = [p for p in pieces if p.heading == "Familia: divorcio"]
    assert divorce and "matrimonio" in divorce[0].text
    assert divorce[0].text.startswith("Familia: divorcio")
    assert divorce[0].section.page == 2


def test_faq_csv_one_chunk_per_row_comma_and_semicolon() -> None:
    comma = load(SourceSpec(str(DEMO / "casa-lucia" / "faq.csv")))
    semicolon = load(SourceSpec(str(DEMO / "sol-homes" / "faq.csv")))
    assert len(comma.sections) == 8 and all(s.atomic for s in comma.sections)
    assert len(semicolon.sections) == 8
    assert semicolon.sections[0].text.startswith("¿Cobráis comisión al inquilino?")
    pieces, _ = split_sections(comma.sections)
    assert len(pieces) == 8


def test_faq_without_answer_column_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "faq.csv"
    bad.write_text("title,body\nA,B\n", encoding="utf-8")
    with pytest.raises(IngestError):
        load(SourceSpec(str(bad)))


def test_markdown_long_section_pieces_all_carry_heading(tmp_path: Path) -> None:
    doc = tmp_path / "policies.md"
    long = " ".join(f"Rule {i}: guests must follow policy number {i}." for i in range(80))
    doc.write_text(f"# Policies\n\n## House rules\n\n{long}\n\n## Pets\n\nDogs welcome.\n")
    pieces, _ = split_sections(load(SourceSpec(str(doc))).sections)
    rules = [p for p in pieces if p.heading == "Policies > House rules"]
    assert len(rules) > 1
    assert all(p.text.startswith("Policies > House rules\n") for p in rules)
    assert any(p.heading == "Policies > Pets" and "Dogs welcome" in p.text for p in pieces)


def test_duplicate_chunks_dropped(tmp_path: Path) -> None:
    doc = tmp_path / "faq.csv"
    doc.write_text(
        "question,answer\nOpen Sunday?,No.\nOpen  sunday?,no.\nParking?,Yes.\n", encoding="utf-8"
    )
    pieces, dropped = split_sections(load(SourceSpec(str(doc))).sections)
    assert len(pieces) == 2 and dropped == 1


def test_unknown_extension_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedSourceError):
        load(SourceSpec(str(tmp_path / "x.docx")))
