"""`switchboard staff ...`: manage console accounts from the command line."""

from __future__ import annotations

import sys

import click

from gateway.console.staff import ROLES, add_staff, business_by_slug, list_staff, remove_staff
from gateway.core.db import make_engine, session_scope
from gateway.core.errors import ConfigError, NotFound
from gateway.core.settings import load_settings


@click.group()
def staff() -> None:
    """Staff accounts of the console.

    These commands are the operator's (whoever can run them can read the database): they act
    as an owner of every business. In the console only owners manage staff, so a business
    always keeps one owner: `remove` refuses to remove the last.
    """


@staff.command("add")
@click.option("--business", "slug", required=True, help="The business slug.")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(ROLES), default="agent", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add(slug: str, email: str, role: str, password_stdin: bool) -> None:
    """Create a staff account (or reset its password and role)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        settings = load_settings()
        engine = make_engine(settings.database_url)
        try:
            with session_scope(engine) as session:
                business = business_by_slug(session, slug)
                user = add_staff(session, business, email, password, role)
                click.echo(f"staff account {user.email} ({user.role}) of {business.slug} saved")
        finally:
            engine.dispose()
    except (ConfigError, NotFound) as exc:
        raise click.ClickException(str(exc)) from None


@staff.command("list")
@click.option("--business", "slug", default=None, help="Only this business.")
def list_command(slug: str | None) -> None:
    """List console accounts: business, e-mail, role."""
    try:
        settings = load_settings()
        engine = make_engine(settings.database_url)
        try:
            with session_scope(engine) as session:
                business = business_by_slug(session, slug) if slug else None
                rows = list_staff(session, business)
        finally:
            engine.dispose()
    except (ConfigError, NotFound) as exc:
        raise click.ClickException(str(exc)) from None
    if not rows:
        click.echo("no staff accounts")
    for business_slug, user in rows:
        click.echo(f"{business_slug}  {user.email}  {user.role}")


@staff.command("remove")
@click.argument("email")
@click.option("--business", "slug", required=True, help="The business slug.")
def remove(email: str, slug: str) -> None:
    """Remove a console account; conversations it had taken go back to waiting."""
    try:
        settings = load_settings()
        engine = make_engine(settings.database_url)
        try:
            with session_scope(engine) as session:
                user = remove_staff(session, business_by_slug(session, slug), email)
                click.echo(f"staff account {user.email} of {slug} removed")
        finally:
            engine.dispose()
    except (ConfigError, NotFound) as exc:
        raise click.ClickException(str(exc)) from None
