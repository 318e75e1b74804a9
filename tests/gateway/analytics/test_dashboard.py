"""The dashboard: numbers from the roll-ups, filters, accessible charts, CSV, isolation."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import func, select

from gateway.analytics.rollup import roll_up
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import AbTest, Channel, Conversation, Handoff, Message, utcnow
from tests.gateway.analytics.seed import business, seed
from tests.gateway.test_console import ACME, OTHER, sign_in

pytestmark = pytest.mark.db

SECRET_REASON = "other-biz-private-reason"
FROM = (utcnow() - timedelta(days=90)).date().isoformat()


@pytest.fixture
def activity(demo: Runtime) -> dict[str, int]:
    """Random activity in both businesses, rolled up; the conversation count of each."""
    with session_scope(demo.engine) as s:
        acme = business(s, "acme-dental")
        s.add(Channel(id="acme-sms", business_id=acme.id, provider="twilio"))
        s.flush()
        seed(s, random.Random(7), 120, 20)
        other = business(s, "other-biz")
        conv = s.exec(select(Conversation).where(Conversation.business_id == other.id)).first()
        assert conv is not None
        s.add(Handoff(business_id=other.id, conversation_id=conv.id, reason=SECRET_REASON))
        s.add(AbTest(business_id=other.id or 0, name=SECRET_REASON, text_key="csat_ask",
                     variants=["a", "b"]))  # fmt: skip
        s.add(AbTest(business_id=acme.id or 0, name="acme wording", text_key="csat_ask",
                     variants=["a", "b"]))  # fmt: skip
    counts = {}
    with session_scope(demo.engine) as s:
        for slug in ("acme-dental", "other-biz"):
            b = business(s, slug)
            roll_up(demo, b.id or 0)
            where = Conversation.business_id == b.id
            counts[slug] = s.exec(select(func.count()).select_from(Conversation).where(where)).one()
    return counts


def _csv(client: FlaskClient, name: str, query: str = "") -> list[list[str]]:
    response = client.get(f"/console/analytics/{name}.csv{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_dashboard_needs_a_staff_session(client: FlaskClient) -> None:
    response = client.get("/console/analytics/")
    assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    assert client.get("/console/analytics/daily.csv").status_code == 302


def test_dashboard_shows_this_business_only(
    client: FlaskClient, staff: dict[str, int], activity: dict[str, int], demo: Runtime
) -> None:
    sign_in(client, *ACME)
    page = client.get(f"/console/analytics/?from={FROM}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert '<title id="chart-messages-t">Messages by day</title>' in html
    assert 'aria-labelledby="chart-messages-t chart-messages-d"' in html
    assert "<table>" in html and 'scope="col"' in html
    daily = _csv(client, "daily", f"?from={FROM}")
    assert daily[0] == ["day", "conversations", "customers", "messages_in", "messages_out"]
    assert sum(int(r[1]) for r in daily[1:]) == activity["acme-dental"]
    with session_scope(demo.engine) as s:
        acme = business(s, "acme-dental")
        messages = s.exec(
            select(func.count()).select_from(Message).where(Message.business_id == acme.id)
        ).one()
    assert sum(int(r[3]) + int(r[4]) for r in daily[1:]) == messages
    assert ["acme wording", "1", "b", "0", "0", "–", "–", "+0.0 to +0.0 pts", "collecting"] in _csv(
        client, "abtests"
    )
    for name in ("daily", "channels", "handoffs", "records", "opt_outs", "intents", "csat",
                 "abtests"):  # fmt: skip
        body = client.get(f"/console/analytics/{name}.csv?from={FROM}").get_data(as_text=True)
        assert SECRET_REASON not in body and "other-web" not in body
    assert SECRET_REASON not in html and "other-web" not in html
    assert client.get("/console/analytics/?channel=other-web").status_code == 400
    assert client.get("/console/analytics/nothing.csv").status_code == 404

    other = client.application.test_client()
    sign_in(other, *OTHER)
    theirs = _csv(other, "handoffs", f"?from={FROM}")
    assert [SECRET_REASON, "1"] in theirs
    their_daily = _csv(other, "daily", f"?from={FROM}")
    assert sum(int(r[1]) for r in their_daily[1:]) == activity["other-biz"]


def test_channel_filter_and_range(
    client: FlaskClient, staff: dict[str, int], activity: dict[str, int]
) -> None:
    sign_in(client, *ACME)
    channels = _csv(client, "channels", f"?from={FROM}")
    per = {r[0]: int(r[1]) for r in channels[1:]}
    assert set(per) == {"acme-web", "acme-sms"}
    assert sum(per.values()) == activity["acme-dental"]
    sms = _csv(client, "daily", f"?from={FROM}&channel=acme-sms")
    assert sum(int(r[1]) for r in sms[1:]) == per["acme-sms"]
    one_day = _csv(client, "daily", "?from=2026-01-05&to=2026-01-05")
    assert [r[0] for r in one_day[1:]] == ["2026-01-05"]
    assert client.get("/console/analytics/?from=2026-02-01&to=2026-01-01").status_code == 400
    assert client.get("/console/analytics/?from=yesterday").status_code == 400
