"""The console in a real browser: a customer asks for a person in the web chat, staff see it
appear live, answer, and hand back to the bot, which answers the next message again."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from gateway.console.staff import add_staff, business_by_slug
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import Direction, Message
from tests.support import WorkerPool, wait_for

pytestmark = [pytest.mark.db, pytest.mark.browser]

EMAIL, PASSWORD = "owner@acme.example", "a-long-password-1"
XSS = '<img src=x onerror="alert(1)"><script>window.__owned = 1</script>'
WAIT_MS = 60_000  # the worker loads its models before the first answer


@pytest.fixture
def staff(demo: Runtime) -> None:
    """An owner account of acme-dental."""
    with session_scope(demo.engine) as db:
        add_staff(db, business_by_slug(db, "acme-dental"), EMAIL, PASSWORD, "owner")


def outbound(rt: Runtime) -> list[Message]:
    """Outbound rows, oldest first."""
    with session_scope(rt.engine) as db:
        stmt = select(Message).where(Message.direction == Direction.OUT)
        return list(db.exec(stmt.order_by(col(Message.id))).all())


def customer_says(page: Any, text: str) -> None:
    """Type and send a message in the web chat page."""
    page.fill("#text", text)
    page.click("#send button[type=submit]")


def test_escalation_live_reply_and_return_to_bot(
    live_server: str, browser: Any, demo: Runtime, staff: None, worker_pool: WorkerPool
) -> None:
    worker_pool.start(1)
    dialogs: list[str] = []

    console = browser.new_context().new_page()
    console.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    console.goto(f"{live_server}/console/")
    assert "/console/login" in console.url  # no session: sign in first
    console.fill("input[name=email]", EMAIL)
    console.fill("input[name=password]", PASSWORD)
    console.click("button[type=submit]")
    console.wait_for_url(f"{live_server}/console/")
    console.locator("#live.on").wait_for()
    assert console.locator("#inbox li").count() == 0

    chat = browser.new_context().new_page()
    chat.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    chat.goto(f"{live_server}/chat/acme-dental")
    customer_says(chat, "I want to talk to a person")
    chat.locator(".msg.out", has_text="passing you to a person from Acme Dental").wait_for(
        timeout=WAIT_MS
    )

    # The inbox updates by itself (SSE), no reload.
    item = console.locator("#inbox li", has_text="Asked for a person")
    item.wait_for(timeout=10_000)
    assert "high" in item.inner_text().lower()
    item.locator("a").click()
    console.wait_for_url("**/console/c/*")
    assert "I want to talk to a person" in console.locator("#transcript").inner_text()
    assert "Handed over because: asked for a person." in console.locator("#summary").inner_text()

    console.fill("textarea[name=text]", "Hi! Ana here, how can I help?")
    console.click("form.reply button[type=submit]")
    chat.locator(".msg.out", has_text="Ana here, how can I help?").wait_for(timeout=20_000)
    console.locator("#state", has_text="With a person").wait_for()
    console.locator("#transcript li.staff .status", has_text="sent").wait_for(timeout=20_000)

    # While staff have it the bot is silent; hostile text shows as text, live and on reload.
    replies_before = len(outbound(demo))
    customer_says(chat, XSS)
    live_item = console.locator("#transcript li.in").last
    live_item.filter(has_text="window.__owned").wait_for(timeout=20_000)
    assert live_item.locator(".text").text_content() == XSS
    console.reload()
    assert console.locator("#transcript li.in .text").last.text_content() == XSS
    assert console.evaluate("window.__owned") is None
    assert console.locator("#transcript img").count() == 0
    assert len(outbound(demo)) == replies_before

    console.click("#return")
    console.wait_for_url(f"{live_server}/console/")
    assert console.locator("#inbox li").count() == 0

    customer_says(chat, "hello again")
    wait_for(lambda: len(outbound(demo)) > replies_before and outbound(demo)[-1].author == "bot")
    bot_text = outbound(demo)[-1].text
    chat.locator(".msg.out", has_text=bot_text[:30]).wait_for(timeout=20_000)
    assert dialogs == []
