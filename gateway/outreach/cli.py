"""`switchboard outreach ...`: campaigns to a segment (with a dry run), reconcile, plan, list."""

from __future__ import annotations

import click
from sqlmodel import col, select

from gateway.core.db import session_scope
from gateway.core.errors import SwitchboardError
from gateway.core.runtime import Runtime
from gateway.store.models import Business, ScheduledMessage, utcnow


@click.group()
def outreach() -> None:
    """Reminders and proactive outreach."""


@outreach.command("run")
@click.option("--business", "slug", required=True, help="The business slug.")
@click.option("--segment", required=True, help="new, returning, high-intent, at-risk, VIP, ...")
@click.option("--template", required=True, help="Text: ours or settings.outreach.templates.")
@click.option("--dry-run", is_flag=True, help="Only list who would receive it and why not.")
def run_cmd(slug: str, segment: str, template: str, dry_run: bool) -> None:
    """Send (or with --dry-run, preview) a message to a segment of a business's contacts."""
    from gateway.outreach.campaign import UnknownSegment, UnknownTemplate, run_campaign

    rt = Runtime.for_command()
    try:
        verdicts = run_campaign(rt, slug, segment, template, dry_run=dry_run)
    except (UnknownSegment, UnknownTemplate, SwitchboardError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        rt.close()
    receivers = [v for v in verdicts if v.receives]
    verb = "would receive" if dry_run else "scheduled"
    click.echo(f"{len(receivers)} {verb}, {len(verdicts) - len(receivers)} would not")
    for v in receivers:
        when = f" at {v.at:%Y-%m-%d %H:%M} UTC" if v.at and v.reason else ""
        via = f" via {v.channel}" if v.channel else ""
        click.echo(f"  SEND  #{v.contact_id} {v.name}{via}{when} {v.reason}".rstrip())
    for v in verdicts:
        if not v.receives:
            click.echo(f"  SKIP  #{v.contact_id} {v.name}: {v.reason}")


@outreach.command("reconcile")
def reconcile_cmd() -> None:
    """Re-create the jobs of pending scheduled messages that Redis lost."""
    from gateway.outreach.reconcile import reconcile

    rt = Runtime.for_command()
    try:
        report = reconcile(rt)
    finally:
        rt.close()
    click.echo(
        f"checked {report.checked}, restored {report.restored}, unstuck {report.unstuck}, "
        f"overdue {report.overdue}"
    )


@outreach.command("plan")
def plan_cmd() -> None:
    """Store the follow-ups, recalls and re-engagements owed now."""
    from gateway.outreach.planner import plan

    rt = Runtime.for_command()
    try:
        click.echo(f"planned {plan(rt, utcnow())} messages")
    finally:
        rt.close()


@outreach.command("list")
@click.option("--business", "slug", required=True)
@click.option("--status", default=None, help="pending, sent, blocked, skipped, cancelled")
@click.option("--limit", default=50, show_default=True)
def list_cmd(slug: str, status: str | None, limit: int) -> None:
    """Show scheduled messages with their status and reason."""
    rt = Runtime.for_command()
    try:
        with session_scope(rt.engine) as session:
            business = session.exec(select(Business).where(Business.slug == slug)).first()
            if business is None:
                raise click.ClickException(f"no business {slug!r}")
            stmt = select(ScheduledMessage).where(ScheduledMessage.business_id == business.id)
            if status:
                stmt = stmt.where(ScheduledMessage.status == status)
            rows = session.exec(
                stmt.order_by(col(ScheduledMessage.due_at).desc()).limit(limit)
            ).all()
            for r in rows:
                why = f" ({r.status_reason})" if r.status_reason else ""
                click.echo(
                    f"#{r.id} {r.due_at:%Y-%m-%d %H:%M} {r.kind:<13} contact {r.contact_id} "
                    f"{r.status}{why} - {r.reason}"
                )
    finally:
        rt.close()
