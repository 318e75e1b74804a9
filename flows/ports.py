"""Small protocols for what the flows need from outside; the gateway provides them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class KnowledgeAnswer:
    """An answer from the business's own documents, or an honest decline (grounded=False)."""

    text: str
    grounded: bool
    references: tuple[str, ...] = ()


class Knowledge(Protocol):
    """Answers a customer's question from the business's knowledge base."""

    def answer(self, question: str, language: str, max_chars: int) -> KnowledgeAnswer:
        """Answer from retrieved passages with a short reference, or decline honestly."""
        ...


# ---------------------------------------------------------------- bookings (dental, legal)


@dataclass(frozen=True)
class Booking:
    """An appointment, consultation, viewing or reservation of the current customer."""

    id: int
    kind: str
    starts_at: datetime
    label: str = ""
    party_size: int = 0
    status: str = "booked"


@dataclass(frozen=True)
class BookResult:
    """The outcome of a booking attempt: the booking, or free alternatives near the wish."""

    booking: Booking | None
    alternatives: tuple[datetime, ...] = ()
    full: bool = False


class Calendar(Protocol):
    """Appointments of the current customer against the business's resources and hours."""

    def free_starts(
        self, minutes: int, after: datetime, limit: int, urgent: bool = False
    ) -> list[datetime]:
        """The first free starts after `after` where `minutes` fit in opening hours."""
        ...

    def is_free(self, starts_at: datetime, minutes: int) -> bool:
        """Whether some resource is free for [starts_at, starts_at+minutes)."""
        ...

    def book(
        self,
        service: str,
        starts_at: datetime,
        minutes: int,
        urgent: bool = False,
        details: Mapping[str, Any] | None = None,
    ) -> BookResult:
        """Book a free resource; when the slot is gone, return the nearest free alternatives."""
        ...

    def upcoming(self) -> list[Booking]:
        """The customer's future appointments, soonest first."""
        ...

    def reschedule(self, booking_id: int, starts_at: datetime) -> BookResult:
        """Move an appointment (atomically: the old slot is freed only if the new one is won)."""
        ...

    def cancel(self, booking_id: int) -> bool:
        """Cancel an appointment of this customer; False when it is not theirs or not booked."""
        ...

    def known_customer(self) -> bool:
        """Whether this customer has had an appointment before."""
        ...

    def schedule_recall(self, due_at: datetime, service: str) -> int:
        """Schedule a proactive check-up recall message; returns its id."""
        ...


# ---------------------------------------------------------------- restaurant


class Reservations(Protocol):
    """Table reservations of the current customer against covers per time slot."""

    def available(self, starts_at: datetime, party_size: int, ignoring: int | None = None) -> bool:
        """Whether the party fits at that time (capacity and opening hours), not counting
        reservation `ignoring` (the one being moved)."""
        ...

    def alternatives(self, starts_at: datetime, party_size: int, limit: int) -> list[datetime]:
        """Nearby times (same day first) where the party fits."""
        ...

    def reserve(self, starts_at: datetime, party_size: int, requests: str) -> BookResult:
        """Reserve if it still fits (capacity re-checked under a lock)."""
        ...

    def waitlist(self, starts_at: datetime, party_size: int, requests: str) -> Booking:
        """Put the party on the waitlist for that time."""
        ...

    def upcoming(self) -> list[Booking]:
        """The customer's future reservations (and waitlist entries)."""
        ...

    def move(self, booking_id: int, starts_at: datetime, party_size: int) -> BookResult:
        """Change one of the customer's reservations in place (time and party), if it fits."""
        ...

    def cancel(self, booking_id: int) -> bool:
        """Cancel one of the customer's reservations."""
        ...

    def last_requests(self) -> str:
        """The special requests of the customer's latest reservation ('' when none)."""
        ...


# ---------------------------------------------------------------- real estate


@dataclass(frozen=True)
class ListingCard:
    """One property as shown to a customer."""

    ref: str
    title: str
    operation: str
    property_type: str
    price: float
    bedrooms: int
    area: str
    address: str
    photo_url: str | None = None


@dataclass(frozen=True)
class ListingQuery:
    """What the customer is looking for; None means any."""

    operation: str | None = None
    max_price: float | None = None
    min_price: float | None = None
    bedrooms: int | None = None
    areas: tuple[str, ...] = ()
    property_type: str | None = None
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeadInfo:
    """A real-estate lead's qualification answers and score."""

    operation: str | None
    budget: float | None
    bedrooms: int | None
    areas: tuple[str, ...]
    timeline: str | None
    financing: str | None
    score: int
    hot: bool
    details: Mapping[str, Any] = field(default_factory=dict)


class Listings(Protocol):
    """The business's imported listings, leads and viewings."""

    def search(self, query: ListingQuery, limit: int) -> list[ListingCard]:
        """Listings matching the query, best first."""
        ...

    def find(self, text: str) -> ListingCard | None:
        """The listing a customer refers to by street, reference or title, if any."""
        ...

    def get(self, ref: str) -> ListingCard | None:
        """One listing by reference."""
        ...

    def save_lead(self, lead: LeadInfo) -> int:
        """Create or update the customer's lead; returns its id."""
        ...

    def book_viewing(self, ref: str, starts_at: datetime, minutes: int) -> BookResult:
        """Book a viewing of a listing (one viewing per listing and time)."""
        ...

    def free_viewing_starts(self, ref: str, after: datetime, limit: int) -> list[datetime]:
        """Free viewing times of a listing inside the agency's hours."""
        ...

    def upcoming_viewings(self) -> list[Booking]:
        """The customer's future booked viewings, soonest first (label: the listing ref)."""
        ...

    def move_viewing(self, booking_id: int, starts_at: datetime) -> BookResult:
        """Move one of the customer's viewings in place, if the new time is free."""
        ...

    def cancel_viewing(self, booking_id: int) -> bool:
        """Cancel one of the customer's viewings."""
        ...


# ---------------------------------------------------------------- legal


@dataclass(frozen=True)
class IntakeInfo:
    """A legal intake ready for an attorney."""

    practice_area: str
    jurisdiction: str | None
    parties: tuple[str, ...]
    court_date: date | None
    priority: str
    summary: str
    details: Mapping[str, Any] = field(default_factory=dict)


class Intake(Protocol):
    """Existing matters (conflict check) and new intake cases."""

    def conflicts(self, names: Sequence[str]) -> list[str]:
        """Names among `names` that are clients or parties of existing matters."""
        ...

    def open_case(self, info: IntakeInfo) -> int:
        """Store the intake for an attorney; returns its id."""
        ...


# ---------------------------------------------------------------- all of them


@dataclass(frozen=True)
class Ports:
    """Everything the engine may use from outside, bound to the current customer."""

    knowledge: Knowledge | None = None
    calendar: Calendar | None = None
    reservations: Reservations | None = None
    listings: Listings | None = None
    intake: Intake | None = None
