"""The inbox filters: whose (mine, unassigned, all), channel, priority and a search text.

Read from the query string (a bad value is a 400) and applied to the inbox's select; the
business filter is never here: every query adds it itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import abort
from sqlmodel import Session, col, exists, func, or_, select

from gateway.store.models import Contact, Conversation, Direction, Handoff, Message

WHOSE = ("all", "mine", "unassigned")
MAX_SEARCH = 100
_CHANNEL = re.compile(r"[a-z0-9_]{1,16}")


@dataclass(frozen=True)
class InboxFilter:
    """What the staff member narrowed the inbox to."""

    whose: str = "all"
    channel: str = ""
    priority: int | None = None
    q: str = ""

    def args(self) -> dict[str, str]:
        """The non-default filters as query-string arguments."""
        out = {"whose": self.whose if self.whose != "all" else "", "channel": self.channel}
        out["priority"] = str(self.priority) if self.priority else ""
        out["q"] = self.q
        return {k: v for k, v in out.items() if v}

    def query(self) -> str:
        """The filters as a query string ("" when none)."""
        return urlencode(self.args())


def parse_filter(args: Mapping[str, str]) -> InboxFilter:
    """The filters of a request's query string; 400 for a value the form never sends."""
    whose = args.get("whose") or "all"
    if whose not in WHOSE:
        abort(400, "whose is one of all, mine, unassigned")
    channel = (args.get("channel") or "").strip()
    if channel and not _CHANNEL.fullmatch(channel):
        abort(400, "no such channel")
    return InboxFilter(whose, channel, _priority(args.get("priority")), _search(args.get("q")))


def _priority(raw: str | None) -> int | None:
    if not raw:
        return None
    if raw not in ("1", "2", "3"):
        abort(400, "priority is 1, 2 or 3")
    return int(raw)


def _search(raw: str | None) -> str:
    text = (raw or "").strip()
    if len(text) > MAX_SEARCH:
        abort(400, f"a search is at most {MAX_SEARCH} characters")
    return text


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def narrow(stmt: Any, f: InboxFilter, business_id: int) -> Any:
    """The select (over Conversation and Contact, Handoff optional) narrowed by the filters."""
    if f.channel:
        stmt = stmt.where(Conversation.network == f.channel)
    if f.q:
        pattern = _like(f.q)
        said = exists().where(
            col(Message.business_id) == business_id,
            col(Message.conversation_id) == col(Conversation.id),
            col(Message.text).ilike(pattern, escape="\\"),
        )
        stmt = stmt.where(or_(col(Contact.display_name).ilike(pattern, escape="\\"), said))
    return stmt


def narrow_handoffs(stmt: Any, f: InboxFilter, business_id: int, staff_id: int | None) -> Any:
    """`narrow`, plus whose the handoff is and its priority."""
    stmt = narrow(stmt, f, business_id)
    if f.whose == "mine":
        stmt = stmt.where(Handoff.assigned_to == staff_id)
    elif f.whose == "unassigned":
        stmt = stmt.where(col(Handoff.assigned_to).is_(None))
    if f.priority is not None:
        stmt = stmt.where(Handoff.priority == f.priority)
    return stmt


def channels(db: Session, business_id: int) -> list[str]:
    """The channels (networks) the business's conversations came in on, for the filter menu."""
    rows = db.exec(
        select(Conversation.network).where(Conversation.business_id == business_id).distinct()
    ).all()
    return sorted(str(r) for r in rows)


def unread(db: Session, business_id: int, conv_id: int) -> int:
    """Customer messages since staff last wrote in the conversation."""
    last_staff = db.exec(
        select(col(Message.id))
        .where(
            Message.business_id == business_id,
            Message.conversation_id == conv_id,
            Message.direction == Direction.OUT,
            col(Message.author).startswith("staff:"),
        )
        .order_by(col(Message.id).desc())
    ).first()
    count = db.exec(
        select(func.count(col(Message.id))).where(
            Message.business_id == business_id,
            Message.conversation_id == conv_id,
            Message.direction == Direction.IN,
            col(Message.id) > (last_staff or 0),
        )
    ).one()
    return int(count)
