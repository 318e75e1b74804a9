"""Table reservations under a capacity check, for the restaurant template.

Capacity is checked under a row lock on the business.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select

from flows.ports import (
    Booking,
    BookResult,
)
from gateway.bot.ports.bound import Bound
from gateway.store.models import (
    Business,
    Reservation,
    utcnow,
)


class DbReservations:
    """Reservations against covers seated at once (`capacity`) for `seating_minutes`."""

    def __init__(self, bound: Bound) -> None:
        self.b = bound
        self.capacity = int(bound.settings.get("capacity", 40))
        self.seating = int(bound.settings.get("seating_minutes", 90))
        self.step = int(bound.settings.get("slot_minutes", 30))

    def _covers(self, start: datetime, ignoring: int | None = None) -> int:
        end = start + timedelta(minutes=self.seating)
        rows = self.b.session.exec(
            select(Reservation.party_size).where(
                Reservation.business_id == self.b.business_id,
                Reservation.status == "booked",
                col(Reservation.id) != (ignoring or -1),
                col(Reservation.starts_at) > start - timedelta(minutes=self.seating),
                col(Reservation.starts_at) < end,
            )
        ).all()
        return sum(rows)

    def available(self, starts_at: datetime, party_size: int, ignoring: int | None = None) -> bool:
        """Whether the party fits then (besides reservation `ignoring`, the one being moved)."""
        return self.b.hours.fits(starts_at, self.seating) and (
            self._covers(starts_at, ignoring) + party_size <= self.capacity
        )

    def alternatives(self, starts_at: datetime, party_size: int, limit: int) -> list[datetime]:
        """Free starts near the wish, the same day first, then the next days."""
        out: list[datetime] = []
        now = utcnow()
        after = max(now, starts_at - timedelta(hours=3))
        for start in self.b.hours.starts(after, self.seating, self.step, 7):
            if start != starts_at and self.available(start, party_size):
                out.append(start)
                if len(out) >= limit:
                    break
        return out

    def _lock(self) -> None:
        # Serializes capacity checks of one business (no-op on SQLite, which has one writer).
        self.b.session.exec(
            select(Business.id).where(Business.id == self.b.business_id).with_for_update()
        ).first()

    def _row(self, starts_at: datetime, party_size: int, requests: str, status: str) -> Reservation:
        row = Reservation(
            business_id=self.b.business_id,
            contact_id=self.b.contact_id,
            conversation_id=self.b.conv.id,
            party_size=party_size,
            starts_at=starts_at,
            status=status,
            requests=requests,
        )
        self.b.session.add(row)
        self.b.session.flush()
        return row

    def reserve(self, starts_at: datetime, party_size: int, requests: str) -> BookResult:
        """Reserve if the party still fits."""
        self._lock()
        if not self.available(starts_at, party_size):
            return BookResult(None, tuple(self.alternatives(starts_at, party_size, 3)), full=True)
        row = self._row(starts_at, party_size, requests, "booked")
        self.b.reminders("reservation", row.id)
        return BookResult(self._booking(row))

    def waitlist(self, starts_at: datetime, party_size: int, requests: str) -> Booking:
        """Add the party to the waitlist of that time."""
        return self._booking(self._row(starts_at, party_size, requests, "waitlist"))

    def _booking(self, row: Reservation) -> Booking:
        assert row.id is not None
        return Booking(row.id, "reservation", row.starts_at, "", row.party_size, row.status)

    def upcoming(self) -> list[Booking]:
        """The customer's future reservations and waitlist entries."""
        rows = self.b.session.exec(
            select(Reservation)
            .where(
                Reservation.business_id == self.b.business_id,
                Reservation.contact_id == self.b.contact_id,
                col(Reservation.status).in_(("booked", "waitlist")),
                col(Reservation.starts_at) > utcnow(),
            )
            .order_by(col(Reservation.starts_at))
        ).all()
        return [self._booking(r) for r in rows]

    def _mine(self, booking_id: int) -> Reservation | None:
        row = self.b.session.get(Reservation, booking_id)
        if (
            row is None
            or row.business_id != self.b.business_id
            or row.contact_id != self.b.contact_id
        ):
            return None
        return row

    def move(self, booking_id: int, starts_at: datetime, party_size: int) -> BookResult:
        """Change a reservation's time and party in place, if the party fits then."""
        row = self._mine(booking_id)
        if row is None or row.status not in ("booked", "waitlist"):
            return BookResult(None)
        self._lock()
        if not self.available(starts_at, party_size, ignoring=row.id):
            return BookResult(None, tuple(self.alternatives(starts_at, party_size, 3)), full=True)
        row.starts_at, row.party_size, row.status = starts_at, party_size, "booked"
        self.b.session.add(row)
        self.b.session.flush()
        self.b.reminders("reservation", row.id)
        return BookResult(self._booking(row))

    def cancel(self, booking_id: int) -> bool:
        """Cancel one of the customer's reservations."""
        row = self._mine(booking_id)
        if row is None:
            return False
        row.status = "cancelled"
        self.b.session.add(row)
        self.b.session.flush()
        self.b.reminders("reservation", row.id)
        return True

    def last_requests(self) -> str:
        """The requests of the customer's latest reservation that had any."""
        row = self.b.session.exec(
            select(Reservation.requests)
            .where(
                Reservation.business_id == self.b.business_id,
                Reservation.contact_id == self.b.contact_id,
                Reservation.requests != "",
            )
            .order_by(col(Reservation.id).desc())
        ).first()
        return row or ""
