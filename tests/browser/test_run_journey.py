"""A real Chromium (Debian's, driven by Playwright): sign in, schedules, run a plan, watch it end, audit."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sandbox.common.server import LiveServer
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


@pytest.fixture
def browser_page():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make setup` installs it")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        yield page
        browser.close()


@pytest.fixture
def live_app(app):
    server = LiveServer(app)
    yield server.start()
    server.stop()


def test_sign_in_run_a_plan_watch_it_finish_and_find_it_in_the_audit_log(browser_page, live_app, emulator):
    """Can an operator run a plan from the browser, see it reach a final state live, and find it audited?"""
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_app}/auth/login")
    page.fill("#username", "admin")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_app}/")

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
