"""Data-rights requests written in the chat: "send me my data" and "delete my data".

- An export request is answered with the export document itself (JSON, split by the channel
  into as many messages as it needs).
- An erasure request is confirmed first with Yes/No buttons (or a typed yes/no); after Yes the
  person's data is erased at once, except the goodbye and the address it goes to, which a job
  removes a little later, once the goodbye has gone out.
Consent answers (the Yes/No after a booking, `gateway.rights.ask`) are handled here too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlmodel import Session

from channels.base import Button
from flows.understanding.text import fold
from gateway.core.runtime import Runtime
from gateway.core.texts import load_texts
from gateway.messaging.outbound import Draft, store_replies
from gateway.rights import ask
from gateway.rights.erase import after_commit, erase_contact
from gateway.rights.export import export_contact
from gateway.store.models import Business, Contact, Conversation, Message
from gateway.worker import tasks
from gateway.worker.queueing import enqueue_in

ERASE_YES = "rights:erase:yes"
ERASE_NO = "rights:erase:no"
ERASE_DELAY = 30.0
"""Seconds between the confirmation and the erasure: time for the reply to go out."""

_EXPORT = re.compile(
    r"\b(send|give|email|export|download)\b.*\bmy (personal )?(data|information|info)\b"
    r"|\b(envia|enviame|mandame|dame|exporta|exportar|descargar|quiero)\b.*\bmis datos\b"
    r"|\b(envieme|mandeme|deme)\b.*\bmis datos\b"
)
_ERASE = re.compile(
    r"\b(delete|erase|remove|wipe)\b.*\bmy (personal )?(data|information|info)\b"
    r"|\b(borra|borrad|borrar|elimina|eliminar|suprime|suprimir|borre|elimine)\b.*\bmis datos\b"
)

TEXTS = Path(__file__).with_name("texts.yaml")


def request_of(text: str) -> str | None:
    """ "export", "erase" or None for a message's text."""
    t = fold(text)
    if _ERASE.search(t):
        return "erase"
    if _EXPORT.search(t):
        return "export"
    return None


_YES = frozenset(
    {
        "yes",
        "y",
        "yes please",
        "si",
        "sí",
        "vale",
        "ok",
        "okay",
        "confirm",
        "delete",
        "delete it",
        "borrar",
        "bórralos",
        "borralos",
        "confirmo",
        "adelante",
    }
)
_NO = frozenset({"no", "n", "no thanks", "no gracias", "cancel", "keep", "mantenlos", "cancelar"})


def _typed_answer(text: str) -> str | None:
    """A typed yes or no to the erasure question (where buttons are numbered or absent)."""
    said = ask.typed_yes_no(text, {fold(w) for w in _YES}, {fold(w) for w in _NO})
    return None if said is None else ERASE_YES if said else ERASE_NO


def _erasure_asked(session: Session, conv: Conversation) -> bool:
    """Whether the last reply in this conversation was the erasure question."""
    return any(
        isinstance(o, dict) and o.get("id") == ERASE_YES
        for row in ask.recent_replies(session, conv, 1)
        for o in (row.annotations.get("options") or [])
    )


def handle(
    session: Session, business: Business, conv: Conversation, contact: Contact, message: Message
) -> tuple[list[Draft], bool] | None:
    """The replies to a rights request or a consent answer, and whether to erase the contact
    afterwards; None when the message is neither."""
    consent_replies = ask.handle_answer(session, business, conv, contact, message)
    if consent_replies is not None:
        return consent_replies, False
    texts, tone = load_texts(TEXTS), str(conv.flow_state.get("tone", "casual"))
    language = conv.language or contact.language or "en"

    def t(key: str) -> str:
        return texts.get(key, language, tone)

    answer = message.payload or _typed_answer(message.text)
    if answer in (ERASE_YES, ERASE_NO) and _erasure_asked(session, conv):
        yes = answer == ERASE_YES
        message.annotations = {**message.annotations, "rights_request": "erase" if yes else "keep"}
        return [Draft(text=t("erased" if yes else "kept"))], yes
    kind = request_of(message.text) if message.kind == "text" and not message.payload else None
    if kind is None:
        return None
    message.annotations = {**message.annotations, "rights_request": kind}
    if kind == "erase":
        buttons = (
            Button(id=ERASE_YES, title=t("erase_yes")),
            Button(id=ERASE_NO, title=t("erase_no")),
        )
        return [Draft(text=t("erase_confirm"), buttons=buttons)], False
    doc = export_contact(session, business, contact, via="chat")
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return [Draft(text=t("export_intro")), Draft(text=body)], False


def before_bot(
    rt: Runtime,
    session: Session,
    business: Business,
    conv: Conversation,
    contact: Contact,
    message: Message,
) -> list[int] | None:
    """Answer a rights request or consent answer (reply ids), or None to let the bot answer."""
    handled = handle(session, business, conv, contact, message)
    if handled is None:
        return None
    drafts, erase = handled
    ids = store_replies(session, conv, drafts, author="system", reply_to_id=message.id)
    if erase:
        assert contact.id is not None
        erasure = erase_contact(
            session, business, contact, "chat", keep_message_ids=ids, keep_addresses=True
        )
        after_commit(rt, erasure)
        enqueue_in(
            rt.queue("scheduled"),
            ERASE_DELAY,
            tasks.ERASE_CONTACT,
            f"erase-contact-{contact.id}",
            {"contact_id": contact.id, "via": "chat"},
        )
    return ids
