"""Inbox filters (mine / unassigned / all, channel, priority), search and unread counts; every
result belongs to the signed-in staff member's business."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from gateway.core.runtime import Runtime
from tests.gateway.console.inbox_helpers import seed_handoff
from tests.gateway.test_console import ACME, sign_in

pytestmark = pytest.mark.db


def inbox_names(client: FlaskClient, query: str = "") -> list[str]:
    """The names in the "waiting for a person" list of the inbox page."""
    page = client.get(f"/console/?{query}")
    assert page.status_code == 200, page.get_data(as_text=True)
    html = page.get_data(as_text=True).split('id="inbox"')[1].split("</ul>")[0]
    return re.findall(r'<span class="who">([^<]+?)[ <]', html)


@pytest.fixture
def seeded(demo: Runtime, staff: dict[str, int]) -> dict[str, int]:
    """Three acme-dental handoffs (one taken by the owner) and one of other-biz."""
    return {
        "ana": seed_handoff(demo, "acme-dental", name="Ana", text="my tooth hurts", priority=3),
        "ben": seed_handoff(
            demo, "acme-dental", name="Ben", text="invoice please", assigned_to=staff["acme"]
        ),
        "cid": seed_handoff(
            demo, "acme-dental", name="Cid", text="hola", network="sms", priority=1
        ),
        "zoe": seed_handoff(demo, "other-biz", name="Zoe", text="my tooth hurts too"),
    }


def test_whose_channel_and_priority_narrow_the_list(
    client: FlaskClient, seeded: dict[str, int]
) -> None:
    sign_in(client, *ACME)
    assert inbox_names(client) == ["Ana", "Ben", "Cid"]
    assert inbox_names(client, "whose=mine") == ["Ben"]
    assert inbox_names(client, "whose=unassigned") == ["Ana", "Cid"]
    assert inbox_names(client, "channel=sms") == ["Cid"]
    assert inbox_names(client, "priority=3") == ["Ana"]
    assert inbox_names(client, "whose=unassigned&priority=2") == []
    page = client.get("/console/?channel=sms").get_data(as_text=True)
    assert '<option value="sms" selected>' in page


def test_search_matches_names_and_message_text_of_this_business_only(
    client: FlaskClient, seeded: dict[str, int]
) -> None:
    sign_in(client, *ACME)
    assert inbox_names(client, "q=tooth") == ["Ana"]
    assert inbox_names(client, "q=BEN") == ["Ben"]
    assert inbox_names(client, "q=zoe") == []
    assert inbox_names(client, "q=%25") == []  # a wildcard is text, not "everything"
    page = client.get("/console/?q=tooth").get_data(as_text=True)
    recent = page.split("Recent conversations")[1]
    assert "Ana" in recent and "Ben" not in recent and "Zoe" not in page


def test_another_business_never_appears_in_any_filter(
    client: FlaskClient, seeded: dict[str, int]
) -> None:
    sign_in(client, *ACME)
    for query in ("", "whose=unassigned", "q=my", "priority=2", "channel=web", "q=Zoe"):
        page = client.get(f"/console/?{query}").get_data(as_text=True)
        start, end = page.index('<section class="card">'), page.index("<script")
        lists = page[start:end]  # not the search box's own value
        assert "Zoe" not in lists and "tooth hurts too" not in lists, query


def test_unread_counts_customer_messages_since_staff_wrote(
    client: FlaskClient, seeded: dict[str, int]
) -> None:
    sign_in(client, *ACME)
    page = client.get("/console/?q=Ana").get_data(as_text=True)
    assert '<span class="unread" title="unread messages">1</span>' in page


@pytest.mark.parametrize(
    "query",
    ["whose=everyone", "priority=9", "priority=x", "channel=A%20B", "q=" + "x" * 101],
)
def test_bad_filters_are_a_400(client: FlaskClient, staff: dict[str, int], query: str) -> None:
    sign_in(client, *ACME)
    assert client.get(f"/console/?{query}").status_code == 400
    assert client.get(f"/console/events?{query}").status_code == 400
