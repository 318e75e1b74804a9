"""The inbox speaks to people: names instead of ids, states and reasons in words, the summary
as sentences."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from gateway.console import wording
from gateway.core.runtime import Runtime
from tests.gateway.console.inbox_helpers import seed_handoff
from tests.gateway.test_console import ACME, sign_in

SUMMARY = "\n".join(
    [
        "Why: customer_asked",
        "Who: name unknown, via web | knows: party_size=2",
        'Wants: book table; mentioned party_size "una persona", date "mañana"',
        "Mood: frustrated, urgent (frustration 0.80, urgency 0.70, sentiment -0.50)",
        "Bot already did: nothing booked or recorded",
        "Last messages:",
        "  Customer: quiero una mesa",
    ]
)


def test_states_and_reasons_are_words() -> None:
    assert wording.state_text("waiting_for_staff") == "Waiting for a person"
    assert wording.state_text("with_staff") == "With a person"
    assert wording.reason_text("customer_asked") == "Asked for a person"
    assert wording.reason_text("customer asked") == "Asked for a person"
    assert wording.reason_text("large group of 12") == "Large group of 12"
    assert wording.reason_text("some_new_code") == "Some new code"


def test_the_summary_reads_as_sentences() -> None:
    sentences, last = wording.summary_sentences(SUMMARY)
    text = " ".join(sentences)
    assert "Handed over because: asked for a person." in text
    assert "They mentioned party size “una persona” and date “mañana”." in text
    assert "They want to talk about book table." in text
    assert "They seem frustrated and urgent." in text
    assert "We know party size: 2." in text
    assert "The assistant has not booked or recorded anything yet." in text
    assert "party_size" not in text and "Why:" not in text and "0.80" not in text
    assert last == ["Customer: quiero una mesa"]


def test_phones_are_masked() -> None:
    assert wording.mask_phone("+34600123456") == "+34 ••• 3456"
    assert wording.mask_phone("12345") == "12345"


@pytest.mark.db
def test_the_inbox_shows_names_phones_or_visitor_numbers_never_ids(
    client: FlaskClient, demo: Runtime, staff: dict[str, int]
) -> None:
    seed_handoff(demo, "acme-dental", name="Ana López", text="first")
    seed_handoff(demo, "acme-dental", phone="+34600123456", text="second")
    anon = seed_handoff(demo, "acme-dental", text="third")
    sign_in(client, *ACME)
    page = client.get("/console/").get_data(as_text=True)
    assert "Ana López" in page and "+34 ••• 3456" in page
    assert "Visitor 3" in page
    assert "kSqrMzrD6DECG9znlaHZKg" not in page
    assert "Asked for a person" in page and "customer_asked" not in page
    again = client.get("/console/").get_data(as_text=True)
    assert "Visitor 3" in again  # stable between requests
    conv_page = client.get(f"/console/c/{anon}").get_data(as_text=True)
    assert "Visitor 3" in conv_page and "Waiting for a person" in conv_page
    assert "waiting_for_staff" not in conv_page


@pytest.mark.db
def test_the_conversation_page_shows_the_summary_as_sentences(
    client: FlaskClient, demo: Runtime, staff: dict[str, int]
) -> None:
    conv = seed_handoff(demo, "acme-dental", name="Ana", summary=SUMMARY)
    sign_in(client, *ACME)
    page = client.get(f"/console/c/{conv}").get_data(as_text=True)
    assert "They mentioned party size “una persona” and date “mañana”." in page
    assert "mentioned party_size" not in page
