"""Typed actions over the ports: what the bot can do in the world.

The engine calls these functions directly, and so does the optional chat-model agent:
`flows.agent.tools` wraps them as tools with validated arguments over ports already bound to
the conversation's customer (a port is never a tool argument). `TOOLS` lists them all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flows.ports import (
    Booking,
    BookResult,
    Calendar,
    Intake,
    IntakeInfo,
    Knowledge,
    KnowledgeAnswer,
    LeadInfo,
    ListingCard,
    ListingQuery,
    Listings,
    Reservations,
)

HOT_LEAD = 70


@dataclass(frozen=True)
class HandoffRequest:
    """A request to pass the conversation to a person, with why and how urgent (1-3)."""

    reason: str
    priority: int = 1


def check_availability(
    calendar: Calendar, minutes: int, after: datetime, limit: int = 3, urgent: bool = False
) -> list[datetime]:
    """The first free appointment starts after `after` for a visit of `minutes`."""
    return calendar.free_starts(minutes, after, limit, urgent=urgent)


def book_appointment(
    calendar: Calendar,
    service: str,
    starts_at: datetime,
    minutes: int,
    urgent: bool = False,
    details: dict[str, Any] | None = None,
) -> BookResult:
    """Book an appointment in a free slot (the database refuses a double booking)."""
    return calendar.book(service, starts_at, minutes, urgent=urgent, details=details)


def reschedule_appointment(calendar: Calendar, booking_id: int, starts_at: datetime) -> BookResult:
    """Move one of the customer's appointments to a new free start."""
    return calendar.reschedule(booking_id, starts_at)


def cancel_appointment(calendar: Calendar, booking_id: int) -> bool:
    """Cancel one of the customer's appointments."""
    return calendar.cancel(booking_id)


def upcoming_appointments(calendar: Calendar) -> list[Booking]:
    """The customer's upcoming appointments."""
    return calendar.upcoming()


def reserve_table(
    reservations: Reservations, starts_at: datetime, party_size: int, requests: str = ""
) -> BookResult:
    """Reserve a table for a party at a time, if it fits the capacity of that slot."""
    return reservations.reserve(starts_at, party_size, requests)


def join_waitlist(
    reservations: Reservations, starts_at: datetime, party_size: int, requests: str = ""
) -> Booking:
    """Put a party on the waitlist for a full time slot."""
    return reservations.waitlist(starts_at, party_size, requests)


def cancel_reservation(reservations: Reservations, booking_id: int) -> bool:
    """Cancel one of the customer's reservations."""
    return reservations.cancel(booking_id)


def search_listings(listings: Listings, query: ListingQuery, limit: int = 3) -> list[ListingCard]:
    """Listings matching what the customer wants, best first."""
    return listings.search(query, limit)


def similar_cheaper(
    listings: Listings, reference: str, base: ListingQuery, limit: int = 3
) -> tuple[ListingCard | None, list[ListingCard]]:
    """The listing the customer refers to ("the one on Calle Mayor") and cheaper similar ones."""
    ref = listings.find(reference)
    if ref is None:
        return None, []
    query = ListingQuery(
        operation=ref.operation,
        max_price=ref.price * 0.999,
        bedrooms=max(ref.bedrooms - 1, 0) or None,
        areas=base.areas,
        property_type=None,
        exclude=(ref.ref,),
    )
    found = listings.search(query, limit)
    if not found and base.areas:
        found = listings.search(ListingQuery(**{**query.__dict__, "areas": ()}), limit)
    return ref, found


def score_lead(
    operation: str | None,
    budget: float | None,
    bedrooms: int | None,
    areas: Sequence[str],
    timeline: str | None,
    financing: str | None,
    has_name: bool,
) -> int:
    """A 0-100 lead score: how ready and qualified the customer is (70+ is hot)."""
    score = 0
    score += 10 if operation else 0
    score += 15 if budget else 0
    score += 5 if bedrooms else 0
    score += 10 if areas else 0
    score += {"asap": 30, "3m": 20, "6m": 10, "browsing": 0}.get(timeline or "", 0)
    score += {"cash": 25, "approved": 25, "need": 10, "unsure": 5, "na": 15}.get(financing or "", 0)
    score += 5 if has_name else 0
    return min(score, 100)


def save_lead(listings: Listings, lead: LeadInfo) -> int:
    """Store the customer's lead with its score."""
    return listings.save_lead(lead)


def book_viewing(
    listings: Listings, ref: str, starts_at: datetime, minutes: int = 30
) -> BookResult:
    """Book a viewing of a listing at a free time."""
    return listings.book_viewing(ref, starts_at, minutes)


def check_conflicts(intake: Intake, names: Sequence[str]) -> list[str]:
    """Names that match clients or parties of existing matters (a conflict of interest)."""
    return intake.conflicts(names)


def open_intake(intake: Intake, info: IntakeInfo) -> int:
    """Store a legal intake with its written summary for an attorney."""
    return intake.open_case(info)


def answer_question(
    knowledge: Knowledge | None, question: str, language: str, max_chars: int = 700
) -> KnowledgeAnswer | None:
    """Answer from the business's documents; None when there is no knowledge base."""
    if knowledge is None:
        return None
    return knowledge.answer(question, language, max_chars)


def create_handoff(reason: str, priority: int = 1) -> HandoffRequest:
    """Pass the conversation to a person of the business."""
    return HandoffRequest(reason=reason, priority=max(1, min(priority, 3)))


TOOLS: tuple[Callable[..., Any], ...] = (
    check_availability,
    book_appointment,
    reschedule_appointment,
    cancel_appointment,
    upcoming_appointments,
    reserve_table,
    join_waitlist,
    cancel_reservation,
    search_listings,
    similar_cheaper,
    score_lead,
    save_lead,
    book_viewing,
    check_conflicts,
    open_intake,
    answer_question,
    create_handoff,
)
"""Every action, for a chat model with tool calling (signature + docstring = schema)."""
