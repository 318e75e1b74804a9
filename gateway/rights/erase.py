"""Erasure of one contact (the right to be forgotten), kept apart from the business's records.

Removed: message texts, raw payloads (and the webhook inbox's copy of each event), annotations,
attachments (and their files), buttons and provider ids; profile facts; identities (phone,
Telegram user, web visitor); the consent ledger; CSAT ratings, unanswered questions and A/B
exposures; scheduled messages (pending ones cancelled with their RQ jobs); handoff summaries (the
staff's notes). Kept for the business, with the person's data removed: bookings (appointments,
reservations, viewings, leads, intake cases) and the conversations' shape (dates, states).
What remains points at the same contact row, now without name, phone, language or segments.
An audit record (`DataRequest`) says an erasure happened and how much it removed, nothing more.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import redis
from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy import delete
from sqlmodel import Session, col, select

from gateway.core.runtime import Runtime
from gateway.outreach.scheduling import PENDING, job_id
from gateway.store.inbox import inbox_of
from gateway.store.models import (
    AbExposure,
    Appointment,
    Business,
    ConsentEvent,
    Contact,
    ContactIdentity,
    Conversation,
    CsatRating,
    DataRequest,
    DeclinedQuestion,
    Direction,
    Handoff,
    IntakeCase,
    Lead,
    Message,
    MessageStatus,
    ProfileFact,
    Reservation,
    ScheduledMessage,
    StaffNote,
)

log = logging.getLogger(__name__)

ERASED = "erased"


@dataclass
class Erasure:
    """What one erasure removed, and the RQ jobs and files to remove once it is committed."""

    counts: dict[str, int] = field(default_factory=dict)
    job_ids: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def _blank_messages(
    session: Session, conv_ids: list[int | None], out: Erasure, keep: Sequence[int]
) -> None:
    rows = session.exec(select(Message).where(col(Message.conversation_id).in_(conv_ids))).all()
    for m in rows:
        if m.id in keep:
            continue
        out.files += [Path(str(a["path"])) for a in m.attachments if a.get("path")]
        m.text, m.payload, m.raw, m.annotations = "", None, {}, {}
        m.attachments, m.buttons, m.template = [], [], None
        m.latitude = m.longitude = None
        m.provider_message_id, m.error_message = None, None
        if m.direction == Direction.OUT and m.status in (MessageStatus.PENDING, "sending"):
            m.status, m.error_code = MessageStatus.FAILED, ERASED
        session.add(m)
    out.counts["messages"] = len(rows)


def _blank_inbox(session: Session, business_id: int, convs: Sequence[Conversation]) -> int:
    """The webhook's copy of each event (kept blank, so a provider's redelivery stays a no-op)."""
    rows = inbox_of(session, business_id, convs)
    for row in rows:
        row.event, row.sender_id = {}, ""
        session.add(row)
    return len(rows)


def _clear_records(session: Session, business_id: int, contact_id: int) -> int:
    n = 0
    for table in (Appointment, Reservation, Lead, IntakeCase):
        for rec in session.exec(
            select(table).where(table.business_id == business_id, table.contact_id == contact_id)
        ).all():
            rec.details = {}
            if isinstance(rec, Reservation):
                rec.requests = ""
            if isinstance(rec, Lead):
                rec.areas, rec.timeline, rec.financing = [], None, None
            if isinstance(rec, IntakeCase):
                rec.parties, rec.summary, rec.jurisdiction = [], "", None
            session.add(rec)
            n += 1
    return n


def erase_contact(
    session: Session,
    business: Business,
    contact: Contact,
    via: str,
    *,
    keep_message_ids: Sequence[int] = (),
    keep_addresses: bool = False,
    audit: bool = True,
) -> Erasure:
    """Remove the person's data in this transaction; see the module doc for what stays.

    A confirmed chat request erases at once but keeps its own goodbye (`keep_message_ids`, no
    personal data in it) and the addresses it must go to (`keep_addresses`); a second pass a
    little later (`audit=False`) removes those too.
    """
    assert business.id is not None and contact.id is not None
    bid, cid = business.id, contact.id
    out = Erasure()
    convs = session.exec(
        select(Conversation).where(Conversation.business_id == bid, Conversation.contact_id == cid)
    ).all()
    conv_ids = [c.id for c in convs]
    _blank_messages(session, conv_ids, out, keep_message_ids)
    out.counts["inbox"] = _blank_inbox(session, bid, convs)
    for conv in convs:
        if not keep_addresses:
            conv.address = f"{ERASED}-{conv.id}"
        conv.flow_state, conv.language = {}, None
        session.add(conv)
    out.counts["conversations"] = len(convs)
    for h in session.exec(select(Handoff).where(col(Handoff.conversation_id).in_(conv_ids))).all():
        h.summary = ""
        session.add(h)
    notes = delete(StaffNote).where(col(StaffNote.conversation_id).in_(conv_ids))
    out.counts["staff_notes"] = int(session.execute(notes).rowcount)  # type: ignore[attr-defined]
    for row in session.exec(
        select(ScheduledMessage).where(
            ScheduledMessage.business_id == bid, ScheduledMessage.contact_id == cid
        )
    ).all():
        if row.status == PENDING and row.id is not None:
            out.job_ids.append(job_id(row.id, row.due_at))
        session.delete(row)
        out.counts["scheduled"] = out.counts.get("scheduled", 0) + 1
    session.flush()
    for table in (
        ProfileFact,
        ContactIdentity,
        ConsentEvent,
        CsatRating,
        DeclinedQuestion,
        AbExposure,
    ):
        result = session.execute(
            delete(table).where(col(table.business_id) == bid, col(table.contact_id) == cid)
        )
        out.counts[str(table.__tablename__)] = int(result.rowcount)  # type: ignore[attr-defined]
    out.counts["records"] = _clear_records(session, bid, cid)
    contact.display_name = contact.phone = contact.language = contact.timezone = None
    contact.segments, contact.last_seen_at = [], None
    session.add(contact)
    if audit:
        counts = out.counts
        session.add(
            DataRequest(
                business_id=bid, kind="erasure", contact_id=cid, via=via[:32], counts=counts
            )
        )
    session.flush()
    session.expire_all()
    log.info("contact erased", extra={"business_id": bid, "contact_id": cid, "via": via})
    return out


def after_commit(rt: Runtime, erasure: Erasure) -> None:
    """Cancel the erased rows' RQ jobs and delete downloaded media files."""
    for jid in erasure.job_ids:
        with contextlib.suppress(redis.RedisError):
            rt.queue("scheduled").scheduled_job_registry.remove(jid)
            with contextlib.suppress(NoSuchJobError):
                Job.fetch(jid, connection=rt.redis).delete()
    media_root = (rt.settings.var_dir / "media").resolve()
    for path in erasure.files:
        with contextlib.suppress(OSError):
            if path.resolve().is_relative_to(media_root):
                path.unlink()
