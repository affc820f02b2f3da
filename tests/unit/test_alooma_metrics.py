"""Alooma metrics on a recorded answer: windows, Graphite series as records (gaps kept), units, summary, charts."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from app.charts import line
from app.platforms.alooma.metrics import (DEFAULT_WINDOW, NAMES, WINDOWS, Window, normalize_metrics,
                                          normalize_point, shown, source_unit, summarize, time_label, unit_of,
                                          window_of)
from app.platforms.alooma.metrics_views import GROUPS, chart_views

RECORDED = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "alooma" / "metrics.json").read_text())
# the recording's own call: the last hour in 10-minute buckets
HOUR_BY_TEN = Window("1h-10", "1 hour", 60, 10)
UTC = timezone.utc


def test_every_window_gives_a_chart_between_60_and_300_points():
    """Does each window's resolution give each chart a sensible number of points?"""
    assert list(WINDOWS) == ["1h", "6h", "24h", "7d"]
    assert {k: w.points for k, w in WINDOWS.items()} == {"1h": 60, "6h": 120, "24h": 144, "7d": 168}


@pytest.mark.parametrize("asked", [None, "", "3d", "24H", "-60min"])
def test_an_absent_or_unknown_window_is_the_default(asked):
    """Does anything but a known window key fall back to 24 hours?"""
    assert DEFAULT_WINDOW == "24h" and window_of(asked) is WINDOWS["24h"]
    assert window_of("7d") is WINDOWS["7d"]


def test_the_recorded_answer_becomes_one_series_per_name_in_order():
    """Is every target a Series with its six buckets as UTC datetimes, oldest first, in the order asked?"""
    metrics = normalize_metrics(RECORDED["answer"], HOUR_BY_TEN)
    assert [s.name for s in metrics.series] == list(NAMES)
    incoming = metrics.get("INCOMING_EVENTS")
    assert [p.value for p in incoming.points][:2] == [56688.0, 59717.0]
    assert incoming.points[0].at == datetime(2030, 3, 4, 9, 30, tzinfo=UTC)
    assert metrics.times[-1] == datetime(2030, 3, 4, 10, 20, tzinfo=UTC) and len(metrics.times) == 6


def test_nulls_stay_gaps_and_totals_skip_them():
    """Are null values kept as None in place (not dropped, not zero), and left out of totals and 'latest'?"""
    metrics = normalize_metrics(RECORDED["with_gaps"], HOUR_BY_TEN)
    incoming = metrics.get("INCOMING_EVENTS")
    assert [p.value is None for p in incoming.points] == [False, False, True, False, False, True]
    assert incoming.total == 56688.0 + 59717.0 + 60199.0 + 61521.0
    p95 = metrics.get("LATENCY_PERCENTILE_95")
    assert p95.latest == p95.points[4] and p95.latest.value is not None
    pipeline = metrics.get("EVENTS_IN_PIPELINE")
    assert len(pipeline.points) == 6 and not pipeline.has_data and pipeline.total is None and pipeline.latest is None


def test_missing_repeated_and_unreadable_series():
    """Are left-out names absent, a repeated name counted once (the first), and unreadable entries dropped?"""
    metrics = normalize_metrics(RECORDED["with_gaps"], HOUR_BY_TEN)
    names = [s.name for s in metrics.series]
    assert "RESTREAMED_EVENTS" not in names and "LATENCY_MAX" not in names and metrics.get("LATENCY_MAX") is None
    assert names.count("IGNORED_EVENTS") == 1 and len(metrics.get("IGNORED_EVENTS").points) == 6
    assert "" not in names and "ERROR_EVENTS_BROKEN" not in names
    assert normalize_metrics([], HOUR_BY_TEN).series == ()


@pytest.mark.parametrize("raw, value", [([None, 60], None), ([2.5, 60], 2.5), ([3, 60.0], 3.0)])
def test_a_readable_point(raw, value):
    """Is [value or null, epoch seconds] read as a Point at that second?"""
    point = normalize_point(raw)
    assert point.value == value and point.at == datetime(1970, 1, 1, 0, 1, tzinfo=UTC)


@pytest.mark.parametrize("raw", [["x", 60], [True, 60], [1.0], [1.0, None], [1.0, "60"], "1,60", None])
def test_an_unreadable_point_is_dropped(raw):
    """Is a pair without a number (or null) and a numeric time refused rather than guessed?"""
    assert normalize_point(raw) is None


def test_units_latency_in_seconds_counts_per_minute():
    """Are latencies (Alooma's ms) shown in seconds, per-bucket counts per minute, levels as they are?"""
    window = WINDOWS["24h"]  # 10-minute buckets
    assert shown("LATENCY_PERCENTILE_95", 12345.0, window) == 12.345 and unit_of("LATENCY_MAX") == "seconds"
    assert shown("INCOMING_EVENTS", 600.0, window) == 60.0 and unit_of("INCOMING_EVENTS") == "events per minute"
    assert shown("EVENTS_IN_PIPELINE", 42.0, window) == 42.0 and unit_of("EVENTS_IN_PIPELINE") == "events"
    assert shown("LATENCY_AVG", None, window) is None
    assert source_unit("LATENCY_AVG") == "ms" and source_unit("ERROR_EVENTS") == "events per bucket"


@pytest.mark.parametrize("key, label", [("1h", "10:20"), ("24h", "10:20"), ("7d", "Mon 04 10:20")])
def test_time_labels_carry_the_day_only_beyond_a_day(key, label):
    """Are x labels HH:MM (UTC) up to 24 hours, and weekday, day and HH:MM for 7 days?"""
    assert time_label(datetime(2030, 3, 4, 10, 20, tzinfo=UTC), WINDOWS[key]) == label


def test_the_summary_of_the_recorded_hour():
    """Does the summary add the window's events, and give the newest loaded rate, p95 and pipeline level?"""
    metrics = normalize_metrics(RECORDED["answer"], HOUR_BY_TEN)
    raw = {s["target"]: [p[0] for p in s["datapoints"]] for s in RECORDED["answer"]}
    summary = summarize(metrics)
    assert summary.incoming_total == sum(raw["INCOMING_EVENTS"]) and summary.restreamed_total == 0.0
    assert summary.errors_total == sum(raw["ERROR_EVENTS"]) + sum(raw["UNMAPPED_EVENTS"])
    assert summary.loaded_per_minute == round(raw["LOADED_EVENTS_RATE"][-1] / 10, 2)
    assert summary.p95_seconds == round(raw["LATENCY_PERCENTILE_95"][-1] / 1000, 3)
    assert summary.in_pipeline == raw["EVENTS_IN_PIPELINE"][-1]
    assert summary.latest_at == datetime(2030, 3, 4, 10, 20, tzinfo=UTC)


def test_the_summary_of_an_empty_answer_is_all_absent():
    """With nothing answered, is every figure None rather than zero?"""
    summary = summarize(normalize_metrics([], HOUR_BY_TEN))
    assert set(vars(summary).values()) == {None}


def test_charts_of_the_recorded_hour_one_dataset_per_series():
    """Does each chart draw its series (in page units) against the shared UTC labels?"""
    views = {v.id: v for v in chart_views(normalize_metrics(RECORDED["answer"], HOUR_BY_TEN), HOUR_BY_TEN)}
    assert list(views) == [g.id for g in GROUPS] and "metrics-incoming" in views and "metrics-latency" in views
    latency = views["metrics-latency"].spec
    assert [d["label"] for d in latency["data"]["datasets"]] == ["average", "median (p50)", "p95", "maximum"]
    assert latency["data"]["labels"] == ["09:30", "09:40", "09:50", "10:00", "10:10", "10:20"]
    assert latency["options"]["scales"]["y"]["title"]["text"] == "seconds"
    assert "seconds" in views["metrics-latency"].title
    raw_p95 = next(s for s in RECORDED["answer"] if s["target"] == "LATENCY_PERCENTILE_95")["datapoints"]
    assert latency["data"]["datasets"][2]["data"] == [round(p[0] / 1000, 3) for p in raw_p95]
    assert all(v.spec and not v.missing for v in views.values())


def test_charts_keep_gaps_and_name_missing_series():
    """Are null buckets None in the chart data, and a left-out or all-null series named as missing?"""
    views = {v.id: v for v in chart_views(normalize_metrics(RECORDED["with_gaps"], HOUR_BY_TEN), HOUR_BY_TEN)}
    incoming = views["metrics-incoming"]
    assert incoming.missing == ("restreamed",) and len(incoming.spec["data"]["datasets"]) == 1
    data = incoming.spec["data"]["datasets"][0]["data"]
    assert data[2] is None and data[5] is None and data[0] == 5668.8
    assert incoming.spec["data"]["datasets"][0]["spanGaps"] is False
    assert views["metrics-latency"].missing == ("maximum",)
    assert views["metrics-pipeline"].missing == ("in pipeline",)


def test_an_empty_answer_gives_an_empty_state_per_chart():
    """With no series at all, is every chart an empty state (no spec) naming what is missing?"""
    views = chart_views(normalize_metrics([], HOUR_BY_TEN), HOUR_BY_TEN)
    assert [v.spec for v in views] == [None] * len(GROUPS)
    assert views[0].missing == ("incoming", "restreamed")
    assert [v.spec for v in chart_views(None, HOUR_BY_TEN)] == [None] * len(GROUPS)


def test_line_spec_hides_points_and_breaks_at_gaps():
    """Does line() build a Chart.js line spec whose datasets break at None and whose axes are titled?"""
    spec = line(["10:00", "10:10"], [{"label": "a", "data": [1, None]}], y_title="events", x_title="UTC")
    assert spec["type"] == "line"
    assert spec["data"]["datasets"] == [{"spanGaps": False, "label": "a", "data": [1, None]}]
    assert spec["options"]["elements"]["point"]["radius"] == 0
    assert spec["options"]["scales"]["y"]["title"] == {"display": True, "text": "events"}
    assert spec["options"]["scales"]["x"]["title"]["text"] == "UTC"
