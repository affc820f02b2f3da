"""The overview across platforms: tiles, headline figures and charts, with connections failing, slow or garbled."""
from __future__ import annotations

import re
import time

import pytest

from tests.conftest import PASSWORD
from tests.helpers import login

DEADLINE = 2.0


@pytest.fixture
def viewer(mixed_client_as):
    return mixed_client_as("viewer")


def _tile(page: str, connection: str) -> str:
    match = re.search(rf'<a class="tile[^"]*" href="[^"]+" data-connection="{connection}">(.*?)</a>', page, re.S)
    assert match, f"no tile for {connection}"
    return match.group(0)


def test_tiles_show_each_connection_with_its_figures(viewer):
    """Does every connection get a tile with its state, latency, schedules and runs of the last 24 hours?"""
    page = viewer.get("/").get_data(as_text=True)
    for name in ("aac-main", "server-main"):
        tile = _tile(page, name)
        assert "badge-succeeded" in tile and " ms</span>" in tile
        assert re.search(r"<dt>Active schedules</dt><dd>\d+</dd>", tile)
        assert re.search(r"<dt>Runs, 24 h</dt><dd>\d+</dd>", tile)
    assert "unreachable" in _tile(page, "aac-dead")


def test_headline_and_charts_cover_every_platform(viewer):
    """Do the headline figures and the three charts cover both platforms?"""
    page = viewer.get("/").get_data(as_text=True)
    assert re.search(r'<span class="figure">2/3</span>', page)
    for chart in ("chart-per-day", "chart-success", "chart-owners"):
        assert f'id="{chart}"' in page
    success = re.search(r'<script type="application/json" id="chart-success">(.*?)</script>', page, re.S).group(1)
    assert "Alteryx Analytics Cloud" in success and "Alteryx Server" in success


def test_a_dead_connection_is_a_banner_not_a_failure(viewer):
    """Does a connection nobody answers on show as unreachable with a banner, while the others show data?"""
    response = viewer.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r"<strong>aac-dead</strong> is degraded: aac-dead: token endpoint unreachable", page)
    assert "badge-succeeded" in _tile(page, "aac-main") and "badge-succeeded" in _tile(page, "server-main")


def test_a_slow_connection_misses_its_deadline_and_the_page_still_comes_back(viewer, mixed_app, server_emulator):
    """With one connection slower than the deadline, does the page answer within about the deadline?"""
    mixed_app.config["FANOUT_DEADLINE"] = DEADLINE
    server_emulator.faults(latency_ms={"*": 4000})  # AAC answers well within the deadline; Server cannot
    started = time.perf_counter()
    page = viewer.get("/").get_data(as_text=True)
    elapsed = time.perf_counter() - started
    assert elapsed < DEADLINE + 1.5
    assert f"no answer within {DEADLINE:g} s" in page and "unreachable" in _tile(page, "server-main")
    assert "badge-succeeded" in _tile(page, "aac-main")


def test_garbage_from_a_connection_degrades_only_its_tile(viewer, emulator):
    """When AAC answers bodies that are not JSON, is only its tile marked, with the cause named?"""
    emulator.faults(malformed_next={"count": 500})
    page = viewer.get("/").get_data(as_text=True)
    tile = _tile(page, "aac-main")
    assert "unreachable" in tile or "degraded" in tile
    assert re.search(r"<strong>aac-main</strong> is degraded: .*not JSON", page)
    assert "badge-succeeded" in _tile(page, "server-main")


def test_stale_copy_is_shown_with_its_age(viewer, emulator, mixed_app):
    """After a good read, does a failing platform leave its tile degraded but still counting, marked stale?"""
    viewer.get("/")
    from app.cache import OVERVIEW_DIGEST, invalidate
    with mixed_app.app_context():  # the fresh copies expire; the last good ones stay
        invalidate("aac-main", "schedules", "recent_runs", OVERVIEW_DIGEST)
    emulator.faults(fail_next={"count": 500, "status": 503})
    page = viewer.get("/").get_data(as_text=True)
    tile = _tile(page, "aac-main")
    assert "degraded" in tile and re.search(r"<dt>Active schedules</dt><dd>\d+</dd>", tile)
    assert "showing a copy" in page


def test_failing_now_lists_schedules_whose_last_run_failed(viewer):
    """Does the failing page list Server's always-failing schedule with its streak, age and error?"""
    page = viewer.get("/failing").get_data(as_text=True)
    assert "ERP Open Orders (nightly)" in page and "ORA-12541" in page
    assert re.search(r'<span class="badge badge-failed">\d+ runs?</span>', page)
    assert re.search(r'<div class="muted small">for \d+ (min|h|days)</div>', page)
    assert re.search(r"<strong>aac-dead</strong>|aac-dead: ", page)


def test_a_run_started_here_shows_on_the_overview_at_once(mixed_app, viewer):
    """After an operator starts a run, does the overview count it without waiting for its cache to expire?"""
    from tests.helpers import post_form
    before = int(re.search(r"<dt>Runs, 24 h</dt><dd>(\d+)</dd>", _tile(viewer.get("/").get_data(as_text=True),
                                                                       "aac-main")).group(1))
    operator = mixed_app.test_client()
    login(operator, "operator", PASSWORD)
    html = operator.get("/aac/aac-main/workflows?kind=plan").get_data(as_text=True)
    plan_id = re.search(r'/aac/aac-main/run/plan/([^"]+)"', html).group(1)
    assert post_form(operator, f"/aac/aac-main/run/plan/{plan_id}").status_code == 302
    after = int(re.search(r"<dt>Runs, 24 h</dt><dd>(\d+)</dd>", _tile(viewer.get("/").get_data(as_text=True),
                                                                      "aac-main")).group(1))
    assert after > before


def test_tile_latency_is_the_platforms_not_the_cache(viewer, emulator):
    """Does a tile show how long the platform took to answer, also when the page is served from cache?"""
    emulator.faults(latency_ms={"*": 300})
    first = _tile(viewer.get("/").get_data(as_text=True), "aac-main")
    warm = _tile(viewer.get("/").get_data(as_text=True), "aac-main")
    for tile in (first, warm):
        assert int(re.search(r"(\d+) ms</span>", tile).group(1)) >= 300


def test_failing_now_is_paged(viewer):
    """Is the failing list split into pages that together hold every failing schedule once?"""
    first = viewer.get("/failing?per_page=5").get_data(as_text=True)
    total = int(re.search(r"<span>\d+–\d+ of (\d+)</span>", first).group(1))
    names = []
    for number in range(1, (total + 4) // 5 + 1):
        page = viewer.get(f"/failing?per_page=5&page={number}").get_data(as_text=True)
        names += re.findall(r'<td class="name">([^<]+)<div', page)
    assert total >= 1 and len(names) == total
