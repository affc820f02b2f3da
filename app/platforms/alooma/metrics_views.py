"""Alooma's Metrics page: line charts of incoming, loaded and lost events, latency and the pipeline over a window."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template, request
from flask_login import login_required

from app.api.serialize import to_json
from app.charts import line
from app.connections import service_or_404
from app.errors import PlatformError
from app.exports import json_response
from app.platforms.alooma import bp
from app.platforms.alooma.metrics import (WINDOWS, AloomaMetrics, MetricsWindow, Window, shown, source_unit,
                                          summarize, time_label, unit_of, window_of)
from app.platforms.views import fetch_or_banner


@dataclass(frozen=True)
class ChartGroup:
    """One chart: its stable id (the page's hook), title and the (metric, legend label) pairs drawn on it."""

    id: str
    title: str
    series: tuple[tuple[str, str], ...]


GROUPS = (
    ChartGroup("metrics-incoming", "Incoming events", (("INCOMING_EVENTS", "incoming"),
                                                       ("RESTREAMED_EVENTS", "restreamed"))),
    ChartGroup("metrics-loaded", "Loaded events", (("LOADED_EVENTS_RATE", "loaded"),)),
    ChartGroup("metrics-errors", "Error, unmapped and ignored events", (
        ("ERROR_EVENTS", "errors"), ("UNMAPPED_EVENTS", "unmapped"), ("IGNORED_EVENTS", "ignored"))),
    ChartGroup("metrics-latency", "Latency", (
        ("LATENCY_AVG", "average"), ("LATENCY_PERCENTILE_50", "median (p50)"),
        ("LATENCY_PERCENTILE_95", "p95"), ("LATENCY_MAX", "maximum"))),
    ChartGroup("metrics-pipeline", "Events in the pipeline", (
        ("EVENTS_IN_PIPELINE", "in pipeline"), ("EVENTS_IN_TRANSIT", "in transit per minute"))),
)


@dataclass(frozen=True)
class ChartView:
    """A chart as the page draws it: a spec, or None for an empty state; `missing` names series with no data."""

    id: str
    title: str
    spec: dict[str, Any] | None
    missing: tuple[str, ...]


def chart_views(metrics: MetricsWindow | None, window: Window) -> list[ChartView]:
    """Every chart of the page on one shared time axis; a series Alooma left out or sent only gaps for is
    named as missing, and a chart with none left is an empty state rather than an empty canvas."""
    times = metrics.times if metrics else []
    index = {moment: i for i, moment in enumerate(times)}
    labels = [time_label(moment, window) for moment in times]
    views = []
    for group in GROUPS:
        unit = unit_of(group.series[0][0])
        datasets, missing = [], []
        for name, label in group.series:
            series = metrics.get(name) if metrics else None
            if series is None or not series.has_data:
                missing.append(label)
                continue
            data: list[float | None] = [None] * len(times)
            for point in series.points:
                data[index[point.at]] = shown(name, point.value, window)
            datasets.append({"label": label, "data": data})
        spec = line(labels, datasets, y_title=unit, x_title="UTC") if datasets else None
        title = f"{group.title} ({unit}, {window.bucket_words} buckets)"
        views.append(ChartView(group.id, title, spec, tuple(missing)))
    return views


@bp.route("/<connection>/metrics")
@login_required
def metrics(connection: str):
    """Charts of one window (?window=1h, 6h, 24h or 7d; anything else is 24 h) with a summary above them."""
    svc = service_or_404(connection, "alooma")
    asked = request.args.get("window", "")
    window = window_of(asked)
    errors: list[PlatformError] = []
    fetched = fetch_or_banner(lambda: AloomaMetrics(svc).window(window), errors)
    data = fetched.value if fetched else None
    return render_template("alooma/metrics.html", svc=svc, window=window, windows=list(WINDOWS.values()),
                           unknown=asked if asked and asked not in WINDOWS else "", errors=errors, fetched=fetched,
                           summary=summarize(data) if data else None, charts=chart_views(data, window))


@bp.route("/<connection>/metrics.json")
@login_required
def metrics_json(connection: str):
    """The window's series in Alooma's own units (nulls kept) and the page's summary; failures are JSON errors."""
    svc = service_or_404(connection, "alooma")
    window = window_of(request.args.get("window"))
    fetched = AloomaMetrics(svc).window(window)
    data = fetched.value
    return json_response(f"alooma-{connection}-metrics-{window.key}", {
        "window": {"key": window.key, "label": window.label, "minutes": window.minutes,
                   "resolution_minutes": window.resolution_minutes},
        "series": [{**to_json(s), "unit": source_unit(s.name)} for s in data.series],
        "summary": to_json(summarize(data)),
        "stale": fetched.stale.describe() if fetched.stale else None})
