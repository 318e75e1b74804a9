"""How the console words things for a person: names, states, handoff reasons, the summary.

The console has no language setting for staff yet, so everything here is English.
"""

from __future__ import annotations

import re

from sqlmodel import Session, col, func, select

from gateway.store.models import Contact

STATES = {
    "bot": "With the assistant",
    "waiting_for_staff": "Waiting for a person",
    "with_staff": "With a person",
    "closed": "Closed",
}
HANDOFF_STATUSES = {
    "open": "waiting",
    "taken": "taken",
    "resolved": "resolved",
    "returned": "returned to the assistant",
    "timed_out": "timed out",
}
REASONS = {
    "customer_asked": "Asked for a person",
    "frustrated": "Seems frustrated",
    "vip": "VIP customer",
    "agent_error": "The assistant ran into an error",
    "model_failed": "The assistant's model failed",
    "timeout": "The assistant took too long",
    "bad_tool_call": "The assistant made a mistake",
    "bad_reply": "The assistant could not word a reply",
    "budget": "The assistant reached its limit",
}
_ENTITY = re.compile(r'([a-z_]+) "([^"]*)"')


def state_text(state: str | None) -> str:
    """A conversation state as staff read it."""
    if not state:
        return ""
    return STATES.get(state, _plain(state))


def status_text(status: str | None) -> str:
    """A handoff status as staff read it."""
    if not status:
        return ""
    return HANDOFF_STATUSES.get(status, _plain(status))


def reason_text(reason: str | None) -> str:
    """A handoff reason as a short phrase starting with a capital (the summary's "Why: customer
    asked" spells the code with spaces)."""
    if not reason:
        return ""
    return REASONS.get(reason.strip().replace(" ", "_"), _plain(reason))


def _plain(code: str) -> str:
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def mask_phone(phone: str) -> str:
    """A phone number with its middle hidden: +34 ••• 5678."""
    digits = phone.strip()
    if len(digits) < 8:
        return digits
    return f"{digits[:3]} ••• {digits[-4:]}"


def visitor_number(db: Session, contact: Contact) -> int:
    """A stable short number for a contact among its business's contacts (its rank by age)."""
    count = db.exec(
        select(func.count(col(Contact.id))).where(
            Contact.business_id == contact.business_id, col(Contact.id) <= contact.id
        )
    ).one()
    return int(count)


def display_name(db: Session, contact: Contact | None) -> str:
    """The contact's profile name, else the masked phone, else "Visitor 12"."""
    if contact is None:
        return "Unknown customer"
    if contact.display_name and contact.display_name.strip():
        return contact.display_name.strip()
    if contact.phone:
        return mask_phone(contact.phone)
    return f"Visitor {visitor_number(db, contact)}"


def summary_sentences(summary: str) -> tuple[list[str], list[str]]:
    """The stored handoff summary as sentences, and its last messages as lines."""
    sentences: list[str] = []
    last: list[str] = []
    in_last = False
    for line in summary.splitlines():
        if in_last:
            if line.strip():
                last.append(line.strip())
            continue
        head, _, rest = line.partition(": ")
        if line.strip() == "Last messages:":
            in_last = True
        elif head in _LINES and rest:
            sentences.extend(_LINES[head](rest.strip()))
        elif line.strip():
            sentences.append(_sentence(line.strip()))
    return sentences, last


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _why(rest: str) -> list[str]:
    return [_sentence(f"Handed over because: {reason_text(rest).lower()}")]


def _who(rest: str) -> list[str]:
    who, _, knows = rest.partition(" | knows: ")
    out = [_sentence("Customer: " + who.replace("name unknown", "name not known"))]
    if knows:
        known = [_known(item) for item in knows.split("; ") if item]
        out.append(_sentence("We know " + ", ".join(known)))
    return out


def _known(item: str) -> str:
    key, _, value = item.partition("=")
    return f"{key.replace('_', ' ')}: {value}" if value else key.replace("_", " ")


def _wants(rest: str) -> list[str]:
    out: list[str] = []
    for part in rest.split("; "):
        if part.startswith("mentioned "):
            found = [f"{k.replace('_', ' ')} “{v}”" for k, v in _ENTITY.findall(part)]
            if found:
                out.append(_sentence("They mentioned " + _and(found)))
        elif part:
            out.append(_sentence("They want to talk about " + part))
    return out


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _mood(rest: str) -> list[str]:
    words = rest.split(" (")[0]
    return [_sentence(f"They seem {words.replace(', ', ' and ')}")]


def _did(rest: str) -> list[str]:
    if rest == "nothing booked or recorded":
        return ["The assistant has not booked or recorded anything yet."]
    return [_sentence("The assistant already did this: " + rest)]


_LINES = {"Why": _why, "Who": _who, "Wants": _wants, "Mood": _mood, "Bot already did": _did}
