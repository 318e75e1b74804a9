"""Chunking structure, BM25 with stems, translations and typos, question parts and types."""

from __future__ import annotations

from knowledge.analysis import guess_language, parse_lexicon, query_groups
from knowledge.bm25 import LexicalIndex
from knowledge.chunking import parse_markdown
from knowledge.questions import fact_types, split_question, unit_types
from knowledge.retrieval import rrf

DOC = """# Clinic

## Prices

| Treatment | Price |
|---|---|
| **Sports massage** | 50 € |
| Dry needling | 15 € |

## FAQ

### Do you treat children?
We treat teenagers from 14 years old.

**¿Tenéis aparcamiento?**
No, pero hay un parking enfrente.
"""


def test_table_rows_keep_their_header_and_headings_carry_over() -> None:
    blocks = parse_markdown(DOC)
    rows = [b for b in blocks if b.kind == "row"]
    assert [b.units[0] for b in rows] == [
        "Treatment: Sports massage; Price: 50 €",
        "Treatment: Dry needling; Price: 15 €",
    ]
    assert all(b.heading == "Clinic > Prices" for b in rows)


def test_faq_question_kept_with_its_answer() -> None:
    faqs = [b for b in parse_markdown(DOC) if b.kind == "faq"]
    assert faqs[0].heading == "Clinic > FAQ > Do you treat children?"
    assert faqs[0].units == ("We treat teenagers from 14 years old.",)
    assert faqs[1].heading.endswith("¿Tenéis aparcamiento?")
    assert faqs[1].units == ("No, pero hay un parking enfrente.",)


def test_bm25_matches_stems_translations_and_typos() -> None:
    index = LexicalIndex(
        ["a", "b", "c"],
        ["Our opening hours: Monday to Friday.", "Sports massage: 50 €", "Hay parking enfrente."],
        ["en", "en", "es"],
    )
    assert index.search("¿Cuál es vuestro horario?", 1)[0][0] == "a"  # es -> en lexicon
    assert index.search("precio del masage deportivo", 1)[0][0] == "b"  # typo + translation
    assert index.search("where can I park the car", 1)[0][0] == "c"


def test_lexicon_rows_relate_both_ways() -> None:
    lexicon = parse_lexicon("# comment\nprice, cost\tprecio, cuesta\n")
    assert lexicon.expand("precio") == {"price", "cost", "cuesta"}
    groups = query_groups("¿Cuánto cuesta?", lexicon)
    assert any("price" in g.terms for g in groups)


def test_rrf_rewards_agreement() -> None:
    fused = rrf([(["x", "y"], 1.0), (["y", "z"], 1.0)], k=60)
    assert max(fused, key=fused.__getitem__) == "y"


def test_question_parts_and_types() -> None:
    assert split_question("How much is dry needling and do you open on Tuesdays?") == [
        "How much is dry needling",
        "do you open on Tuesdays",
    ]
    assert split_question("¿Cuánto cuesta el recurso y cuánto tarda?") == [
        "Cuánto cuesta el recurso",
        "cuánto tarda",
    ]
    assert split_question("Do you take Sanitas and Asisa?") == ["Do you take Sanitas and Asisa"]
    assert fact_types("How much is it?") == {"price"}
    assert fact_types("¿A qué hora cerráis?") == {"time"}
    assert "price" in unit_types("Price: 50 €") and "time" in unit_types("Lunes: 9:30 a 14:00")
    assert guess_language("Somos un despacho de abogados en la ciudad") == "es"


def test_topic_coverage_names_what_the_corpus_never_mentions() -> None:
    from knowledge.answerability import _focus

    index = LexicalIndex(
        ["a", "b"],
        ["A dental cleaning costs 60 €.", "Un empaste cuesta 80 € y una extracción 70 €."],
        ["en", "es"],
    )
    covered = index.topics(_focus(index.groups("How much is a dental cleaning?")))
    assert covered.any_hard == 1.0 and covered.chunk_hard == 1.0 and covered.weakest == 1.0
    missing = index.topics(_focus(index.groups("Do you have parking for bikes?")))
    assert missing.any_hard == 0.0 and missing.weakest < 0.9


def test_fold_fast_paths_match_the_exact_fold() -> None:
    import unicodedata

    from knowledge.text import fold

    def exact(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.lower())
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    for text in ("Cuánto CUESTA 5 €", "niño Ñandú", "ﬁ café", "Straße", "x\u0483y\U0001d167z"):
        assert fold(text) == exact(text)
