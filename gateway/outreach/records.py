"""The bookings a reminder belongs to (appointment, reservation, viewing), read the same way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlmodel import Session, select

from gateway.store.models import Appointment, BookedSlot, Reservation, Viewing

Booking = Appointment | Reservation | Viewing
RECORD_TYPES: dict[str, type[Appointment] | type[Reservation] | type[Viewing]] = {
    "appointment": Appointment,
    "reservation": Reservation,
    "viewing": Viewing,
}
INACTIVE = frozenset(
    {"cancelled", "canceled", "completed", "done", "no_show", "waitlist", "declined", "rejected"}
)
CANCELLED = "cancelled"
CONFIRMED = "confirmed"


class UnknownRecordKind(ValueError):
    """A record kind other than appointment, reservation or viewing."""


@dataclass(frozen=True)
class BookingView:
    """The fields of a booking that outreach needs, whatever its table."""

    kind: str
    id: int
    business_id: int
    contact_id: int
    conversation_id: int | None
    starts_at: datetime
    ends_at: datetime | None
    status: str

    @property
    def active(self) -> bool:
        """Whether the booking still stands (reminders go only for these)."""
        return self.status not in INACTIVE


def record_model(kind: str) -> type[Appointment] | type[Reservation] | type[Viewing]:
    """The table of a booking kind."""
    try:
        return RECORD_TYPES[kind]
    except KeyError:
        raise UnknownRecordKind(f"unknown record kind {kind!r}") from None


def load_booking(session: Session, kind: str, record_id: int) -> BookingView | None:
    """Read a booking, or None when it does not exist."""
    row = cast(Booking | None, session.get(record_model(kind), record_id))
    if row is None or row.id is None:
        return None
    return BookingView(
        kind=kind,
        id=row.id,
        business_id=row.business_id,
        contact_id=row.contact_id,
        conversation_id=row.conversation_id,
        starts_at=row.starts_at,
        ends_at=getattr(row, "ends_at", None),
        status=row.status,
    )


def set_status(session: Session, kind: str, record_id: int, status: str) -> bool:
    """Change a booking's status; a cancellation also frees its calendar slots."""
    row = cast(Booking | None, session.get(record_model(kind), record_id))
    if row is None:
        return False
    row.status = status
    session.add(row)
    if status == CANCELLED and kind in ("appointment", "viewing"):
        column = BookedSlot.appointment_id if kind == "appointment" else BookedSlot.viewing_id
        for slot in session.exec(select(BookedSlot).where(column == record_id)).all():
            session.delete(slot)
    return True
