"""The outreach policy as plain data: quiet hours, cap, routes, the decision, segments."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flows.outreach import (
    Activity,
    Policy,
    Route,
    SegmentRules,
    Situation,
    TemplateChoice,
    choose_route,
    compute_segments,
    decide,
    is_quiet,
    next_allowed,
    policy_from_settings,
    reminder_due,
    reminder_offsets,
    within_cap,
    zone,
)

MADRID = zone("Europe/Madrid")
P = Policy()
WEB = Route(channel_id="web", network="webchat", consent=True)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_quiet_hours_wrap_midnight() -> None:
    assert is_quiet(time(21, 0), P) and is_quiet(time(23, 59), P) and is_quiet(time(8, 59), P)
    assert not is_quiet(time(9, 0), P) and not is_quiet(time(20, 59), P)
    same_day = Policy(quiet_start=time(1, 0), quiet_end=time(6, 0))
    assert is_quiet(time(3, 0), same_day) and not is_quiet(time(7, 0), same_day)


def test_next_allowed_is_the_morning_in_the_customers_timezone() -> None:
    late = utc("2025-03-12T22:30:00+01:00")
    assert next_allowed(late, MADRID, P) == utc("2025-03-13T09:00:00+01:00")
    early = utc("2025-03-13T07:00:00+01:00")
    assert next_allowed(early, MADRID, P) == utc("2025-03-13T09:00:00+01:00")
    noon = utc("2025-03-13T12:00:00+01:00")
    assert next_allowed(noon, MADRID, P) == noon
    # The same instant is quiet in Madrid and fine in New York.
    assert next_allowed(late, zone("America/New_York"), P) == late


def test_reminder_due_waits_for_morning_or_goes_the_evening_before() -> None:
    now = utc("2025-03-01T12:00:00+01:00")
    # 24 h before an 08:00 appointment is 08:00: quiet, so it waits until 09:00.
    starts = utc("2025-03-12T08:00:00+01:00")
    assert reminder_due(starts, 24, MADRID, P, now) == utc("2025-03-11T09:00:00+01:00")
    # 2 h before a 09:30 appointment waits until 09:00, still 30 min ahead of it.
    starts = utc("2025-03-12T09:30:00+01:00")
    assert reminder_due(starts, 2, MADRID, P, now) == utc("2025-03-12T09:00:00+01:00")
    # 2 h before a 09:15 appointment: 09:00 leaves too little, so the evening before.
    starts = utc("2025-03-12T09:15:00+01:00")
    assert reminder_due(starts, 2, MADRID, P, now) == utc("2025-03-11T20:59:00+01:00")
    # Too late to remind: the due time is already past.
    assert reminder_due(starts, 2, MADRID, P, utc("2025-03-12T09:00:00+01:00")) is None


def test_frequency_cap_counts_the_last_seven_days() -> None:
    now = utc("2025-03-12T12:00:00+00:00")
    assert within_cap([now - timedelta(days=1)], now, P)
    assert not within_cap([now - timedelta(days=1), now - timedelta(days=6)], now, P)
    assert within_cap([now - timedelta(days=8), now - timedelta(days=9)], now, P)


def test_settings_override_the_defaults_and_bad_values_fall_back() -> None:
    policy = policy_from_settings(
        {
            "outreach": {
                "quiet_hours": {"start": "23:00", "end": "08:30"},
                "frequency_cap": {"max_messages": 1, "days": "x"},
            }
        }
    )
    assert policy.quiet_start == time(23, 0) and policy.quiet_end == time(8, 30)
    assert policy.cap_messages == 1 and policy.cap_days == 7
    assert reminder_offsets({}) == (24.0, 2.0)
    assert reminder_offsets({"reminders": {"offsets_hours": [1, 48, "bad"]}}) == (48.0, 1.0)
    assert reminder_offsets({"reminders": {"enabled": False}}) == ()


def test_routes_skip_no_consent_and_closed_whatsapp_without_template() -> None:
    wa_closed = Route("wa", "whatsapp", consent=True, window_open=False)
    sms_no = Route("sms", "sms", consent=False)
    decision = choose_route([wa_closed, sms_no, WEB], "reminders")
    assert decision.route == WEB
    blocked = choose_route([wa_closed, sms_no], "marketing")
    assert blocked.route is None
    assert "24-hour window closed" in blocked.reason and "no marketing consent" in blocked.reason
    templated = Route(
        "wa",
        "whatsapp",
        consent=True,
        window_open=False,
        template=TemplateChoice("appointment_reminder", "es"),
    )
    chosen = choose_route([templated, WEB], "reminders")
    assert chosen.route == templated and chosen.template == TemplateChoice(
        "appointment_reminder", "es"
    )


def _situation(**kw: object) -> Situation:
    base: dict[str, object] = {
        "kind": "reminder",
        "purpose": "reminders",
        "due_at": utc("2025-03-12T10:00:00+01:00"),
        "now": utc("2025-03-12T10:00:00+01:00"),
        "timezone": MADRID,
        "record_active": True,
        "starts_at": utc("2025-03-12T12:00:00+01:00"),
        "routes": (WEB,),
    }
    base.update(kw)
    return Situation(**base)  # type: ignore[arg-type]


def test_decide_sends_on_time_and_records_lateness() -> None:
    assert decide(_situation(), P).action == "send"
    late = decide(_situation(now=utc("2025-03-12T10:05:00+01:00")), P)
    assert late.action == "send" and late.reason == "sent 300 s late"
    assert late.late_seconds == 300


def test_decide_cancel_stale_defer_block() -> None:
    assert decide(_situation(record_active=False), P).action == "cancel"
    stale = decide(_situation(now=utc("2025-03-12T12:10:00+01:00")), P)
    assert stale.action == "skip" and stale.reason.startswith("stale")
    night = decide(
        _situation(
            kind="recall",
            purpose="marketing",
            starts_at=None,
            record_active=None,
            due_at=utc("2025-03-12T22:00:00+01:00"),
            now=utc("2025-03-12T22:00:00+01:00"),
        ),
        P,
    )
    assert night.action == "defer" and night.at == utc("2025-03-13T09:00:00+01:00")
    assert "quiet hours" in night.reason
    now = utc("2025-03-12T10:00:00+01:00")
    capped = decide(
        _situation(
            kind="recall",
            purpose="marketing",
            starts_at=None,
            record_active=None,
            marketing_sent=(now - timedelta(days=1), now - timedelta(days=2)),
        ),
        P,
    )
    assert capped.action == "block" and "frequency cap" in capped.reason
    nobody = decide(_situation(routes=(Route("sms", "sms", consent=False),)), P)
    assert nobody.action == "block" and "no reminders consent" in nobody.reason
    old = decide(
        _situation(
            kind="follow_up",
            purpose="marketing",
            starts_at=None,
            record_active=None,
            due_at=now - timedelta(days=4),
        ),
        P,
    )
    assert old.action == "skip" and "stale" in old.reason


def test_a_night_reminder_whose_morning_is_after_the_booking_is_skipped() -> None:
    d = decide(
        _situation(
            due_at=utc("2025-03-12T22:00:00+01:00"),
            now=utc("2025-03-12T22:00:00+01:00"),
            starts_at=utc("2025-03-12T23:30:00+01:00"),
        ),
        P,
    )
    assert d.action == "skip" and "quiet hours" in d.reason


NOW = utc("2025-06-01T12:00:00+00:00")
R = SegmentRules()


def test_segments_from_activity() -> None:
    newbie = Activity(
        first_seen=NOW - timedelta(days=1), last_inbound=NOW, inbound_count=2, active_days=1
    )
    assert compute_segments(newbie, NOW, R) == ["new"]
    seeker = Activity(
        first_seen=NOW - timedelta(days=40),
        last_inbound=NOW,
        inbound_count=4,
        active_days=1,
        info_questions=3,
    )
    assert compute_segments(seeker, NOW, R) == ["information-seeker"]
    stalled = Activity(
        first_seen=NOW - timedelta(days=2),
        last_inbound=NOW,
        inbound_count=2,
        active_days=1,
        unfinished_booking=True,
    )
    assert compute_segments(stalled, NOW, R) == ["new", "high-intent"]
    quiet = Activity(
        first_seen=NOW - timedelta(days=400),
        last_inbound=NOW - timedelta(days=90),
        last_visit=NOW - timedelta(days=100),
        inbound_count=10,
        active_days=5,
        visits=6,
        complaints=1,
        handoffs=1,
    )
    assert compute_segments(quiet, NOW, R) == ["returning", "at-risk", "support-heavy", "VIP"]
    booked = Activity(
        first_seen=NOW - timedelta(days=400),
        last_inbound=NOW - timedelta(days=90),
        inbound_count=10,
        active_days=5,
        visits=1,
        upcoming=1,
    )
    assert "at-risk" not in compute_segments(booked, NOW, R)
