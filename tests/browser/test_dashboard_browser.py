"""The analytics dashboard in headless Chromium: charts drawn, tables there, a screenshot."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from gateway.analytics.rollup import roll_up
from gateway.console.staff import add_staff, business_by_slug
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from tests.gateway.analytics.seed import seed

pytestmark = [pytest.mark.db, pytest.mark.browser]

EMAIL, PASSWORD = "owner@acme.example", "a-long-password-1"


def test_dashboard_renders_charts_and_tables(
    live_server: str, browser: Any, demo: Runtime, tmp_path: Path
) -> None:
    with session_scope(demo.engine) as db:
        acme = business_by_slug(db, "acme-dental")
        add_staff(db, acme, EMAIL, PASSWORD, "owner")
        seed(db, random.Random(3), 60, 14)
    roll_up(demo, acme.id or 0)
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    page.goto(f"{live_server}/console/analytics/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/console/analytics/")
    chart = page.locator("svg#chart-messages")
    chart.wait_for()
    assert chart.get_attribute("role") == "img"
    assert page.locator("svg#chart-messages rect").count() == 30  # one bar per day
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 50
    assert page.locator("table").count() >= 7
    assert page.locator("a", has_text="CSV").count() >= 7
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    if keep := os.environ.get("DASHBOARD_SCREENSHOT"):  # to look at it: a path to copy it to
        shutil.copy(shot, keep)
