# ruff: noqa: F811  (the staff fixture is imported from tests.gateway.test_console)
"""Data rights (issue 16): export per contact as one JSON document and erasure per contact, the
four ways (CLI, admin API, console, chat), proven by reading every table afterwards; retention.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from rq.job import Job
from sqlalchemy import JSON, String, Text
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, col, select

from gateway.bot.brain import Brain
from gateway.cli.main import cli
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.processing import process_inbound
from gateway.outreach.reminders import schedule_proactive
from gateway.outreach.scheduling import job_id, schedule_rows
from gateway.rights import chat as rights_chat
from gateway.rights.jobs import erase_contact
from gateway.rights.retention import apply_retention
from gateway.store import consent
from gateway.store.models import (
    Appointment,
    Contact,
    ContactIdentity,
    Conversation,
    DataRequest,
    Direction,
    Handoff,
    IntakeCase,
    Lead,
    Message,
    ProfileFact,
    Reservation,
    ScheduledMessage,
    StaffNote,
    utcnow,
)
from tests.gateway.chat_helpers import messages, open_chat, say
from tests.gateway.test_console import ACME, csrf, sign_in, staff  # noqa: F401
from tests.support import settings_env

pytestmark = pytest.mark.db

NAME, EMAIL, PHONE = "Zoltan Quibble", "zq@example.org", "+34 612 345 678"
DIGITS = "612345678"
TOKEN = "acme-admin-token-0123456789"
JOBS: dict[int, str] = {}


def person(
    rt: Runtime, client: FlaskClient, name: str = NAME, email: str = EMAIL, phone: str = PHONE
) -> int:
    """A web chat customer who says who they are, through the real pipeline, plus everything
    the gateway can hold about a person; returns the contact id."""
    open_chat(client)
    say(client, f"Hi, I'm {name}, my email is {email} and my phone {phone}")
    inbound = messages(rt, Direction.IN)[-1]
    process_inbound(rt, Brain(), inbound.id or 0)
    with session_scope(rt.engine) as s:
        conv = s.get(Conversation, inbound.conversation_id)
        assert conv is not None
        contact = s.get(Contact, conv.contact_id)
        assert contact is not None and contact.id is not None and conv.id is not None
        bid, cid = contact.business_id, contact.id
        contact.display_name, contact.phone = name, phone
        s.add(ContactIdentity(business_id=bid, contact_id=cid, kind="phone", address=phone))
        s.add(
            ProfileFact(business_id=bid, contact_id=cid, key="work_email", value=json.dumps(email))
        )
        when = utcnow() + timedelta(days=3)
        s.add(
            Appointment(
                business_id=bid, contact_id=cid, conversation_id=conv.id, service="cleaning",
                starts_at=when, ends_at=when + timedelta(minutes=30), details={"patient": name},
            )
        )  # fmt: skip
        s.add(
            Reservation(
                business_id=bid, contact_id=cid, party_size=2, starts_at=when,
                requests=f"table for {name}",
            )
        )  # fmt: skip
        s.add(Lead(business_id=bid, contact_id=cid, details={"email": email}, timeline=name))
        s.add(IntakeCase(business_id=bid, contact_id=cid, parties=[name], summary=f"{name} v. X"))
        s.add(Handoff(business_id=bid, conversation_id=conv.id, reason="asked", summary=name))
        s.add(StaffNote(business_id=bid, conversation_id=conv.id, author="desk@acme.example",
                        text=f"{name} prefers mornings"))  # fmt: skip
        consent.record(
            s, bid, cid, "webchat", "marketing", True, source="button", wording="news?",
            message_id=inbound.id,
        )  # fmt: skip
        sid = schedule_proactive(
            s, bid, cid, "re_engagement", utcnow() + timedelta(days=1), "marketing", name,
            {"key": "k", "note": name},
        )  # fmt: skip
        s.add(
            Message(
                business_id=bid, conversation_id=conv.id, channel_id=conv.channel_id,
                direction="out", text=f"Thanks {name}", status="pending", author="staff",
                raw={"to": phone}, annotations={"entities": {"email": email}},
            )
        )  # fmt: skip
    schedule_rows(rt, [sid])
    JOBS[cid] = str(Job.key_for(job_id(sid, _due(rt, sid))))
    assert rt.redis.exists(JOBS[cid])
    return cid


def _due(rt: Runtime, sid: int) -> Any:
    with session_scope(rt.engine) as s:
        row = s.get(ScheduledMessage, sid)
        assert row is not None
        return row.due_at


def traces(rt: Runtime, needles: tuple[str, ...] = (NAME, EMAIL)) -> list[str]:
    """Every table, every text and JSON column: where the person can still be found."""
    found = []
    lowered = [n.lower() for n in needles]
    with rt.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            cols = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if not cols:
                continue
            for row in conn.execute(sa_select(*cols)).all():
                for column, value in zip(cols, row, strict=True):
                    text = json.dumps(value) if not isinstance(value, str) else value
                    digits = re.sub(r"\D", "", text)
                    if any(n in text.lower() for n in lowered) or DIGITS in digits:
                        found.append(f"{table.name}.{column.name}: {text[:80]}")
    return found


def _by(rt: Runtime, model: Any, **where: Any) -> list[Any]:
    with session_scope(rt.engine) as s:
        stmt = select(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return list(s.exec(stmt).all())


def assert_erased(rt: Runtime, cid: int, via: str) -> None:
    assert traces(rt) == []
    (audit,) = _by(rt, DataRequest, kind="erasure")
    assert audit.contact_id == cid and audit.via.startswith(via) and audit.counts["messages"] >= 2
    assert _by(rt, ScheduledMessage, contact_id=cid) == []
    assert not rt.redis.exists(JOBS[cid])  # the RQ job went with the row
    assert (
        JOBS[cid].removeprefix("rq:job:")
        not in rt.queue("scheduled").scheduled_job_registry.get_job_ids()
    )
    (appt,) = _by(rt, Appointment, contact_id=cid)  # kept for the business, without the person
    assert appt.service == "cleaning" and appt.details == {}
    assert _by(rt, ProfileFact, contact_id=cid) == [] == _by(rt, ContactIdentity, contact_id=cid)


def test_export_is_one_json_document_with_everything(demo: Runtime, client: FlaskClient) -> None:
    cid = person(demo, client)
    response = client.get(
        f"/api/v1/contacts/{cid}/export", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["format"] == "switchboard.contact-export/1"
    assert doc["contact"]["display_name"] == NAME
    assert any(f["key"] == "work_email" and f["value"] == EMAIL for f in doc["profile_facts"])
    assert any(NAME in m["text"] for m in doc["messages"])
    assert doc["bookings"]["appointments"][0]["details"] == {"patient": NAME}
    assert doc["consents"]["current"] == [
        {"network": "webchat", "purpose": "marketing", "granted": True}
    ]
    assert doc["consents"]["history"][0]["wording"] == "news?"
    assert doc["handoffs"][0]["summary"] == NAME and doc["scheduled_messages"]
    assert doc["staff_notes"][0]["text"] == f"{NAME} prefers mornings"
    assert "password_hash" not in json.dumps(doc)
    (audit,) = _by(demo, DataRequest, kind="export")
    assert audit.via == "api" and NAME not in json.dumps(audit.counts)
    other = client.get(
        f"/api/v1/contacts/{cid}/export",
        headers={"Authorization": "Bearer other-admin-token-0123456789"},
    )
    assert other.status_code == 404  # another business's token never sees this contact
    assert client.get(f"/api/v1/contacts/{cid}/export").status_code == 401


def test_erase_by_admin_api_leaves_nothing_of_the_person_in_any_table(
    demo: Runtime, client: FlaskClient, other_client: FlaskClient
) -> None:
    cid = person(demo, client)
    keep = person(demo, other_client, "Berta Keep", "berta@example.org", "+34 699 000 111")
    assert traces(demo)  # the scan does find the person before
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert client.post(f"/api/v1/contacts/{cid}/erase", headers=auth, json={}).status_code == 400
    assert traces(demo)  # not confirmed: nothing happened
    response = client.post(
        f"/api/v1/contacts/{cid}/erase", headers=auth, json={"confirm": str(cid)}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert_erased(demo, cid, "api")
    assert traces(demo, ("Berta Keep", "berta@example.org"))  # the other customer is untouched
    assert _by(demo, ProfileFact, contact_id=keep)


def test_erase_by_cli_asks_for_confirmation(
    demo: Runtime, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = person(demo, client)
    for key, value in settings_env(demo.settings).items():
        monkeypatch.setenv(key, value)
    out = CliRunner().invoke(cli, ["contact", "export", "--business", "acme-dental", EMAIL])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["contact"]["id"] == cid  # found by the e-mail they gave
    refused = CliRunner().invoke(
        cli, ["contact", "erase", "--business", "acme-dental", str(cid)], input="n\n"
    )
    assert refused.exit_code != 0 and traces(demo)
    done = CliRunner().invoke(
        cli, ["contact", "erase", "--business", "acme-dental", str(cid)], input="y\n"
    )
    assert done.exit_code == 0, done.output
    assert_erased(demo, cid, "cli")


def test_console_buttons_export_and_erase_for_owners(
    demo: Runtime, client: FlaskClient, staff: dict[str, int], other_client: FlaskClient
) -> None:
    cid = person(demo, other_client)
    sign_in(client, *ACME)
    (conv,) = _by(demo, Conversation, contact_id=cid)
    page = client.get(f"/console/c/{conv.id}").get_data(as_text=True)
    assert f"/console/contacts/{cid}/export" in page and "granted" in page
    exported = client.get(f"/console/contacts/{cid}/export")
    assert exported.status_code == 200 and json.loads(exported.data)["contact"]["id"] == cid
    token = csrf(client, f"/console/c/{conv.id}")
    no = client.post(f"/console/contacts/{cid}/erase", data={"csrf_token": token, "confirm": ""})
    assert no.status_code == 400 and traces(demo)
    yes = client.post(
        f"/console/contacts/{cid}/erase", data={"csrf_token": token, "confirm": "ERASE"}
    )
    assert yes.status_code == 302
    assert_erased(demo, cid, "console")
    assert client.get(f"/console/contacts/{10**30}/export").status_code == 404


def test_chat_requests_export_and_confirmed_erasure(demo: Runtime, client: FlaskClient) -> None:
    cid = person(demo, client)
    before = {m.id for m in messages(demo, Direction.OUT)}
    say(client, "please send me my data")
    process_inbound(demo, Brain(), messages(demo, Direction.IN)[-1].id or 0)
    replies = [m for m in messages(demo, Direction.OUT) if m.id not in before]
    body = "".join(m.text for m in replies[1:])
    assert json.loads(body)["contact"]["display_name"] == NAME
    client.post(  # a Yes without the question first is just a message for the bot
        "/chat/acme-dental/messages",
        json={"id": "early-yes", "text": "Yes", "payload": rights_chat.ERASE_YES},
    )
    process_inbound(demo, Brain(), messages(demo, Direction.IN)[-1].id or 0)
    assert "erase-contact-" not in str(demo.queue("scheduled").scheduled_job_registry.get_job_ids())
    say(client, "delete my data")
    process_inbound(demo, Brain(), messages(demo, Direction.IN)[-1].id or 0)
    confirm = messages(demo, Direction.OUT)[-1]
    assert [b["id"] for b in confirm.buttons] == [rights_chat.ERASE_YES, rights_chat.ERASE_NO]
    assert traces(demo)
    client.post(
        "/chat/acme-dental/messages",
        json={"id": "press-yes", "text": "Yes", "payload": rights_chat.ERASE_YES},
    )
    process_inbound(demo, Brain(), messages(demo, Direction.IN)[-1].id or 0)
    goodbye = messages(demo, Direction.OUT)[-1]
    assert "deleted" in goodbye.text
    assert traces(demo, (NAME, EMAIL)) == []  # erased at once ...
    with session_scope(demo.engine) as s:  # ... except where the goodbye goes
        assert s.get(Conversation, goodbye.conversation_id).address.startswith("erased") is False
    say(client, "what do you know about me?")
    process_inbound(demo, Brain(), messages(demo, Direction.IN)[-1].id or 0)
    assert NAME.split()[0] not in messages(demo, Direction.OUT)[-1].text
    jobs = demo.queue("scheduled").scheduled_job_registry.get_job_ids()
    assert f"erase-contact-{cid}" in jobs
    erase_contact(cid)  # the job, run now instead of in 30 s: the addresses go too
    assert_erased(demo, cid, "chat")
    with session_scope(demo.engine) as s:
        assert s.get(Conversation, goodbye.conversation_id).address.startswith("erased")


def test_a_typed_yes_confirms_the_erasure_asked_in_the_chat(
    demo: Runtime, client: FlaskClient
) -> None:
    cid = person(demo, client)
    for text in ("Please forget me - delete all my data", "yes"):
        say(client, text)
        process_inbound(demo, Brain(), messages(demo, Direction.IN)[-1].id or 0)
    assert traces(demo) == []
    (audit,) = _by(demo, DataRequest, kind="erasure")
    assert audit.contact_id == cid and audit.via == "chat"


def test_retention_blanks_old_message_texts_and_raw_payloads(demo: Runtime) -> None:
    from tests.gateway.test_outreach import business_id, make_contact

    _, conv_id = make_contact(demo)
    bid = business_id(demo)
    old, new = utcnow() - timedelta(days=40), utcnow() - timedelta(days=5)
    with session_scope(demo.engine) as s:
        for when, text in ((old, "old secret"), (new, "new text")):
            s.add(
                Message(
                    business_id=bid, conversation_id=conv_id, channel_id="acme-web",
                    direction="in", text=text, raw={"x": text}, status="processed",
                    created_at=when, annotations={"intent": "greet", "entities": {"e": text}},
                )
            )  # fmt: skip
    assert apply_retention(demo) == 0  # no retention_days: kept forever
    with session_scope(demo.engine) as s:
        from gateway.store.models import Business

        b = s.get(Business, bid)
        assert b is not None
        b.settings = {**b.settings, "retention_days": 30}
    assert apply_retention(demo) == 1
    with session_scope(demo.engine) as s:
        rows = s.exec(select(Message).order_by(col(Message.id))).all()
        assert [(m.text, m.raw) for m in rows] == [("", {}), ("new text", {"x": "new text"})]
        assert rows[0].annotations == {"intent": "greet", "expired": True}
    assert apply_retention(demo) == 0  # idempotent


@pytest.fixture
def other_client(app: Any) -> FlaskClient:
    """A second browser."""
    return app.test_client()


def test_retention_runs_as_a_daily_worker_job(demo: Runtime) -> None:
    from gateway.rights.retention import retention_if_due
    from gateway.worker import tasks

    assert retention_if_due(demo) is True
    assert retention_if_due(demo) is False  # once a day: the lease holds
    (job,) = demo.queue("scheduled").get_jobs()
    assert job.func_name == tasks.APPLY_RETENTION


def test_the_consent_migration_carries_rows_over_and_back(tmp_path: Any) -> None:
    from alembic import command
    from sqlalchemy import text

    from gateway.core.db import make_engine
    from gateway.core.migrate import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO business (id, slug, name, template, timezone, country,"
                          " languages, settings, created_at) VALUES (1, 'b', 'B', 'echo', 'UTC',"
                          " 'US', '[]', '{}', '2026-01-01')"))  # fmt: skip
        conn.execute(text("INSERT INTO contact (id, business_id, segments, created_at)"
                          " VALUES (1, 1, '[]', '2026-01-01')"))  # fmt: skip
        conn.execute(text("INSERT INTO consent (business_id, contact_id, network, purpose,"
                          " granted, source, updated_at) VALUES (1, 1, 'sms', 'marketing', 1,"
                          " 'form', '2026-01-02')"))  # fmt: skip
        command.upgrade(cfg, "head")
        rows = conn.execute(text("SELECT network, purpose, granted, source FROM consentevent"))
        assert [tuple(r) for r in rows] == [("sms", "marketing", 1, "form")]
        command.downgrade(cfg, "0001")
        back = conn.execute(text("SELECT network, purpose, granted FROM consent")).all()
        assert [tuple(r) for r in back] == [("sms", "marketing", 1)]
    engine.dispose()


def test_retention_days_is_validated_in_the_configuration_file() -> None:
    from gateway.cli.config_file import parse_config
    from gateway.core.errors import ConfigError

    base = "businesses:\n  - slug: shop\n    name: Shop\n    template: dental\n"
    ok = parse_config(base + "    settings:\n      retention_days: 30\n", env={})
    assert ok.businesses[0].settings.retention_days == 30
    with pytest.raises(ConfigError, match="retention_days"):
        parse_config(base + "    settings:\n      retention_days: 0\n", env={})
