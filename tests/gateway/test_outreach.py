"""Outreach in one process: reminders follow bookings, the send job applies the policy once,
the reminder buttons act on the booking, the reconciler restores jobs, the campaign dry run."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from rq.job import Job
from sqlmodel import col, select

from gateway.bot.brain import Brain
from gateway.cli.main import cli
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.processing import process_inbound
from gateway.outreach.reconcile import reconcile
from gateway.outreach.reminders import schedule_proactive, schedule_rows, sync_reminders
from gateway.outreach.scheduling import job_id
from gateway.outreach.send import run_scheduled
from gateway.store.consent import set_consent
from gateway.store.models import (
    Appointment,
    Business,
    Channel,
    Contact,
    ContactIdentity,
    Conversation,
    Direction,
    Message,
    ScheduledMessage,
    utcnow,
)
from tests.gateway.chat_helpers import open_chat
from tests.support import settings_env

pytestmark = pytest.mark.db


# --- helpers shared with test_outreach_reliability ---------------------------------------------


def business_id(rt: Runtime, slug: str = "acme-dental") -> int:
    """The id of a demo business."""
    with session_scope(rt.engine) as s:
        b = s.exec(select(Business).where(Business.slug == slug)).one()
        assert b.id is not None
        return b.id


def make_contact(
    rt: Runtime,
    name: str = "Ana",
    *,
    channel_id: str = "acme-web",
    network: str = "webchat",
    address: str | None = None,
    language: str | None = "en",
    last_inbound: datetime | None = None,
    timezone: str | None = None,
) -> tuple[int, int]:
    """A contact with one conversation on a channel; returns (contact id, conversation id)."""
    with session_scope(rt.engine) as s:
        channel = s.get(Channel, channel_id)
        assert channel is not None
        contact = Contact(
            business_id=channel.business_id, display_name=name, language=language, timezone=timezone
        )
        s.add(contact)
        s.flush()
        assert contact.id is not None
        addr = address or f"visitor-{contact.id}"
        s.add(
            ContactIdentity(
                business_id=channel.business_id, contact_id=contact.id, kind=network, address=addr
            )
        )
        conv = Conversation(
            business_id=channel.business_id,
            contact_id=contact.id,
            channel_id=channel_id,
            network=network,
            address=addr,
            language=language,
            last_inbound_at=last_inbound,
        )
        s.add(conv)
        s.flush()
        assert conv.id is not None
        return contact.id, conv.id


def book(rt: Runtime, contact_id: int, conv_id: int | None, starts_at: datetime) -> int:
    """An appointment, with its reminders synced and scheduled as the flows will do."""
    with session_scope(rt.engine) as s:
        contact = s.get(Contact, contact_id)
        assert contact is not None
        appt = Appointment(
            business_id=contact.business_id,
            contact_id=contact_id,
            conversation_id=conv_id,
            service="cleaning",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=30),
        )
        s.add(appt)
        s.flush()
        assert appt.id is not None
        ids = sync_reminders(s, "appointment", appt.id)
        appt_id = appt.id
    schedule_rows(rt, ids)
    return appt_id


def rows(rt: Runtime, **where: object) -> list[ScheduledMessage]:
    """Scheduled messages, oldest first, filtered by column equality."""
    with session_scope(rt.engine) as s:
        stmt = select(ScheduledMessage).order_by(col(ScheduledMessage.id))
        for name, value in where.items():
            stmt = stmt.where(getattr(ScheduledMessage, name) == value)
        return list(s.exec(stmt).all())


def outreach_messages(rt: Runtime) -> list[Message]:
    """Outbound messages written by outreach."""
    with session_scope(rt.engine) as s:
        return list(
            s.exec(
                select(Message).where(Message.author == "outreach").order_by(col(Message.id))
            ).all()
        )


def make_due(rt: Runtime, row_id: int, at: datetime | None = None) -> None:
    """Move a row's due time (to now by default), as if time had passed."""
    with session_scope(rt.engine) as s:
        row = s.get(ScheduledMessage, row_id)
        assert row is not None
        row.due_at = at or utcnow()


def set_outreach_settings(
    rt: Runtime, outreach: dict[str, object], slug: str = "acme-dental"
) -> None:
    """Replace a business's `settings["outreach"]`."""
    with session_scope(rt.engine) as s:
        b = s.exec(select(Business).where(Business.slug == slug)).one()
        b.settings = {**b.settings, "outreach": outreach}


NEVER_QUIET = {"quiet_hours": {"start": "00:00", "end": "00:00"}}


@pytest.fixture(autouse=True)
def _awake(request: pytest.FixtureRequest) -> None:
    """The wall clock must not decide a test: no quiet hours unless a test sets them."""
    if "demo" in request.fixturenames:
        set_outreach_settings(request.getfixturevalue("demo"), NEVER_QUIET)


# --- reminders follow the booking --------------------------------------------------------------


def test_a_booking_gets_24h_and_2h_reminders_that_move_and_cancel_with_it(demo: Runtime) -> None:
    contact_id, conv_id = make_contact(demo)
    starts = (utcnow() + timedelta(days=3)).replace(hour=12, minute=0, second=0, microsecond=0)
    appt_id = book(demo, contact_id, conv_id, starts)
    reminders = rows(demo, kind="reminder")
    assert sorted(r.payload["key"] for r in reminders) == ["reminder:2", "reminder:24"]
    dues = sorted(r.due_at for r in reminders)
    assert dues == [starts - timedelta(hours=24), starts - timedelta(hours=2)]
    assert [r.kind for r in rows(demo, kind="feedback")] == ["feedback"]
    conn = demo.redis
    assert all(conn.exists(Job.key_for(job_id(r.id or 0, r.due_at))) for r in reminders)

    moved = starts + timedelta(days=1)
    with session_scope(demo.engine) as s:
        appt = s.get(Appointment, appt_id)
        assert appt is not None
        appt.starts_at, appt.ends_at = moved, moved + timedelta(minutes=30)
        s.flush()
        changed = sync_reminders(s, "appointment", appt_id)
    assert len(changed) == 3
    schedule_rows(demo, changed)
    again = rows(demo, kind="reminder")
    assert len(again) == 2 and all(r.status == "pending" for r in again)
    assert sorted(r.due_at for r in again) == [
        moved - timedelta(hours=24),
        moved - timedelta(hours=2),
    ]

    with session_scope(demo.engine) as s:
        appt = s.get(Appointment, appt_id)
        assert appt is not None
        appt.status = "cancelled"
        s.flush()
        assert sync_reminders(s, "appointment", appt_id) == []
    assert {r.status for r in rows(demo)} == {"cancelled"}
    assert all("cancelled" in (r.status_reason or "") for r in rows(demo))
    # The old job, if it runs, finds nothing to send.
    assert run_scheduled(demo, again[0].id or 0) == "done"
    assert outreach_messages(demo) == []


def test_the_job_sends_once_with_buttons_on_the_booking_channel(demo: Runtime) -> None:
    contact_id, conv_id = make_contact(demo, language="es")
    book(demo, contact_id, conv_id, utcnow() + timedelta(hours=30))
    first = rows(demo, kind="reminder")[0]
    make_due(demo, first.id or 0)
    assert run_scheduled(demo, first.id or 0) == "sent"
    assert run_scheduled(demo, first.id or 0) == "done"
    sent = outreach_messages(demo)
    assert len(sent) == 1 and sent[0].conversation_id == conv_id
    assert "Te recordamos tu cita en Acme Dental" in sent[0].text
    assert [b["id"] for b in sent[0].buttons] == [
        f"rem:confirm:{first.id}",
        f"rem:reschedule:{first.id}",
        f"rem:cancel:{first.id}",
    ]
    row = rows(demo, id=first.id)[0]
    assert row.status == "sent" and row.sent_at is not None
    assert row.payload["message_ids"] == [sent[0].id] and row.status_reason is None


def test_a_moved_booking_that_was_not_resynced_is_resynced_by_the_job(demo: Runtime) -> None:
    contact_id, conv_id = make_contact(demo)
    appt_id = book(demo, contact_id, conv_id, utcnow() + timedelta(hours=30))
    first = rows(demo, kind="reminder")[0]
    make_due(demo, first.id or 0)
    later = utcnow() + timedelta(days=5)
    with session_scope(demo.engine) as s:
        appt = s.get(Appointment, appt_id)
        assert appt is not None
        appt.starts_at, appt.ends_at = later, later + timedelta(hours=1)
    assert run_scheduled(demo, first.id or 0) == "moved"
    assert outreach_messages(demo) == []
    moved = rows(demo, id=first.id)[0]
    assert moved.status == "pending" and moved.due_at > utcnow() + timedelta(days=3)


def test_stale_and_late_reminders_are_recorded_honestly(demo: Runtime) -> None:
    contact_id, conv_id = make_contact(demo)
    appt_id = book(demo, contact_id, conv_id, utcnow() + timedelta(hours=30))
    r24, r2 = sorted(rows(demo, kind="reminder"), key=lambda r: r.due_at)
    make_due(demo, r24.id or 0, utcnow() - timedelta(minutes=5))
    assert run_scheduled(demo, r24.id or 0) == "sent"
    late = rows(demo, id=r24.id)[0]
    assert late.status_reason is not None and late.status_reason.startswith("sent 3")
    assert late.payload["late_seconds"] >= 300
    # The appointment started an hour ago and the 2 h reminder is only found now.
    with session_scope(demo.engine) as s:
        appt = s.get(Appointment, appt_id)
        assert appt is not None
        appt.starts_at = utcnow() - timedelta(hours=1)
        row = s.get(ScheduledMessage, r2.id)
        assert row is not None
        row.payload = {**row.payload, "starts_at": appt.starts_at.isoformat()}
        row.due_at = appt.starts_at - timedelta(hours=2)
    assert run_scheduled(demo, r2.id or 0) == "skipped"
    stale = rows(demo, id=r2.id)[0]
    assert stale.status == "skipped" and (stale.status_reason or "").startswith("stale")
    assert len(outreach_messages(demo)) == 1


# --- policy at send time -----------------------------------------------------------------------


def _whatsapp_channel(rt: Runtime, templates: dict[str, object] | None = None) -> None:
    with session_scope(rt.engine) as s:
        s.add(
            Channel(
                id="acme-wa",
                business_id=business_id(rt),
                provider="whatsapp",
                settings={"templates": templates or {}},
            )
        )


def test_marketing_without_consent_is_blocked_with_the_reason(demo: Runtime) -> None:
    contact_id, _ = make_contact(demo)
    with session_scope(demo.engine) as s:
        sid = schedule_proactive(
            s,
            business_id(demo),
            contact_id,
            "recall",
            utcnow(),
            "marketing",
            "check-up",
            {"key": "recall:1"},
        )
    assert run_scheduled(demo, sid) == "blocked"
    row = rows(demo, id=sid)[0]
    assert row.status == "blocked" and "no marketing consent" in (row.status_reason or "")
    with session_scope(demo.engine) as s:
        set_consent(s, business_id(demo), contact_id, "webchat", "marketing", True, "test")
        sid2 = schedule_proactive(
            s,
            business_id(demo),
            contact_id,
            "recall",
            utcnow(),
            "marketing",
            "check-up",
            {"key": "recall:2"},
        )
    assert run_scheduled(demo, sid2) == "sent"
    assert "six months" in outreach_messages(demo)[0].text


def test_frequency_cap_spans_channels(demo: Runtime) -> None:
    contact_id, _ = make_contact(demo)
    bid = business_id(demo)
    with session_scope(demo.engine) as s:
        set_consent(s, bid, contact_id, "webchat", "marketing", True, "test")
        ids = [
            schedule_proactive(
                s,
                bid,
                contact_id,
                "re_engagement",
                utcnow(),
                "marketing",
                "hello",
                {"key": f"k{i}"},
            )
            for i in range(3)
        ]
    assert [run_scheduled(demo, i) for i in ids] == ["sent", "sent", "blocked"]
    assert "frequency cap" in (rows(demo, id=ids[2])[0].status_reason or "")


def test_whatsapp_outside_the_window_uses_the_approved_template(demo: Runtime) -> None:
    _whatsapp_channel(
        demo,
        {
            "reminders": {
                "name": "appointment_reminder",
                "language": "es",
                "variables": ["name", "when"],
            }
        },
    )
    contact_id, conv_id = make_contact(
        demo,
        channel_id="acme-wa",
        network="whatsapp",
        address="+34600111222",
        last_inbound=utcnow() - timedelta(days=3),
    )
    book(demo, contact_id, conv_id, utcnow() + timedelta(hours=30))
    first = rows(demo, kind="reminder")[0]
    make_due(demo, first.id or 0)
    assert run_scheduled(demo, first.id or 0) == "sent"
    msg = outreach_messages(demo)[0]
    assert msg.template is not None and msg.template["name"] == "appointment_reminder"
    assert msg.template["variables"][0] == "Ana"


def test_whatsapp_window_closed_without_template_falls_back_or_blocks(demo: Runtime) -> None:
    _whatsapp_channel(demo)
    contact_id, conv_id = make_contact(
        demo, channel_id="acme-wa", network="whatsapp", address="+34600111333", last_inbound=None
    )
    book(demo, contact_id, conv_id, utcnow() + timedelta(hours=30))
    first = rows(demo, kind="reminder")[0]
    make_due(demo, first.id or 0)
    assert run_scheduled(demo, first.id or 0) == "blocked"
    assert "window closed" in (rows(demo, id=first.id)[0].status_reason or "")
    # Another channel the customer uses (and did not opt out of) is taken instead.
    with session_scope(demo.engine) as s:
        s.add(
            Conversation(
                business_id=business_id(demo),
                contact_id=contact_id,
                channel_id="acme-web",
                network="webchat",
                address="v-fallback",
            )
        )
    second = rows(demo, kind="reminder")[1]
    make_due(demo, second.id or 0)
    assert run_scheduled(demo, second.id or 0) == "sent"
    assert outreach_messages(demo)[0].channel_id == "acme-web"


def _quiet_zone_now() -> str:
    """A fixed-offset zone where it is 03:00-ish right now (quiet hours)."""
    offset = (3 - utcnow().hour) % 24
    offset = offset - 24 if offset > 12 else offset
    return "UTC" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def test_quiet_hours_defer_to_the_morning_in_the_customers_timezone(demo: Runtime) -> None:
    set_outreach_settings(demo, {})  # the default 21:00-09:00
    contact_id, _ = make_contact(demo, timezone=_quiet_zone_now())
    with session_scope(demo.engine) as s:
        sid = schedule_proactive(
            s, business_id(demo), contact_id, "feedback", utcnow(), "reminders", "after visit", {}
        )
    assert run_scheduled(demo, sid) == "deferred"
    row = rows(demo, id=sid)[0]
    assert row.status == "pending" and "quiet hours" in (row.status_reason or "")
    assert timedelta(hours=4) < row.due_at - utcnow() < timedelta(hours=7)
    assert demo.redis.exists(Job.key_for(job_id(sid, row.due_at)))
    assert outreach_messages(demo) == []


# --- reminder buttons through the processing path ----------------------------------------------


def _press(client: FlaskClient, rt: Runtime, payload: str | None, text: str) -> list[Message]:
    body = {"id": f"m-{payload}-{text}", "text": text, "payload": payload}
    assert (
        client.post(
            "/chat/acme-dental/messages", data=json.dumps(body), content_type="application/json"
        ).status_code
        == 202
    )
    with session_scope(rt.engine) as s:
        last_in = s.exec(
            select(Message)
            .where(Message.direction == Direction.IN)
            .order_by(col(Message.id).desc())
        ).first()
        assert last_in is not None and last_in.id is not None
        in_id = last_in.id
    process_inbound(rt, Brain(), in_id)
    with session_scope(rt.engine) as s:
        return list(s.exec(select(Message).where(Message.reply_to_id == in_id)).all())


def _chat_booking(client: FlaskClient, rt: Runtime) -> tuple[int, int]:
    open_chat(client)
    _press(client, rt, None, "hello")
    with session_scope(rt.engine) as s:
        conv = s.exec(select(Conversation)).one()
        assert conv.id is not None
        contact_id, conv_id = conv.contact_id, conv.id
    appt_id = book(rt, contact_id, conv_id, utcnow() + timedelta(hours=30))
    first = rows(rt, kind="reminder")[0]
    make_due(rt, first.id or 0)
    assert run_scheduled(rt, first.id or 0) == "sent"
    return appt_id, first.id or 0


def _appt(rt: Runtime, appt_id: int) -> Appointment:
    with session_scope(rt.engine) as s:
        appt = s.get(Appointment, appt_id)
        assert appt is not None
        return appt


def test_confirm_button_confirms_and_thanks(client: FlaskClient, demo: Runtime) -> None:
    appt_id, sid = _chat_booking(client, demo)
    replies = _press(client, demo, f"rem:confirm:{sid}", "Confirm")
    assert len(replies) == 1 and "is confirmed" in replies[0].text
    assert _appt(demo, appt_id).status == "confirmed"


def test_cancel_by_number_on_a_channel_without_buttons(client: FlaskClient, demo: Runtime) -> None:
    appt_id, _ = _chat_booking(client, demo)
    replies = _press(client, demo, None, "3")  # what an SMS customer types for "Cancel"
    assert "is cancelled" in replies[0].text
    assert _appt(demo, appt_id).status == "cancelled"
    assert {r.status for r in rows(demo) if r.status != "sent"} == {"cancelled"}


def test_reschedule_hands_back_to_the_bot_with_the_booking(
    client: FlaskClient, demo: Runtime
) -> None:
    appt_id, sid = _chat_booking(client, demo)
    replies = _press(client, demo, f"rem:reschedule:{sid}", "Reschedule")
    assert replies and replies[0].author == "bot"
    with session_scope(demo.engine) as s:
        conv = s.exec(select(Conversation)).one()
        assert conv.flow_state["reschedule"] == {"kind": "appointment", "record_id": appt_id}
    assert _appt(demo, appt_id).status == "booked"


def test_a_button_for_someone_elses_reminder_is_ignored(client: FlaskClient, demo: Runtime) -> None:
    other, other_conv = make_contact(demo, "Bea")
    other_appt = book(demo, other, other_conv, utcnow() + timedelta(hours=30))
    sid = rows(demo, kind="reminder")[0].id
    open_chat(client)
    replies = _press(client, demo, f"rem:cancel:{sid}", "Cancel")
    assert replies and replies[0].author == "bot"
    assert _appt(demo, other_appt).status == "booked"


# --- reconciler and campaigns ------------------------------------------------------------------


def test_reconcile_recreates_jobs_redis_lost(demo: Runtime) -> None:
    contact_id, conv_id = make_contact(demo)
    book(demo, contact_id, conv_id, utcnow() + timedelta(minutes=125))
    (r2,) = rows(demo, kind="reminder")  # only the 2 h one is still ahead
    demo.redis.flushdb()
    report = reconcile(demo)
    assert report.restored == 1
    assert demo.redis.exists(Job.key_for(job_id(r2.id or 0, r2.due_at)))
    assert reconcile(demo).restored == 0


def test_campaign_dry_run_says_who_and_why_not(
    demo: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    bid = business_id(demo)
    long_ago = utcnow() - timedelta(days=120)
    names = ["Ana", "Bea", "Carl", "Dora"]
    ids = {}
    for name in names:
        contact_id, conv_id = make_contact(demo, name, last_inbound=long_ago)
        ids[name] = contact_id
        with session_scope(demo.engine) as s:
            for i in range(3):
                s.add(
                    Message(
                        business_id=bid,
                        conversation_id=conv_id,
                        channel_id="acme-web",
                        direction="in",
                        text=f"hi {i}",
                        status="processed",
                        created_at=long_ago + timedelta(days=i),
                    )
                )
    with session_scope(demo.engine) as s:
        for name in ("Ana", "Bea", "Dora"):
            set_consent(s, bid, ids[name], "webchat", "marketing", True, "form")
        for i in range(2):
            s.add(
                ScheduledMessage(
                    business_id=bid,
                    contact_id=ids["Bea"],
                    kind="re_engagement",
                    purpose="marketing",
                    due_at=utcnow(),
                    status="sent",
                    sent_at=utcnow() - timedelta(days=i + 1),
                )
            )
        dora = s.get(Contact, ids["Dora"])
        assert dora is not None
        dora.created_at = utcnow()
    # Dora wrote recently: not at risk.
    with session_scope(demo.engine) as s:
        s.add(
            Message(
                business_id=bid,
                conversation_id=ids["Dora"],
                channel_id="acme-web",
                direction="in",
                text="hola",
                status="processed",
            )
        )
    for key, value in settings_env(demo.settings).items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(
        cli,
        [
            "outreach",
            "run",
            "--business",
            "acme-dental",
            "--segment",
            "at-risk",
            "--template",
            "re_engagement",
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "1 would receive" in out
    assert f"SEND  #{ids['Ana']} Ana via acme-web" in out
    assert "Bea: frequency cap" in out
    assert "Carl: webchat (acme-web): no marketing consent" in out
    assert "Dora: not in segment at-risk" in out
    assert rows(demo, kind="campaign") == []
    with session_scope(demo.engine) as s:
        assert "at-risk" in (s.get(Contact, ids["Ana"]) or Contact()).segments
    real = CliRunner().invoke(
        cli,
        [
            "outreach",
            "run",
            "--business",
            "acme-dental",
            "--segment",
            "at-risk",
            "--template",
            "re_engagement",
        ],
    )
    assert real.exit_code == 0, real.output
    scheduled = rows(demo, kind="campaign")
    assert [r.contact_id for r in scheduled] == [ids["Ana"]]
    assert run_scheduled(demo, scheduled[0].id or 0) == "sent"
    assert "it has been a while" in outreach_messages(demo)[0].text


def test_sync_reminders_rejects_unknown_kinds(demo: Runtime) -> None:
    with session_scope(demo.engine) as s, pytest.raises(ValueError):
        sync_reminders(s, "haircut", 1)
    with session_scope(demo.engine) as s, pytest.raises(ValueError):
        schedule_proactive(s, 1, 1, "recall", datetime(2030, 1, 1), "marketing", "x")
    assert datetime(2030, 1, 1, tzinfo=UTC)
