"""A real Chromium (Debian's, driven by Playwright): sign in, schedules, run a plan, watch it end, audit."""
from __future__ import annotations

import pytest

from tests.browser.conftest import SHOTS, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_run_a_plan_watch_it_finish_and_find_it_in_the_audit_log(browser_page, live_app, emulator):
    """Can an operator run a plan from the browser, see it reach a final state live, and find it audited?"""
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    SHOTS.mkdir(parents=True, exist_ok=True)

    sign_in(page, live_app)

    page.goto(f"{live_app}/aac/aac-main/schedules")
    assert page.locator("table.data tbody tr").count() >= 10
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 3 && "
                           "Array.from(document.querySelectorAll('canvas[data-chart]')).every(c => c.width > 0)")
    page.screenshot(path=str(SHOTS / "schedules.png"), full_page=True)

    page.goto(f"{live_app}/aac/aac-main/workflows?kind=plan")
    page.locator("a.button-link.primary", has_text="Run").first.click()
    page.click("button[type=submit].primary")
    page.wait_for_url("**/runs/plan-*")
    run_url = page.url
    assert page.locator("[data-live=status] .badge").inner_text() in ("queued", "running")

    emulator.advance(900)  # the plan finishes on the emulator's clock; the page polls and notices
    page.wait_for_selector("[data-live=note]:not([hidden])", timeout=15000)
    final = page.locator("[data-live=status] .badge").inner_text()
    assert final in ("succeeded", "failed")
    assert "Run ended" in page.locator("[data-live=note]").inner_text()
    page.screenshot(path=str(SHOTS / "run.png"), full_page=True)

    page.goto(f"{live_app}/admin/audit?action=run_start")
    row = page.locator("table.data tbody tr").first
    assert "run_start" in row.inner_text() and "admin" in row.inner_text()
    assert run_url.split("?")[0].rsplit("/", 1)[1] in row.inner_text()
    page.screenshot(path=str(SHOTS / "audit.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
