"""Appointments against resources (chairs, attorneys), for the dental and legal templates."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select

from flows.ports import (
    Booking,
    BookResult,
)
from gateway.bot.ports.bound import Bound, schedule_reminders
from gateway.bot.ports.slots import SEARCH_DAYS, claim, release
from gateway.core.db import after_commit
from gateway.outreach.reminders import schedule_proactive
from gateway.store.models import (
    Appointment,
    BookedSlot,
    utcnow,
)

log = logging.getLogger(__name__)


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
            if claim(self.b.session, rows):
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
        release(self.b.session, old)
        resource = self._claim_for(appt, starts_at, minutes)
        if resource is None:
            claim(self.b.session, old)
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
        release(self.b.session, self._slots_of(appt))
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
            after_commit(self.b.session, lambda: schedule_reminders(self.b.rt, [row_id]))
        return row_id
