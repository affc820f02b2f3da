"""A real Chromium: answer an Alteryx Server app's questions, run it, watch the job finish, read its messages."""
from __future__ import annotations

import pytest

from tests.browser.conftest import SHOTS, sign_in

pytestmark = pytest.mark.browser


def _app_with_every_field(page, base: str) -> str:
    """The run URL of an app whose form has a drop-down, a check box, a date and a number."""
    page.goto(f"{base}/server/server-main/workflows?per_page=100")
    links = page.locator("a.button-link.primary", has_text="Run").evaluate_all("els => els.map(e => e.href)")
    for link in links:
        page.goto(link)
        form = page.locator("form.run-form")
        if all(form.locator(sel).count() for sel in
               ("select[name^=param-]", "input[type=checkbox]", "input[type=date]", "input[inputmode=decimal]")):
            return link
    raise AssertionError("no app with every question type")


def test_answer_questions_run_and_watch_the_job_finish(browser_page, live_server_app, server_emulator):
    """Can an operator answer an app's questions, start it, see the job end live and read its messages?"""
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server_app
    sign_in(page, base)

    page.goto(f"{base}/server/server-main/workflows")
    assert page.locator("table.data tbody tr").count() >= 10
    page.screenshot(path=str(SHOTS / "server-workflows.png"), full_page=True)

    _app_with_every_field(page, base)
    select = page.locator("select[name^=param-]").first
    options = select.locator("option").evaluate_all("els => els.map(e => e.value).filter(v => v)")
    select.select_option(options[-1])
    page.locator("input[inputmode=decimal]").first.fill("not a number")
    page.click("button[type=submit].primary")
    assert page.locator(".field-error", has_text="Enter a number.").count() == 1  # refused, next to its field
    page.locator("input[inputmode=decimal]").first.fill("7")
    page.locator("input[type=checkbox]").first.check()
    page.select_option("select[name=option-priority]", "High")
    page.screenshot(path=str(SHOTS / "server-run-form.png"), full_page=True)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/server/server-main/runs/*")
    assert page.locator("[data-live=status] .badge").inner_text() in ("queued", "running")

    server_emulator.advance(3 * 3600)  # the job finishes on the emulator's clock; the page polls and notices
    page.wait_for_selector("[data-live=note]:not([hidden])", timeout=15000)
    assert page.locator("[data-live=status] .badge").inner_text() in ("succeeded", "failed")
    assert page.locator("[data-live=platform_status]").inner_text().startswith("Completed · ")
    page.reload()
    assert page.locator("table.messages tbody tr").count() >= 2
    assert "Finished running" in page.locator("table.messages").inner_text()
    page.screenshot(path=str(SHOTS / "server-job.png"), full_page=True)

    page.goto(f"{base}/server/server-main/runs")
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 2")
    page.screenshot(path=str(SHOTS / "server-jobs.png"), full_page=True)
    page.goto(f"{base}/server/server-main/schedules")
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 2")
    page.screenshot(path=str(SHOTS / "server-schedules.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
