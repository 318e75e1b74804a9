"""`switchboard channel add telegram|twilio|whatsapp`: store a channel and wire the provider.

Secrets come from options, their environment variables or a hidden prompt; they are stored
encrypted with SWITCHBOARD_SECRET_KEY and never printed back. Telegram is wired for you
(`setWebhook` with a fresh secret token); for Twilio and the Cloud API the command prints the
exact URLs (and the Cloud API verify token) to paste into the provider's console.
"""

from __future__ import annotations

import re
import secrets

import click
from sqlmodel import Session, select

from channels import telegram
from channels.base import ChannelError
from channels.phone import to_e164
from gateway.core.crypto import decrypt_credentials, encrypt_credentials
from gateway.core.db import make_engine, session_scope
from gateway.core.errors import ConfigError
from gateway.core.settings import Settings, load_settings
from gateway.messaging.providers import channel_config, status_url, webhook_url
from gateway.store.models import Business, Channel

_CHANNEL_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")


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


def _upsert(
    session: Session,
    settings: Settings,
    business: Business,
    provider: str,
    channel_id: str,
    credentials: dict[str, str],
    api_base: str | None,
) -> Channel:
    """Create the channel, or update it when it is this business's channel of this provider."""
    if not _CHANNEL_ID.match(channel_id):
        raise click.ClickException(
            f"--id: {channel_id!r} must be 2-64 lowercase letters, digits, '-' or '_'"
        )
    channel = session.get(Channel, channel_id)
    if channel is not None and (channel.business_id != business.id or channel.provider != provider):
        raise click.ClickException(f"--id: channel {channel_id!r} already exists for another use")
    if channel is None:
        assert business.id is not None
        channel = Channel(id=channel_id, business_id=business.id, provider=provider)
    else:
        # Keep stored credentials the command was not given (e.g. a verify token).
        credentials = {
            **decrypt_credentials(settings.secret_key, channel.credentials_encrypted),
            **credentials,
        }
    channel.credentials_encrypted = encrypt_credentials(settings.secret_key, credentials)
    if api_base is not None:
        channel.api_base = api_base or None
    session.add(channel)
    session.flush()
    return channel


@click.group()
def channel() -> None:
    """Add provider channels (Telegram, Twilio SMS/WhatsApp, WhatsApp Cloud API)."""


@channel.group()
def add() -> None:
    """Add (or update) a channel of a business."""


_BUSINESS = click.option("--business", "slug", required=True, help="The business slug.")
_API_BASE = click.option(
    "--api-base", default=None, help="Provider API base URL (default: the real API)."
)


@add.command("telegram")
@_BUSINESS
@click.option(
    "--token",
    envvar="TELEGRAM_BOT_TOKEN",
    prompt="Bot token (from @BotFather)",
    hide_input=True,
    help="The bot token from @BotFather (or TELEGRAM_BOT_TOKEN).",
)
@click.option("--id", "channel_id", default=None, help="Channel id (default: <slug>-telegram).")
@_API_BASE
def add_telegram(slug: str, token: str, channel_id: str | None, api_base: str | None) -> None:
    """Store a Telegram bot and point its webhook here with a fresh secret token."""
    settings = _settings()
    engine = make_engine(settings.database_url)
    secret = telegram.new_secret_token()
    try:
        with session_scope(engine) as session:
            business = _business(session, slug)
            row = _upsert(
                session,
                settings,
                business,
                "telegram",
                channel_id or f"{slug}-telegram",
                {"token": token.strip(), "secret_token": secret},
                api_base,
            )
            url = webhook_url(settings, row)
            try:
                telegram.set_webhook(channel_config(settings, row), url, secret)
            except ChannelError as exc:
                # Rolls the channel back: a stored bot whose webhook is not ours would be silent.
                raise click.ClickException(f"Telegram refused setWebhook: {exc}") from None
            channel_id = row.id
    finally:
        engine.dispose()
    click.echo(f"Telegram channel {channel_id} added for {slug}.")
    click.echo(f"Telegram now delivers updates to {url}")
    click.echo("(signed with a secret token stored encrypted; run this again to rotate it)")


@add.command("twilio")
@_BUSINESS
@click.option("--account-sid", required=True, help="Twilio Account SID (AC...).")
@click.option(
    "--auth-token",
    envvar="TWILIO_AUTH_TOKEN",
    prompt="Twilio auth token",
    hide_input=True,
    help="Twilio auth token (or TWILIO_AUTH_TOKEN).",
)
@click.option("--from-number", default="", help="Your Twilio number in E.164, e.g. +14155550100.")
@click.option("--whatsapp-from", default="", help="WhatsApp sender, when it differs.")
@click.option("--messaging-service-sid", default="", help="Send through a Messaging Service.")
@click.option("--id", "channel_id", default=None, help="Channel id (default: <slug>-twilio).")
@_API_BASE
def add_twilio(
    slug: str,
    account_sid: str,
    auth_token: str,
    from_number: str,
    whatsapp_from: str,
    messaging_service_sid: str,
    channel_id: str | None,
    api_base: str | None,
) -> None:
    """Store Twilio credentials and print the URLs to paste into the Twilio console."""
    if not account_sid.startswith("AC"):
        raise click.ClickException("--account-sid: a Twilio Account SID starts with AC")
    numbers = {}
    for option, value in (("--from-number", from_number), ("--whatsapp-from", whatsapp_from)):
        if value:
            number = to_e164(value.removeprefix("whatsapp:"))
            if number is None:
                raise click.ClickException(f"{option}: {value!r} is not a phone number")
            numbers[option] = number
    if not numbers and not messaging_service_sid:
        raise click.ClickException("give --from-number or --messaging-service-sid")
    credentials = {"account_sid": account_sid, "auth_token": auth_token.strip()}
    if "--from-number" in numbers:
        credentials["from_number"] = numbers["--from-number"]
    if "--whatsapp-from" in numbers:
        credentials["whatsapp_from"] = numbers["--whatsapp-from"]
    if messaging_service_sid:
        credentials["messaging_service_sid"] = messaging_service_sid
    settings = _settings()
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            business = _business(session, slug)
            row = _upsert(
                session,
                settings,
                business,
                "twilio",
                channel_id or f"{slug}-twilio",
                credentials,
                api_base,
            )
            inbound, status = webhook_url(settings, row), status_url(settings, row)
            channel_id = row.id
    finally:
        engine.dispose()
    click.echo(f"Twilio channel {channel_id} added for {slug}.")
    click.echo("In the Twilio console, for your number (and WhatsApp sender), set:")
    click.echo(f"  A message comes in (HTTP POST):  {inbound}")
    click.echo(f"  Status callback URL:             {status}")
    click.echo("(replies also ask Twilio for status callbacks at that URL)")


@add.command("whatsapp")
@_BUSINESS
@click.option("--phone-number-id", required=True, help="The Cloud API phone number id.")
@click.option(
    "--access-token",
    envvar="WHATSAPP_ACCESS_TOKEN",
    prompt="Cloud API access token",
    hide_input=True,
    help="A system-user access token (or WHATSAPP_ACCESS_TOKEN).",
)
@click.option(
    "--app-secret",
    envvar="WHATSAPP_APP_SECRET",
    prompt="Meta app secret",
    hide_input=True,
    help="The Meta app's secret, which signs webhooks (or WHATSAPP_APP_SECRET).",
)
@click.option("--id", "channel_id", default=None, help="Channel id (default: <slug>-whatsapp).")
@_API_BASE
def add_whatsapp(
    slug: str,
    phone_number_id: str,
    access_token: str,
    app_secret: str,
    channel_id: str | None,
    api_base: str | None,
) -> None:
    """Store Cloud API credentials; print the callback URL and a fresh verify token."""
    if not phone_number_id.isdigit():
        raise click.ClickException("--phone-number-id: digits only, as Meta shows it")
    verify_token = secrets.token_urlsafe(24)
    settings = _settings()
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            business = _business(session, slug)
            row = _upsert(
                session,
                settings,
                business,
                "whatsapp",
                channel_id or f"{slug}-whatsapp",
                {
                    "phone_number_id": phone_number_id,
                    "access_token": access_token.strip(),
                    "app_secret": app_secret.strip(),
                    "verify_token": verify_token,
                },
                api_base,
            )
            url = webhook_url(settings, row)
            channel_id = row.id
    finally:
        engine.dispose()
    click.echo(f"WhatsApp Cloud API channel {channel_id} added for {slug}.")
    click.echo("In the Meta app dashboard, WhatsApp > Configuration > Webhook, set:")
    click.echo(f"  Callback URL:  {url}")
    click.echo(f"  Verify token:  {verify_token}")
    click.echo("then subscribe the webhook to the 'messages' field.")
