"""Property listings, leads and viewings, for the real estate template."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import col, select

from flows.hours import Hours
from flows.ports import (
    Booking,
    BookResult,
    LeadInfo,
    ListingCard,
    ListingQuery,
)
from flows.understanding.text import fold
from gateway.bot.ports.bound import Bound
from gateway.bot.ports.slots import SEARCH_DAYS, claim, release
from gateway.store.models import (
    BookedSlot,
    Lead,
    Listing,
    Viewing,
    utcnow,
)

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
        words = set(re.findall(r"[\w-]+", folded))  # "SH-206." and "(SH-205)" name their refs
        for row in self._all():
            street = _street(row.address)
            if (
                (street and street in folded)
                or fold(row.ref) in words
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
        if not claim(s, [unit]):
            s.delete(viewing)
            s.flush()
            return BookResult(None, tuple(self.free_viewing_starts(ref, starts_at, 3)))
        self.b.reminders("viewing", viewing.id)
        assert viewing.id is not None
        return BookResult(Booking(viewing.id, "viewing", starts_at, ref))

    def upcoming_viewings(self) -> list[Booking]:
        """The customer's future booked viewings, soonest first (label: the listing ref)."""
        rows = self.b.session.exec(
            select(Viewing, Listing.ref)
            .join(Listing, col(Listing.id) == col(Viewing.listing_id))
            .where(
                Viewing.business_id == self.b.business_id,
                Viewing.contact_id == self.b.contact_id,
                Viewing.status == "booked",
                col(Viewing.starts_at) > utcnow(),
            )
            .order_by(col(Viewing.starts_at))
        ).all()
        return [Booking(v.id or 0, "viewing", v.starts_at, ref) for v, ref in rows]

    def _viewing(self, booking_id: int) -> Viewing | None:
        row = self.b.session.get(Viewing, booking_id)
        if (
            row is None
            or row.business_id != self.b.business_id
            or row.contact_id != self.b.contact_id
            or row.status != "booked"
        ):
            return None
        return row

    def _units(self, viewing: Viewing) -> list[BookedSlot]:
        return list(
            self.b.session.exec(
                select(BookedSlot).where(
                    BookedSlot.business_id == self.b.business_id,
                    BookedSlot.viewing_id == viewing.id,
                )
            ).all()
        )

    def move_viewing(self, booking_id: int, starts_at: datetime) -> BookResult:
        """Move a viewing in place; the old time stays theirs if the new one is taken."""
        row = self._viewing(booking_id)
        listing = self.b.session.get(Listing, row.listing_id) if row is not None else None
        if row is None or listing is None:
            return BookResult(None)
        resource = f"listing:{listing.ref}"
        unit = BookedSlot(
            business_id=self.b.business_id,
            resource=resource,
            starts_at=starts_at,
            viewing_id=row.id,
        )
        if not claim(self.b.session, [unit]):
            return BookResult(None, tuple(self.free_viewing_starts(listing.ref, starts_at, 3)))
        release(self.b.session, [u for u in self._units(row) if u.starts_at != starts_at])
        row.starts_at = starts_at
        self.b.session.add(row)
        self.b.session.flush()
        self.b.reminders("viewing", row.id)
        return BookResult(Booking(row.id or 0, "viewing", starts_at, listing.ref))

    def cancel_viewing(self, booking_id: int) -> bool:
        """Cancel one of the customer's viewings and free its time."""
        row = self._viewing(booking_id)
        if row is None:
            return False
        release(self.b.session, self._units(row))
        row.status = "cancelled"
        self.b.session.add(row)
        self.b.session.flush()
        self.b.reminders("viewing", row.id)
        return True
