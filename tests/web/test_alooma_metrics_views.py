"""Alooma's Metrics page and its JSON twin over the emulator: windows, hooks, roles, caching and failures."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
import requests
from flask import render_template

from app.connections import service_or_404
from app.platforms.alooma.metrics import WINDOWS, normalize_metrics
from app.platforms.alooma.metrics_views import GROUPS, chart_views

PAGE = "/alooma/alooma-main/metrics"
JSON = "/alooma/alooma-key/metrics.json"
NOW = datetime(2030, 3, 4, 10, 30, 20, tzinfo=timezone.utc)
MINUTE = NOW.replace(second=0)  # buckets end at the start of the emulator's current minute


def freeze(emulator, at: datetime = NOW) -> None:
    """Stop the emulator clock at `at` (freeze first, then set, so no real time slips in)."""
    requests.post(f"{emulator.url}/_sandbox/clock", json={"freeze": True}, timeout=5).raise_for_status()
    requests.post(f"{emulator.url}/_sandbox/clock", json={"set": at.isoformat()}, timeout=5).raise_for_status()


@pytest.mark.parametrize("key, minutes, step", [("1h", 60, 1), ("6h", 360, 3), ("24h", 1440, 10), ("7d", 10080, 60)])
def test_each_window_asks_for_its_span_and_resolution(alooma_client_as, alooma_emulator, key, minutes, step):
    """Does ?window= read its span in its buckets: the right count, the first bucket `span` ago, the last one
    ending at the emulator's current minute?"""
    freeze(alooma_emulator)
    body = alooma_client_as("viewer").get(f"{JSON}?window={key}").get_json()
    assert body["window"] == {"key": key, "label": WINDOWS[key].label, "minutes": minutes, "resolution_minutes": step}
    incoming = next(s for s in body["series"] if s["name"] == "INCOMING_EVENTS")
    stamps = [datetime.fromisoformat(p["at"]) for p in incoming["points"]]
    assert len(stamps) == minutes // step == WINDOWS[key].points
    assert stamps[0] == MINUTE - timedelta(minutes=minutes)
    assert stamps[-1] == MINUTE - timedelta(minutes=step)
    assert all(b - a == timedelta(minutes=step) for a, b in zip(stamps, stamps[1:]))


def test_the_json_twin_gives_every_series_in_alooma_units_and_the_summary(alooma_client_as, alooma_emulator):
    """Does metrics.json carry each charted series with its unit (latency in ms) and the page's summary?"""
    freeze(alooma_emulator)
    response = alooma_client_as("viewer").get(f"{JSON}?window=1h")
    assert response.status_code == 200
    assert "alooma-alooma-key-metrics-1h.json" in response.headers["Content-Disposition"]
    body = response.get_json()
    units = {s["name"]: s["unit"] for s in body["series"]}
    assert units["LATENCY_PERCENTILE_95"] == "ms" and units["INCOMING_EVENTS"] == "events per bucket"
    assert units["EVENTS_IN_PIPELINE"] == "events" and len(units) == 12
    incoming = next(s for s in body["series"] if s["name"] == "INCOMING_EVENTS")
    assert body["summary"]["incoming_total"] == sum(p["value"] for p in incoming["points"]) > 0
    p95 = next(s for s in body["series"] if s["name"] == "LATENCY_PERCENTILE_95")["points"][-1]["value"]
    assert body["summary"]["p95_seconds"] == round(p95 / 1000, 3) and body["stale"] is None


def test_an_unknown_window_falls_back_to_24_hours(alooma_client_as, alooma_emulator):
    """Is ?window=3d the 24-hour window on the page (marked current, with a note) and in the JSON twin?"""
    client = alooma_client_as("viewer")
    assert client.get(f"{JSON}?window=3d").get_json()["window"]["key"] == "24h"
    page = client.get(f"{PAGE}?window=3d").get_data(as_text=True)
    assert re.search(r'data-window="24h"\s+aria-current="page"', page)
    assert "There is no window “3d”; showing the last 24 hours." in page and "banner-error" not in page


@pytest.mark.parametrize("role", ["viewer", "operator", "admin"])
def test_every_role_sees_the_24h_charts_with_stable_hooks(alooma_client_as, role):
    """Does the default page show the summary, a canvas per chart with its data-chart id, and the window links
    (24 hours current) to every signed-in role?"""
    response = alooma_client_as(role).get(PAGE)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" not in page and "<h1>Metrics</h1>" in page
    for group in GROUPS:
        assert f'<canvas data-chart="{group.id}"' in page
        assert f'<script type="application/json" id="{group.id}">' in page
    for key in WINDOWS:
        assert f'href="/alooma/alooma-main/metrics?window={key}" data-window="{key}"' in page
    assert re.search(r'data-window="24h"\s+aria-current="page"', page)
    assert page.count('aria-current="page"') == 2  # the Metrics tab and the 24-hour window
    assert re.search(r'href="/alooma/alooma-main/metrics"\s+aria-current="page">Metrics</a>', page)
    assert "data-metrics-summary" in page and "p95 latency" in page and "(seconds, 10 min buckets)" in page
    assert "js/charts.js" in page


def test_the_7_day_window_labels_times_with_the_day(alooma_client_as, alooma_emulator):
    """Are the 7-day charts' labels weekday, day and HH:MM in UTC, oldest first?"""
    freeze(alooma_emulator)
    page = alooma_client_as("viewer").get(f"{PAGE}?window=7d").get_data(as_text=True)
    assert '"labels": ["Mon 25 10:30", "Mon 25 11:30"' in page.replace('","', '", "')
    assert re.search(r'data-window="7d"\s+aria-current="page"', page) and "(events per minute, 1 h buckets)" in page


def test_signed_out_and_unknown_connections_are_refused(alooma_app, alooma_client_as):
    """Is a signed-out visitor sent to sign in, and an unknown or non-Alooma connection a 404?"""
    response = alooma_app.test_client().get(PAGE)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert alooma_app.test_client().get(JSON).status_code == 302
    client = alooma_client_as("viewer")
    assert client.get("/alooma/no-such-connection/metrics").status_code == 404
    assert client.get("/alooma/no-such-connection/metrics.json").status_code == 404


@pytest.mark.parametrize("knob", [{"fail_next": {"count": 200, "status": 500}}, {"malformed_next": {"count": 200}}])
def test_a_failing_platform_is_a_banner_and_empty_charts(alooma_client_as, alooma_emulator, knob):
    """When Alooma fails (500 or a body that is not JSON), is the page a 200 with a banner and an empty state
    per chart, and the JSON twin a JSON error?"""
    client = alooma_client_as("viewer")
    alooma_emulator.faults(**knob)
    response = client.get(PAGE)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" in page and "<canvas" not in page
    assert page.count("the metrics could not be loaded") == len(GROUPS)
    assert all(f'data-chart-empty="{g.id}"' in page for g in GROUPS)
    failed = client.get(JSON)
    assert failed.status_code >= 500 and "error" in failed.get_json()


def test_a_window_is_cached_for_a_minute_and_windows_apart(alooma_client_as, alooma_emulator):
    """Is a window read again within its minute served from cache while another window still asks Alooma?"""
    client = alooma_client_as("viewer")
    assert b"banner-error" not in client.get(f"{PAGE}?window=6h").data
    alooma_emulator.faults(fail_next={"count": 200, "status": 500})
    assert b"banner-error" not in client.get(f"{PAGE}?window=6h").data
    assert b"banner-error" in client.get(f"{PAGE}?window=1h").data


def test_an_empty_answer_is_an_empty_state_per_chart_not_an_error(alooma_app):
    """Rendered with an answer holding no series, does each chart say Alooma sent no data, with no banner?"""
    window = WINDOWS["24h"]
    with alooma_app.test_request_context("/alooma/alooma-main/metrics"):
        page = render_template("alooma/metrics.html", svc=service_or_404("alooma-main", "alooma"), window=window,
                               windows=list(WINDOWS.values()), unknown="", errors=[], fetched=object(), summary=None,
                               charts=chart_views(normalize_metrics([], window), window))
    assert "banner" not in page and "<canvas" not in page and "js/charts.js" not in page
    assert "Alooma sent no data for incoming, restreamed in the last 24 hours." in page
    assert all(f'data-chart-empty="{g.id}"' in page for g in GROUPS)
