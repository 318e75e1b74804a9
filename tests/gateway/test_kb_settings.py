"""One source of truth: a business's settings become cited passages, chat and the admin API
give the same answer, and nothing that was not configured or documented is ever stated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.bot.knowledge import answer_for
from gateway.cli.config_file import apply_config, parse_config
from gateway.cli.main import cli
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.kb.jobs import INGEST_QUEUE, SourceStatus, ingest_job_id, run_ingest
from gateway.kb.settings import SETTINGS_URI, request_settings_for
from gateway.store.models import Business, Handoff
from tests.gateway.chat_helpers import open_chat
from tests.gateway.kb_helpers import business_id, source_rows, turn
from tests.support import settings_env

pytestmark = pytest.mark.db

YAML = """
businesses:
  - slug: quiet-dental
    name: Quiet Dental
    template: dental
    timezone: Europe/Madrid
    country: ES
    languages: [en, es]
    settings:
      address: Calle Mayor 1, 28013 Madrid
      phone: "+34 910 000 001"
    channels:
      - {id: quiet-dental-web, provider: webchat}
  - slug: quiet-law
    name: Quiet Law
    template: legal
    timezone: Europe/Madrid
    country: ES
    languages: [en, es]
    settings:
      address: Calle Mayor 2, 28013 Madrid
    channels:
      - {id: quiet-law-web, provider: webchat}
  - slug: open-dental
    name: Open Dental
    template: dental
    timezone: Europe/Madrid
    country: ES
    languages: [en, es]
    settings:
      address: Calle Mayor 3, 28013 Madrid
      hours:
        monday: ["08:30-13:30"]
        wednesday: ["08:30-13:30"]
    channels:
      - {id: open-dental-web, provider: webchat}
"""

SLUGS = ["quiet-dental", "quiet-law", "open-dental"]
# Any time of day, weekday or amount of money a reply could state.
TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2} ?(?:am|pm)\b", re.IGNORECASE)
WEEKDAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|"
    r"mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)\b",
    re.IGNORECASE,
)
MONEY = re.compile(r"\d\s*(?:€|eur|euros?)\b|€\s*\d|\bfree\b|\bgratis\b", re.IGNORECASE)

HOURS_QUESTIONS = [
    ("What are your opening hours?", "en"),
    ("When are you open on Saturday?", "en"),
    ("¿Qué horario tenéis?", "es"),
    ("¿A qué hora abrís los lunes?", "es"),
]
FEE_QUESTIONS = [
    ("How much is the first consultation?", "en"),
    ("What is your consultation fee?", "en"),
    ("¿Cuánto cuesta la primera consulta?", "es"),
]


def _load(rt: Runtime, ingest: bool = True) -> None:
    """Load the businesses as `switchboard load` does, and run the queued settings jobs here."""
    with session_scope(rt.engine) as session:
        apply_config(session, parse_config(YAML, env={}), rt.settings.secret_key)
    assert request_settings_for(rt, SLUGS) == 3
    if ingest:
        for row in source_rows(rt):
            assert run_ingest(rt, row.business_id, int(row.id or 0))["status"] == "ready"
        assert {(r.uri, r.status) for r in source_rows(rt)} == {(SETTINGS_URI, SourceStatus.READY)}


def _api(rt: Runtime, slug: str, question: str, language: str) -> dict[str, object]:
    """The admin API's answer (the body of its ask job)."""
    with session_scope(rt.engine) as session:
        business = session.exec(select(Business).where(Business.slug == slug)).one()
        return answer_for(rt.settings, business, question, language)


def _states_nothing(reply: str, pattern: re.Pattern[str]) -> None:
    assert not pattern.search(reply), reply
    assert "I don't know" in reply or "No lo sé" in reply, reply


def test_no_hours_configured_means_no_hours_stated_in_chat_or_api(
    client: FlaskClient, rt: Runtime
) -> None:
    _load(rt)
    open_chat(client, "quiet-dental")
    for question, language in HOURS_QUESTIONS:
        chat = turn(client, rt, "quiet-dental", question)
        _states_nothing(chat, TIME)
        assert not WEEKDAY.search(chat.replace(question, "")), chat
        api = _api(rt, "quiet-dental", question, language)
        assert api["grounded"] is False and api["references"] == []
        assert api["answer"] == chat, (api, chat)


def test_without_a_knowledge_base_yet_no_default_hours_or_prices_either(
    client: FlaskClient, rt: Runtime
) -> None:
    _load(rt, ingest=False)  # the worker has not run: the template answers on its own
    open_chat(client, "quiet-dental")
    for question, _ in HOURS_QUESTIONS:
        reply = turn(client, rt, "quiet-dental", question)
        assert not TIME.search(reply), reply
    for question in ("How much is a cleaning?", "¿Cuánto cuesta una revisión?"):
        reply = turn(client, rt, "quiet-dental", question)  # no services or prices configured
        assert not MONEY.search(reply), reply


def test_configured_hours_are_the_same_answer_in_chat_and_api(
    client: FlaskClient, rt: Runtime
) -> None:
    _load(rt)
    open_chat(client, "open-dental")
    chat = turn(client, rt, "open-dental", "What are your opening hours?")
    assert "08:30" in chat and "13:30" in chat and "09:00" not in chat, chat
    # The chat lays the configured week out day by day; the API cites the settings passage.
    # Same source, same hours: neither states a time the business did not configure.
    api = _api(rt, "open-dental", "What are your opening hours?", "en")
    assert api["grounded"] is True and api["answer"].startswith("According to Business settings")
    assert "08:30" in api["answer"] and "13:30" in api["answer"] and "09:00" not in api["answer"]


def test_no_consultation_fee_configured_means_no_fee_stated(
    client: FlaskClient, rt: Runtime
) -> None:
    _load(rt)
    open_chat(client, "quiet-law")
    for question, language in FEE_QUESTIONS:
        chat = turn(client, rt, "quiet-law", question)
        _states_nothing(chat, MONEY)
        assert " 0 " not in f" {chat} "
        api = _api(rt, "quiet-law", question, language)
        assert api["grounded"] is False and not MONEY.search(str(api["answer"]))


def test_no_fee_without_a_knowledge_base_either(client: FlaskClient, rt: Runtime) -> None:
    _load(rt, ingest=False)
    open_chat(client, "quiet-law")
    for question, _ in FEE_QUESTIONS:
        reply = turn(client, rt, "quiet-law", question)
        assert not MONEY.search(reply) and " 0 " not in f" {reply} ", reply


def test_an_unknown_answer_offers_a_person_and_yes_hands_off(
    client: FlaskClient, rt: Runtime
) -> None:
    _load(rt)
    open_chat(client, "quiet-dental")
    reply = turn(client, rt, "quiet-dental", "Do you have parking for bicycles?")
    assert "I don't know" in reply and "person" in reply, reply
    turn(client, rt, "quiet-dental", "yes please")
    with session_scope(rt.engine) as session:
        handoffs = session.exec(
            select(Handoff).where(Handoff.business_id == business_id(rt, "quiet-dental"))
        ).all()
    assert len(handoffs) == 1


def test_an_information_question_never_starts_a_form(client: FlaskClient, rt: Runtime) -> None:
    _load(rt)
    open_chat(client, "quiet-dental")
    for question in (
        "How much does an appointment for a cleaning cost?",
        "¿Cuánto cuesta una cita de limpieza?",
    ):
        reply = turn(client, rt, "quiet-dental", question)
        assert "I don't know" in reply or "No lo sé" in reply, reply
        assert not MONEY.search(reply), reply


def test_asking_to_book_still_books(client: FlaskClient, rt: Runtime) -> None:
    _load(rt)
    open_chat(client, "open-dental")
    reply = turn(client, rt, "open-dental", "Can I book an appointment?")
    assert "I don't know" not in reply and "?" in reply, reply  # the form's first question


def test_settings_with_nothing_answerable_leave_no_source(rt: Runtime) -> None:
    _load(rt, ingest=False)
    with session_scope(rt.engine) as session:
        business = session.exec(select(Business).where(Business.slug == "quiet-law")).one()
        business.settings = {}
    for row in source_rows(rt, "quiet-law"):
        assert run_ingest(rt, row.business_id, int(row.id or 0))["status"] == "removed"
    assert source_rows(rt, "quiet-law") == []


def test_switchboard_load_queues_each_business_settings_for_a_worker(
    rt: Runtime, tmp_path: Path
) -> None:
    config = tmp_path / "businesses.yaml"
    config.write_text(YAML)
    result = CliRunner().invoke(cli, ["load", str(config)], env=settings_env(rt.settings))
    assert result.exit_code == 0, result.output
    assert "settings of 3 business(es) queued" in result.output
    rows = source_rows(rt)
    assert (
        sorted((r.uri, r.kind, r.status) for r in rows)
        == [(SETTINGS_URI, "settings", SourceStatus.PENDING)] * 3
    )
    queued = set(rt.queue(INGEST_QUEUE).job_ids)
    assert {ingest_job_id(int(r.id or 0)) for r in rows} <= queued
    # loading again re-queues the same rows (settings may have changed), never duplicates them
    assert (
        CliRunner().invoke(cli, ["load", str(config)], env=settings_env(rt.settings)).exit_code == 0
    )
    assert len(source_rows(rt)) == 3
