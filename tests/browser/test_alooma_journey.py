"""A real Chromium against the Alooma emulator: the last 24 hours of metrics drawn, then a restream started."""
from __future__ import annotations

import pytest

from sandbox.common.server import LiveServer
from tests.browser.conftest import SHOTS, sign_in

pytestmark = pytest.mark.browser
CHARTS = ("metrics-incoming", "metrics-loaded", "metrics-errors", "metrics-latency", "metrics-pipeline")


@pytest.fixture
def live_alooma(alooma_app):
    server = LiveServer(alooma_app)
    yield server.start()
    server.stop()


def _points_drawn(page, chart_id: str) -> list[int]:
    """How many points each dataset of a drawn chart holds (Chart.js's own record of the canvas)."""
    return page.evaluate("""id => {
        const chart = Chart.getChart(document.querySelector(`canvas[data-chart="${id}"]`));
        return chart ? chart.data.datasets.map(d => d.data.length) : [];
    }""", chart_id)


def test_open_24_hours_of_metrics_then_start_a_restream(browser_page, live_alooma, alooma_emulator):
    """Can an operator see the last 24 hours charted, start the held events restreaming with a confirm step, and
    see the queue streaming?"""
    page, base = browser_page, live_alooma
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    SHOTS.mkdir(parents=True, exist_ok=True)
    held = alooma_emulator.state()["restream"]["held"]
    assert held > 0 and not alooma_emulator.state()["restream"]["streaming"]
    sign_in(page, base, "operator")

    page.goto(f"{base}/alooma/alooma-main/schedules")
    page.click("nav.subnav a:has-text('Metrics')")
    page.click("a[data-window='1h']")
    page.click("a[data-window='24h']")
    assert page.get_attribute("a[data-window='24h']", "aria-current") == "page"
    page.wait_for_function("() => typeof Chart !== 'undefined' && "
                           "[...document.querySelectorAll('canvas[data-chart]')].every(c => Chart.getChart(c))")
    for chart_id in CHARTS:
        counts = _points_drawn(page, chart_id)
        assert counts and all(count == 144 for count in counts), (chart_id, counts)  # 24 h in 10-minute buckets
    page.screenshot(path=str(SHOTS / "alooma-metrics-24h.png"), full_page=True)

    page.click("nav.subnav a:has-text('Pipeline')")
    page.click("#restream a:has-text('Start restream')")
    assert "restream" in page.url and page.locator("text=nothing was sent").count() == 0
    page.click("button[type=submit].primary:has-text('Start restream')")
    page.wait_for_url(f"{base}/alooma/alooma-main/pipeline**")
    assert page.locator("#restream .badge-running").count() == 1
    assert alooma_emulator.state()["restream"]["streaming"]
    page.screenshot(path=str(SHOTS / "alooma-pipeline-restream.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
