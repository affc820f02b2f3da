"""A real Chromium against the vantage6 emulator: create a task for two organisations and watch both runs finish."""
from __future__ import annotations

import re

import pytest

from sandbox.common.server import LiveServer
from tests.browser.conftest import SHOTS, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def live_vantage6(vantage6_app):
    server = LiveServer(vantage6_app)
    yield server.start()
    server.stop()


def test_create_a_task_for_two_organisations_and_see_both_runs_finish(browser_page, live_vantage6,
                                                                       vantage6_emulator):
    """Can an operator create a task for two organisations from the browser and see it end with two results?"""
    page, base = browser_page, live_vantage6
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pair = vantage6_emulator.state()["onlinePair"]
    sign_in(page, base, "operator")

    page.goto(f"{base}/vantage6/v6-main/runs")
    page.click("a:has-text('New task')")
    page.select_option("#task-collaboration", str(pair["collaboration_id"]))
    page.click("button[type=submit].primary")
    boxes = page.locator("input[name=organizations]")
    for i in range(boxes.count()):  # every organisation starts ticked: keep the two whose nodes are online
        box = boxes.nth(i)
        if int(box.get_attribute("value")) not in pair["organization_ids"]:
            box.uncheck()
    page.fill("#task-image", "harbor2.vantage6.ai/demo/average")
    page.fill("#task-name", "mean age, two sites")
    page.fill("#task-input", '{"method": "partial_average", "kwargs": {"column_name": "age"}}')
    page.screenshot(path=str(SHOTS / "vantage6-task-form.png"), full_page=True)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/vantage6/v6-main/runs/\d+\?live=1"))
    assert page.locator("[data-live=status] .badge").inner_text() in ("queued", "running")
    assert page.locator("table.data tbody tr:not(.run-more)").count() == 2

    vantage6_emulator.advance(600)  # both nodes finish on the emulator's clock; the page polls and notices
    page.wait_for_selector("[data-live=note]:not([hidden])", timeout=15000)
    assert page.locator("[data-live=status] .badge").inner_text() == "succeeded"
    page.reload()
    assert page.locator("table.data .badge-succeeded").count() == 2
    assert page.locator("summary:has-text('Result')").count() == 2
    page.screenshot(path=str(SHOTS / "vantage6-task.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
