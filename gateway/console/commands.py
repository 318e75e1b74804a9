"""`switchboard staff ...`: manage console accounts from the command line."""

from __future__ import annotations

import sys

import click

from gateway.console.staff import ROLES, add_staff, business_by_slug
from gateway.core.db import make_engine, session_scope
from gateway.core.errors import ConfigError, NotFound
from gateway.core.settings import load_settings


@click.group()
def staff() -> None:
    """Staff accounts of the console."""


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
