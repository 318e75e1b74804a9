"""The flows' ports over the database, bound to one customer of one business.

No double booking: every appointment or viewing occupies `BookedSlot` units, unique on
(business_id, resource, starts_at); units are inserted with ON CONFLICT DO NOTHING, so of two
concurrent requests for the last slot exactly one wins (PostgreSQL waits for the first
transaction; SQLite serializes writers) and the loser is offered the next free start.
Restaurant capacity is checked under a row lock on the business.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, delete, select

from flows.hours import Hours
from flows.ports import (
    Booking,
    BookResult,
    IntakeInfo,
    Knowledge,
    KnowledgeAnswer,
    LeadInfo,
    ListingCard,
    ListingQuery,
    Ports,
)
from flows.understanding.text import fold
from gateway.models import (
    Appointment,
    BookedSlot,
    Business,
    Contact,
    Conversation,
    IntakeCase,
    Lead,
    Listing,
    Matter,
    Reservation,
    Viewing,
    utcnow,
)
from gateway.outreach.reminders import schedule_proactive, schedule_rows, sync_reminders

log = logging.getLogger(__name__)

SEARCH_DAYS = 21


@dataclass
class Bound:
    """The session and the customer the ports act for."""

    session: Session
    business: Business
    contact: Contact
    conv: Conversation
    after_commit: list[Callable[[], None]] = field(default_factory=list)

    @property
    def business_id(self) -> int:
        """The business id (always set for a stored business)."""
        assert self.business.id is not None
        return self.business.id

    @property
    def contact_id(self) -> int:
        """The contact id."""
        assert self.contact.id is not None
        return self.contact.id

    @property
    def settings(self) -> Mapping[str, Any]:
        """The business settings."""
        return self.business.settings or {}

    @property
    def hours(self) -> Hours:
        """Opening hours."""
        return Hours.from_settings(self.settings, self.business.timezone)

    def reminders(self, kind: str, record_id: int | None) -> None:
        """Ask the reminders system to (re)plan a record's reminders, scheduled after commit."""
        if record_id is None:
            return
        ids = sync_reminders(self.session, kind, record_id)
        if ids:
            self.after_commit.append(lambda: _schedule(ids))


def _schedule(ids: list[int]) -> None:
    from gateway.runtime import current_runtime

    try:
        schedule_rows(current_runtime(), ids)
    except RedisError as exc:  # the rows are the truth: the outreach sweep enqueues them later
        log.warning("could not enqueue reminders now: %s", exc)


def _claim(session: Session, rows: Sequence[BookedSlot]) -> bool:
    """Insert slot units, all or none; False when any unit is already taken."""
    dialect = session.get_bind().dialect.name
    insert_fn: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    won: list[BookedSlot] = []
    for row in rows:
        stmt = (
            insert_fn(BookedSlot)
            .values(
                business_id=row.business_id,
                resource=row.resource,
                starts_at=row.starts_at,
                appointment_id=row.appointment_id,
                viewing_id=row.viewing_id,
            )
            .on_conflict_do_nothing(index_elements=["business_id", "resource", "starts_at"])
            .returning(col(BookedSlot.id))
        )
        # RETURNING says whether this row went in (rowcount is -1 on psycopg for this form)
        if session.execute(stmt).first() is None:
            _release(session, won)
            return False
        won.append(row)
    return True


def _release(session: Session, rows: Iterable[BookedSlot]) -> None:
    for row in rows:
        session.execute(
            delete(BookedSlot).where(
                col(BookedSlot.business_id) == row.business_id,
                col(BookedSlot.resource) == row.resource,
                col(BookedSlot.starts_at) == row.starts_at,
            )
        )


# ---------------------------------------------------------------- calendar


class DbCalendar:
    """Appointments against resources (chairs, attorneys) in slot units."""

    def __init__(self, bound: Bound) -> None:
        self.b = bound
        self.step = int(bound.settings.get("slot_minutes", 30))
        resources = bound.settings.get("resources") or ["default"]
        self.resources = [str(r) for r in resources]

    def _units(self, start: datetime, minutes: int) -> list[datetime]:
        return [
            start + timedelta(minutes=self.step * k) for k in range(math.ceil(minutes / self.step))
        ]

    def _taken(self, start: datetime, end: datetime) -> set[tuple[str, datetime]]:
        rows = self.b.session.exec(
            select(BookedSlot.resource, BookedSlot.starts_at).where(
                BookedSlot.business_id == self.b.business_id,
                col(BookedSlot.starts_at) >= start - timedelta(hours=12),
                col(BookedSlot.starts_at) < end,
            )
        ).all()
        return {(r, s) for r, s in rows}

    def _free_resource(
        self, start: datetime, minutes: int, taken: set[tuple[str, datetime]]
    ) -> str | None:
        units = self._units(start, minutes)
        for resource in self.resources:
            if all((resource, u) not in taken for u in units):
                return resource
        return None

    def free_starts(
        self, minutes: int, after: datetime, limit: int, urgent: bool = False
    ) -> list[datetime]:
        """The first free starts after `after` (on the slot grid, inside opening hours)."""
        taken = self._taken(after, after + timedelta(days=SEARCH_DAYS + 1))
        out: list[datetime] = []
        for start in self.b.hours.starts(after, minutes, self.step, SEARCH_DAYS):
            if self._free_resource(start, minutes, taken):
                out.append(start)
                if len(out) >= limit:
                    break
        return out

    def is_free(self, starts_at: datetime, minutes: int) -> bool:
        """Whether a resource is free for the whole visit."""
        if not self.b.hours.fits(starts_at, minutes) or not self._on_grid(starts_at):
            return False
        taken = self._taken(starts_at, starts_at + timedelta(minutes=minutes))
        return self._free_resource(starts_at, minutes, taken) is not None

    def _on_grid(self, dt: datetime) -> bool:
        local = dt.astimezone(self.b.hours.tz)
        return (local.hour * 60 + local.minute) % self.step == 0 and local.second == 0

    def _claim_for(self, appt: Appointment, start: datetime, minutes: int) -> str | None:
        taken = self._taken(start, start + timedelta(minutes=minutes))
        candidates = [r for r in self.resources if r == self._free_resource(start, minutes, taken)]
        candidates += [r for r in self.resources if r not in candidates]
        for resource in candidates:
            rows = [
                BookedSlot(
                    business_id=self.b.business_id,
                    resource=resource,
                    starts_at=u,
                    appointment_id=appt.id,
                )
                for u in self._units(start, minutes)
            ]
            if _claim(self.b.session, rows):
                return resource
        return None

    def book(
        self,
        service: str,
        starts_at: datetime,
        minutes: int,
        urgent: bool = False,
        details: Mapping[str, Any] | None = None,
    ) -> BookResult:
        """Book the first free resource, or return the next free starts."""
        s = self.b.session
        if not self.b.hours.fits(starts_at, minutes):
            return BookResult(None, tuple(self.free_starts(minutes, starts_at, 3)))
        appt = Appointment(
            business_id=self.b.business_id,
            contact_id=self.b.contact_id,
            conversation_id=self.b.conv.id,
            service=service,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            urgent=urgent,
            details=dict(details or {}),
        )
        s.add(appt)
        s.flush()
        resource = self._claim_for(appt, starts_at, minutes)
        if resource is None:
            s.delete(appt)
            s.flush()
            log.info(
                "slot lost to another booking",
                extra={"business_id": self.b.business_id, "starts_at": starts_at.isoformat()},
            )
            return BookResult(None, tuple(self.free_starts(minutes, starts_at, 3)))
        appt.resource = resource
        s.add(appt)
        s.flush()
        self.b.reminders("appointment", appt.id)
        return BookResult(self._booking(appt))

    def _booking(self, appt: Appointment) -> Booking:
        assert appt.id is not None
        return Booking(appt.id, "appointment", appt.starts_at, appt.service, status=appt.status)

    def _mine(self, booking_id: int) -> Appointment | None:
        appt = self.b.session.get(Appointment, booking_id)
        if (
            appt is None
            or appt.business_id != self.b.business_id
            or appt.contact_id != self.b.contact_id
            or appt.status != "booked"
        ):
            return None
        return appt

    def upcoming(self) -> list[Booking]:
        """The customer's future booked appointments."""
        rows = self.b.session.exec(
            select(Appointment)
            .where(
                Appointment.business_id == self.b.business_id,
                Appointment.contact_id == self.b.contact_id,
                Appointment.status == "booked",
                col(Appointment.starts_at) > utcnow(),
            )
            .order_by(col(Appointment.starts_at))
        ).all()
        return [self._booking(a) for a in rows]

    def _slots_of(self, appt: Appointment) -> list[BookedSlot]:
        return list(
            self.b.session.exec(
                select(BookedSlot).where(
                    BookedSlot.business_id == self.b.business_id,
                    BookedSlot.appointment_id == appt.id,
                )
            ).all()
        )

    def reschedule(self, booking_id: int, starts_at: datetime) -> BookResult:
        """Move an appointment; the old units come back if the new ones are taken."""
        appt = self._mine(booking_id)
        if appt is None:
            return BookResult(None)
        minutes = int((appt.ends_at - appt.starts_at).total_seconds() // 60)
        if not self.b.hours.fits(starts_at, minutes):
            return BookResult(None, tuple(self.free_starts(minutes, starts_at, 3)))
        old = [
            BookedSlot(
                business_id=r.business_id,
                resource=r.resource,
                starts_at=r.starts_at,
                appointment_id=r.appointment_id,
            )
            for r in self._slots_of(appt)
        ]
        _release(self.b.session, old)
        resource = self._claim_for(appt, starts_at, minutes)
        if resource is None:
            _claim(self.b.session, old)
            return BookResult(None, tuple(self.free_starts(minutes, starts_at, 3)))
        appt.starts_at, appt.ends_at = starts_at, starts_at + timedelta(minutes=minutes)
        appt.resource = resource
        self.b.session.add(appt)
        self.b.session.flush()
        self.b.reminders("appointment", appt.id)
        return BookResult(self._booking(appt))

    def cancel(self, booking_id: int) -> bool:
        """Cancel and free the units."""
        appt = self._mine(booking_id)
        if appt is None:
            return False
        _release(self.b.session, self._slots_of(appt))
        appt.status = "cancelled"
        self.b.session.add(appt)
        self.b.session.flush()
        self.b.reminders("appointment", appt.id)
        return True

    def known_customer(self) -> bool:
        """Whether this contact has had an appointment before."""
        row = self.b.session.exec(
            select(Appointment.id).where(
                Appointment.business_id == self.b.business_id,
                Appointment.contact_id == self.b.contact_id,
            )
        ).first()
        return row is not None

    def schedule_recall(self, due_at: datetime, service: str) -> int:
        """A check-up recall through the outreach system (keyed by the cleaning, so the
        outreach planner moves the same row instead of adding a second one)."""
        cleaning = self.b.session.exec(
            select(Appointment)
            .where(
                Appointment.business_id == self.b.business_id,
                Appointment.contact_id == self.b.contact_id,
                Appointment.status == "booked",
            )
            .order_by(col(Appointment.id).desc())
        ).first()
        payload: dict[str, Any] = {"service": service, "conversation_id": self.b.conv.id}
        if cleaning is not None:
            payload |= {
                "key": f"recall:{cleaning.id}",
                "related_type": "appointment",
                "related_id": cleaning.id,
            }
        row_id = schedule_proactive(
            self.b.session,
            self.b.business_id,
            self.b.contact_id,
            "recall",
            due_at,
            "reminders",
            "check-up recall six months after a cleaning",
            payload,
        )
        if row_id:
            self.b.after_commit.append(lambda: _schedule([row_id]))
        return row_id


# ---------------------------------------------------------------- restaurant


class DbReservations:
    """Reservations against covers seated at once (`capacity`) for `seating_minutes`."""

    def __init__(self, bound: Bound) -> None:
        self.b = bound
        self.capacity = int(bound.settings.get("capacity", 40))
        self.seating = int(bound.settings.get("seating_minutes", 90))
        self.step = int(bound.settings.get("slot_minutes", 30))

    def _covers(self, start: datetime) -> int:
        end = start + timedelta(minutes=self.seating)
        rows = self.b.session.exec(
            select(Reservation.party_size).where(
                Reservation.business_id == self.b.business_id,
                Reservation.status == "booked",
                col(Reservation.starts_at) > start - timedelta(minutes=self.seating),
                col(Reservation.starts_at) < end,
            )
        ).all()
        return sum(rows)

    def available(self, starts_at: datetime, party_size: int) -> bool:
        """Whether the party fits then."""
        return self.b.hours.fits(starts_at, self.seating) and (
            self._covers(starts_at) + party_size <= self.capacity
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

    def cancel(self, booking_id: int) -> bool:
        """Cancel one of the customer's reservations."""
        row = self.b.session.get(Reservation, booking_id)
        if (
            row is None
            or row.business_id != self.b.business_id
            or row.contact_id != self.b.contact_id
        ):
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


# ---------------------------------------------------------------- real estate


_NUMBER = re.compile(r"\s*,?\s*\d+\w*$")


def _street(address: str) -> str:
    return fold(_NUMBER.sub("", address.split(",")[0])).strip()


class DbListings:
    """Imported listings, the customer's lead and viewings."""

    def __init__(self, bound: Bound) -> None:
        self.b = bound

    def _all(self) -> list[Listing]:
        return list(
            self.b.session.exec(
                select(Listing).where(Listing.business_id == self.b.business_id)
            ).all()
        )

    @staticmethod
    def card(row: Listing) -> ListingCard:
        """The plain view of a listing."""
        return ListingCard(
            ref=row.ref,
            title=row.title,
            operation=row.operation,
            property_type=row.property_type,
            price=row.price,
            bedrooms=row.bedrooms,
            area=row.area,
            address=row.address,
            photo_url=row.photo_url,
        )

    def search(self, query: ListingQuery, limit: int) -> list[ListingCard]:
        """Filter hard criteria (operation, price, exclusions), rank the soft ones."""
        areas = {fold(a) for a in query.areas}
        ranked: list[tuple[float, Listing]] = []
        for row in self._all():
            if query.operation and row.operation != query.operation:
                continue
            if query.max_price is not None and row.price > query.max_price:
                continue
            if query.min_price is not None and row.price < query.min_price:
                continue
            if row.ref in query.exclude:
                continue
            score = 0.0
            if areas:
                score += 3 if fold(row.area) in areas else -1
            if query.bedrooms:
                score += (
                    2
                    if row.bedrooms == query.bedrooms
                    else (1 if row.bedrooms > query.bedrooms else -2)
                )
            if query.property_type and row.property_type == query.property_type:
                score += 1
            if query.max_price:
                score += row.price / query.max_price  # the most home for the money
            ranked.append((score, row))
        ranked.sort(key=lambda pair: (-pair[0], pair[1].price))
        return [self.card(row) for _, row in ranked[:limit]]

    def find(self, text: str) -> ListingCard | None:
        """The listing whose street, reference or title the text mentions."""
        folded = fold(text)
        for row in self._all():
            street = _street(row.address)
            if (
                (street and street in folded)
                or fold(row.ref) in folded.split()
                or (len(row.title) > 8 and fold(row.title) in folded)
            ):
                return self.card(row)
        return None

    def get(self, ref: str) -> ListingCard | None:
        """A listing by reference."""
        row = self.b.session.exec(
            select(Listing).where(Listing.business_id == self.b.business_id, Listing.ref == ref)
        ).first()
        return self.card(row) if row else None

    def save_lead(self, lead: LeadInfo) -> int:
        """Create or update the customer's open lead."""
        s = self.b.session
        row = s.exec(
            select(Lead).where(
                Lead.business_id == self.b.business_id,
                Lead.contact_id == self.b.contact_id,
                Lead.status == "open",
            )
        ).first() or Lead(business_id=self.b.business_id, contact_id=self.b.contact_id)
        row.conversation_id = self.b.conv.id
        row.operation, row.budget, row.bedrooms = lead.operation, lead.budget, lead.bedrooms
        row.areas, row.timeline, row.financing = list(lead.areas), lead.timeline, lead.financing
        row.score = lead.score
        row.details = {**row.details, **dict(lead.details), "hot": lead.hot}
        row.updated_at = utcnow()
        s.add(row)
        s.flush()
        assert row.id is not None
        return row.id

    def _viewing_hours(self) -> tuple[Hours, int]:
        return self.b.hours, int(self.b.settings.get("slot_minutes", 30))

    def free_viewing_starts(self, ref: str, after: datetime, limit: int) -> list[datetime]:
        """Free viewing starts of a listing (one viewing per listing and slot)."""
        hours, step = self._viewing_hours()
        taken = {
            s
            for s in self.b.session.exec(
                select(BookedSlot.starts_at).where(
                    BookedSlot.business_id == self.b.business_id,
                    BookedSlot.resource == f"listing:{ref}",
                    col(BookedSlot.starts_at) > after,
                )
            ).all()
        }
        out: list[datetime] = []
        for start in hours.starts(after, 30, step, SEARCH_DAYS):
            if start not in taken:
                out.append(start)
                if len(out) >= limit:
                    break
        return out

    def book_viewing(self, ref: str, starts_at: datetime, minutes: int) -> BookResult:
        """Book a viewing: the listing's slot unit is claimed in the database."""
        s = self.b.session
        listing = s.exec(
            select(Listing).where(Listing.business_id == self.b.business_id, Listing.ref == ref)
        ).first()
        if listing is None:
            return BookResult(None)
        viewing = Viewing(
            business_id=self.b.business_id,
            contact_id=self.b.contact_id,
            listing_id=listing.id,  # type: ignore[arg-type]
            conversation_id=self.b.conv.id,
            starts_at=starts_at,
        )
        s.add(viewing)
        s.flush()
        unit = BookedSlot(
            business_id=self.b.business_id,
            resource=f"listing:{ref}",
            starts_at=starts_at,
            viewing_id=viewing.id,
        )
        if not _claim(s, [unit]):
            s.delete(viewing)
            s.flush()
            return BookResult(None, tuple(self.free_viewing_starts(ref, starts_at, 3)))
        self.b.reminders("viewing", viewing.id)
        assert viewing.id is not None
        return BookResult(Booking(viewing.id, "viewing", starts_at, ref))


# ---------------------------------------------------------------- legal


def _tokens(name: str) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", fold(name)) if len(t) > 1} - {
        "sl",
        "sa",
        "inc",
        "ltd",
        "llc",
        "corp",
        "the",
        "de",
        "del",
        "la",
        "el",
        "y",
        "and",
    }


def names_match(a: str, b: str) -> bool:
    """Same person or company: every meaningful word of the shorter name is in the other."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    small, big = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return small <= big and (len(small) >= 2 or len(big) == 1)


class DbIntake:
    """Conflict checks against existing matters, and new intake cases."""

    def __init__(self, bound: Bound) -> None:
        self.b = bound

    def conflicts(self, names: Sequence[str]) -> list[str]:
        """Names that are clients or parties of existing matters of this business."""
        matters = self.b.session.exec(
            select(Matter).where(Matter.business_id == self.b.business_id)
        ).all()
        known = [m.client_name for m in matters] + [p for m in matters for p in m.parties]
        return [n for n in names if any(names_match(n, k) for k in known)]

    def open_case(self, info: IntakeInfo) -> int:
        """Store the intake and its written summary."""
        tz = self.b.hours.tz
        row = IntakeCase(
            business_id=self.b.business_id,
            contact_id=self.b.contact_id,
            conversation_id=self.b.conv.id,
            practice_area=info.practice_area,
            jurisdiction=info.jurisdiction,
            parties=list(info.parties),
            court_date=datetime.combine(info.court_date, time(9), tz) if info.court_date else None,
            priority=info.priority,
            summary=info.summary,
            details=dict(info.details),
        )
        self.b.session.add(row)
        self.b.session.flush()
        assert row.id is not None
        return row.id


# ---------------------------------------------------------------- knowledge from settings


@dataclass(frozen=True)
class SettingsKnowledge:
    """Answers from the `faq` entries of the business settings (keywords -> en/es answer).

    A stand-in until the business has a knowledge base; the knowledge port of the gateway
    takes over when it is configured.
    """

    faq: Sequence[Mapping[str, Any]]

    def answer(self, question: str, language: str, max_chars: int) -> KnowledgeAnswer:
        """The FAQ entry whose keywords the question mentions most."""
        folded = fold(question)
        best: tuple[int, Mapping[str, Any]] | None = None
        for entry in self.faq:
            hits = sum(
                1
                for k in entry.get("keywords") or ()
                if re.search(rf"(?<!\w){re.escape(fold(str(k)))}", folded)
            )
            if hits and (best is None or hits > best[0]):
                best = (hits, entry)
        if best is None:
            return KnowledgeAnswer("", grounded=False)
        entry = best[1]
        text = str(entry.get(language) or entry.get("en") or "")[:max_chars]
        return KnowledgeAnswer(text, grounded=bool(text), references=("faq",))


def build_ports(
    session: Session,
    business: Business,
    contact: Contact,
    conv: Conversation,
    knowledge: Knowledge | None = None,
) -> tuple[Ports, Bound]:
    """The ports of the business's template, bound to this customer.

    `knowledge` is the business's knowledge base when the gateway has one; otherwise the
    `faq` entries of its settings answer.
    """
    bound = Bound(session, business, contact, conv)
    faq = (business.settings or {}).get("faq") or []
    if knowledge is None and faq:
        knowledge = SettingsKnowledge(faq)
    template = business.template
    ports = Ports(
        knowledge=knowledge,
        calendar=DbCalendar(bound) if template in ("dental", "legal") else None,
        reservations=DbReservations(bound) if template == "restaurant" else None,
        listings=DbListings(bound) if template == "real_estate" else None,
        intake=DbIntake(bound) if template == "legal" else None,
    )
    event.listen(session, "after_commit", lambda _s: _run_after_commit(bound), once=True)
    return ports, bound


def _run_after_commit(bound: Bound) -> None:
    for fn in bound.after_commit:
        fn()
    bound.after_commit.clear()
