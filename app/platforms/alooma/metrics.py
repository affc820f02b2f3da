"""Alooma's metrics for the Metrics page: the windows it offers, Graphite-style series as records, the cached read.

`GET metrics?metrics=A,B&from=-Nmin&resolution=Mmin` answers `[{"target": NAME, "datapoints": [[value, epoch
seconds], ...]}]`; a value may be null where Alooma has nothing for that bucket, and such a gap stays a gap (None)
so charts break there instead of drawing a false zero. Units, as the official client reads them: latencies are
milliseconds (its get_max_latency divides by 1000 to give seconds); counts are summed per bucket (its
get_incoming_events_count and get_outputs_metrics add the points up to get totals), so a bucket divided by its
minutes is events per minute whatever the window; EVENTS_IN_PIPELINE is a level (events held), not a count.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from app.cache import Fetched, cached_read
from app.platforms.alooma.service import AloomaService

METRICS_TTL = 60  # the newest bucket closes every minute; a minute-old chart is current enough

LATENCIES = ("LATENCY_AVG", "LATENCY_PERCENTILE_50", "LATENCY_PERCENTILE_95", "LATENCY_MAX")
# Per-bucket sums (as the emulator documents and the client's totals imply); shown per minute
COUNTS = ("INCOMING_EVENTS", "RESTREAMED_EVENTS", "LOADED_EVENTS_RATE", "ERROR_EVENTS", "UNMAPPED_EVENTS",
          "IGNORED_EVENTS", "EVENTS_IN_TRANSIT")
LEVELS = ("EVENTS_IN_PIPELINE",)
NAMES = COUNTS + LATENCIES + LEVELS  # every series the page charts, read in one call
LATENCY_UNIT = "ms"  # as Alooma answers; the page shows seconds


@dataclass(frozen=True)
class Window:
    """A span the page offers, with the bucket size that gives each chart 60-170 points."""

    key: str
    label: str
    minutes: int
    resolution_minutes: int

    @property
    def points(self) -> int:
        """How many buckets Alooma answers: ceil(window / resolution)."""
        return -(-self.minutes // self.resolution_minutes)

    @property
    def bucket_words(self) -> str:
        """'1 min', '10 min', '1 h': the size of one point, for chart titles."""
        minutes = self.resolution_minutes
        return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"

    @property
    def with_day(self) -> bool:
        """Whether time labels need the day: the window spans more than one day."""
        return self.minutes > 1440


WINDOWS: dict[str, Window] = {w.key: w for w in (
    Window("1h", "1 hour", 60, 1),          # 60 points
    Window("6h", "6 hours", 360, 3),        # 120 points
    Window("24h", "24 hours", 1440, 10),    # 144 points
    Window("7d", "7 days", 10080, 60),      # 168 points
)}
DEFAULT_WINDOW = "24h"


def window_of(key: str | None) -> Window:
    """The window named by `?window=`; anything else (absent, unknown) is the default, 24 hours."""
    return WINDOWS.get(key or "", WINDOWS[DEFAULT_WINDOW])


@dataclass(frozen=True)
class Point:
    """One bucket, stamped with its start; value None where Alooma has no data for it."""

    at: datetime
    value: float | None


@dataclass(frozen=True)
class Series:
    """One metric over the window, its points oldest first, in Alooma's own unit."""

    name: str
    points: tuple[Point, ...]

    @property
    def values(self) -> list[float]:
        """The values that are there (gaps left out)."""
        return [p.value for p in self.points if p.value is not None]

    @property
    def has_data(self) -> bool:
        return any(p.value is not None for p in self.points)

    @property
    def total(self) -> float | None:
        """Sum over the window (meaningful for counts); None when every bucket is a gap."""
        values = self.values
        return sum(values) if values else None

    @property
    def latest(self) -> Point | None:
        """The newest bucket that has a value."""
        return next((p for p in reversed(self.points) if p.value is not None), None)


@dataclass(frozen=True)
class MetricsWindow:
    """Every series Alooma answered for one window; a name it left out is simply absent."""

    window: Window
    series: tuple[Series, ...]

    def get(self, name: str) -> Series | None:
        return next((s for s in self.series if s.name == name), None)

    @property
    def times(self) -> list[datetime]:
        """Every bucket start in any series, oldest first: the charts' shared x axis."""
        return sorted({p.at for s in self.series for p in s.points})


@dataclass(frozen=True)
class Summary:
    """The figures above the charts, in the page's units; None where there is nothing to show."""

    incoming_total: float | None
    restreamed_total: float | None
    errors_total: float | None  # error + unmapped events in the window
    loaded_per_minute: float | None  # the newest bucket with a value
    p95_seconds: float | None
    in_pipeline: float | None
    latest_at: datetime | None


# --- pure normalisers ----------------------------------------------------------------------------------
def _number(value: Any) -> float | None:
    """A finite JSON number as a float; bools, text and the rest are not numbers here."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def normalize_point(raw: Any) -> Point | None:
    """`[value, epoch_seconds]` -> Point (null value kept as a gap); None for a pair that cannot be read."""
    if not isinstance(raw, (list, tuple)) or len(raw) < 2:
        return None
    stamp = _number(raw[1])
    if stamp is None:
        return None
    if raw[0] is not None and _number(raw[0]) is None:
        return None
    return Point(at=datetime.fromtimestamp(int(stamp), timezone.utc), value=_number(raw[0]))


def normalize_series(raw: Any) -> Series | None:
    """`{"target", "datapoints"}` -> Series, points oldest first; None without a name or a list of points."""
    if not isinstance(raw, dict) or not isinstance(raw.get("target"), str) or not raw["target"].strip():
        return None
    datapoints = raw.get("datapoints")
    if not isinstance(datapoints, list):
        return None
    points = sorted((p for p in map(normalize_point, datapoints) if p is not None), key=lambda p: p.at)
    return Series(name=raw["target"].strip(), points=tuple(points))


def normalize_metrics(raw: Iterable[Any], window: Window) -> MetricsWindow:
    """Alooma's answer for one window; unreadable entries are dropped, a name answered twice counts once."""
    found: dict[str, Series] = {}
    for item in raw:
        series = normalize_series(item)
        if series is not None and series.name not in found:
            found[series.name] = series
    return MetricsWindow(window=window, series=tuple(found.values()))


# --- the page's units ------------------------------------------------------------------------------------
def shown(name: str, value: float | None, window: Window) -> float | None:
    """A value in the page's unit: latencies in seconds, per-bucket counts per minute, levels as they are."""
    if value is None:
        return None
    if name in LATENCIES:
        return round(value / 1000.0, 3)
    if name in COUNTS:
        return round(value / window.resolution_minutes, 2)
    return value


def unit_of(name: str) -> str:
    """The page's unit for a metric, as chart axes and the JSON twin name it."""
    if name in LATENCIES:
        return "seconds"
    if name in COUNTS:
        return "events per minute"
    return "events"


def source_unit(name: str) -> str:
    """The unit Alooma answers a metric in, for the JSON twin (which passes values on unconverted)."""
    if name in LATENCIES:
        return LATENCY_UNIT
    if name in COUNTS:
        return "events per bucket"
    if name in LEVELS:
        return "events"
    return ""


def time_label(moment: datetime, window: Window) -> str:
    """A bucket's start in UTC: '14:30', or 'Tue 03 14:00' when the window spans days."""
    return moment.astimezone(timezone.utc).strftime("%a %d %H:%M" if window.with_day else "%H:%M")


def summarize(metrics: MetricsWindow) -> Summary:
    """Events in the window, the newest loaded rate, p95 latency and pipeline level."""
    def total(*names: str) -> float | None:
        found = [t for t in (metrics.get(n).total if metrics.get(n) else None for n in names) if t is not None]
        return sum(found) if found else None

    def latest(name: str) -> Point | None:
        series = metrics.get(name)
        return series.latest if series else None

    loaded, p95, pipeline = latest("LOADED_EVENTS_RATE"), latest("LATENCY_PERCENTILE_95"), latest("EVENTS_IN_PIPELINE")
    stamps = [p.at for p in (loaded, p95, pipeline) if p is not None]
    window = metrics.window
    return Summary(
        incoming_total=total("INCOMING_EVENTS"), restreamed_total=total("RESTREAMED_EVENTS"),
        errors_total=total("ERROR_EVENTS", "UNMAPPED_EVENTS"),
        loaded_per_minute=shown("LOADED_EVENTS_RATE", loaded.value, window) if loaded else None,
        p95_seconds=shown("LATENCY_PERCENTILE_95", p95.value, window) if p95 else None,
        in_pipeline=pipeline.value if pipeline else None, latest_at=max(stamps) if stamps else None)


# --- reads -----------------------------------------------------------------------------------------------
class AloomaMetrics:
    """The Metrics page's read: every charted series of one window in one call, cached a minute per window."""

    def __init__(self, service: AloomaService) -> None:
        self.svc = service
        self.name = service.name

    def window(self, window: Window) -> Fetched[MetricsWindow]:
        """The window's series; raises PlatformError when Alooma fails and no earlier copy is kept."""
        def fetch() -> MetricsWindow:
            raw = self.svc.client.metrics(list(NAMES), window.minutes, window.resolution_minutes)
            return normalize_metrics(raw, window)
        return cached_read(self.name, f"metrics:{window.key}", fetch, timeout=METRICS_TTL)
