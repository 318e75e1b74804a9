"""What is checked after each turn (the reply's text, language and register) and after the
last one (records, counts, handoffs, facts, consent, scheduled messages)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from flows.understanding.language import LanguageIdentifier
from flows.understanding.text import fold
from gateway.cli.conversations.spec import RECORD_KINDS, FormatError, Spec, _as_list, _instant
from gateway.store import consent
from gateway.store.models import (
    Appointment,
    Conversation,
    Handoff,
    IntakeCase,
    Lead,
    Listing,
    ProfileFact,
    Reservation,
    ScheduledMessage,
    Viewing,
)


@dataclass
class Check:
    """One expectation and whether it held."""

    kind: str
    passed: bool
    detail: str = ""
    turn: int | None = None


@dataclass
class Result:
    """One conversation played."""

    spec: Spec
    checks: list[Check] = field(default_factory=list)
    transcript: list[tuple[str, list[str]]] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        """Every check held (and nothing broke)."""
        return self.error is None and all(c.passed for c in self.checks)

    @property
    def vertical(self) -> str:
        """The business's template, from the folder or the business slug."""
        return VERTICALS.get(self.spec.business, self.spec.business)


VERTICALS = {
    "smile-dental": "dental",
    "ortega-law": "legal",
    "casa-lucia": "restaurant",
    "sol-homes": "real_estate",
}


def _has(text: str, piece: str) -> bool:
    return fold(str(piece)).strip() in fold(text)


_FORMAL = frozenset(
    "usted ustedes le su sus desea puede indiqueme digame elija llame salga tenga "
    "podria quiera disculpe contactara responda".split()
)
_INFORMAL = frozenset(
    "tu te ti tus contigo quieres puedes dime elige llama sal tienes cuentes responde "
    "quieras prefieres perdona escribe".split()
)


def register_of(text: str) -> str | None:
    """formal (usted) / informal (tú) / None when the Spanish text shows neither or both."""
    words = [w.strip("¿?¡!.,;:()\"'") for w in fold(text).split()]
    formal = sum(w in _FORMAL for w in words)
    informal = sum(w in _INFORMAL for w in words)
    if formal and not informal:
        return "formal"
    if informal and not formal:
        return "informal"
    return None if not formal else "mixed"


_LANGUAGES = LanguageIdentifier(["en", "es"])


def text_checks(expect: Mapping[str, Any], text: str, i: int) -> list[Check]:
    out: list[Check] = []
    for piece in _as_list(expect.get("contains")):
        out.append(Check("contains", _has(text, piece), f"{piece!r}", i))
    if "contains_any" in expect:
        pieces = _as_list(expect["contains_any"])
        out.append(Check("contains_any", any(_has(text, p) for p in pieces), f"{pieces}", i))
    for piece in _as_list(expect.get("not_contains")):
        out.append(Check("not_contains", not _has(text, piece), f"{piece!r}", i))
    if "language" in expect:
        got = _LANGUAGES.identify(text) if text.strip() else None
        out.append(Check("language", got == expect["language"], f"got {got}", i))
    if "register" in expect:
        wanted = {"informal": "informal", "tu": "informal", "tú": "informal"}.get(
            str(expect["register"]), str(expect["register"])
        )
        got = register_of(text)
        out.append(Check("register", got in (wanted, None), f"got {got}", i))
    if "no_reply" in expect:
        out.append(Check("no_reply", (not text.strip()) == bool(expect["no_reply"]), "", i))
    return out


def contact_ids(session: Session) -> list[int]:
    """The contacts the customer's messages were filed under (a deployment plays one customer,
    who may be several contacts until identities are linked)."""
    out: set[int] = set()
    rows = session.exec(select(Conversation)).all()
    for conv in rows:
        out.add(conv.contact_id)
    return sorted(out)


def contact_handoffs(session: Session, business_id: int, contacts: Sequence[int]) -> list[Handoff]:
    convs = session.exec(
        select(Conversation.id).where(
            Conversation.business_id == business_id, col(Conversation.contact_id).in_(contacts)
        )
    ).all()
    return list(
        session.exec(
            select(Handoff).where(
                Handoff.business_id == business_id, col(Handoff.conversation_id).in_(convs)
            )
        ).all()
    )


def reason_kinds(handoff: Handoff) -> set[str]:
    """The kinds a handoff reason counts as: asked_for_person, frustration, urgent, vip."""
    reason = fold(handoff.reason)
    kinds = {reason}
    if any(w in reason for w in ("customer_asked", "asked for a person", "accepted a person")):
        kinds.add("asked_for_person")
    if "frustrat" in reason:
        kinds.add("frustration")
    if handoff.priority >= 3 or any(w in reason for w in ("emergency", "urgent", "court date")):
        kinds.add("urgent")
    if "vip" in reason:
        kinds.add("vip")
    return kinds


def _records(session: Session, kind: str, business_id: int) -> list[dict[str, Any]]:
    model: Any = {
        "appointments": Appointment,
        "reservations": Reservation,
        "viewings": Viewing,
        "leads": Lead,
        "intake_cases": IntakeCase,
    }[kind]
    rows = session.exec(select(model).where(model.business_id == business_id)).all()
    out: list[dict[str, Any]] = []
    for row in rows:
        data = row.model_dump()
        if kind == "viewings":
            listing = session.get(Listing, row.listing_id)
            data["listing_ref"] = listing.ref if listing else None
        out.append(data)
    return out


def _same(expected: Any, got: Any) -> bool:
    if isinstance(got, datetime) or (isinstance(expected, str) and "T" in expected):
        try:
            want = _instant(expected, "value")
            have = got if isinstance(got, datetime) else _instant(got, "value")
            return want == have
        except (FormatError, TypeError):
            return False
    if isinstance(expected, bool) or isinstance(got, bool):
        return bool(expected) == bool(got)
    if isinstance(expected, int | float) and got is not None:
        try:
            return float(expected) == float(got)
        except (TypeError, ValueError):
            return False
    if isinstance(got, list | tuple):
        return all(fold(str(e)) in [fold(str(g)) for g in got] for e in _as_list(expected))
    if hasattr(got, "isoformat") and isinstance(expected, str):
        return got.isoformat()[:10] == expected[:10]
    return fold(str(expected)).strip() == fold(str(got)).strip()


CANCELLED = frozenset({"cancelled", "canceled"})


def _match_records(expected: Sequence[Mapping[str, Any]], rows: list[dict[str, Any]]) -> bool:
    free = list(rows)
    for want in expected:
        hit = next(
            (r for r in free if all(_same(v, r.get(k)) for k, v in (want or {}).items())), None
        )
        if hit is None:
            return False
        free.remove(hit)
    return True


def outcome_checks(
    session: Session,
    outcome: Mapping[str, Any],
    business_id: int,
    first_handoff: int,
) -> list[Check]:
    out: list[Check] = []
    contacts = contact_ids(session)
    for kind in RECORD_KINDS:
        if kind in outcome:
            rows = _records(session, kind, business_id)
            brief = [{k: str(v) for k, v in r.items() if not k.endswith("_id")} for r in rows]
            out.append(Check(kind, _match_records(_as_list(outcome[kind]), rows), f"have {brief}"))
    for kind, number in (outcome.get("count") or {}).items():
        # live records, as the README defines `count`: a cancelled booking is not one (its row
        # and status are checked by the record expectations above)
        rows = _records(session, kind, business_id) if kind in RECORD_KINDS else []
        rows = [r for r in rows if str(r.get("status", "")) not in CANCELLED]
        out.append(Check("count", len(rows) == int(number), f"{kind}: {len(rows)} != {number}"))
    if "handoff" in outcome:
        handoffs = [
            h
            for h in contact_handoffs(session, business_id, contacts)
            if (h.id or 0) > first_handoff
        ]
        want = outcome["handoff"]
        if want is False or want is None:
            out.append(Check("handoff", not handoffs, f"{[h.reason for h in handoffs]}"))
        elif want is True:
            out.append(Check("handoff", bool(handoffs), "none"))
        else:
            ok = bool(handoffs)
            reasons = [fold(str(r)) for r in _as_list(want.get("reason_any"))]
            if reasons:
                ok = ok and any(
                    reasons[i] in reason_kinds(h) or any(reasons[i] in k for k in reason_kinds(h))
                    for h in handoffs
                    for i in range(len(reasons))
                )
            if "open" in want:
                is_open = any(h.status not in ("closed", "resolved", "done") for h in handoffs)
                ok = ok and is_open == bool(want["open"])
            out.append(Check("handoff", ok, f"{[(h.reason, h.status) for h in handoffs]}"))
    if "facts" in outcome or "no_facts" in outcome:
        facts = _facts(session, contacts)
        for key, value in (outcome.get("facts") or {}).items():
            have = facts.get(str(key))
            ok = have is not None and fold(str(value)) in fold(have)
            out.append(Check("facts", ok, f"{key}: {have!r}"))
        for key in _as_list(outcome.get("no_facts")):
            out.append(Check("no_facts", str(key) not in facts, f"{key}: {facts.get(str(key))!r}"))
    if "consent" in outcome:
        for purpose, wanted in (outcome["consent"] or {}).items():
            got = _consent(session, business_id, contacts, str(purpose))
            out.append(Check("consent", got == bool(wanted), f"{purpose}: {got}"))
    if "scheduled" in outcome:
        want = outcome["scheduled"] or {}
        pending = session.exec(
            select(ScheduledMessage).where(
                ScheduledMessage.business_id == business_id,
                col(ScheduledMessage.contact_id).in_(contacts),
                ScheduledMessage.status == "pending",
            )
        ).all()
        out.extend(scheduled_checks(want, [m.kind for m in pending]))
    return out


def scheduled_checks(want: Mapping[str, Any], pending: Sequence[str]) -> list[Check]:
    """`pending: N` counts the pending messages of the listed `kinds` (all kinds when none is
    listed); `kinds` alone asks that each listed kind is pending."""
    kinds = [str(k) for k in _as_list(want.get("kinds"))]
    seen = f"pending {sorted(pending)}"
    if "pending" in want:
        counted = [k for k in pending if not kinds or k in kinds]
        return [Check("scheduled", len(counted) == int(want["pending"]), seen)]
    return [Check("scheduled", kind in pending, seen) for kind in kinds]


def _facts(session: Session, contacts: Sequence[int]) -> dict[str, str]:
    out: dict[str, str] = {}
    rows = session.exec(select(ProfileFact).where(col(ProfileFact.contact_id).in_(contacts))).all()
    for row in rows:
        out[row.key] = row.value
    return out


def _consent(session: Session, business_id: int, contacts: Sequence[int], purpose: str) -> bool:
    """The contacts' current consent for `purpose`, derived from the ledger's history."""
    stated = [
        granted
        for contact_id in contacts
        for (_, p), granted in consent.current(session, business_id, contact_id).items()
        if p == purpose
    ]
    if not stated:
        return bool(consent._DEFAULT_ALLOWED.get(purpose, False))
    return all(stated)
