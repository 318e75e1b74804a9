"""The flows' actions as tools for a chat model: schemas, argument checks and their effects.

Booking, moving and cancelling are two steps: a `propose_*` tool only records the action and
returns the words to ask with; `confirm_pending` carries it out, and only when the proposal was
shown in an earlier turn and this message is the customer's yes. The database's
one-booking-per-slot constraint still decides who gets a slot.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flows import actions
from flows.agent.desk import Desk
from flows.agent.errors import BadToolCall
from flows.ports import Booking, ListingQuery

ISO = "local date and time, ISO 8601, e.g. 2026-03-12T11:30"


class Args(BaseModel):
    """Arguments of a tool: extra keys are refused (no tool takes a business or contact)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NoArgs(Args):
    """No arguments."""


class FreeTimesArgs(Args):
    """Which service, from when."""

    service: str = Field(max_length=40, description="a service id from the list")
    after: str | None = Field(default=None, max_length=40, description=ISO)


class BookArgs(Args):
    """A service at a time."""

    service: str = Field(max_length=40, description="a service id from the list")
    starts_at: str = Field(max_length=40, description=ISO)


class BookingArgs(Args):
    """One of the customer's own bookings."""

    booking_id: int = Field(ge=1, description="an id from my_bookings")


class MoveArgs(BookingArgs):
    """One of the customer's bookings and its new time."""

    starts_at: str = Field(max_length=40, description=ISO)


class TableArgs(Args):
    """A party at a time."""

    starts_at: str = Field(max_length=40, description=ISO)
    party_size: int = Field(ge=1, le=50)
    requests: str = Field(default="", max_length=200)


class SearchArgs(Args):
    """What the customer looks for."""

    operation: Literal["buy", "rent"] | None = None
    max_price: float | None = Field(default=None, ge=0)
    bedrooms: int | None = Field(default=None, ge=0, le=10)
    area: str | None = Field(default=None, max_length=60)


class ViewingArgs(Args):
    """A listing and a time."""

    ref: str = Field(max_length=40, description="a listing reference from search_listings")
    starts_at: str = Field(max_length=40, description=ISO)


class QuestionArgs(Args):
    """The customer's question."""

    question: str = Field(min_length=2, max_length=500)


class HandoffArgs(Args):
    """Why a person is needed."""

    reason: str = Field(min_length=2, max_length=200)
    urgent: bool = False


@dataclass(frozen=True)
class Tool:
    """One tool: its name, what it is for, its arguments and what it does on the desk."""

    name: str
    description: str
    args: type[Args]
    run: Callable[[Desk, Any], str]

    def schema(self) -> dict[str, Any]:
        """The OpenAI-style function schema every LangChain chat model's bind_tools accepts."""
        params = self.args.model_json_schema()
        params.pop("title", None)
        params.pop("description", None)
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": params},
        }


def _bookings(found: Sequence[Booking], desk: Desk) -> str:
    rows = [
        {"booking_id": b.id, "kind": b.kind, "what": b.label, "when": desk.show(b.starts_at)}
        | ({"party_size": b.party_size} if b.party_size else {})
        for b in found
    ]
    return json.dumps(rows, ensure_ascii=False) if rows else "No upcoming bookings."


def _free_times(desk: Desk, a: FreeTimesArgs) -> str:
    assert desk.ports.calendar is not None
    name, minutes = desk.service(a.service)
    after = desk.when(a.after) if a.after else desk.now
    starts = actions.check_availability(desk.ports.calendar, minutes, after, limit=4)
    shown = ", ".join(desk.show(s) for s in starts)
    return f"Free starts for {name}: {shown}" if starts else f"No free time for {name} soon."


def _propose_booking(desk: Desk, a: BookArgs) -> str:
    assert desk.ports.calendar is not None
    name, minutes = desk.service(a.service)
    starts = desk.when(a.starts_at)
    if not desk.ports.calendar.is_free(starts, minutes):
        free = actions.check_availability(desk.ports.calendar, minutes, starts, limit=3)
        return "That time is not free. Nearest free: " + ", ".join(desk.show(s) for s in free)
    action = {"action": "book", "service": a.service, "starts_at": starts.isoformat()}
    return desk.propose(action | {"minutes": minutes, "summary": f"{name}, {desk.show(starts)}"})


def _mine(desk: Desk, booking_id: int) -> Booking:
    found = _own_bookings(desk)
    for booking in found:
        if booking.id == booking_id:
            return booking
    raise BadToolCall("not one of the customer's bookings")


def _own_bookings(desk: Desk) -> list[Booking]:
    ports = desk.ports
    found: list[Booking] = []
    if ports.calendar is not None:
        found += actions.upcoming_appointments(ports.calendar)
    if ports.reservations is not None:
        found += ports.reservations.upcoming()
    return found


def _my_bookings(desk: Desk, a: NoArgs) -> str:
    return _bookings(_own_bookings(desk), desk)


def _propose_move(desk: Desk, a: MoveArgs) -> str:
    booking = _mine(desk, a.booking_id)
    starts = desk.when(a.starts_at)
    action = {"action": "move", "booking_id": booking.id, "starts_at": starts.isoformat()}
    summary = f"move {booking.label or booking.kind} from {desk.show(booking.starts_at)}"
    return desk.propose(action | {"summary": f"{summary} to {desk.show(starts)}"})


def _propose_cancel(desk: Desk, a: BookingArgs) -> str:
    booking = _mine(desk, a.booking_id)
    summary = f"cancel {booking.label or booking.kind}, {desk.show(booking.starts_at)}"
    return desk.propose(
        {"action": "cancel", "booking_id": booking.id, "kind": booking.kind, "summary": summary}
    )


def _check_table(desk: Desk, a: TableArgs) -> str:
    assert desk.ports.reservations is not None
    starts = desk.when(a.starts_at)
    _party(desk, a.party_size)
    if desk.ports.reservations.available(starts, a.party_size):
        return f"A table for {a.party_size} is free at {desk.show(starts)}."
    near = desk.ports.reservations.alternatives(starts, a.party_size, 3)
    return "Full then. Free: " + ", ".join(desk.show(s) for s in near)


def _party(desk: Desk, size: int) -> None:
    if size > int(desk.settings.get("max_party") or 10):
        raise BadToolCall("party larger than the bot may book")


def _propose_table(desk: Desk, a: TableArgs) -> str:
    assert desk.ports.reservations is not None
    starts = desk.when(a.starts_at)
    _party(desk, a.party_size)
    if not desk.ports.reservations.available(starts, a.party_size):
        return _check_table(desk, a)
    action = {"action": "reserve", "starts_at": starts.isoformat(), "party_size": a.party_size}
    summary = f"table for {a.party_size}, {desk.show(starts)}"
    return desk.propose(action | {"requests": a.requests, "summary": summary})


def _search(desk: Desk, a: SearchArgs) -> str:
    assert desk.ports.listings is not None
    query = ListingQuery(
        operation=a.operation,
        max_price=a.max_price,
        bedrooms=a.bedrooms,
        areas=(a.area,) if a.area else (),
    )
    cards = actions.search_listings(desk.ports.listings, query, limit=3)
    rows = [
        {"ref": c.ref, "title": c.title, "price": c.price, "bedrooms": c.bedrooms, "area": c.area}
        for c in cards
    ]
    return json.dumps(rows, ensure_ascii=False) if rows else "No listing matches."


def _propose_viewing(desk: Desk, a: ViewingArgs) -> str:
    assert desk.ports.listings is not None
    card = desk.ports.listings.get(a.ref)
    if card is None:
        raise BadToolCall("unknown listing")
    starts = desk.when(a.starts_at)
    action = {"action": "viewing", "ref": card.ref, "starts_at": starts.isoformat()}
    return desk.propose(action | {"summary": f"viewing of {card.title}, {desk.show(starts)}"})


def _answer(desk: Desk, a: QuestionArgs) -> str:
    found = actions.answer_question(desk.ports.knowledge, a.question, desk.language)
    if found is None or not found.grounded:
        return "NOT_FOUND: the business's documents do not say. Offer a person; state nothing."
    refs = "; ".join(found.references)
    return f"{found.text}" + (f"\n(Sources: {refs})" if refs else "")


def _handoff(desk: Desk, a: HandoffArgs) -> str:
    desk.handoff = actions.create_handoff(a.reason, 3 if a.urgent else 1)
    return "A person of the business will answer in this chat. Tell the customer so."


def _what_we_know(desk: Desk, a: NoArgs) -> str:
    facts = {k: v for k, v in desk.turn.facts.items() if k != "language"}
    return json.dumps(facts, ensure_ascii=False, default=str) if facts else "Nothing yet."


def _confirm(desk: Desk, a: NoArgs) -> str:
    pending = desk.confirmable()
    if pending is None:
        return "Nothing to confirm: propose first and wait for the customer's yes."
    if not desk.customer_confirms():
        return f"Not confirmed: the customer has not said yes to {pending['summary']}."
    desk.pending = None
    done = carry_out(desk, pending)
    if done.startswith(("Done", "Cancelled")):
        desk.done.append(str(pending["summary"]))
    return done


def carry_out(desk: Desk, pending: dict[str, Any]) -> str:
    """Do a confirmed action through the ports; the words saying what happened."""
    ports, action = desk.ports, pending["action"]
    starts = datetime.fromisoformat(pending["starts_at"]) if "starts_at" in pending else None
    if action == "cancel":
        booking_id = int(pending["booking_id"])
        if pending.get("kind") == "reservation" and ports.reservations is not None:
            ok = actions.cancel_reservation(ports.reservations, booking_id)
        else:
            ok = ports.calendar is not None and actions.cancel_appointment(
                ports.calendar, booking_id
            )
        return f"Cancelled: {pending['summary']}." if ok else "Could not cancel: not booked."
    assert starts is not None
    if action == "book" and ports.calendar is not None:
        result = actions.book_appointment(
            ports.calendar,
            pending["service"],
            starts,
            int(pending["minutes"]),
            details={"via": "chat_model"},
        )
    elif action == "move" and ports.calendar is not None:
        result = actions.reschedule_appointment(ports.calendar, int(pending["booking_id"]), starts)
    elif action == "reserve" and ports.reservations is not None:
        result = actions.reserve_table(
            ports.reservations, starts, int(pending["party_size"]), pending.get("requests", "")
        )
    elif action == "viewing" and ports.listings is not None:
        result = actions.book_viewing(ports.listings, pending["ref"], starts)
    else:
        raise BadToolCall("action not available here")
    if result.booking is None:
        free = ", ".join(desk.show(s) for s in result.alternatives)
        return f"That time was just taken. Free: {free or 'none soon'}."
    return f"Done: {pending['summary']} (booking {result.booking.id})."


COMMON = (
    Tool(
        "answer_question",
        "Answer a question from the business's documents and settings "
        "(prices, hours, policies, address). Use it for every fact you state.",
        QuestionArgs,
        _answer,
    ),
    Tool(
        "hand_to_person",
        "Pass the conversation to a person of the business.",
        HandoffArgs,
        _handoff,
    ),
    Tool(
        "what_we_know", "What the customer told us before (their profile).", NoArgs, _what_we_know
    ),
)
BOOKINGS = (
    Tool(
        "my_bookings", "The customer's own upcoming bookings, with their ids.", NoArgs, _my_bookings
    ),
    Tool(
        "propose_cancel",
        "Propose cancelling one of the customer's bookings (not done until confirmed).",
        BookingArgs,
        _propose_cancel,
    ),
    Tool(
        "confirm_pending",
        "Carry out the proposal the customer has just said yes to.",
        NoArgs,
        _confirm,
    ),
)
CALENDAR = (
    Tool("free_times", "Free appointment starts for a service.", FreeTimesArgs, _free_times),
    Tool(
        "propose_booking",
        "Propose booking a service at a time (not booked until the customer confirms).",
        BookArgs,
        _propose_booking,
    ),
    Tool(
        "propose_move",
        "Propose moving one of the customer's appointments.",
        MoveArgs,
        _propose_move,
    ),
)
RESERVATIONS = (
    Tool("check_table", "Whether a table for a party is free at a time.", TableArgs, _check_table),
    Tool(
        "propose_reservation",
        "Propose reserving a table (not reserved until confirmed).",
        TableArgs,
        _propose_table,
    ),
)
LISTINGS = (
    Tool("search_listings", "Search the agency's listings.", SearchArgs, _search),
    Tool(
        "propose_viewing",
        "Propose a viewing of a listing (not booked until confirmed).",
        ViewingArgs,
        _propose_viewing,
    ),
)


def tools_for(desk: Desk) -> tuple[Tool, ...]:
    """The tools this business's ports support."""
    ports = desk.ports
    out = list(COMMON)
    if ports.calendar is not None:
        out += CALENDAR
    if ports.reservations is not None:
        out += RESERVATIONS
    if ports.listings is not None:
        out += LISTINGS
    if ports.calendar is not None or ports.reservations is not None or ports.listings is not None:
        out += BOOKINGS
    return tuple(out)
