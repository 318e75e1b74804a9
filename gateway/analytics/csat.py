"""Customer satisfaction: one 1-5 question after a resolved conversation, and its answer.

Asked at most once per conversation (a unique row per conversation) and not again to the same
contact within `csat.min_days` days (business settings, default 30); never after STOP or when
the business turned it off (`csat.enabled: false`). The options are native buttons where the
channel has them (`Provider.parts` renders them) and numbered on SMS; the answer is a button
payload `csat:<rating id>:<score>`, or a bare 1-5 while a question is open (the customer's next
message after a resolve opens a new conversation, so the question is found by contact).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from channels.base import Button
from gateway.analytics import abtest
from gateway.core.texts import load_texts
from gateway.messaging.outbound import Draft, store_replies
from gateway.store import consent
from gateway.store.models import Business, Contact, Conversation, CsatRating, StaffUser, utcnow

TEXTS = Path(__file__).with_name("texts.yaml")
PREFIX = "csat:"
ASK_KEY = "csat_ask"
GOAL = "csat_answered"
"""The A/B goal: the question was answered (tests of the question's wording, `abtest`)."""
SCORES = range(1, 6)
MIN_DAYS = 30
OPEN_FOR = timedelta(days=2)
_BARE = re.compile(r"^\s*#?([1-5])\s*[.)!]?\s*$")


def _conf(business: Business) -> tuple[bool, float]:
    raw: Any = (business.settings or {}).get("csat")
    conf = raw if isinstance(raw, dict) else {}
    days = conf.get("min_days", MIN_DAYS)
    days = days if isinstance(days, int | float) and not isinstance(days, bool) else MIN_DAYS
    return conf.get("enabled", True) is not False, float(days)


def _say(conv: Conversation, contact: Contact, key: str) -> str:
    language = conv.language or contact.language or "en"
    return load_texts(TEXTS).get(key, language, str(conv.flow_state.get("tone", "casual")))


def may_ask(session: Session, business: Business, conv: Conversation) -> bool:
    """Whether this conversation may get the question (enabled, consent, frequency, once)."""
    enabled, days = _conf(business)
    if not enabled or conv.id is None:
        return False
    if consent.is_opted_out(session, conv.business_id, conv.contact_id, conv.network):
        return False
    recent = session.exec(
        select(CsatRating.id).where(
            CsatRating.business_id == conv.business_id,
            (CsatRating.contact_id == conv.contact_id) | (CsatRating.conversation_id == conv.id),
            (col(CsatRating.asked_at) >= utcnow() - timedelta(days=days))
            | (CsatRating.conversation_id == conv.id),
        )
    ).first()
    return recent is None


def ask(
    session: Session, business: Business, conv: Conversation, staff: StaffUser | None
) -> list[int]:
    """Store the question (rating row and outbound message) if allowed; the message ids."""
    if not may_ask(session, business, conv):
        return []
    contact = session.get(Contact, conv.contact_id)
    assert contact is not None
    rating = CsatRating(
        business_id=conv.business_id, contact_id=conv.contact_id, conversation_id=conv.id or 0,
        channel_id=conv.channel_id, staff_id=staff.id if staff else None,
        template=business.template[:64],
    )  # fmt: skip
    session.add(rating)
    session.flush()
    buttons = tuple(Button(id=f"{PREFIX}{rating.id}:{n}", title=str(n)) for n in SCORES)
    wording = abtest.text_for(session, conv.business_id, ASK_KEY, conv.contact_id)
    draft = Draft(
        text=wording or _say(conv, contact, ASK_KEY),
        buttons=buttons,
        proactive=True,
        annotations={"csat": rating.id},
    )
    return store_replies(session, conv, [draft], author="bot")


def _parse(payload: str | None) -> tuple[int, int] | None:
    if not payload or not payload.startswith(PREFIX):
        return None
    parts = payload[len(PREFIX) :].split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or int(parts[1]) not in SCORES:
        return None
    return int(parts[0]), int(parts[1])


def _open_rating(session: Session, conv: Conversation) -> CsatRating | None:
    return session.exec(
        select(CsatRating)
        .where(
            CsatRating.business_id == conv.business_id,
            CsatRating.contact_id == conv.contact_id,
            col(CsatRating.score).is_(None),
            col(CsatRating.asked_at) >= utcnow() - OPEN_FOR,
        )
        .order_by(col(CsatRating.id).desc())
    ).first()


def handle_reply(
    session: Session, conv: Conversation, payload: str | None, text: str
) -> list[Draft] | None:
    """Record a rating from a button or a bare 1-5; the thanks to send, or None (not a rating)."""
    parsed = _parse(payload)
    if parsed is not None:
        rating = session.get(CsatRating, parsed[0])
        score = parsed[1]
        if rating is None or rating.business_id != conv.business_id:
            return None
        if rating.contact_id != conv.contact_id:
            return None
    else:
        bare = _BARE.match(text or "")
        rating = _open_rating(session, conv) if bare else None
        if rating is None or bare is None:
            return None
        score = int(bare.group(1))
    rating.score, rating.answered_at = score, utcnow()
    session.add(rating)
    abtest.convert(session, conv.business_id, conv.contact_id, GOAL)
    contact = session.get(Contact, conv.contact_id)
    assert contact is not None
    return [Draft(text=_say(conv, contact, "csat_thanks"))]
