"""Consent to proactive messages: an append-only ledger, and the WhatsApp window.

Every grant and withdrawal is one `ConsentEvent` (who, when, network, purpose, the exact words
the customer agreed to, the message that said so); nothing is overwritten. The current state of
a purpose on a network is the newest event, or the default when there is none.

Purposes: "reminders" (about the customer's own bookings; allowed unless the customer opted out)
and "marketing" (follow-ups, re-engagement, recalls; only with a recorded grant). An opt-out
keyword (STOP, BAJA, ...) on a network withdraws every purpose on that network.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from gateway.store.models import ConsentEvent, utcnow

PURPOSES = ("reminders", "marketing")
WHATSAPP_WINDOW = timedelta(hours=24)
_DEFAULT_ALLOWED = {"reminders": True, "marketing": False}


def record(
    session: Session,
    business_id: int,
    contact_id: int,
    network: str,
    purpose: str,
    granted: bool,
    *,
    source: str,
    wording: str = "",
    message_id: int | None = None,
    actor: str = "customer",
) -> ConsentEvent:
    """Append one statement (a grant or a withdrawal) to the ledger."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    row = ConsentEvent(
        business_id=business_id,
        contact_id=contact_id,
        network=network,
        purpose=purpose,
        granted=granted,
        source=source[:64],
        wording=wording,
        source_message_id=message_id,
        actor=actor[:64],
    )
    session.add(row)
    session.flush()
    return row


def set_consent(
    session: Session,
    business_id: int,
    contact_id: int,
    network: str,
    purpose: str,
    granted: bool,
    source: str,
) -> None:
    """Record a grant or a withdrawal without wording (imports, staff, tests)."""
    record(session, business_id, contact_id, network, purpose, granted, source=source)


def latest(
    session: Session, business_id: int, contact_id: int, network: str, purpose: str
) -> ConsentEvent | None:
    """The newest statement about a purpose on a network, if any."""
    return session.exec(
        select(ConsentEvent)
        .where(
            ConsentEvent.business_id == business_id,
            ConsentEvent.contact_id == contact_id,
            ConsentEvent.network == network,
            ConsentEvent.purpose == purpose,
        )
        .order_by(col(ConsentEvent.id).desc())
        .limit(1)
    ).first()


def history(session: Session, business_id: int, contact_id: int) -> list[ConsentEvent]:
    """Every statement of a contact, oldest first."""
    return list(
        session.exec(
            select(ConsentEvent)
            .where(ConsentEvent.business_id == business_id, ConsentEvent.contact_id == contact_id)
            .order_by(col(ConsentEvent.id))
        ).all()
    )


def current(session: Session, business_id: int, contact_id: int) -> dict[tuple[str, str], bool]:
    """The state derived from the history: (network, purpose) -> granted, for stated pairs."""
    state: dict[tuple[str, str], bool] = {}
    for event in history(session, business_id, contact_id):
        state[(event.network, event.purpose)] = event.granted
    return state


def opt_out(
    session: Session,
    business_id: int,
    contact_id: int,
    network: str,
    source: str,
    *,
    wording: str = "",
    message_id: int | None = None,
) -> None:
    """Withdraw every purpose on a network (an SMS STOP, or the same word elsewhere)."""
    for purpose in PURPOSES:
        record(
            session, business_id, contact_id, network, purpose, False,
            source=source, wording=wording, message_id=message_id,
        )  # fmt: skip


def opt_in(
    session: Session,
    business_id: int,
    contact_id: int,
    network: str,
    source: str,
    *,
    wording: str = "",
    message_id: int | None = None,
) -> None:
    """Undo an opt-out on a network (START); marketing stays withdrawn until asked again."""
    record(
        session, business_id, contact_id, network, "reminders", True,
        source=source, wording=wording, message_id=message_id,
    )  # fmt: skip


def is_opted_out(session: Session, business_id: int, contact_id: int, network: str) -> bool:
    """Whether the contact said STOP on this network and has not said START since."""
    row = latest(session, business_id, contact_id, network, "reminders")
    return row is not None and not row.granted


def allows(session: Session, business_id: int, contact_id: int, network: str, purpose: str) -> bool:
    """Whether a proactive message of `purpose` may go to the contact on `network`."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    row = latest(session, business_id, contact_id, network, purpose)
    return _DEFAULT_ALLOWED[purpose] if row is None else row.granted


def whatsapp_window_open(last_inbound_at: datetime | None, now: datetime | None = None) -> bool:
    """Whether a free-form WhatsApp message may be sent (the customer wrote within 24 h)."""
    if last_inbound_at is None:
        return False
    return (now or utcnow()) - last_inbound_at < WHATSAPP_WINDOW
