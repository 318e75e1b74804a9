"""The embeddable widget in real Chromium, on a site of another origin (and another site: the
gateway's Lax cookie is never sent there): open, greet, echo, typing, the bot's reply, the
news-and-offers consent link, a staff reply signed with the person's name, keyboard use, and the
390 px layout."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from gateway.console.staff import add_staff, business_by_slug
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.handoff.lifecycle import staff_reply
from gateway.messaging.live import conversation_topic, publish
from gateway.messaging.outbound import enqueue_send
from gateway.store.models import ConsentEvent, Conversation
from tests.browser.conftest import screenshot
from tests.support import WorkerPool

pytestmark = [pytest.mark.db, pytest.mark.browser]

WAIT_MS = 60_000  # the worker loads its models before the first answer


def answer_as_staff(rt: Runtime, text: str) -> None:
    """A person of the business replies to the (only) conversation, as the console does."""
    with session_scope(rt.engine) as db:
        staff = add_staff(
            db, business_by_slug(db, "acme-dental"), "ana.lopez@acme.example", "pw-0123456789"
        )
        conv = db.exec(select(Conversation).order_by(col(Conversation.id).desc())).first()
        assert conv is not None and conv.id is not None
        ids = staff_reply(db, conv, staff, text)
        conv_id = conv.id
    for reply_id in ids:
        enqueue_send(rt, reply_id)
    publish(rt.redis, conversation_topic(conv_id))


def test_widget_on_another_site_talks_to_the_bot_and_to_staff(
    live_server: str, other_site: str, browser: Any, demo: Runtime, worker_pool: WorkerPool
) -> None:
    worker_pool.start(1)
    context = browser.new_context(viewport={"width": 390, "height": 780})
    page = context.new_page()
    posts: list[dict[str, str]] = []
    page.on(
        "request",
        lambda r: posts.append(r.headers) if r.url.endswith("/messages") else None,
    )
    page.goto(f"{other_site}/acme-dental/en")
    launcher = page.locator("[data-switchboard] button.launcher")
    launcher.wait_for()
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.focus()
    page.keyboard.press("Enter")
    assert launcher.get_attribute("aria-expanded") == "true"

    frame = page.frame_locator("[data-switchboard] iframe")
    frame.locator(".msg.greeting", has_text="This is Acme Dental").wait_for()
    frame.locator("#text:focus").wait_for()  # focus moved into the panel
    box = page.locator("[data-switchboard] iframe").bounding_box()
    assert box is not None and box["width"] == 390  # the whole screen at 390 px

    page.keyboard.type("what are your opening hours")
    page.keyboard.press("Enter")
    mine = frame.locator(".msg.in", has_text="what are your opening hours")
    mine.wait_for()
    assert mine.locator("time").count() == 1
    reply = frame.locator(".msg.out:not(.greeting)").first
    assert frame.locator("#typing").is_visible() or reply.count() > 0
    reply.wait_for(timeout=WAIT_MS)
    assert "Acme Dental" in reply.locator(".meta").inner_text()
    frame.locator("#typing").wait_for(state="hidden")
    assert posts and all(h.get("x-visitor-token") for h in posts)
    assert not any("cookie" in h for h in posts)

    # The standing offer: one press is a grant recorded with its label, confirmed by the bot.
    frame.locator("#offers", has_text="Send me news and offers from Acme Dental").click()
    frame.locator(".msg.out", has_text="We will send you occasional news").wait_for(timeout=WAIT_MS)
    assert frame.locator("#offers").is_hidden()
    with session_scope(demo.engine) as db:
        (grant,) = db.exec(select(ConsentEvent)).all()
    assert (grant.purpose, grant.granted, grant.source) == ("marketing", True, "button:chat-offer")

    answer_as_staff(demo, "Ana here, how can I help?")
    staff = frame.locator(".msg.out.staff", has_text="Ana here")
    staff.wait_for(timeout=20_000)
    assert staff.locator(".meta").inner_text().startswith("Ana ·")
    screenshot(page, "widget-390")

    width = frame.locator("body").evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert width[0] <= width[1]  # nothing overflows sideways
    assert frame.locator("#log").get_attribute("aria-live") == "polite"

    frame.locator("#text").press("Escape")
    page.locator("[data-switchboard] .panel[hidden]").wait_for(state="attached")
    assert launcher.evaluate("b => b.getRootNode().activeElement === b")

    # A reload keeps the conversation: the widget keeps the token in the site's localStorage.
    assert page.evaluate("localStorage.getItem('switchboard:acme-dental')")
    page.reload()
    page.locator("[data-switchboard] button.launcher").click()
    frame = page.frame_locator("[data-switchboard] iframe")
    frame.locator(".msg.in", has_text="what are your opening hours").wait_for()


def test_widget_speaks_the_site_language(
    live_server: str, other_site: str, browser: Any, demo: Runtime
) -> None:
    page = browser.new_context().new_page()
    page.goto(f"{other_site}/acme-dental/es")
    launcher = page.locator("[data-switchboard] button.launcher")
    assert launcher.get_attribute("aria-label") == "Chatea con nosotros"
    launcher.click()
    frame = page.frame_locator("[data-switchboard] iframe")
    frame.locator(".msg.greeting", has_text="¡Hola! Somos Acme Dental").wait_for()
    assert frame.locator("#send button").inner_text() == "Enviar"
