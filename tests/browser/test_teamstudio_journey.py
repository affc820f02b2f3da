"""A real Chromium against the Team Studio emulator: run a workflow with a variable, stop another, open the
results, and sweep a variable until its chart is drawn."""
from __future__ import annotations

import re

import pytest

from sandbox.common.server import LiveServer
from tests.browser.conftest import SHOTS, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def live_teamstudio(teamstudio_app):
    server = LiveServer(teamstudio_app)
    yield server.start()
    server.stop()


def _run_form(page, base: str, workflow: str) -> None:
    page.goto(f"{base}/teamstudio/ts-main/workflows?q={workflow.split()[0]}")
    page.locator("tr", has_text=workflow).locator("a.button-link.primary", has_text="Run").click()
    page.wait_for_url("**/run/workflow/*")


def test_run_with_a_variable_stop_another_and_read_the_results(browser_page, live_teamstudio, teamstudio_emulator):
    """Does a run started with @n_trees = 25 finish with 25 trees in its results, while a second run is stopped?"""
    page, base = browser_page, live_teamstudio
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, base, "operator")

    _run_form(page, base, "Random Forest Parameter Search")
    assert page.input_value("input[name=var-name-0]") == "@n_trees"
    page.fill("input[name=var-value-0]", "25")
    page.screenshot(path=str(SHOTS / "teamstudio-run-form.png"), full_page=True)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/teamstudio/ts-main/runs/\d+\.[\w-]+.*"))
    forest_run = page.url.split("?")[0]
    assert page.locator("[data-live=status] .badge").inner_text() == "running"

    _run_form(page, base, "Nightly Fraud Features")
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/teamstudio/ts-main/runs/\d+\.[\w-]+.*"))
    page.click("[data-live=stop]")
    page.click("button[type=submit]:has-text('Stop run')")
    page.wait_for_selector(".flash-success")
    assert "Asked TIBCO Team Studio to stop" in page.locator(".flash-success").inner_text()

    teamstudio_emulator.advance(3600)
    page.reload()
    assert page.locator(".badge").first.inner_text() == "canceled"

    page.goto(forest_run)
    page.click("a:has-text('operator outputs and log')")
    page.wait_for_url("**/results")
    titles = page.locator("article.operator-output h3").all_inner_texts()
    assert any("Alpine Forest Classification" in t for t in titles) and any("Confusion Matrix" in t for t in titles)
    assert page.locator("table.data td", has_text=re.compile(r"^25$")).count() >= 1
    page.screenshot(path=str(SHOTS / "teamstudio-results.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def test_a_sweep_waits_for_its_runs_then_draws_the_chart(browser_page, live_teamstudio, teamstudio_emulator):
    """Does the sweep page follow its five runs by itself and draw accuracy against the number of trees?"""
    page, base = browser_page, live_teamstudio
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, base, "operator")
    page.goto(f"{base}/teamstudio/ts-main/sweeps/new")
    page.select_option("#sweep-workflow", label=page.locator("#sweep-workflow option", has_text="Random Forest")
                       .inner_text())
    page.click("button[type=submit].primary")
    page.select_option("#sweep-variable", "@n_trees")
    page.fill("#sweep-values", "5, 10, 25, 50, 75")
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-wait-url]")
    teamstudio_emulator.advance(3600)  # the runs end on the emulator's clock; the page notices and reloads
    page.wait_for_selector("canvas[data-chart=sweep-chart]", timeout=20000)
    page.wait_for_function("document.querySelector('canvas[data-chart=sweep-chart]').width > 0")
    assert "Accuracy" in page.locator("select[name=metric]").input_value()
    assert page.locator("table.data .badge-succeeded").count() == 5
    page.screenshot(path=str(SHOTS / "teamstudio-sweep.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
