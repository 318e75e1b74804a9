"""Telling staff a conversation waits for them, on the channel the business chose.

`Business.settings["staff_notify"]` is one target or a list of them:

- `{"kind": "telegram", "chat_id": "-100123", "channel": "<telegram channel id>"}` or, with a
  separate bot, `{"kind": "telegram", "chat_id": ..., "bot_token_env": "NAME"}` (or `bot_token`,
  optional `api_base`);
- `{"kind": "sms" | "whatsapp", "to": "+34600000000", "channel": "<twilio channel id>"}`;
- `{"kind": "email", "to": "desk@example.com", "host": "smtp.example.com", "port": 587,
  "from": "bot@example.com", "starttls": true, "username": ..., "password_env": "NAME"}`
  (`ssl: true` for SMTPS).

Sending goes through the provider modules (channels/) for Telegram and Twilio, smtplib for
e-mail. Errors are `NotifyError`; a retryable one makes the job try again later.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlmodel import Session, select

from channels import get_provider
from channels.base import ChannelConfig, Network, OutboundMessage, SendError
from gateway.core.errors import SwitchboardError
from gateway.core.settings import Settings
from gateway.handoff.summary import priority_label
from gateway.messaging.providers import channel_config, provider_for
from gateway.store.models import Business, Channel, Contact, Conversation, Handoff

log = logging.getLogger(__name__)

SMTP_TIMEOUT = 10.0
EMAIL = "email"
# A network target kind is the network's name; the web chat has no staff address to send to.
NETWORK_KINDS = frozenset(network.value for network in Network if network is not Network.WEBCHAT)
KINDS = NETWORK_KINDS | {EMAIL}


class NotifyError(SwitchboardError):
    """A staff notification could not be sent."""

    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Notice:
    """What staff are told: a short subject and a plain-text body."""

    subject: str
    text: str


def targets(business: Business) -> list[dict[str, Any]]:
    """The business's notification targets, unreadable entries left out (and logged)."""
    raw = (business.settings or {}).get("staff_notify")
    items = raw if isinstance(raw, list) else [raw] if raw else []
    out = []
    for item in items:
        kind = item.get("kind") or item.get("type") if isinstance(item, dict) else None
        if kind in KINDS:
            out.append({**item, "kind": kind})
        else:
            log.warning("unknown staff_notify target", extra={"business_id": business.id})
    return out


def handoff_notice(session: Session, handoff: Handoff, kind: str, public_url: str) -> Notice:
    """The notice for a new (or still unanswered) handoff, with the console link."""
    conv = session.get(Conversation, handoff.conversation_id)
    business = session.get(Business, handoff.business_id)
    assert conv is not None and business is not None
    contact = session.get(Contact, conv.contact_id)
    who = (contact.display_name if contact else None) or f"a customer on {conv.network}"
    level = priority_label(handoff.priority)
    if kind == "unanswered":
        subject = f"[{business.name}] Still waiting for a person: {who}"
        lead = "Nobody has taken this conversation yet; the customer was told we are on it."
    else:
        subject = f"[{business.name}] {who} needs a person ({level})"
        lead = f"Reason: {handoff.reason.replace('_', ' ')}. Priority: {level}."
    link = f"{public_url}/console/c/{conv.id}"
    return Notice(subject=subject, text=f"{lead}\n\n{handoff.summary}\n\nOpen: {link}")


def send_notice(settings: Settings, session: Session, business: Business, notice: Notice) -> int:
    """Send `notice` to every target of the business; returns how many took it.

    Raises NotifyError (retryable when any failure was) when no target took it.
    """
    sent, errors = 0, []
    for target in targets(business):
        try:
            _send_one(settings, session, business, target, notice)
            sent += 1
        except NotifyError as exc:
            errors.append(exc)
            log.warning(
                "staff notification failed",
                extra={"business_id": business.id, "kind": target["kind"], "error": str(exc)},
            )
    if errors and not sent:
        raise NotifyError(
            "; ".join(str(e) for e in errors), retryable=any(e.retryable for e in errors)
        )
    return sent


def _send_one(
    settings: Settings,
    session: Session,
    business: Business,
    target: dict[str, Any],
    notice: Notice,
) -> None:
    kind = target["kind"]
    if kind == EMAIL:
        send_email(target, notice)
        return
    text = f"{notice.subject}\n\n{notice.text}"
    # `chat_id` is how a Telegram chat is written in the settings, `to` a phone number.
    recipient, network = str(target.get("chat_id") or target.get("to") or ""), Network(kind)
    if not recipient:
        raise NotifyError(f"staff_notify {kind} target has no recipient")
    provider, config = _provider(settings, session, business, target)
    try:
        provider.send(OutboundMessage(recipient_id=recipient, network=network, text=text), config)
    except SendError as exc:
        raise NotifyError(f"{kind}: {exc}", retryable=exc.retryable) from exc
    log.info("staff notified", extra={"business_id": business.id, "kind": kind})


def _provider(
    settings: Settings, session: Session, business: Business, target: dict[str, Any]
) -> tuple[Any, ChannelConfig]:
    channel_id = target.get("channel")
    if channel_id:
        channel = session.exec(
            select(Channel).where(Channel.id == channel_id, Channel.business_id == business.id)
        ).first()
        if channel is None:
            raise NotifyError(f"staff_notify channel {channel_id!r} is not one of this business")
        return provider_for(channel), channel_config(settings, channel)
    kind = target["kind"]
    provider = get_provider(kind)
    # A target without a channel brings its own bot: only a provider that sends with one token.
    if provider is None or "token" not in provider.credentials:
        raise NotifyError(f"staff_notify {kind} target needs a channel")
    token = _secret(target, "bot_token")
    if not token:
        raise NotifyError(f"staff_notify {kind} target needs a channel or a bot token")
    config = ChannelConfig(
        id=f"notify-{business.slug}",
        provider=provider.name,
        credentials={"token": token},
        api_base=target.get("api_base"),
    )
    return provider, config


def _secret(target: dict[str, Any], key: str) -> str:
    """A secret given inline or, better, by the name of an environment variable."""
    env_name = target.get(f"{key}_env")
    if env_name:
        return os.environ.get(str(env_name), "")
    return str(target.get(key) or "")


def send_email(target: dict[str, Any], notice: Notice) -> None:
    """Send the notice by SMTP (plain, STARTTLS or SMTPS, with optional login)."""
    to = target.get("to")
    recipients = [str(t) for t in (to if isinstance(to, list) else [to]) if t]
    host = str(target.get("host") or "localhost")
    if not recipients:
        raise NotifyError("staff_notify email target has no recipient")
    use_ssl = bool(target.get("ssl"))
    try:
        port = int(target.get("port") or (465 if use_ssl else 25))
    except (TypeError, ValueError):
        raise NotifyError("staff_notify email port is not a number") from None
    msg = EmailMessage()
    msg["Subject"] = notice.subject.replace("\n", " ")[:200]
    msg["From"] = str(target.get("from") or f"switchboard@{host}")
    msg["To"] = ", ".join(recipients)
    msg.set_content(notice.text)
    try:
        smtp: smtplib.SMTP
        if use_ssl:
            smtp = smtplib.SMTP_SSL(
                host, port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
        with smtp:
            if target.get("starttls") and not use_ssl:
                smtp.starttls(context=ssl.create_default_context())
            username = target.get("username")
            if username:
                smtp.login(str(username), _secret(target, "password"))
            smtp.send_message(msg)
    except smtplib.SMTPResponseException as exc:
        transient = 400 <= exc.smtp_code < 500
        raise NotifyError(f"email: {exc.smtp_code} {exc.smtp_error!r}", transient) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise NotifyError(f"email: {exc}", retryable=True) from exc
    log.info("staff notified", extra={"kind": "email", "recipients": len(recipients)})
