"""The bot's mind for one process: loads the pure parts once and answers one turn."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from flows import engine
from flows.types import BusinessInfo, Outcome, Turn
from gateway.models import Business, Contact, Conversation, Message


def business_info(business: Business) -> BusinessInfo:
    """The plain view of a business the flows get."""
    return BusinessInfo(
        slug=business.slug,
        name=business.name,
        template=business.template,
        timezone=business.timezone,
        languages=tuple(business.languages) or ("en",),
        settings=dict(business.settings),
    )


@dataclass
class Brain:
    """Runs understanding, memory and the flow for one inbound message."""

    def think(
        self,
        session: Session,
        business: Business,
        conv: Conversation,
        contact: Contact,
        message: Message,
    ) -> Outcome:
        """Decide the replies to `message` and the conversation's next state."""
        info = business_info(business)
        turn = Turn(
            business=info,
            text=message.text,
            payload=message.payload,
            language=conv.language or info.languages[0],
            customer_name=contact.display_name,
            state=dict(conv.flow_state),
        )
        return engine.respond(turn)
