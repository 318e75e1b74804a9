"""Understanding and profile memory, wired: annotations stored, facts kept, used and erasable."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.processing import process_inbound
from gateway.store.models import Contact, Conversation, ProfileFact
from gateway.worker.jobs import brain
from tests.gateway.chat_helpers import messages, open_chat, say

pytestmark = pytest.mark.db


def _turn(client: FlaskClient, rt: Runtime, text: str) -> str:
    """Send one chat message and process it in this process; return the bot's reply text."""
    before = {m.id for m in messages(rt, "out")}
    assert say(client, text).status_code == 202
    inbound = messages(rt, "in")[-1]
    process_inbound(rt, brain(), inbound.id or 0)
    return "\n".join(m.text for m in messages(rt, "out") if m.id not in before)


def _facts(rt: Runtime) -> dict[str, str]:
    with session_scope(rt.engine) as session:
        return {f.key: f.value for f in session.exec(select(ProfileFact)).all()}


def test_each_message_carries_its_annotations(client: FlaskClient, demo: Runtime) -> None:
    open_chat(client)
    _turn(client, demo, "Hola, me llamo Luis y me duele mucho una muela, ¿podéis verme hoy?")
    annotations = messages(demo, "in")[0].annotations
    assert annotations["language"] == "es"
    assert annotations["intent"] and 0 <= annotations["intent_confidence"] <= 1
    assert annotations["urgency"] > 0.3
    assert annotations["tone"] in ("formal", "casual")
    assert {"sentiment", "frustration", "entities"} <= set(annotations)
    with session_scope(demo.engine) as session:
        conv = session.exec(select(Conversation)).one()
        assert conv.language == "es"


def test_facts_are_remembered_listed_and_forgotten_from_chat(
    client: FlaskClient, demo: Runtime
) -> None:
    open_chat(client)
    _turn(client, demo, "Hi, I'm Ana. My email is ana@example.com")
    facts = _facts(demo)
    assert '"Ana"' in facts["name"] and "ana@example.com" in facts["email"]
    known = _turn(client, demo, "what do you know about me?")
    assert "Ana" in known and "ana@example.com" in known
    _turn(client, demo, "please forget my email")
    assert "email" not in _facts(demo) and "name" in _facts(demo)
    reply = _turn(client, demo, "forget me")
    assert _facts(demo) == {}
    assert "deleted" in reply.lower()


def test_facts_belong_to_the_contact_across_conversations(
    client: FlaskClient, demo: Runtime
) -> None:
    open_chat(client)
    _turn(client, demo, "Hi, I'm Ana")
    with session_scope(demo.engine) as session:
        contact = session.exec(select(Contact)).one()
        conv = session.exec(select(Conversation)).one()
        conv.state = "closed"  # the next message opens a new conversation
        contact_id = contact.id
    reply = _turn(client, demo, "hello again")
    with session_scope(demo.engine) as session:
        convs = session.exec(select(Conversation)).all()
    assert len(convs) == 2 and {c.contact_id for c in convs} == {contact_id}
    assert "Welcome back, Ana" in reply
