"""GET metrics: Graphite-style series `[{"target": NAME, "datapoints": [[value, epoch_seconds], ...]}]`.

Every minute's values are a pure function of (seed, minute since the epoch): a daily and weekly rhythm, seeded
noise and the odd error burst; restreamed events come from the Restream Queue's runs. A window therefore
moves with the emulator clock and repeats exactly for the same seed and instant. Buckets end at the last
complete minute; counts are summed over a bucket, LATENCY_MAX takes the maximum, the rest the mean.
"""
from __future__ import annotations

import math
import re
from datetime import timedelta

from sandbox.alooma.restream import RestreamQueue
from sandbox.alooma.times import EPOCH

METRICS = ("EVENT_SIZE_AVG", "EVENT_SIZE_TOTAL", "EVENT_PROCESSING_RATE", "INCOMING_EVENTS", "RESTREAMED_EVENTS",
           "UNMAPPED_EVENTS", "IGNORED_EVENTS", "ERROR_EVENTS", "LOADED_EVENTS_RATE", "LATENCY_AVG",
           "LATENCY_PERCENTILE_50", "LATENCY_PERCENTILE_95", "LATENCY_MAX", "EVENTS_IN_PIPELINE",
           "EVENTS_IN_TRANSIT")
SUMMED = frozenset({"EVENT_SIZE_TOTAL", "INCOMING_EVENTS", "RESTREAMED_EVENTS", "UNMAPPED_EVENTS", "IGNORED_EVENTS",
                    "ERROR_EVENTS", "LOADED_EVENTS_RATE", "EVENTS_IN_TRANSIT"})
MAX_WINDOW_MINUTES = 30 * 1440
UNITS = {"min": 1, "m": 1, "minute": 1, "minutes": 1, "h": 60, "hour": 60, "hours": 60,
         "d": 1440, "day": 1440, "days": 1440, "w": 10080, "week": 10080, "weeks": 10080}
_SPAN = re.compile(r"^(\d+)\s*([a-z]+)$")
_MASK = (1 << 64) - 1


class MetricsError(ValueError):
    """A window, resolution or metric name the endpoint refuses."""


def mix(*parts: int) -> int:
    """A seeded 64-bit hash of integers (a splitmix-style mix: cheap enough to run per minute)."""
    x = 0x9E3779B97F4A7C15
    for part in parts:
        x = ((x ^ (part & _MASK)) * 0xBF58476D1CE4E5B9) & _MASK
        x ^= x >> 31
    x = (x * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 29)


def unit(*parts: int) -> float:
    """A seeded uniform number in [0, 1) from integers."""
    return mix(*parts) / 2.0 ** 64


def draws(seed: int, minute: int) -> list[float]:
    """Twelve uniform numbers in [0, 1) for one minute, four 16-bit slices of each of three hashes."""
    hashes = (mix(seed, minute, 0), mix(seed, minute, 1), mix(seed, minute, 2))
    return [((h >> shift) & 0xFFFF) / 65536.0 for h in hashes for shift in (0, 16, 32, 48)]


def minutes_of(text: str, name: str, negative: bool) -> int:
    """"-60min" / "6h" / "7d" -> minutes; the sign is required for `from` (relative to now)."""
    raw = text.strip().lower()
    if negative:
        if not raw.startswith("-"):
            raise MetricsError(f"{name} must be relative to now, like -60min")
        raw = raw[1:]
    match = _SPAN.match(raw)
    if not match or match.group(2) not in UNITS:
        raise MetricsError(f"{name} {text!r} is not a duration like 60min, 6h or 7d")
    minutes = int(match.group(1)) * UNITS[match.group(2)]
    if not 1 <= minutes <= MAX_WINDOW_MINUTES:
        raise MetricsError(f"{name} must be between 1min and {MAX_WINDOW_MINUTES}min")
    return minutes


class MinuteModel:
    """The account's traffic, minute by minute."""

    def __init__(self, seed: int, scale: float, restream: RestreamQueue) -> None:
        self.seed, self.scale, self.restream = seed, scale, restream

    def minute(self, m: int) -> dict[str, float]:
        """All fifteen metrics for minute m (counts are whole events; latencies in milliseconds)."""
        u = draws(self.seed, m)
        diurnal = 1 + 0.35 * math.sin(2 * math.pi * (m % 1440) / 1440 - 2.0)
        weekend = 0.7 if (m // 1440 + 3) % 7 >= 5 else 1.0
        burst = 12.0 if u[1] > 0.985 else 1.0
        incoming = round(self.scale * diurnal * weekend * (0.85 + 0.3 * u[0]))
        errors = round(incoming * (0.002 + 0.004 * u[2]) * burst)
        unmapped = round(incoming * 0.012 * u[3])
        ignored = round(incoming * 0.004 * u[4])
        size = 900 + 700 * u[5]
        latency = 2500 + 1500 * diurnal + 2000 * u[6] + (8000 if burst > 1 else 0)
        restreamed = 0
        if self.restream.runs:
            start = EPOCH + timedelta(minutes=m)
            restreamed = round(self.restream.outflow(start, start + timedelta(minutes=1)))
        return {
            "EVENT_SIZE_AVG": size, "EVENT_SIZE_TOTAL": incoming * size,
            "EVENT_PROCESSING_RATE": (incoming + restreamed) / 60.0, "INCOMING_EVENTS": float(incoming),
            "RESTREAMED_EVENTS": float(restreamed), "UNMAPPED_EVENTS": float(unmapped),
            "IGNORED_EVENTS": float(ignored), "ERROR_EVENTS": float(errors),
            "LOADED_EVENTS_RATE": float(max(0, incoming + restreamed - errors - unmapped - ignored)),
            "LATENCY_AVG": latency, "LATENCY_PERCENTILE_50": latency * 0.78, "LATENCY_PERCENTILE_95": latency * 2.1,
            "LATENCY_MAX": latency * 2.1 * (1.2 + 0.8 * u[7]),
            "EVENTS_IN_PIPELINE": float(round(incoming * latency / 60000.0 + 40 * u[8])),
            "EVENTS_IN_TRANSIT": float(round(self.restream.in_rate * (0.5 + u[9]))),
        }

    def total(self, name: str, first: int, last: int) -> float:
        """Sum of one metric over minutes [first, last)."""
        return sum(self.minute(m)[name] for m in range(first, last))


def _aggregate(name: str, values: list[float]) -> float:
    if name in SUMMED:
        return round(sum(values), 3)
    if name == "LATENCY_MAX":
        return round(max(values), 3)
    return round(sum(values) / len(values), 3)


def series(model: MinuteModel, names: list[str], now_minute: int, window: int, resolution: int) -> list[dict]:
    """The reply for `metrics=names&from=-{window}min&resolution={resolution}min`, buckets ending at now_minute."""
    unknown = [n for n in names if n not in METRICS]
    if not names or unknown:
        raise MetricsError(f"Unknown metric {', '.join(unknown) or '(none given)'}; known: {', '.join(METRICS)}")
    buckets = -(-window // resolution)
    start = now_minute - buckets * resolution
    per_minute = [model.minute(m) for m in range(start, now_minute)]
    result = []
    for name in names:
        points = []
        for b in range(buckets):
            chunk = [row[name] for row in per_minute[b * resolution:(b + 1) * resolution]]
            points.append([_aggregate(name, chunk), (start + b * resolution) * 60])
        result.append({"target": name, "datapoints": points})
    return result
