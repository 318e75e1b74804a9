"""`switchboard channel add <provider>`: store a channel and wire the provider.

One command per registered provider with a `setup` (channels.base.Setup): its options, checks
and wiring come from the provider module, so a new provider needs no code here. Secrets come
from options, their environment variables or a hidden prompt; they are stored encrypted with
SWITCHBOARD_SECRET_KEY and never printed back. Telegram is wired for you (`setWebhook` with a
fresh secret token); for Twilio and the Cloud API the command prints the exact URLs (and the
Cloud API verify token) to paste into the provider's console.
"""

from __future__ import annotations

from typing import Any

import click
from sqlmodel import Session, select

from channels.base import Setup, SetupError, SetupField
from gateway.core.db import make_engine, session_scope
from gateway.core.errors import ConfigError
from gateway.core.settings import Settings, load_settings
from gateway.messaging.channel_setup import connect_channel, setups
from gateway.store.models import Business


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _business(session: Session, slug: str) -> Business:
    business = session.exec(select(Business).where(Business.slug == slug)).first()
    if business is None:
        raise click.ClickException(f"--business: no business with slug {slug!r} (load it first)")
    return business


@click.group()
def channel() -> None:
    """Add provider channels (Telegram, Twilio SMS/WhatsApp, WhatsApp Cloud API)."""


class _ProviderCommands(click.Group):
    """`channel add <provider>` for every registered provider that has a setup, looked up when
    the command runs, so a provider added to the registry is there without code here."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The providers an owner can connect by hand."""
        return list(setups())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command for one provider, built from its setup."""
        setup = setups().get(cmd_name)
        return _add_command(cmd_name, setup) if setup is not None else None


@channel.group(cls=_ProviderCommands)
def add() -> None:
    """Add (or update) a channel of a business."""


def _option(spec: SetupField) -> click.Option:
    """A command-line option for one setup value: `auth_token` becomes `--auth-token`."""
    flag = "--" + spec.key.replace("_", "-")
    if spec.prompt:
        return click.Option(
            [flag, spec.key], envvar=spec.env, prompt=spec.prompt, hide_input=spec.secret,
            help=spec.help,
        )  # fmt: skip
    return click.Option(
        [flag, spec.key], envvar=spec.env, required=spec.required, default=None, help=spec.help
    )


def _add_command(name: str, setup: Setup) -> click.Command:
    """`channel add <name>`: the provider's setup values, plus business, id and API base."""

    def run(slug: str, channel_id: str | None, api_base: str | None, **values: Any) -> None:
        given = {key: str(value or "") for key, value in values.items()}
        _add(name, setup, slug, channel_id or f"{slug}-{name}", api_base, given)

    params: list[click.Parameter] = [
        click.Option(["--business", "slug"], required=True, help="The business slug."),
        *(_option(spec) for spec in setup.fields),
        click.Option(
            ["--id", "channel_id"], default=None, help=f"Channel id (default: <slug>-{name})."
        ),
        click.Option(
            ["--api-base"], default=None, help="Provider API base URL (default: the real API)."
        ),
    ]
    return click.Command(
        name, params=params, callback=run, help=f"Connect a {setup.title} channel."
    )


def _add(
    name: str,
    setup: Setup,
    slug: str,
    channel_id: str,
    api_base: str | None,
    values: dict[str, str],
) -> None:
    """Check the values, store the channel and wire it; nothing is stored if wiring fails."""
    settings = _settings()
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            business = _business(session, slug)
            try:
                done = connect_channel(
                    session, settings, business, name, values,
                    channel_id=channel_id, api_base=api_base,
                )  # fmt: skip
            except SetupError as exc:
                raise click.ClickException(str(exc)) from None  # rolls the channel back
    finally:
        engine.dispose()
    click.echo(f"{done.title} channel {done.channel_id} added for {slug}.")
    for line in done.lines:
        click.echo(line)
