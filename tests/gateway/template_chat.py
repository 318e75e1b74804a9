"""Fixtures and helpers for template conversations: the real demo config, the web chat, the
real processing path (in-process), and a reader of what the bot answered."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import col, select

from gateway.app import create_app
from gateway.cli.config_file import apply_config, load_config_file
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.processing import process_inbound
from gateway.store.models import Business, Conversation, Direction, Handoff, Message, ProfileFact
from gateway.worker.jobs import brain

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo.yaml"


@pytest.fixture
def shop(rt: Runtime) -> Runtime:
    """The runtime with the four demo businesses of config/demo.yaml (holidays cleared, so a
    test never lands on one by the calendar's accident)."""
    with session_scope(rt.engine) as session:
        apply_config(session, load_config_file(DEMO), rt.settings.secret_key)
        for business in session.exec(select(Business)).all():
            business.settings = {**business.settings, "holidays": []}
    return rt


@pytest.fixture
def shop_app(shop: Runtime) -> Flask:
    """The web application over the demo businesses."""
    flask_app = create_app(runtime=shop)
    flask_app.config["TESTING"] = True
    return flask_app


@pytest.fixture
def visitor(shop_app: Flask) -> FlaskClient:
    """One browser (one web-chat visitor)."""
    return shop_app.test_client()


@pytest.fixture
def other_visitor(shop_app: Flask) -> Iterator[FlaskClient]:
    """A second browser."""
    yield shop_app.test_client()


def set_settings(rt: Runtime, slug: str, **changes: Any) -> None:
    """Change some settings of a business."""
    with session_scope(rt.engine) as session:
        business = session.exec(select(Business).where(Business.slug == slug)).one()
        business.settings = {**business.settings, **changes}


def post(client: FlaskClient, slug: str, text: str, payload: str | None = None) -> None:
    """Post one message (or a button press) as the chat page does."""
    client.get(f"/chat/{slug}")
    body: dict[str, Any] = {"id": uuid.uuid4().hex, "text": text}
    if payload:
        body["payload"] = payload
    response = client.post(
        f"/chat/{slug}/messages", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 202, response.get_data(as_text=True)


def last_inbound(rt: Runtime) -> int:
    """The id of the newest inbound message."""
    with session_scope(rt.engine) as session:
        row = session.exec(
            select(Message)
            .where(Message.direction == Direction.IN)
            .order_by(col(Message.id).desc())
        ).first()
        assert row is not None and row.id is not None
        return row.id


class Chat:
    """One customer talking to one business through the real pipeline, in-process."""

    def __init__(self, rt: Runtime, client: FlaskClient, slug: str) -> None:
        self.rt, self.client, self.slug = rt, client, slug
        self.history: list[tuple[str, list[Message]]] = []

    def say(self, text: str, payload: str | None = None) -> list[Message]:
        """Send a message and process it now; returns the bot's replies."""
        before = self._out_ids()
        post(self.client, self.slug, text, payload)
        process_inbound(self.rt, brain(), last_inbound(self.rt))
        replies = [m for m in self._outbound() if m.id not in before]
        self.history.append((text, replies))
        return replies

    def press(self, replies: list[Message], match: str) -> list[Message]:
        """Press the first button whose id or title contains `match`."""
        for message in replies:
            for button in message.buttons:
                if match in button["id"] or match.lower() in button["title"].lower():
                    return self.say(button["title"], button["id"])
        raise AssertionError(f"no button {match!r} in {[m.buttons for m in replies]}")

    def text(self, replies: list[Message]) -> str:
        """All reply texts joined."""
        return "\n".join(m.text for m in replies)

    def all_bot_text(self) -> str:
        """Everything the bot said in this chat."""
        return "\n".join(m.text for m in self._outbound())

    def _outbound(self) -> list[Message]:
        with session_scope(self.rt.engine) as session:
            business = session.exec(select(Business).where(Business.slug == self.slug)).one()
            return list(
                session.exec(
                    select(Message)
                    .where(Message.business_id == business.id, Message.direction == Direction.OUT)
                    .order_by(col(Message.id))
                ).all()
            )

    def _out_ids(self) -> set[int | None]:
        return {m.id for m in self._outbound()}

    def transcript(self) -> str:
        """What was said, for assertion messages."""
        return "\n".join(f"> {t}\n" + "\n".join(f"  {m.text}" for m in r) for t, r in self.history)


def close_conversations(rt: Runtime) -> None:
    """End every conversation, so the next message starts a new one (same contact)."""
    with session_scope(rt.engine) as session:
        for conv in session.exec(select(Conversation)).all():
            conv.state = "closed"


def handoffs(rt: Runtime) -> list[Handoff]:
    """Every handoff."""
    with session_scope(rt.engine) as session:
        return list(session.exec(select(Handoff)).all())


def facts(rt: Runtime) -> dict[str, Any]:
    """Every stored profile fact (key -> value)."""
    with session_scope(rt.engine) as session:
        return {f.key: json.loads(f.value) for f in session.exec(select(ProfileFact)).all()}


def local(dt: datetime, tz: str = "Europe/Madrid") -> datetime:
    """A stored UTC time in the business's zone."""
    from zoneinfo import ZoneInfo

    return dt.astimezone(ZoneInfo(tz))
