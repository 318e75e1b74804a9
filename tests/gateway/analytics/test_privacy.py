"""A contact's ratings, unanswered questions and A/B exposures: exported, erased, expired."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.rights import service
from gateway.rights.retention import apply_retention
from gateway.store.models import (
    AbExposure,
    AbTest,
    Contact,
    Conversation,
    CsatRating,
    DeclinedQuestion,
    utcnow,
)
from tests.gateway.analytics.seed import business

pytestmark = pytest.mark.db

SECRET = "does Dr Nadia Roque treat my ex-husband Ramon?"


def _person(rt: Runtime, slug: str = "acme-dental", address: str = "v1") -> int:
    with session_scope(rt.engine) as s:
        b = business(s, slug)
        contact = Contact(business_id=b.id, display_name="Zoe")
        s.add(contact)
        s.flush()
        channel = "acme-web" if slug == "acme-dental" else "other-web"
        conv = Conversation(business_id=b.id, contact_id=contact.id, channel_id=channel,
                            network="webchat", address=address)  # fmt: skip
        test = AbTest(business_id=b.id or 0, name=f"t{address}", text_key="k", variants=["a"])
        s.add_all([conv, test])
        s.flush()
        s.add_all([
            CsatRating(business_id=b.id or 0, contact_id=contact.id or 0,
                       conversation_id=conv.id or 0, channel_id=channel, score=2,
                       comment=SECRET),
            DeclinedQuestion(business_id=b.id or 0, contact_id=contact.id or 0,
                             conversation_id=conv.id, text=SECRET),
            AbExposure(business_id=b.id or 0, test_id=test.id or 0,
                       contact_id=contact.id or 0, variant=0),
        ])  # fmt: skip
        return contact.id or 0


def _left(rt: Runtime, contact_id: int) -> list[object]:
    with session_scope(rt.engine) as s:
        return [
            *s.exec(select(CsatRating).where(CsatRating.contact_id == contact_id)).all(),
            *s.exec(select(DeclinedQuestion).where(DeclinedQuestion.contact_id == contact_id)),
            *s.exec(select(AbExposure).where(AbExposure.contact_id == contact_id)).all(),
        ]


def test_exported_then_erased_with_the_person(demo: Runtime) -> None:
    cid = _person(demo)
    keep = _person(demo, "other-biz", "v2")
    doc = service.export(demo, "acme-dental", str(cid), via="test")
    assert doc["csat_ratings"][0]["comment"] == SECRET
    assert doc["unanswered_questions"][0]["text"] == SECRET
    assert doc["experiments"][0]["variant"] == 0
    counts = service.erase(demo, "acme-dental", str(cid), via="test")
    assert counts["csatrating"] == counts["declinedquestion"] == counts["abexposure"] == 1
    assert _left(demo, cid) == []
    assert len(_left(demo, keep)) == 3  # another business's person is untouched


def test_retention_drops_old_questions_and_blanks_old_comments(demo: Runtime) -> None:
    cid = _person(demo)
    with session_scope(demo.engine) as s:
        b = business(s, "acme-dental")
        b.settings = {**b.settings, "retention_days": 30}
        s.add(b)
    apply_retention(demo, utcnow() + timedelta(days=31))
    with session_scope(demo.engine) as s:
        assert s.exec(select(DeclinedQuestion)).all() == []
        (rating,) = s.exec(select(CsatRating).where(CsatRating.contact_id == cid)).all()
        assert rating.comment == "" and rating.score == 2
