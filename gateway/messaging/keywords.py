"""Before the bot: button replies mapped to the option chosen, and consent keywords answered.

`before_bot` runs at the start of processing each inbound message, whoever has the conversation
(the bot or staff): keywords are honoured even while a person is answering.

- A reply that chose one of the options we sent (a numbered reply to options sent as text, a
  button's callback data: the provider's `match_option` hook says) becomes the option's id in
  `message.payload`, so the bot sees the same thing whichever channel it came from.
- SMS: STOP and its variants (English and Spanish) opt the contact out on SMS with one
  confirmation, after which nothing else goes out there (enforced in `send_outbound`); START
  (or YES while opted out) opts back in; HELP answers with the business's name and how to opt out.
- WhatsApp, Telegram and the web chat: the unambiguous opt-out words opt the contact out of
  proactive messages there (CANCEL, END and QUIT are left to the bot: on a booking bot they mean
  something else); START opts back in while opted out; HELP is left to the bot.
- Every network: a business's campaign keyword (`settings.join_keywords`, e.g. OFERTAS) grants
  marketing consent, recorded with the campaign's exact wording, and lifts an opt-out there.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlmodel import Session, col, select

from channels import get_provider
from channels.base import Button, Network, SentOptions
from channels.keywords import classify_keyword, normalize_word, opt_out_request
from gateway.core.runtime import Runtime
from gateway.core.texts import load_texts
from gateway.messaging.outbound import Draft, options_of, store_replies
from gateway.messaging.provider_jobs import ensure_media_downloaded
from gateway.outreach.reminders import cancel_for_opt_out
from gateway.store import consent
from gateway.store.models import Business, Channel, Contact, Conversation, Direction, Message

log = logging.getLogger(__name__)

AMBIGUOUS_OPT_OUT = frozenset({"cancel", "cancelar", "end", "quit"})
SPANISH_WORDS = frozenset(
    {"baja", "alto", "parar", "detener", "cancelar", "desuscribir", "desuscribirme",
     "alta", "comenzar", "reanudar", "suscribir", "ayuda"}
)  # fmt: skip
RECENT_OPTION_ROWS = 20

TEXTS = Path(__file__).with_name("texts.yaml")


def before_bot(
    rt: Runtime,
    session: Session,
    business: Business,
    conv: Conversation,
    contact: Contact,
    message: Message,
) -> list[int] | None:
    """Map a button reply, then answer a consent keyword: its reply ids, or None for the bot."""
    channel = session.get(Channel, conv.channel_id)
    if channel is None:
        return None
    ensure_media_downloaded(rt, channel, message)
    map_button_reply(session, channel, conv, message)
    return handle_keyword(session, business, conv, contact, message)


# --- button replies ----------------------------------------------------------------------------


def map_button_reply(
    session: Session, channel: Channel, conv: Conversation, message: Message
) -> Button | None:
    """Set `message.payload` to the id of the option the customer chose, when they chose one.

    The channel's provider says what a choice looks like (`Provider.match_option`): a numbered
    reply to options sent as text, or a button's callback data.
    """
    provider = get_provider(channel.provider)
    if provider is None or provider.match_option is None:
        return None
    assert message.id is not None
    sent = [
        SentOptions(row.provider_message_id, options_of(row))
        for row in _recent_with_options(session, conv, message.id)
    ]
    if not sent:
        return None
    raw = message.raw.get("provider")
    choice = provider.match_option(
        message.text, message.payload, raw if isinstance(raw, dict) else {}, sent
    )
    if choice is not None:
        message.payload = choice.id
    return choice


def _recent_with_options(session: Session, conv: Conversation, before: int) -> list[Message]:
    rows = session.exec(
        select(Message)
        .where(
            Message.business_id == conv.business_id,
            Message.conversation_id == conv.id,
            Message.direction == Direction.OUT,
            col(Message.id) < before,
        )
        .order_by(col(Message.id).desc())
        .limit(RECENT_OPTION_ROWS)
    ).all()
    return [r for r in rows if options_of(r)]


# --- consent keywords --------------------------------------------------------------------------


def handle_keyword(
    session: Session,
    business: Business,
    conv: Conversation,
    contact: Contact,
    message: Message,
) -> list[int] | None:
    """Answer STOP / START / HELP (see the module doc); None when the message is not one."""
    network = conv.network
    if message.payload or message.kind not in ("text", "button"):
        return None
    if (campaign := join_keyword(business, message.text)) is not None:
        return _join(session, business, conv, contact, message, campaign)
    keyword = classify_keyword(message.text)
    word = normalize_word(message.text or "")
    if keyword is None and (asked := opt_out_request(message.text)) is not None:
        keyword, word = "opt_out", asked  # "no me envíen más promociones. BAJA."
    if keyword is None:
        return None
    sms = network == Network.SMS
    assert business.id is not None and contact.id is not None
    opted_out = consent.is_opted_out(session, business.id, contact.id, network)
    if keyword == "help" and not sms:
        return None
    if keyword == "opt_out" and not sms and word in AMBIGUOUS_OPT_OUT:
        return None
    if keyword == "opt_in" and not opted_out and (not sms or word == "yes"):
        return None
    message.annotations = {**message.annotations, "keyword": keyword}
    tone = str(conv.flow_state.get("tone", "casual"))
    source = f"keyword:{word}"[:60]
    if keyword == "opt_out":
        if opted_out:
            return []  # one confirmation only: a repeated STOP is recorded, not answered
        consent.opt_out(
            session, business.id, contact.id, network, source,
            wording=message.text, message_id=message.id,
        )  # fmt: skip
        cancel_for_opt_out(session, business.id, contact.id, network)
        text = _text(business, word, "opt_out_sms" if sms else "opt_out_chat", tone)
    elif keyword == "opt_in":
        consent.opt_in(
            session, business.id, contact.id, network, source,
            wording=message.text, message_id=message.id,
        )  # fmt: skip
        text = _text(business, word, "opt_in", tone)
    else:
        text = _text(business, word, "help", tone)
    log.info(
        "consent keyword",
        extra={
            "business_id": business.id,
            "conversation_id": conv.id,
            "message_id": message.id,
            "keyword": keyword,
        },
    )
    draft = Draft(text=text, keyword=keyword, purpose="consent")
    return store_replies(session, conv, [draft], author="system", reply_to_id=message.id)


def join_keyword(business: Business, text: str | None) -> dict[str, str] | None:
    """The business's campaign keyword entry this message is, if it is one."""
    word = normalize_word(text or "") if text and len(text) <= 40 else ""
    entries = (business.settings or {}).get("join_keywords") or []
    for entry in entries:
        if isinstance(entry, dict) and word and normalize_word(str(entry.get("keyword"))) == word:
            return {str(k): str(v) for k, v in entry.items()}
    return None


def _join(
    session: Session,
    business: Business,
    conv: Conversation,
    contact: Contact,
    message: Message,
    campaign: dict[str, str],
) -> list[int]:
    """Record the grant the campaign's words asked for, and confirm it once."""
    assert business.id is not None and contact.id is not None
    network, source = conv.network, f"keyword:{normalize_word(campaign['keyword'])}"[:60]
    wording = campaign.get("wording", "")
    if consent.is_opted_out(session, business.id, contact.id, network):
        consent.opt_in(session, business.id, contact.id, network, source, wording=wording,
                       message_id=message.id)  # fmt: skip
    consent.record(
        session, business.id, contact.id, network, "marketing", True,
        source=source, wording=wording, message_id=message.id,
    )  # fmt: skip
    message.annotations = {**message.annotations, "keyword": "join"}
    tone = str(conv.flow_state.get("tone", "casual"))
    language = campaign.get("language", "en")
    text = load_texts(TEXTS).get("joined", language, tone, business=business.name)
    draft = Draft(text=text, keyword="join", purpose="consent")
    return store_replies(session, conv, [draft], author="system", reply_to_id=message.id)


def _text(business: Business, word: str, key: str, tone: str) -> str:
    language = "es" if word in SPANISH_WORDS else "en"
    texts = load_texts(TEXTS)
    contact = business.settings.get("help_contact") if business.settings else None
    line = texts.get("contact", language, tone, value=contact) if isinstance(contact, str) else ""
    return texts.get(
        key, language, tone, business=business.name, contact=f" {line}" if line else ""
    )
