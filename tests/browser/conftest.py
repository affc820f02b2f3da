"""Browser fixtures: Debian's Chromium driven by Playwright at laptop size, the app on a live port."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sandbox.common.server import LiveServer
from tests.conftest import PASSWORD

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


@pytest.fixture
def live_server_app(server_app):
    server = LiveServer(server_app)
    yield server.start()
    server.stop()


def sign_in(page, base: str, user: str = "admin") -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
