"""Helpers to talk to the web chat like a browser does and to read what the store holds."""

from __future__ import annotations

import json
import uuid
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import col, select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import Direction, Message


def open_chat(client: FlaskClient, slug: str = "acme-dental") -> None:
    """Open the chat page so the visitor cookie is set."""
    assert client.get(f"/chat/{slug}").status_code == 200


def say(
    client: FlaskClient, text: str, slug: str = "acme-dental", msg_id: str | None = None
) -> Any:
    """Post one chat message as the page does."""
    body = {"id": msg_id or uuid.uuid4().hex, "text": text}
    return client.post(
        f"/chat/{slug}/messages", data=json.dumps(body), content_type="application/json"
    )


def messages(rt: Runtime, direction: str | None = None) -> list[Message]:
    """Every stored message, oldest first."""
    with session_scope(rt.engine) as session:
        stmt = select(Message).order_by(col(Message.id))
        if direction:
            stmt = stmt.where(Message.direction == direction)
        return list(session.exec(stmt).all())


def sent_replies(rt: Runtime) -> list[Message]:
    """Outbound messages that reached the provider."""
    return [m for m in messages(rt, Direction.OUT) if m.status == "sent"]
