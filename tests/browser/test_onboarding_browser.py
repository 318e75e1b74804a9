"""Onboarding in real Chromium: a new owner opens the first-run link `switchboard run` prints,
picks a template, names the business and creates their account, sets its hours, and the widget
pasted on another site answers the first customer message. No YAML, no command line."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.console.security import welcome_key
from gateway.core.runtime import Runtime
from tests.browser.conftest import screenshot
from tests.support import WorkerPool

pytestmark = [pytest.mark.db, pytest.mark.browser]

EMAIL, PASSWORD = "owner@acme.example", "a-long-password-1"
WAIT_MS = 90_000  # the worker loads its models before the first answer


def test_from_template_choice_to_a_first_answer_on_the_widget(
    live_server: str, other_site: str, browser: Any, demo: Runtime, worker_pool: WorkerPool
) -> None:
    worker_pool.start(1)
    console = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    console.goto(f"{live_server}/console/welcome/?key={welcome_key(demo.settings.secret_key)}")
    console.check("input[name=template][value=restaurant]")
    console.fill("input[name=name]", "Casa Lola")
    console.check("input[name=languages][value=es]")
    console.fill("input[name=timezone]", "Europe/Madrid")
    console.fill("input[name=email]", EMAIL)
    console.fill("input[name=password]", PASSWORD)
    screenshot(console, "welcome")
    console.click("form.setup button[type=submit]")
    console.wait_for_url("**/console/setup/settings*")
    assert "Your business is ready" in console.inner_text("main")

    console.fill("input[name=hours_monday]", "nine to five")
    console.click("form.setup button[type=submit]")
    assert "settings.hours.monday" in console.inner_text("#error")
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        console.fill(f"input[name=hours_{day}]", "12:00-23:00")
    console.fill("textarea[name=holidays]", "2026-12-25")
    console.fill("input[name=capacity]", "40")
    console.click("form.setup button[type=submit]")
    console.locator("#saved").wait_for()
    assert 'data-business="casa-lola"' in console.inner_text("#snippet")
    # the test chat inside the console answers too
    test_chat = console.frame_locator("iframe.testchat")
    test_chat.locator(".msg.greeting", has_text="Casa Lola").wait_for()

    site = browser.new_context().new_page()
    site.goto(f"{other_site}/casa-lola/en")
    site.locator("[data-switchboard] button.launcher").click()
    widget = site.frame_locator("[data-switchboard] iframe")
    widget.locator(".msg.greeting", has_text="Casa Lola").wait_for()
    widget.locator("#text").fill("Hello, a table for 2 tomorrow at 21:00 please")
    widget.locator("#text").press("Enter")
    reply = widget.locator(".msg.out:not(.greeting)").first
    reply.wait_for(timeout=WAIT_MS)
    assert reply.locator(".text").inner_text().strip()
    if test_chat.locator("#status").inner_text() == "":  # an old page's stream may still be held
        screenshot(console, "onboarding")
