"""In-memory ports for engine tests (the gateway's real ones are tested end to end)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flows.hours import Hours
from flows.ports import (
    Booking,
    BookResult,
    IntakeInfo,
    KnowledgeAnswer,
    LeadInfo,
    ListingCard,
    ListingQuery,
)


@dataclass
class FakeCalendar:
    """One chair; appointments in a list."""

    hours: Hours
    booked: list[Booking] = field(default_factory=list)
    minutes: dict[int, int] = field(default_factory=dict)
    recalls: list[datetime] = field(default_factory=list)
    known: bool = False

    def _overlaps(self, start: datetime, minutes: int, skip: int | None = None) -> bool:
        end = start + timedelta(minutes=minutes)
        return any(
            b.status == "booked"
            and b.id != skip
            and b.starts_at < end
            and start < b.starts_at + timedelta(minutes=self.minutes[b.id])
            for b in self.booked
        )

    def free_starts(
        self, minutes: int, after: datetime, limit: int, urgent: bool = False
    ) -> list[datetime]:
        out = []
        for s in self.hours.starts(after, minutes, 30):
            if not self._overlaps(s, minutes):
                out.append(s)
                if len(out) >= limit:
                    break
        return out

    def is_free(self, starts_at: datetime, minutes: int) -> bool:
        return not self._overlaps(starts_at, minutes)

    def book(
        self,
        service: str,
        starts_at: datetime,
        minutes: int,
        urgent: bool = False,
        details: Mapping[str, Any] | None = None,
    ) -> BookResult:
        if self._overlaps(starts_at, minutes):
            return BookResult(None, tuple(self.free_starts(minutes, starts_at, 3)))
        b = Booking(len(self.booked) + 1, "appointment", starts_at, service)
        self.booked.append(b)
        self.minutes[b.id] = minutes
        return BookResult(b)

    def upcoming(self) -> list[Booking]:
        return [b for b in self.booked if b.status == "booked"]

    def reschedule(self, booking_id: int, starts_at: datetime) -> BookResult:
        old = next(b for b in self.booked if b.id == booking_id)
        if self._overlaps(starts_at, self.minutes[booking_id], skip=booking_id):
            return BookResult(None, tuple(self.free_starts(30, starts_at, 3)))
        new = Booking(old.id, old.kind, starts_at, old.label)
        self.booked[self.booked.index(old)] = new
        return BookResult(new)

    def cancel(self, booking_id: int) -> bool:
        for i, b in enumerate(self.booked):
            if b.id == booking_id and b.status == "booked":
                self.booked[i] = Booking(b.id, b.kind, b.starts_at, b.label, status="cancelled")
                return True
        return False

    def known_customer(self) -> bool:
        return self.known or bool(self.booked)

    def schedule_recall(self, due_at: datetime, service: str) -> int:
        self.recalls.append(due_at)
        return len(self.recalls)


@dataclass
class FakeKnowledge:
    """Answers anything containing a keyword."""

    answers: Mapping[str, str]

    def answer(self, question: str, language: str, max_chars: int) -> KnowledgeAnswer:
        for word, text in self.answers.items():
            if word in question.lower():
                return KnowledgeAnswer(text, True)
        return KnowledgeAnswer("", False)


@dataclass
class FakeIntake:
    """Existing matters' names and stored cases."""

    names: Sequence[str] = ()
    cases: list[IntakeInfo] = field(default_factory=list)

    def conflicts(self, names: Sequence[str]) -> list[str]:
        known = {n.lower() for n in self.names}
        return [n for n in names if n.lower() in known]

    def open_case(self, info: IntakeInfo) -> int:
        self.cases.append(info)
        return len(self.cases)


@dataclass
class FakeListings:
    """A few listings in memory."""

    cards: Sequence[ListingCard] = ()
    leads: list[LeadInfo] = field(default_factory=list)
    viewings: list[tuple[str, datetime]] = field(default_factory=list)

    def search(self, query: ListingQuery, limit: int) -> list[ListingCard]:
        out = [
            c
            for c in self.cards
            if (query.operation is None or c.operation == query.operation)
            and (query.max_price is None or c.price <= query.max_price)
            and c.ref not in query.exclude
        ]
        return out[:limit]

    def find(self, text: str) -> ListingCard | None:
        return next(
            (c for c in self.cards if c.address.rsplit(" ", 1)[0].lower() in text.lower()), None
        )

    def get(self, ref: str) -> ListingCard | None:
        return next((c for c in self.cards if c.ref == ref), None)

    def save_lead(self, lead: LeadInfo) -> int:
        self.leads.append(lead)
        return len(self.leads)

    def book_viewing(self, ref: str, starts_at: datetime, minutes: int) -> BookResult:
        self.viewings.append((ref, starts_at))
        return BookResult(Booking(len(self.viewings), "viewing", starts_at, ref))

    def free_viewing_starts(self, ref: str, after: datetime, limit: int) -> list[datetime]:
        return [after + timedelta(days=1, hours=i) for i in range(limit)]

    def upcoming_viewings(self) -> list[Booking]:
        return [
            Booking(i + 1, "viewing", at, ref)
            for i, (ref, at) in enumerate(self.viewings)
            if ref != "cancelled"
        ]

    def move_viewing(self, booking_id: int, starts_at: datetime) -> BookResult:
        ref, _ = self.viewings[booking_id - 1]
        self.viewings[booking_id - 1] = (ref, starts_at)
        return BookResult(Booking(booking_id, "viewing", starts_at, ref))

    def cancel_viewing(self, booking_id: int) -> bool:
        _, at = self.viewings[booking_id - 1]
        self.viewings[booking_id - 1] = ("cancelled", at)
        return True


@dataclass
class FakeReservations:
    """Covers per exact start time."""

    capacity: int
    rows: list[Booking] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def _used(self, at: datetime, ignoring: int | None = None) -> int:
        return sum(
            b.party_size
            for b in self.rows
            if b.starts_at == at and b.status == "booked" and b.id != ignoring
        )

    def available(self, starts_at: datetime, party_size: int, ignoring: int | None = None) -> bool:
        return self._used(starts_at, ignoring) + party_size <= self.capacity

    def move(self, booking_id: int, starts_at: datetime, party_size: int) -> BookResult:
        for i, b in enumerate(self.rows):
            if b.id == booking_id:
                if not self.available(starts_at, party_size, booking_id):
                    return BookResult(None, tuple(self.alternatives(starts_at, party_size, 3)))
                self.rows[i] = Booking(b.id, b.kind, starts_at, b.label, party_size, "booked")
                return BookResult(self.rows[i])
        return BookResult(None)

    def alternatives(self, starts_at: datetime, party_size: int, limit: int) -> list[datetime]:
        out = []
        for k in range(1, 8):
            for t in (starts_at + timedelta(minutes=30 * k), starts_at - timedelta(minutes=30 * k)):
                if self.available(t, party_size):
                    out.append(t)
        return sorted(out)[:limit]

    def reserve(self, starts_at: datetime, party_size: int, requests: str) -> BookResult:
        if not self.available(starts_at, party_size):
            return BookResult(None, tuple(self.alternatives(starts_at, party_size, 3)), full=True)
        b = Booking(len(self.rows) + 1, "reservation", starts_at, "", party_size)
        self.rows.append(b)
        self.requests.append(requests)
        return BookResult(b)

    def waitlist(self, starts_at: datetime, party_size: int, requests: str) -> Booking:
        b = Booking(len(self.rows) + 1, "reservation", starts_at, "", party_size, "waitlist")
        self.rows.append(b)
        return b

    def upcoming(self) -> list[Booking]:
        return [b for b in self.rows if b.status == "booked"]

    def cancel(self, booking_id: int) -> bool:
        for i, b in enumerate(self.rows):
            if b.id == booking_id:
                self.rows[i] = Booking(
                    b.id, b.kind, b.starts_at, b.label, b.party_size, "cancelled"
                )
                return True
        return False

    def last_requests(self) -> str:
        return next((r for r in reversed(self.requests) if r), "")
