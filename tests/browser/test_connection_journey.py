"""A real Chromium: an admin adds a Team Studio connection in the browser, is told to allow its private range, tests
it, and opens its schedules; the password never comes back to the page."""
from __future__ import annotations

import pytest

from sandbox.common.server import LiveServer
from tests.browser.conftest import SHOTS, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def live_with_teamstudio(app, teamstudio_emulator):
    server = LiveServer(app)
    yield server.start(), teamstudio_emulator
    server.stop()


def test_add_test_and_use_a_connection_in_the_browser(browser_page, live_with_teamstudio):
    """Does the form refuse a loopback address until 127.0.0.0/8 is allowed, then save, pass its test and serve?"""
    page, (base, emulator) = browser_page, live_with_teamstudio
    account = emulator.mint()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, base, "admin")

    page.click("nav.mainnav summary:has-text('Admin')")
    page.click("nav.mainnav >> text=Connections")
    page.click("text=New connection")
    page.click("text=TIBCO Team Studio")
    page.fill("#name", "ts-browser")
    page.fill("#base_url", emulator.url)
    page.fill("#s_username", account["username"])
    page.fill("#s_password", account["password"])
    page.click("button[type=submit].primary")
    assert "is a private address: loopback" in page.inner_text(".field.has-error")
    assert page.input_value("#s_password") == ""  # a secret is never sent back
    errors.clear()  # the refused form answers 400, which the console reports
    page.fill("#allowed_network", "127.0.0.0/8")
    page.fill("#s_password", account["password"])
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/admin/connections/ts-browser")
    assert account["password"] not in page.content()

    page.click("text=Test connection")
    page.wait_for_url(f"{base}/admin/connections/ts-browser")
    assert "Test of ts-browser passed" in page.inner_text(".flash")
    page.screenshot(path=str(SHOTS / "connection-tested.png"), full_page=True)

    page.goto(f"{base}/teamstudio/ts-browser/schedules")
    assert page.locator("table.data tbody tr").count() > 0 and not page.locator(".banner-error").count()
    assert not errors, errors
