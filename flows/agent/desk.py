"""What the tools act on during one turn: the ports, the turn, and what was proposed or done.

The ports are already bound to the conversation's own business and contact, so no tool takes
a business or contact id and nothing a customer writes can widen a tool's scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flows.actions import HandoffRequest
from flows.agent.errors import BadToolCall
from flows.ports import Ports
from flows.templates.legal import CONSULT_MINUTES
from flows.types import Turn
from flows.understanding.text import fold

CONFIRM_PAYLOAD = "agent:confirm"
CHANGE_PAYLOAD = "agent:change"
PENDING_TURNS = 3
"""A proposal can be confirmed within this many turns of being shown."""
MAX_DAYS_AHEAD = 366

_YES = re.compile(
    r"^\s*(?:yes|yeah|yep|sure|ok|okay|confirm|si|vale|claro|perfecto|correcto|de acuerdo"
    r"|confirmo)\b"
)


@dataclass
class Desk:
    """The turn the tools serve and what they found, proposed and did."""

    turn: Turn
    ports: Ports
    turn_no: int
    pending: dict[str, Any] | None = None
    proposed: dict[str, Any] | None = None
    done: list[str] = field(default_factory=list)
    handoff: HandoffRequest | None = None
    evidence: list[str] = field(default_factory=list)

    @property
    def tz(self) -> ZoneInfo:
        """The business timezone."""
        return ZoneInfo(self.turn.business.timezone)

    @property
    def now(self) -> datetime:
        """The turn's instant (aware)."""
        return self.turn.now or datetime.now(self.tz)

    @property
    def settings(self) -> dict[str, Any]:
        """The business settings."""
        return dict(self.turn.business.settings)

    @property
    def language(self) -> str:
        """The customer's language."""
        return self.turn.language

    def customer_confirms(self) -> bool:
        """Whether this message is the customer's yes (a button, or a plain yes)."""
        if self.turn.payload == CONFIRM_PAYLOAD:
            return True
        a = self.turn.annotations
        if a is not None and a.intent == "affirm" and a.intent_confidence >= 0.6:
            return True
        return bool(_YES.match(fold(self.turn.text)))

    def confirmable(self) -> dict[str, Any] | None:
        """The proposal shown in an earlier turn that this message may confirm, if any."""
        pending = self.pending
        if not pending:
            return None
        age = self.turn_no - int(pending.get("turn", -99))
        return pending if 1 <= age <= PENDING_TURNS else None

    def propose(self, action: dict[str, Any]) -> str:
        """Keep an action until the customer confirms it; the words to ask with."""
        self.proposed = {**action, "turn": self.turn_no}
        return (
            f"Not done yet. Ask the customer to confirm: {action['summary']}. "
            "Call confirm_pending only after they say yes in a later message."
        )

    def when(self, value: str) -> datetime:
        """A local ISO date-time from the model, checked to be ahead and within a year."""
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise BadToolCall(f"not an ISO date-time: {value[:40]!r}") from exc
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.tz)
        if parsed < self.now or parsed > self.now + timedelta(days=MAX_DAYS_AHEAD):
            raise BadToolCall("date-time out of range")
        return parsed

    def show(self, dt: datetime) -> str:
        """A local time as the model should say it."""
        return dt.astimezone(self.tz).strftime("%a %Y-%m-%d %H:%M")

    def service(self, service_id: str) -> tuple[str, int]:
        """A configured service's name in the customer's language and its minutes."""
        for entry in self.settings.get("services") or ():
            if str(entry.get("id")) == service_id:
                names = entry.get("name") or {}
                name = names.get(self.language) or names.get("en") or service_id
                return str(name), int(entry.get("minutes") or 30)
        if not self.settings.get("services") and service_id == "consultation":
            return "consultation", CONSULT_MINUTES
        raise BadToolCall("unknown service")
