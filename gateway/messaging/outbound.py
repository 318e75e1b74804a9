"""Replies: stored first, one row per provider API call, then delivered by a job.

`store_replies` breaks each draft into the parts its provider sends one API call at a time
(`Provider.parts`), so a retry never re-sends a part that already went out, and
`enqueue_send` asks a worker to deliver each row (`gateway.messaging.sending`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlmodel import Session

from channels.base import (
    Attachment,
    Button,
    Location,
    Network,
    OutboundMessage,
    Provider,
    TemplateRef,
)
from channels.text import split_text
from gateway.core.runtime import Runtime
from gateway.messaging.providers import layout_config, provider_for
from gateway.store.models import (
    Channel,
    Conversation,
    Direction,
    Message,
    MessageStatus,
)
from gateway.worker import tasks
from gateway.worker.queueing import safe_enqueue

log = logging.getLogger(__name__)

DEFAULT_PURPOSE = "reply"


@dataclass(frozen=True)
class Draft:
    """A reply to store: text plus the optional features a channel may render.

    `purpose` picks the approved template that stands in for it outside the WhatsApp window
    (channel `settings.templates[purpose]`, else `templates["default"]`); `keyword` marks the
    answer to a STOP/START/HELP keyword, the only kind of message that goes out after STOP;
    `proactive` marks a message the customer did not prompt (reminders, follow-ups).
    """

    text: str
    buttons: tuple[Button, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    location: Location | None = None
    template: TemplateRef | None = None
    purpose: str = DEFAULT_PURPOSE
    keyword: str | None = None
    proactive: bool = False
    annotations: Mapping[str, Any] = field(default_factory=dict)


def store_replies(
    session: Session,
    conv: Conversation,
    drafts: Sequence[Draft],
    *,
    author: str = "bot",
    reply_to_id: int | None = None,
) -> list[int]:
    """Store replies as pending outbound rows, one per provider API call (`Provider.parts`)."""
    channel = session.get(Channel, conv.channel_id)
    assert channel is not None and conv.id is not None
    provider = provider_for(channel)
    ids: list[int] = []
    for draft in drafts:
        parts = split_draft(provider, channel, conv, draft)
        for index, part in enumerate(parts):
            row = _row(conv, draft, part, index, len(parts), author, reply_to_id)
            session.add(row)
            session.flush()
            assert row.id is not None
            ids.append(row.id)
    return ids


def split_draft(
    provider: Provider, channel: Channel, conv: Conversation, draft: Draft
) -> list[OutboundMessage]:
    """The provider API calls one draft takes, in order."""
    wire = OutboundMessage(
        recipient_id=conv.address,
        network=Network(conv.network),
        text=draft.text,
        buttons=draft.buttons,
        attachments=draft.attachments,
        location=draft.location,
        template=draft.template,
    )
    if provider.parts is not None:
        return provider.parts(wire, layout_config(channel))
    chunks = split_text(draft.text, provider.max_text) or [""]
    last = len(chunks) - 1
    return [
        replace(
            wire,
            text=chunk,
            buttons=draft.buttons if i == last else (),
            attachments=draft.attachments if i == 0 else (),
            location=draft.location if i == last else None,
        )
        for i, chunk in enumerate(chunks)
    ]


def _row(
    conv: Conversation,
    draft: Draft,
    part: OutboundMessage,
    index: int,
    count: int,
    author: str,
    reply_to_id: int | None,
) -> Message:
    assert conv.id is not None
    notes: dict[str, Any] = dict(draft.annotations)
    notes["purpose"] = draft.purpose
    notes["part"] = [index, count]
    if draft.keyword:
        notes["keyword"] = draft.keyword
    if draft.proactive:
        notes["proactive"] = True
    if draft.buttons and index == count - 1:
        # What the customer may answer with, whatever the channel rendered (native or numbered).
        notes["options"] = [{"id": b.id, "title": b.title} for b in draft.buttons]
    if part.location is not None and (part.location.name or part.location.address):
        notes["location"] = {"name": part.location.name, "address": part.location.address}
    template = part.template
    return Message(
        business_id=conv.business_id,
        conversation_id=conv.id,
        channel_id=conv.channel_id,
        direction=Direction.OUT,
        kind="template" if template else _kind(part),
        text=part.text,
        buttons=[_button(b) for b in part.buttons],
        attachments=[asdict(a) for a in part.attachments],
        latitude=part.location.latitude if part.location else None,
        longitude=part.location.longitude if part.location else None,
        template=template_json(template) if template else None,
        annotations=notes,
        status=MessageStatus.PENDING,
        author=author,
        reply_to_id=reply_to_id,
    )


def options_of(row: Message) -> tuple[Button, ...]:
    """The options a stored outbound message offered (what `_row` noted), as buttons."""
    raw = row.annotations.get("options") or row.buttons
    if not isinstance(raw, list):
        return ()
    return tuple(
        Button(id=str(o["id"]), title=str(o.get("title", "")))
        for o in raw
        if isinstance(o, dict) and "id" in o
    )


def _kind(part: OutboundMessage) -> str:
    if part.attachments:
        return part.attachments[0].kind
    if part.location is not None:
        return "location"
    return "text"


def _button(button: Button) -> dict[str, Any]:
    out: dict[str, Any] = {"id": button.id, "title": button.title}
    if button.description:
        out["description"] = button.description
    return out


def template_json(template: TemplateRef) -> dict[str, Any]:
    return {
        "name": template.name,
        "language": template.language,
        "variables": list(template.variables),
    }


def enqueue_send(rt: Runtime, message_id: int) -> bool:
    """Ask a worker to deliver a stored outbound message (harmless when repeated)."""
    return safe_enqueue(
        rt.queue("outbound"), tasks.SEND_OUTBOUND, f"out-{message_id}", {"message_id": message_id}
    )
