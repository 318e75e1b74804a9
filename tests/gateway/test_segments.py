"""Segments read from the database: every kind of booking, leads and handoffs are counted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.outreach.segments import activity, refresh_segments
from gateway.store.models import (
    Appointment,
    Contact,
    Handoff,
    Lead,
    Listing,
    Reservation,
    Viewing,
    utcnow,
)
from tests.gateway.test_outreach import make_contact

pytestmark = pytest.mark.db


def test_activity_counts_bookings_of_every_kind_leads_and_handoffs(demo: Runtime) -> None:
    contact_id, conv_id = make_contact(demo, "Vera")
    now = utcnow()
    with session_scope(demo.engine) as s:
        contact = s.get(Contact, contact_id)
        assert contact is not None
        biz = contact.business_id
        listing = Listing(business_id=biz, ref="SEG-1", title="Flat", price=1000.0)
        s.add(listing)
        s.flush()
        assert listing.id is not None
        past, later = now - timedelta(days=3), now + timedelta(days=3)
        s.add_all(
            [
                Appointment(business_id=biz, contact_id=contact_id, service="crown",
                            starts_at=past, ends_at=past, status="completed",
                            details={"value": 900}),
                Appointment(business_id=biz, contact_id=contact_id, service="check-up",
                            starts_at=later, ends_at=later, status="cancelled",
                            details={"value": 50}),
                Reservation(business_id=biz, contact_id=contact_id, party_size=2,
                            starts_at=past, details={"value": "120.5"}),
                Viewing(business_id=biz, contact_id=contact_id, listing_id=listing.id,
                        starts_at=later),
                Lead(business_id=biz, contact_id=contact_id, status="open"),
                Lead(business_id=biz, contact_id=contact_id, status="closed"),
                Handoff(business_id=biz, conversation_id=conv_id, reason="asked_for_person"),
            ]
        )  # fmt: skip
    with session_scope(demo.engine) as s:
        contact = s.get(Contact, contact_id)
        assert contact is not None
        seen = activity(s, contact, now)
        segments = refresh_segments(s, contact_id, now)
    assert seen.visits == 2  # the completed crown and the past reservation
    assert seen.upcoming == 1  # the viewing; the cancelled check-up is not one
    assert seen.value == pytest.approx(1020.5)  # cancelled bookings are worth nothing
    assert seen.listing_interest == 1  # the open lead only
    assert seen.handoffs == 1
    assert "returning" in segments
    with session_scope(demo.engine) as s:
        stored = s.get(Contact, contact_id)
        assert stored is not None and stored.segments == segments
