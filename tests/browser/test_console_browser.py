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
from tests.browser.conftest import screenshot
from tests.gateway.console.inbox_helpers import seed_handoff
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


NARROW = {"width": 390, "height": 844}
LONG_NAME = "Maximiliana Fernández-Villaverde de la Concepción"
LONG_TEXT = "Necesito cambiar la cita " + "muyyyyyyyyyyyyyyyyyyyyyyyyyyyyyylargo " * 6


def no_overflow(page: Any) -> None:
    """Nothing wider than the 390 px screen, and Sign out fully on it."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == NARROW["width"], widths
    box = page.locator("header .link", has_text="Sign out").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]


def test_inbox_and_conversation_fit_a_390px_screen(
    live_server: str, browser: Any, demo: Runtime, staff: None
) -> None:
    seed_handoff(demo, "acme-dental", name=LONG_NAME, text=LONG_TEXT, priority=3)
    conv = seed_handoff(demo, "acme-dental", phone="+34600123456", summary="Why: vip\n")
    page = browser.new_context(viewport=NARROW).new_page()
    page.goto(f"{live_server}/console/login")
    no_overflow_login = page.evaluate("() => document.documentElement.scrollWidth")
    assert no_overflow_login <= NARROW["width"]
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/console/")
    page.locator("#inbox li", has_text="Maximiliana").wait_for()
    screenshot(page, "inbox-390")
    no_overflow(page)
    page.goto(f"{live_server}/console/c/{conv}")
    page.locator("#summary", has_text="VIP customer").wait_for()
    screenshot(page, "conversation-390")
    no_overflow(page)
