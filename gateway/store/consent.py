"""Consent to proactive messages, per contact, network and purpose, and the WhatsApp window.

Purposes: "reminders" (about the customer's own bookings; allowed unless the customer opted out)
and "marketing" (follow-ups, re-engagement, recalls; only with a recorded grant). An opt-out
keyword (STOP, BAJA, ...) on a network revokes every purpose on that network.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from gateway.store.models import Consent, utcnow

PURPOSES = ("reminders", "marketing")
WHATSAPP_WINDOW = timedelta(hours=24)
_DEFAULT_ALLOWED = {"reminders": True, "marketing": False}


def _row(
    session: Session, business_id: int, contact_id: int, network: str, purpose: str
) -> Consent | None:
    return session.exec(
        select(Consent).where(
            Consent.business_id == business_id,
            Consent.contact_id == contact_id,
            Consent.network == network,
            Consent.purpose == purpose,
        )
    ).first()


def set_consent(
    session: Session,
    business_id: int,
    contact_id: int,
    network: str,
    purpose: str,
    granted: bool,
    source: str,
) -> None:
    """Record a grant or a revocation (the newest statement wins)."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    row = _row(session, business_id, contact_id, network, purpose)
    if row is None:
        row = Consent(
            business_id=business_id,
            contact_id=contact_id,
            network=network,
            purpose=purpose,
            granted=granted,
        )
    row.granted, row.source, row.updated_at = granted, source, utcnow()
    session.add(row)


def opt_out(session: Session, business_id: int, contact_id: int, network: str, source: str) -> None:
    """Revoke every purpose on a network (an SMS STOP, or the same word elsewhere)."""
    for purpose in PURPOSES:
        set_consent(session, business_id, contact_id, network, purpose, False, source)


def opt_in(session: Session, business_id: int, contact_id: int, network: str, source: str) -> None:
    """Undo an opt-out on a network (START); marketing stays as it was before the STOP."""
    set_consent(session, business_id, contact_id, network, "reminders", True, source)


def is_opted_out(session: Session, business_id: int, contact_id: int, network: str) -> bool:
    """Whether the contact said STOP on this network and has not said START since."""
    row = _row(session, business_id, contact_id, network, "reminders")
    return row is not None and not row.granted


def allows(session: Session, business_id: int, contact_id: int, network: str, purpose: str) -> bool:
    """Whether a proactive message of `purpose` may go to the contact on `network`."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    row = _row(session, business_id, contact_id, network, purpose)
    return _DEFAULT_ALLOWED[purpose] if row is None else row.granted


def whatsapp_window_open(last_inbound_at: datetime | None, now: datetime | None = None) -> bool:
    """Whether a free-form WhatsApp message may be sent (the customer wrote within 24 h)."""
    if last_inbound_at is None:
        return False
    return (now or utcnow()) - last_inbound_at < WHATSAPP_WINDOW
