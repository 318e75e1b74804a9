"""A message to a segment: who would receive it, and for everyone else why not.

The dry run applies the same policy the send job applies (consent, frequency cap, WhatsApp
window and templates, quiet hours) to every contact of the business, after refreshing their
segments. Without the dry run the receivers get a "campaign" row each, due now; the job checks
the policy again when it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session, col, select

from flows.outreach import (
    MARKETING,
    SEGMENTS,
    Policy,
    Situation,
    decide,
    policy_from_settings,
    zone,
)
from gateway.core.db import session_scope
from gateway.core.errors import NotFound
from gateway.core.runtime import Runtime
from gateway.outreach import texts
from gateway.outreach.reminders import schedule_proactive
from gateway.outreach.scheduling import PENDING, schedule_rows
from gateway.outreach.segments import refresh_segments
from gateway.outreach.send import marketing_sent, routes_for
from gateway.store.models import Business, Contact, ScheduledMessage, utcnow

CAMPAIGN = "campaign"


class UnknownSegment(ValueError):
    """A segment name that is not one of flows.outreach.SEGMENTS."""


class UnknownTemplate(ValueError):
    """A template that is neither one of ours nor in the business's outreach templates."""


def known_templates(business: Business) -> list[str]:
    """The texts a campaign may use: ours and `settings.outreach.templates`."""
    outreach = business.settings.get("outreach") if business.settings else None
    custom = outreach.get("templates") if isinstance(outreach, dict) else None
    return sorted({*texts.TEXTS, *(custom if isinstance(custom, dict) else {})})


@dataclass(frozen=True)
class Verdict:
    """One contact's fate in a campaign."""

    contact_id: int
    name: str
    segments: tuple[str, ...]
    receives: bool
    reason: str = ""
    channel: str | None = None
    at: datetime | None = None
    scheduled_id: int | None = None


def _already(session: Session, contact_id: int, template: str) -> bool:
    rows = session.exec(
        select(ScheduledMessage.payload).where(
            ScheduledMessage.contact_id == contact_id,
            ScheduledMessage.kind == CAMPAIGN,
            ScheduledMessage.status == PENDING,
        )
    ).all()
    return any(p.get("template") == template for p in rows)


def evaluate(
    session: Session, business: Business, segment: str, template: str, now: datetime
) -> list[Verdict]:
    """Decide, for every contact of the business, whether the campaign would reach them."""
    assert business.id is not None
    policy = policy_from_settings(dict(business.settings))
    out: list[Verdict] = []
    contacts = session.exec(
        select(Contact).where(Contact.business_id == business.id).order_by(col(Contact.id))
    ).all()
    for contact in contacts:
        assert contact.id is not None
        segs = tuple(refresh_segments(session, contact.id, now))
        base = Verdict(
            contact_id=contact.id,
            name=contact.display_name or f"contact {contact.id}",
            segments=segs,
            receives=False,
        )
        out.append(_verdict(session, business, contact, base, segment, template, policy, now))
    return out


def _verdict(
    session: Session,
    business: Business,
    contact: Contact,
    base: Verdict,
    segment: str,
    template: str,
    policy: Policy,
    now: datetime,
) -> Verdict:
    if segment not in base.segments:
        shown = ", ".join(base.segments) or "none"
        return replace(base, reason=f"not in segment {segment} (segments: {shown})")
    assert contact.id is not None and business.id is not None
    if _already(session, contact.id, template):
        return replace(base, reason=f"already scheduled for {template}")
    probe = ScheduledMessage(
        business_id=business.id,
        contact_id=contact.id,
        kind=CAMPAIGN,
        purpose=MARKETING,
        due_at=now,
        payload={"template": template},
    )
    situation = Situation(
        kind=CAMPAIGN,
        purpose=MARKETING,
        due_at=now,
        now=now,
        timezone=zone(contact.timezone, business.timezone),
        marketing_sent=marketing_sent(session, probe, now),
        routes=tuple(routes_for(session, probe, None, MARKETING, now)),
    )
    d = decide(situation, policy)
    if d.action == "send" and d.route is not None:
        via = d.route.channel_id + (f" (template {d.template.name})" if d.template else "")
        return replace(base, receives=True, channel=via, at=now)
    if d.action == "defer":
        return replace(base, receives=True, reason=d.reason, at=d.at)
    return replace(base, reason=d.reason)


def run_campaign(
    rt: Runtime, slug: str, segment: str, template: str, *, dry_run: bool
) -> list[Verdict]:
    """Evaluate a campaign and, unless a dry run, store and schedule a row per receiver."""
    if segment not in SEGMENTS:
        raise UnknownSegment(f"unknown segment {segment!r}; one of: {', '.join(SEGMENTS)}")
    now = utcnow()
    with session_scope(rt.engine) as session:
        business = session.exec(select(Business).where(Business.slug == slug)).first()
        if business is None or business.id is None:
            raise NotFound(f"no business {slug!r}")
        if template not in (names := known_templates(business)):
            raise UnknownTemplate(f"unknown template {template!r}; one of: {', '.join(names)}")
        verdicts = evaluate(session, business, segment, template, now)
        if dry_run:
            return verdicts
        done: list[Verdict] = []
        for v in verdicts:
            if v.receives:
                sid = schedule_proactive(
                    session,
                    business.id,
                    v.contact_id,
                    CAMPAIGN,
                    now,
                    MARKETING,
                    f"campaign {template} to segment {segment}",
                    {"template": template, "key": f"campaign:{template}:{now:%Y%m%d}"},
                )
                v = replace(v, scheduled_id=sid)
            done.append(v)
    schedule_rows(rt, [v.scheduled_id for v in done if v.scheduled_id])
    return done
