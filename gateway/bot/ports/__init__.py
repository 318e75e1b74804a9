"""The flows' ports over the database, bound to one customer of one business.

One port per module: `calendar` (dental, legal), `reservations` (restaurant), `listings`
(real estate), `intake` (legal), `faq` (the settings' FAQ when there is no knowledge base);
`slots` is the no-double-booking SQL they share and `bound` the customer they act for.
"""

from __future__ import annotations

from sqlmodel import Session

from flows.ports import Knowledge, Ports
from gateway.bot.ports.bound import Bound
from gateway.bot.ports.calendar import DbCalendar
from gateway.bot.ports.faq import FaqFirst, SettingsKnowledge
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

    The `faq` entries of its settings answer first; `knowledge`, the business's knowledge
    base when the gateway has one, answers the rest.
    """
    bound = Bound(rt, session, business, contact, conv)
    faq = (business.settings or {}).get("faq") or []
    if faq:
        own = SettingsKnowledge(faq)
        knowledge = own if knowledge is None else FaqFirst(own, knowledge)
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
