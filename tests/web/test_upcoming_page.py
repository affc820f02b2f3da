"""The upcoming-runs page across every connection: timeline, clashes, next runs, heat map and failing connections."""
from __future__ import annotations

import json
import re

import pytest



@pytest.fixture
def viewer(mixed_client_as):
    return mixed_client_as("viewer")


def _chart(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="chart-upcoming">(.*?)</script>', page, re.S)
    assert match, "no timeline chart"
    return json.loads(match.group(1))


def test_signed_out_visitors_are_sent_to_sign_in(mixed_app):
    """Does /upcoming ask a signed-out visitor to sign in?"""
    response = mixed_app.test_client().get("/upcoming")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_page_shows_chart_clashes_next_runs_and_heatmap_for_a_viewer(viewer):
    """Does a viewer get the timeline, the clash table, the next-runs table and the heat map?"""
    response = viewer.get("/upcoming")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for heading in ("Clashes", "Next runs", "When in the week runs start"):
        assert f">{heading}</h2>" in page
    assert re.search(r'<td class="heat-[0-5]"', page) and 'class="heat-0"' in page
    assert re.search(r'<time datetime="[^"]+"', page)
    assert 'src="/static/js/charts.js"' in page


def test_both_platforms_appear_without_platform_code(viewer):
    """Are AAC and Server schedules both in the timeline and linked to their own schedules pages?"""
    page = viewer.get("/upcoming?range=7d").get_data(as_text=True)
    labels = {d["label"] for d in _chart(page)["data"]["datasets"]}
    assert {"Alteryx Analytics Cloud", "Alteryx Server", "clashes"} <= labels
    assert 'href="/aac/aac-main/schedules?q=' in page and 'href="/server/server-main/schedules?q=' in page


def test_24h_is_hourly_and_7d_is_three_hourly(viewer):
    """Does 24h give about 24 hourly buckets and 7d about 56 three-hour buckets?"""
    day = _chart(viewer.get("/upcoming?range=24h").get_data(as_text=True))
    week = _chart(viewer.get("/upcoming?range=7d").get_data(as_text=True))
    assert len(day["data"]["labels"]) in (24, 25) and len(week["data"]["labels"]) in (56, 57)
    assert re.fullmatch(r"\d\d:\d\d", day["data"]["labels"][0])
    assert re.fullmatch(r"[A-Z][a-z]{2} \d\d:\d\d", week["data"]["labels"][0])


def test_a_week_holds_more_runs_than_a_day(viewer):
    """Does the 7-day range count more starts than the 24-hour one?"""
    def total(url: str) -> int:
        page = viewer.get(url).get_data(as_text=True)
        return int(re.search(r'<span class="figure">(\d+)</span><span class="muted small">runs starting', page).group(1))
    assert total("/upcoming?range=7d") > total("/upcoming") > 0


def test_a_bad_range_falls_back_to_24_hours(viewer):
    """Does an unknown range show the 24-hour page rather than an error?"""
    response = viewer.get("/upcoming?range=forever")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "over the next 24 hours" in page
    assert re.search(r'range=24h[^"]*" aria-current="page"', page)


def test_a_dead_connection_is_a_banner_and_the_page_still_renders(viewer):
    """Does a connection nobody answers on get a banner while the others' runs still show?"""
    response = viewer.get("/upcoming")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'class="banner banner-error" role="alert">\s*<strong>aac-dead</strong> could not answer', page)
    assert "/aac/aac-main/schedules?q=" in page


def test_a_schedule_name_with_script_is_escaped(viewer):
    """Is a schedule name holding a script tag shown as text, and no inline script written?"""
    page = viewer.get("/upcoming?range=7d").get_data(as_text=True)
    assert "<script>alert" not in page and "Ops check &lt;script&gt;" in page
    assert all('type="application/json"' in tag or "src=" in tag for tag in re.findall(r"<script[^>]*>", page))


def test_next_runs_are_paginated_by_fifty(viewer):
    """Does the next-runs table show at most 50 rows and a pager that reaches page 2 over 7 days?"""
    first = viewer.get("/upcoming?range=7d").get_data(as_text=True)
    assert "page 1 of" in first and 'rel="next"' in first
    table = first.split('id="next-title"', 1)[1]
    assert len(re.findall(r'<td class="nowrap"><time', table)) == 50
    second = viewer.get("/upcoming?range=7d&page=2").get_data(as_text=True)
    assert "page 2 of" in second


def test_the_heatmap_zone_comes_from_the_query_and_nonsense_is_utc(viewer):
    """Is the heat map in the zone asked for, and an unknown zone UTC?"""
    assert "per weekday and hour in Europe/Berlin" in viewer.get("/upcoming?tz=Europe/Berlin").get_data(as_text=True)
    assert "per weekday and hour in UTC" in viewer.get("/upcoming?tz=Nowhere/Atlantis").get_data(as_text=True)


def test_a_crowded_clash_lists_its_first_starts_and_counts_the_rest(viewer, monkeypatch):
    """When a clash holds more starts than the page lists, are the rest counted instead of listed?"""
    from app.overview import upcoming_views
    monkeypatch.setattr(upcoming_views, "MEMBERS_SHOWN", 1)
    page = viewer.get("/upcoming?range=7d").get_data(as_text=True)
    assert re.search(r'<li class="muted small">and \d+ more starts</li>', page)
    clashes = page.split('id="clashes-title"', 1)[1].split("</section>", 1)[0]
    first_clash = clashes.split("<ul", 1)[1].split("</ul>", 1)[0]
    assert first_clash.count("<a href=") == 1
