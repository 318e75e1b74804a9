"""Business settings as cited passages: only what is configured, both languages, retrievable."""

from __future__ import annotations

from knowledge import AnswerConfig, KnowledgeBase
from knowledge.chunking import split_sections
from knowledge.settings import SETTINGS_TITLE, settings_markdown, settings_sections

SETTINGS = {
    "address": "Calle de Alcalá 123, 28009 Madrid",
    "phone": "+34 910 123 456",
    "hours": {
        "monday": ["09:00-14:00", "16:00-20:00"],
        "friday": ["09:00-15:00"],
        "saturday": ["10:00-14:00"],
    },
    "holidays": ["2025-12-25"],
    "services": [
        {
            "id": "cleaning",
            "name": {"en": "Cleaning", "es": "Limpieza"},
            "minutes": 45,
            "price": 60,
        },
        {"id": "ortho", "name": {"en": "Orthodontics consultation"}, "minutes": 30, "price": 0},
    ],
    "consultation_fee": 60,
    "insurance": {"sanitas": "Sanitas", "dkv": "DKV"},
    "faq": [
        {
            "keywords": ["parking", "aparcar"],
            "en": "Car park at number 120.",
            "es": "Parking en el 120.",
        }
    ],
    "matters": [{"client_name": "Acme Logistics S.L."}],
    "resources": ["chair-1"],
}


def test_configured_settings_become_passages_in_each_language() -> None:
    sections = settings_sections(SETTINGS, ("en", "es"), name="Smile Dental")
    assert [s.language for s in sections] == ["en", "es"]
    assert all(s.title == SETTINGS_TITLE for s in sections)
    en = sections[0].text
    assert "Calle de Alcalá 123" in en and "+34 910 123 456" in en
    assert "Monday: 09:00–14:00, 16:00–20:00;" in en
    assert "Tuesday, Wednesday and Thursday: closed;" in en  # a day left out is closed
    assert "25 December 2025" in en
    assert "| Cleaning | 60 € | 45 min |" in en
    assert "| Orthodontics consultation | free of charge | 30 min |" in en
    assert "First consultation: 60 €." in en and "Sanitas and DKV" in en
    assert "Lunes: 09:00–14:00, 16:00–20:00;" in sections[1].text
    assert "Limpieza" in sections[1].text and "Parking en el 120." in sections[1].text


def test_private_and_operational_keys_never_become_passages() -> None:
    text = settings_markdown(SETTINGS, "en")
    assert "Acme" not in text and "chair-1" not in text


def test_no_hours_configured_means_no_hours_passage() -> None:
    text = settings_markdown({"address": "Calle Mayor 1"}, "en")
    assert "Opening hours" not in text and "Monday" not in text and ":00" not in text
    assert settings_sections({}, ("en",)) == ()


def test_settings_chunks_keep_table_rows_with_their_header() -> None:
    pieces, _ = split_sections(settings_sections(SETTINGS, ("en",)))
    rows = [p.text.splitlines()[-1] for p in pieces if p.block == "row"]
    week = [p.text for p in pieces if "Opening hours:" in p.text]
    assert len(week) == 1  # the whole week is one unit: a general question gets every day
    assert (
        "Opening hours: Monday: 09:00–14:00, 16:00–20:00; Tuesday, Wednesday and Thursday: "
        "closed; Friday: 09:00–15:00; Saturday: 10:00–14:00; Sunday: closed."
    ) in week[0]
    assert "Service: Cleaning; Price: 60 €; Length: 45 min" in rows


def test_settings_are_retrieved_and_cited(kb: KnowledgeBase) -> None:
    report = kb.ingest_settings("biz", SETTINGS, ("en", "es"), name="Smile Dental")
    assert report is not None and report.title == SETTINGS_TITLE
    top = kb.search("biz", "What time do you open on Fridays?", k=3)
    assert "Friday" in top[0].text or "Viernes" in top[0].text
    assert "09:00–15:00" in top[0].text
    assert top[0].reference.title == SETTINGS_TITLE
    lenient = KnowledgeBase(kb.client, answering=AnswerConfig(threshold=0.5))
    answer = lenient.answer("biz", "What time do you open on Fridays?", "en")
    assert answer.grounded and "09:00–15:00" in answer.text
    assert answer.text.startswith(f"According to {SETTINGS_TITLE}: ")
    # settings changed: hours removed, nothing about hours can be stated any more
    kb.ingest_settings("biz", {"address": "Calle de Alcalá 123, 28009 Madrid"}, ("en",))
    passages = kb.search("biz", "What are your opening hours?", k=5)
    assert passages and all(":00" not in p.text for p in passages)
    hours = kb.answer("biz", "What are your opening hours on Monday?", "en")
    assert ":00" not in hours.text
    assert kb.ingest_settings("biz", {}, ("en",)) is None
    assert kb.list_sources("biz") == []
