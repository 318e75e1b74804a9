"""A/B tests: sticky and balanced assignment, a fixed-horizon verdict whose false-positive rate
stays at 5% or below (simulated), and a running test of the CSAT question's wording."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.analytics import abtest, csat
from gateway.analytics.stats import chi_square, compare
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import AbExposure, AbTest, Business, Contact, Conversation, utcnow
from tests.gateway.analytics.seed import business
from tests.gateway.test_console import ACME, OTHER, csrf, sign_in

CHI2_DF2_999 = 13.816  # chi-square critical value, 2 degrees of freedom, p = 0.001


def test_assignment_is_sticky_and_balanced() -> None:
    first = [abtest.assign(7, c, 3) for c in range(30_000)]
    assert first == [abtest.assign(7, c, 3) for c in range(30_000)]  # sticky
    counts = [first.count(v) for v in range(3)]
    assert chi_square(counts) < CHI2_DF2_999  # balanced
    other = [abtest.assign(8, c, 3) for c in range(30_000)]
    agree = sum(a == b for a, b in zip(first, other, strict=True)) / len(first)
    assert abs(agree - 1 / 3) < 0.02  # another test splits the same contacts independently


def test_the_interval_and_p_value() -> None:
    found = compare(100, 1000, 130, 1000)
    assert found.rate_a == 0.1 and found.rate_b == 0.13
    assert found.low == pytest.approx(0.03 - 1.96 * math.sqrt(0.09 / 1000 + 0.1131 / 1000), 1e-3)
    assert found.significant and found.lift == pytest.approx(0.3)
    assert not compare(100, 1000, 110, 1000).significant


def _simulate(peek_daily: bool, runs: int, days: int = 14, per_day: int = 40) -> float:
    """Share of A/A tests (no true difference) that declare a difference."""
    rng = np.random.default_rng(19)
    false = 0
    for _ in range(runs):
        a = rng.binomial(1, 0.2, size=(days, per_day)).cumsum(axis=1)[:, -1].cumsum()
        b = rng.binomial(1, 0.2, size=(days, per_day)).cumsum(axis=1)[:, -1].cumsum()
        looks = range(days) if peek_daily else [days - 1]
        n = [per_day * (d + 1) for d in range(days)]
        if any(compare(int(a[d]), n[d], int(b[d]), n[d]).significant for d in looks):
            false += 1
    return false / runs


def test_false_positive_rate_stays_at_five_percent_with_a_fixed_horizon() -> None:
    runs = 3000
    rate = _simulate(peek_daily=False, runs=runs)
    margin = 2 * math.sqrt(0.05 * 0.95 / runs)  # Monte Carlo error of the estimate
    assert rate <= 0.05 + margin
    assert _simulate(peek_daily=True, runs=600) > 0.1  # why the verdict waits for the horizon


def _contact(rt: Runtime, n: int) -> tuple[int, int]:
    with session_scope(rt.engine) as s:
        b = business(s, "acme-dental")
        contact = Contact(business_id=b.id)
        s.add(contact)
        s.flush()
        conv = Conversation(business_id=b.id, contact_id=contact.id, channel_id="acme-web",
                            network="webchat", address=f"v{n}", state="closed")  # fmt: skip
        s.add(conv)
        s.flush()
        return contact.id or 0, conv.id or 0


@pytest.mark.db
def test_a_running_test_of_the_csat_question(demo: Runtime) -> None:
    variants = ["How did we do? (1-5)", "Would you rate us? 1 = poor, 5 = great"]
    with session_scope(demo.engine) as s:
        b = business(s, "acme-dental")
        test = AbTest(business_id=b.id or 0, name="csat wording", text_key=csat.ASK_KEY,
                      variants=variants, goal=csat.GOAL, min_sample=3, horizon_days=7,
                      settings={"auto_promote": True})  # fmt: skip
        s.add(test)
        s.flush()
        test_id = test.id or 0
    shown = {}
    for n in range(12):
        contact_id, conv_id = _contact(demo, n)
        with session_scope(demo.engine) as s:
            conv = s.get(Conversation, conv_id)
            biz = s.get(Business, conv.business_id) if conv else None
            assert conv is not None and biz is not None
            (msg_id,) = csat.ask(s, biz, conv, None)
        with session_scope(demo.engine) as s:
            again = abtest.text_for(s, conv.business_id, csat.ASK_KEY, contact_id)
            shown[contact_id] = again
        variant = abtest.assign(test_id, contact_id, 2)
        assert again == variants[variant]  # sticky: the same wording every time
        if variant == 1 or n % 4 == 0:
            with session_scope(demo.engine) as s:
                conv = s.get(Conversation, conv_id)
                assert conv is not None
                assert csat.handle_reply(s, conv, None, "5") is not None
    with session_scope(demo.engine) as s:
        exposures = s.exec(select(AbExposure).where(AbExposure.test_id == test_id)).all()
        assert len(exposures) == 12  # one per contact, however often shown
        test = s.get(AbTest, test_id)
        assert test is not None
        found = abtest.verdict(s, test)
        assert found.state == "collecting"  # before the horizon, never a verdict
        assert sum(a.exposed for a in found.arms) == 12
        assert found.arms[1].converted == found.arms[1].exposed
        test.started_at = utcnow() - timedelta(days=8)
        s.add(test)
    with session_scope(demo.engine) as s:
        test = s.get(AbTest, test_id)
        assert test is not None
        decided = abtest.verdict(s, test)
        assert decided.state in ("winner", "no difference")
        promoted = abtest.auto_promote(s, test.business_id)
        assert promoted == (1 if decided.winner is not None else 0)


@pytest.mark.db
def test_owners_start_and_promote_tests_in_the_console(
    demo: Runtime, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, *ACME)
    token = csrf(client, "/console/analytics/abtests")
    form = {"csrf_token": token, "name": "wording", "text_key": "csat_ask",
            "variants": "How did we do?\nRate us 1-5, please", "min_sample": "50"}  # fmt: skip
    assert client.post("/console/analytics/abtests", data=form).status_code == 302
    assert client.post("/console/analytics/abtests", data=form).status_code == 409
    bad = {**form, "name": "other", "variants": "only one"}
    assert client.post("/console/analytics/abtests", data=bad).status_code == 400
    page = client.get("/console/analytics/abtests").get_data(as_text=True)
    assert "Rate us 1-5, please" in page and "collecting" in page
    with session_scope(demo.engine) as s:
        (test,) = s.exec(select(AbTest)).all()
        assert (test.min_sample, test.horizon_days, test.goal) == (50, 14, csat.GOAL)
        other = business(s, "other-biz")
        theirs = AbTest(business_id=other.id or 0, name="theirs", text_key="csat_ask",
                        variants=["a", "b"])  # fmt: skip
        s.add(theirs)
        s.flush()
        theirs_id = theirs.id
    promote = {"csrf_token": token, "variant": "1"}
    url = f"/console/analytics/abtests/{theirs_id}/promote"
    assert client.post(url, data=promote).status_code == 404
    agent = client.application.test_client()
    sign_in(agent, *OTHER)
    agent_token = csrf(agent, "/console/analytics/abtests")
    assert agent.post(url, data={**promote, "csrf_token": agent_token}).status_code == 403
    assert (
        client.post(f"/console/analytics/abtests/{test.id}/promote", data=promote).status_code
        == 302
    )
    with session_scope(demo.engine) as s:
        assert abtest.text_for(s, test.business_id, "csat_ask", 12345) == "Rate us 1-5, please"
