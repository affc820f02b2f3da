"""Alooma emulator metrics: Graphite-style target/datapoints, selectable windows, movement with the clock."""
from __future__ import annotations

import pytest

from tests.sandbox.test_alooma_helpers import METRICS, Alooma, assert_error

DASHBOARD = "INCOMING_EVENTS,LOADED_EVENTS_RATE,ERROR_EVENTS,UNMAPPED_EVENTS,LATENCY_AVG,LATENCY_PERCENTILE_50," \
            "LATENCY_PERCENTILE_95,LATENCY_MAX,EVENTS_IN_PIPELINE"


def test_every_metric_answers_target_and_datapoints(alooma: Alooma) -> None:
    """metrics=<all fifteen>&from=-100min&resolution=100min (the client's default): one [value, epoch] each."""
    series = alooma.get(f"metrics?metrics={','.join(METRICS)}&from=-100min&resolution=100min")
    assert [s["target"] for s in series] == list(METRICS)
    for s in series:
        assert set(s) == {"target", "datapoints"} and len(s["datapoints"]) == 1
        value, stamp = s["datapoints"][0]
        assert isinstance(value, float) and isinstance(stamp, int) and value >= 0


@pytest.mark.parametrize("window, resolution, points", [("-60min", "1min", 60), ("-6h", "5min", 72),
                                                         ("-1440min", "60min", 24), ("-7d", "6h", 28),
                                                         ("-10080min", "60min", 168)])
def test_windows_give_one_point_per_resolution_step_ending_now(alooma: Alooma, window: str, resolution: str,
                                                               points: int) -> None:
    """The dashboard's windows (1 h, 6 h, 24 h, 7 days): ceil(window / resolution) points, evenly spaced, the
    last bucket ending at the last complete minute."""
    alooma.freeze("2030-03-04T10:30:20Z")
    series = alooma.get(f"metrics?metrics={DASHBOARD}&from={window}&resolution={resolution}")
    assert len(series) == 9
    stamps = [p[1] for p in series[0]["datapoints"]]
    step = stamps[1] - stamps[0]
    assert len(stamps) == points and all(b - a == step for a, b in zip(stamps, stamps[1:]))
    assert stamps[-1] + step == 1898850600  # 2030-03-04T10:30:00Z, the current minute's start


def test_latencies_are_ordered_and_loaded_is_incoming_less_losses(alooma: Alooma) -> None:
    """p50 <= avg <= p95 <= max; loaded = incoming + restreamed - error - unmapped - ignored (no restream here)."""
    names = "LATENCY_PERCENTILE_50,LATENCY_AVG,LATENCY_PERCENTILE_95,LATENCY_MAX"
    p50, avg, p95, top = (s["datapoints"] for s in alooma.get(f"metrics?metrics={names}&from=-30min&resolution=1min"))
    assert all(a[0] <= b[0] <= c[0] <= d[0] for a, b, c, d in zip(p50, avg, p95, top))
    counts = "INCOMING_EVENTS,LOADED_EVENTS_RATE,ERROR_EVENTS,UNMAPPED_EVENTS,IGNORED_EVENTS"
    incoming, loaded, error, unmapped, ignored = (
        s["datapoints"][0][0] for s in alooma.get(f"metrics?metrics={counts}&from=-60min&resolution=60min"))
    assert loaded == incoming - error - unmapped - ignored and incoming > 0 and error > 0


def test_sums_over_a_coarse_resolution_equal_sums_of_fine_points(alooma: Alooma) -> None:
    """Counts are summed per bucket: one 60-minute bucket equals its sixty minutes."""
    alooma.freeze()
    fine = alooma.get("metrics?metrics=INCOMING_EVENTS&from=-60min&resolution=1min")[0]["datapoints"]
    coarse = alooma.get("metrics?metrics=INCOMING_EVENTS&from=-60min&resolution=60min")[0]["datapoints"]
    assert coarse == [[sum(p[0] for p in fine), fine[0][1]]]


def test_series_move_with_the_clock_and_repeat_at_the_same_instant(alooma: Alooma) -> None:
    """Advancing an hour shifts every timestamp by 3600 s; the overlapping minutes keep their values."""
    alooma.freeze()
    path = "metrics?metrics=INCOMING_EVENTS&from=-120min&resolution=1min"
    before = alooma.get(path)[0]["datapoints"]
    assert alooma.get(path)[0]["datapoints"] == before
    alooma.advance(3600)
    after = alooma.get(path)[0]["datapoints"]
    assert [p[1] for p in after] == [p[1] + 3600 for p in before]
    assert after[:60] == before[60:] and after != before


def test_resolution_defaults_to_one_minute_and_bad_requests_are_400(alooma: Alooma) -> None:
    """No resolution: one point per minute; unknown names, missing names, absolute or bad windows: 400."""
    assert len(alooma.get("metrics?metrics=INCOMING_EVENTS&from=-15min")[0]["datapoints"]) == 15
    for query in ("metrics=NOPE&from=-60min", "from=-60min", "metrics=INCOMING_EVENTS",
                  "metrics=INCOMING_EVENTS&from=60min", "metrics=INCOMING_EVENTS&from=-60parsecs",
                  "metrics=INCOMING_EVENTS&from=-60min&resolution=0min",
                  "metrics=INCOMING_EVENTS&from=-60d"):
        assert_error(alooma.api("GET", f"metrics?{query}"), 400)
