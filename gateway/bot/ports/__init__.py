"""The flows' ports over the database, bound to one customer of one business.

One port per module: `calendar` (dental, legal), `reservations` (restaurant), `listings`
(real estate), `intake` (legal), `faq` (the settings' FAQ until a knowledge base is ingested);
`slots` is the no-double-booking SQL they share and `bound` the customer they act for.
"""

from __future__ import annotations

from sqlmodel import Session

from flows.ports import Knowledge, Ports
from gateway.bot.ports.bound import Bound
from gateway.bot.ports.calendar import DbCalendar
from gateway.bot.ports.faq import SettingsKnowledge
from gateway.bot.ports.intake import DbIntake, names_match
from gateway.bot.ports.listings import DbListings
from gateway.bot.ports.reservations import DbReservations
from gateway.core.runtime import Runtime
from gateway.store.models import Business, Contact, Conversation


def build_ports(
    rt: Runtime,
    session: Session,
    business: Business,
    contact: Contact,
    conv: Conversation,
    knowledge: Knowledge | None = None,
) -> tuple[Ports, Bound]:
    """The ports of the business's template, bound to this customer.

    `knowledge` is the business's one answer path (`gateway.bot.knowledge.knowledge_port`),
    the same the admin API answers with: its FAQ entries are passages of its knowledge base.
    """
    bound = Bound(rt, session, business, contact, conv)
    template = business.template
    ports = Ports(
        knowledge=knowledge,
        calendar=DbCalendar(bound) if template in ("dental", "legal") else None,
        reservations=DbReservations(bound) if template == "restaurant" else None,
        listings=DbListings(bound) if template == "real_estate" else None,
        intake=DbIntake(bound) if template == "legal" else None,
    )
    return ports, bound


__all__ = [
    "Bound",
    "DbCalendar",
    "DbIntake",
    "DbListings",
    "DbReservations",
    "SettingsKnowledge",
    "build_ports",
    "names_match",
]
