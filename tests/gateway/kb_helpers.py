"""Two businesses with different small documents, for the knowledge-base tests."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient
from sqlmodel import select

from gateway.cli.config_file import apply_config, parse_config
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.processing import process_inbound
from gateway.store.models import Business, KnowledgeSource
from gateway.worker.jobs import brain
from tests.gateway import WITH_ECHO
from tests.gateway.chat_helpers import messages, say

KB_YAML = """
businesses:
  - slug: bright-dental
    name: Bright Dental
    template: dental
    timezone: Europe/Madrid
    country: ES
    languages: [en, es]
    api_token: bright-admin-token-0123456789
    channels:
      - id: bright-web
        provider: webchat
  - slug: bistro-mar
    name: Bistro Mar
    template: restaurant
    timezone: Europe/Madrid
    country: ES
    languages: [es, en]
    api_token: bistro-admin-token-0123456789
    channels:
      - id: bistro-web
        provider: webchat
"""

DENTAL_DOC = """# Bright Dental price list

## Treatments
Teeth whitening costs 250 euros per session at Bright Dental.
A dental cleaning costs 60 euros and takes about 45 minutes.
A dental implant costs 1,100 euros including the crown.

## Opening hours
We are open Monday to Friday from 9:00 to 19:00. On Saturdays we open from 10:00 to 14:00.
"""

BISTRO_DOC = """# Bistro Mar menu

## Starters
Our grilled octopus with paprika costs 18 euros.
The seafood paella for two people costs 42 euros and takes 30 minutes to prepare.

## Reservations
Groups of more than eight people must reserve by phone at least two days in advance.
"""


def load_kb_businesses(rt: Runtime) -> None:
    """Load bright-dental and bistro-mar (with API tokens and web chats)."""
    with session_scope(rt.engine) as session:
        apply_config(
            session, parse_config(KB_YAML, env={}, templates=WITH_ECHO), rt.settings.secret_key
        )


def write_docs(folder: Path) -> dict[str, Path]:
    """The two documents as Markdown files."""
    folder.mkdir(parents=True, exist_ok=True)
    dental = folder / "bright-prices.md"
    dental.write_text(DENTAL_DOC)
    bistro = folder / "bistro-menu.md"
    bistro.write_text(BISTRO_DOC)
    return {"bright-dental": dental, "bistro-mar": bistro}


def business_id(rt: Runtime, slug: str) -> int:
    """The id of a business by slug."""
    with session_scope(rt.engine) as session:
        business = session.exec(select(Business).where(Business.slug == slug)).one()
        return int(business.id or 0)


def source_rows(rt: Runtime, slug: str | None = None) -> list[KnowledgeSource]:
    """Knowledge source rows, optionally of one business."""
    with session_scope(rt.engine) as session:
        stmt = select(KnowledgeSource)
        if slug:
            stmt = stmt.where(KnowledgeSource.business_id == business_id(rt, slug))
        return list(session.exec(stmt).all())


def turn(client: FlaskClient, rt: Runtime, slug: str, text: str) -> str:
    """Send one web chat message and process it in this process; return the bot's reply."""
    before = {m.id for m in messages(rt, "out")}
    assert say(client, text, slug=slug).status_code == 202
    inbound = messages(rt, "in")[-1]
    process_inbound(rt, brain(), inbound.id or 0)
    return "\n".join(m.text for m in messages(rt, "out") if m.id not in before)
