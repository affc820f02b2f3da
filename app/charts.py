"""Chart.js specs built from records; templates embed them as JSON for static/js/charts.js."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable

from app.platforms.cron import CronError, next_runs
from app.platforms.records import Run, RunStatus, Schedule

STATUS_COLOURS = {
    RunStatus.SUCCEEDED: "#2e7d32", RunStatus.FAILED: "#c62828", RunStatus.RUNNING: "#1565c0",
    RunStatus.QUEUED: "#9e9e9e", RunStatus.CANCELED: "#ef6c00", RunStatus.UNKNOWN: "#6d4c41",
}


def bar(labels: list[str], datasets: list[dict[str, Any]], *, stacked: bool = False, horizontal: bool = False,
        y_title: str = "") -> dict[str, Any]:
    scale = {"stacked": stacked, "beginAtZero": True, "ticks": {"precision": 0}}  # counts: whole numbers
    return {"type": "bar", "data": {"labels": labels, "datasets": datasets},
            "options": {"indexAxis": "y" if horizontal else "x",
                        "scales": {"x": dict(scale), "y": {**scale, "title": {"display": bool(y_title), "text": y_title}}}}}


def line(labels: list[str], datasets: list[dict[str, Any]], *, y_title: str = "", x_title: str = "",
         begin_at_zero: bool = True) -> dict[str, Any]:
    """Lines over category labels (times): points hidden so a few hundred stay legible, None values drawn as gaps
    (spanGaps off: a missing bucket is not a zero), the tooltip showing every series at the hovered label."""
    return {"type": "line", "data": {"labels": labels, "datasets": [{"spanGaps": False, **d} for d in datasets]},
            "options": {"elements": {"point": {"radius": 0, "hitRadius": 6},
                                     "line": {"tension": 0.2, "borderWidth": 1.5}},
                        "interaction": {"mode": "index", "intersect": False},
                        "scales": {"x": {"title": _axis_title(x_title),
                                         "ticks": {"autoSkip": True, "maxTicksLimit": 8, "maxRotation": 0}},
                                   "y": {"beginAtZero": begin_at_zero, "title": _axis_title(y_title)}}}}


def _axis_title(text: str) -> dict[str, Any]:
    return {"display": bool(text), "text": text}


def count_by(values: Iterable[str], label: str, top: int = 12) -> dict[str, Any]:
    """Counts per value, largest first, the rest folded into 'other'."""
    counts = Counter(values).most_common()
    head, tail = counts[:top], counts[top:]
    if tail:
        head.append(("other", sum(c for _, c in tail)))
    return bar([k for k, _ in head], [{"label": label, "data": [c for _, c in head]}], horizontal=len(head) > 6)


def upcoming_per_hour(schedules: Iterable[Schedule], now: datetime, hours: int = 24) -> dict[str, Any]:
    """How many runs start in each of the next `hours` hours (UTC), from every enabled schedule's rule.

    Schedules sharing a rule and zone are counted together, so the cron work grows with the number
    of distinct rules, not of schedules.
    """
    start = now.replace(minute=0, second=0, microsecond=0)
    end = start + timedelta(hours=hours)
    buckets = [0] * hours
    rules: Counter[tuple[str, str]] = Counter()
    for schedule in schedules:
        if not schedule.enabled:
            continue
        if schedule.trigger.cron:
            rules[(schedule.trigger.cron, schedule.timezone)] += 1
        elif schedule.next_run and now <= schedule.next_run < end:
            buckets[int((schedule.next_run - start).total_seconds() // 3600)] += 1
    for (cron, tz), how_many in rules.items():
        try:
            moments = next_runs(cron, tz, now, count=hours * 60, until=end)
        except CronError:
            continue
        for moment in moments:
            index = int((moment - start).total_seconds() // 3600)
            if 0 <= index < hours:
                buckets[index] += how_many
    labels = [(start + timedelta(hours=i)).strftime("%H:00") for i in range(hours)]
    return bar(labels, [{"label": "runs starting (UTC hour)", "data": buckets}], y_title="runs")


def daily_status_counts(runs: Iterable[Run]) -> Counter[tuple[str, str]]:
    """(ISO day, status) -> runs created that day: the small summary charts of many connections add up."""
    counts: Counter[tuple[str, str]] = Counter()
    for run in runs:
        when = run.created or run.started
        if when is not None:
            counts[(when.date().isoformat(), run.status.value)] += 1
    return counts


def per_day_by_status_chart(counts: Counter[tuple[str, str]], now: datetime, days: int = 14) -> dict[str, Any]:
    """Stacked bars of runs per day by status over the last `days` days, from daily_status_counts()."""
    first = (now - timedelta(days=days - 1)).date()
    labels = [(first + timedelta(days=i)).isoformat() for i in range(days)]
    datasets = []
    for status in RunStatus:
        data = [counts.get((day, status.value), 0) for day in labels]
        if any(data):
            datasets.append({"label": status.value, "data": data, "backgroundColor": STATUS_COLOURS[status]})
    return bar(labels, datasets, stacked=True, y_title="runs")


def runs_per_day_by_status(runs: Iterable[Run], now: datetime, days: int = 14) -> dict[str, Any]:
    return per_day_by_status_chart(daily_status_counts(runs), now, days)


OUTCOME_COLOURS = {"Success": "#2e7d32", "Warning": "#f9a825", "Error": "#c62828", "Cancelled": "#ef6c00"}


def runs_per_day_by_outcome(runs: Iterable[Run], now: datetime, days: int = 14) -> dict[str, Any]:
    """Finished runs per day stacked by the platform's own result word (e.g. Success, Warning, Error)."""
    first = (now - timedelta(days=days - 1)).date()
    labels = [(first + timedelta(days=i)).isoformat() for i in range(days)]
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * days)
    for run in runs:
        when = run.created or run.started
        if when is None or not run.outcome:
            continue
        index = (when.date() - first).days
        if 0 <= index < days:
            counts[run.outcome][index] += 1
    order = [o for o in OUTCOME_COLOURS if o in counts] + sorted(o for o in counts if o not in OUTCOME_COLOURS)
    datasets = [{"label": o, "data": counts[o], "backgroundColor": OUTCOME_COLOURS.get(o, "#6d4c41")} for o in order]
    return bar(labels, datasets, stacked=True, y_title="runs")


def duration_trend(runs: Iterable[Run], now: datetime, days: int = 14, top: int = 5) -> dict[str, Any]:
    """Average minutes per day for the most frequently run targets."""
    first = (now - timedelta(days=days - 1)).date()
    labels = [(first + timedelta(days=i)).isoformat() for i in range(days)]
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0] * days)
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * days)
    frequency: Counter[str] = Counter()
    for run in runs:
        if run.duration is None or run.target is None or run.started is None:
            continue
        index = (run.started.date() - first).days
        if 0 <= index < days:
            name = run.target.name
            sums[name][index] += run.duration.total_seconds() / 60
            counts[name][index] += 1
            frequency[name] += 1
    datasets = []
    for name, _ in frequency.most_common(top):
        data = [round(s / c, 1) if c else None for s, c in zip(sums[name], counts[name])]
        datasets.append({"label": name, "data": data, "spanGaps": True})
    return {"type": "line", "data": {"labels": labels, "datasets": datasets},
            "options": {"scales": {"y": {"beginAtZero": True, "title": {"display": True, "text": "minutes"}}}}}


def success_counts(runs: Iterable[Run], key: Callable[[Run], str]) -> tuple[Counter[str], Counter[str]]:
    """(finished, succeeded) runs per key."""
    finished: Counter[str] = Counter()
    succeeded: Counter[str] = Counter()
    for run in runs:
        if run.status.is_final:
            finished[key(run)] += 1
            succeeded[key(run)] += run.status is RunStatus.SUCCEEDED
    return finished, succeeded


def success_rate_chart(finished: Counter[str], succeeded: Counter[str], label: str = "% succeeded") -> dict[str, Any]:
    """Share of finished runs that succeeded, a bar per key from 0 to 100."""
    labels = sorted(finished)
    spec = bar(labels, [{"label": label, "data": [round(100 * succeeded[k] / finished[k], 1) for k in labels]}],
               y_title="%")
    spec["options"]["scales"]["y"]["max"] = 100
    return spec
