"""`switchboard doctor`: which chat model each business uses, and whether it answers."""

from __future__ import annotations

import click
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from gateway.bot.llm import check_model
from gateway.core.db import make_engine
from gateway.core.errors import ConfigError
from gateway.core.settings import Settings, load_settings
from gateway.store.models import Business


@click.command()
@click.option("--business", "slug", default=None, help="Only this business.")
@click.option("--no-call", is_flag=True, help="Say which model is set without calling it.")
def doctor(slug: str | None, no_call: bool) -> None:
    """Say which chat model is in use (deployment and each business) and whether it answers."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    seen: dict[str, str] = {}
    click.echo(_line("SWITCHBOARD_CHAT_MODEL", settings, None, no_call, seen))
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            query = select(Business).order_by(col(Business.slug))
            if slug:
                query = query.where(Business.slug == slug)
            businesses = session.exec(query).all()
    except SQLAlchemyError as exc:
        raise click.ClickException(f"database: {type(exc).__name__}") from None
    finally:
        engine.dispose()
    for business in businesses:
        click.echo(_line(business.slug, settings, business, no_call, seen))


def _line(
    name: str, settings: Settings, business: Business | None, no_call: bool, seen: dict[str, str]
) -> str:
    """One line: the model's setting and, unless told not to call it, whether it answers."""
    own = (business.settings or {}).get("chat_model") if business is not None else None
    setting = str(own if own is not None else settings.chat_model or "")
    if no_call:
        return f"{name}: {setting or 'offline (not set)'}"
    if setting not in seen:
        label, status = check_model(settings, business)
        seen[setting] = f"{label}: {status}"
    return f"{name}: {seen[setting]}"
