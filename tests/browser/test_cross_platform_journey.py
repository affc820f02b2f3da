"""A real Chromium across connections: filter all runs, export them as CSV, run a workflow from all workflows."""
from __future__ import annotations

import csv

import pytest

from tests.browser.conftest import SHOTS, sign_in

pytestmark = pytest.mark.browser


def test_filter_all_runs_export_csv_and_run_from_all_workflows(browser_page, live_app, emulator, tmp_path):
    """Can an operator filter the all-runs table, download it as CSV and start a plan from the all-workflows table?"""
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_app)
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 3")
    page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)

    page.goto(f"{live_app}/runs")
    page.select_option("select[name=status]", "failed")
    page.select_option("select[name=connection]", "aac-second")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/runs?*status=failed*")
    rows = page.locator("table.data tbody tr")
    assert rows.count() > 0
    assert all("failed" in text and "aac-second" in text for text in rows.all_inner_texts())
    page.screenshot(path=str(SHOTS / "all-runs.png"), full_page=True)

    with page.expect_download() as download_info:
        page.click("a:text('CSV')")
    saved = tmp_path / "runs.csv"
    download_info.value.save_as(saved)
    table = list(csv.reader(saved.open()))
    assert table[0][:4] == ["platform", "connection", "id", "status"]
    assert len(table) - 1 >= rows.count() and all(r[1] == "aac-second" and r[3] == "failed" for r in table[1:])

    page.goto(f"{live_app}/workflows?platform=aac&connection=aac-main")
    plan_row = page.locator("table.data tbody tr", has=page.locator("span.kind", has_text="plan")).first
    plan_row.locator("a.button-link.primary", has_text="Run").click()
    page.click("button[type=submit].primary")
    page.wait_for_url("**/aac/aac-main/runs/*")
    assert page.locator("[data-live=status] .badge").inner_text() in ("queued", "running", "succeeded")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
