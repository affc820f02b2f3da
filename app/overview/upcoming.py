"""Every schedule's next starts across all connections, where they clash, and when in the week they fall."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Sequence

from app.charts import bar
from app.platforms.cron import CronError, next_runs, zone
from app.platforms.records import Schedule
from app.platforms.registry import platform_name

MAX_PER_SCHEDULE = 500  # an every-minute rule would otherwise give 10,080 starts in 7 days
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HEAT_LEVELS = 5
CLASH_COLOUR = "#c62828"
PLATFORM_COLOURS = ("#1f5fbf", "#2e7d32", "#ef6c00", "#8e24aa", "#00838f", "#6d4c41", "#546e7a")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Occurrence:
    """One start of one schedule."""

    schedule: Schedule
    at: datetime


@dataclass(frozen=True)
class Clash:
    """Runs of different schedules sharing an owner or a target that start in the same window."""

    kind: str  # "owner" or "target"
    key: str  # what people see: the owner's name, or "target name (connection)"
    window_start: datetime
    window_end: datetime
    occurrences: tuple[Occurrence, ...]

    @property
    def schedules(self) -> list[Schedule]:
        """The schedules involved, each once, in the order they first start."""
        seen: dict[tuple[str, str], Schedule] = {}
        for occurrence in self.occurrences:
            seen.setdefault(schedule_key(occurrence.schedule), occurrence.schedule)
        return list(seen.values())


def schedule_key(schedule: Schedule) -> tuple[str, str]:
    """Ids are unique per connection only."""
    return schedule.connection, schedule.id


def occurrences(schedules: Iterable[Schedule], start: datetime, end: datetime,
                cap: int = MAX_PER_SCHEDULE) -> list[Occurrence]:
    """Every start of every enabled schedule in [start, end), at most `cap` per schedule, by time.

    A cron rule is followed in the schedule's own zone (DST-safe); a schedule without one (or with
    one we cannot read) counts its single next run. Schedules sharing a rule and zone are expanded
    once, so the cron work grows with the number of distinct rules, not of schedules.
    """
    by_rule: dict[tuple[str, str], list[Schedule]] = defaultdict(list)
    found: list[Occurrence] = []
    for schedule in schedules:
        if not schedule.enabled:
            continue
        if schedule.trigger.cron:
            by_rule[(schedule.trigger.cron, schedule.timezone or schedule.trigger.timezone)].append(schedule)
        elif schedule.next_run is not None and start <= schedule.next_run < end:
            found.append(Occurrence(schedule, schedule.next_run))
    # next_runs answers strictly after its start; one microsecond earlier keeps a start exactly at `start`
    after = start - timedelta(microseconds=1)
    for (cron, tz), group in by_rule.items():
        try:
            moments = next_runs(cron, tz, after, count=cap, until=end)
        except CronError:
            found.extend(Occurrence(s, s.next_run) for s in group
                         if s.next_run is not None and start <= s.next_run < end)
            continue
        found.extend(Occurrence(s, moment) for s in group for moment in moments if moment >= start)
    found.sort(key=lambda o: (o.at, o.schedule.connection, o.schedule.name.lower(), o.schedule.id))
    return found


def window_of(moment: datetime, minutes: int) -> datetime:
    """The start of the fixed window holding `moment`; windows are aligned to UTC midnight."""
    size = minutes * 60
    seconds = (moment - _EPOCH).total_seconds()
    return _EPOCH + timedelta(seconds=math.floor(seconds / size) * size)


def _owner_key(schedule: Schedule) -> str | None:
    return schedule.owner.strip() or None


def _target_key(schedule: Schedule) -> tuple[str, str, str] | None:
    target = schedule.target
    return (schedule.connection, target.kind, target.id) if target is not None else None


def find_clashes(found: Iterable[Occurrence], window_minutes: int = 15) -> list[Clash]:
    """Windows where runs of two or more different schedules of one owner, or of one target, start.

    A schedule never clashes with itself: an every-5-minutes rule starting three times in one
    window is not a clash unless another schedule of the same owner or target starts there too.
    """
    groups: dict[tuple[str, Any, datetime], list[Occurrence]] = defaultdict(list)
    labels: dict[tuple[str, Any], str] = {}
    for occurrence in found:
        schedule = occurrence.schedule
        window = window_of(occurrence.at, window_minutes)
        owner = _owner_key(schedule)
        if owner is not None:
            groups[("owner", owner, window)].append(occurrence)
            labels[("owner", owner)] = owner
        target = _target_key(schedule)
        if target is not None:
            groups[("target", target, window)].append(occurrence)
            labels[("target", target)] = f"{schedule.target.name} ({schedule.connection})"
    clashes = []
    for (kind, key, window), members in groups.items():
        if len({schedule_key(o.schedule) for o in members}) < 2:
            continue
        members.sort(key=lambda o: (o.at, o.schedule.name.lower()))
        clashes.append(Clash(kind, labels[(kind, key)], window, window + timedelta(minutes=window_minutes),
                             tuple(members)))
    clashes.sort(key=lambda c: (c.window_start, c.kind, c.key.lower()))
    return clashes


def week_heatmap(found: Iterable[Occurrence], tz: str | None = "UTC") -> list[list[int]]:
    """Starts per weekday (Monday first) and hour of the day, in the viewer's zone: 7 rows of 24."""
    local_zone = zone(tz)
    grid = [[0] * 24 for _ in range(7)]
    for occurrence in found:
        local = occurrence.at.astimezone(local_zone)
        grid[local.weekday()][local.hour] += 1
    return grid


def heat_level(count: int, peak: int) -> int:
    """0 for nothing, else 1..5 by share of the busiest cell, so one start still shows."""
    if count <= 0 or peak <= 0:
        return 0
    return max(1, math.ceil(HEAT_LEVELS * count / peak))


def _bucket_label(moment: datetime, hours_per_bucket: int, tz: str | None) -> str:
    local = moment.astimezone(zone(tz))
    return local.strftime("%H:%M") if hours_per_bucket < 3 else local.strftime("%a %H:%M")


def timeline(found: Sequence[Occurrence], start: datetime, hours_per_bucket: int, buckets: int,
             clashes: Sequence[Clash] | None = None, tz: str | None = "UTC") -> dict[str, Any]:
    """Starts per bucket stacked by platform, with a marker on each bucket where a clash starts."""
    size = timedelta(hours=hours_per_bucket)

    def index(moment: datetime) -> int | None:
        position = math.floor((moment - start) / size)
        return position if 0 <= position < buckets else None

    per_platform: dict[str, list[int]] = {}
    for occurrence in found:
        i = index(occurrence.at)
        if i is not None:
            per_platform.setdefault(occurrence.schedule.platform, [0] * buckets)[i] += 1
    clash_counts = [0] * buckets
    for clash in find_clashes(found) if clashes is None else clashes:
        i = index(clash.window_start)
        if i is not None:
            clash_counts[i] += 1
    labels = [_bucket_label(start + n * size, hours_per_bucket, tz) for n in range(buckets)]
    datasets: list[dict[str, Any]] = [
        {"label": platform_name(key), "data": counts, "stack": "runs", "yAxisID": "y", "order": 1,
         "backgroundColor": PLATFORM_COLOURS[n % len(PLATFORM_COLOURS)]}
        for n, (key, counts) in enumerate(sorted(per_platform.items()))]
    # Markers on their own axis, so clashes neither stack onto nor hide the run counts; the lower
    # order draws them over the bars.
    datasets.append({"type": "line", "label": "clashes", "order": 0, "data": [c or None for c in clash_counts],
                     "yAxisID": "clashes", "showLine": False, "pointStyle": "triangle", "pointRadius": 8,
                     "pointHoverRadius": 10, "backgroundColor": CLASH_COLOUR, "borderColor": "#ffffff",
                     "pointBorderWidth": 1.5})
    spec = bar(labels, datasets, stacked=True, y_title="runs starting")
    spec["options"]["scales"]["clashes"] = {
        "position": "right", "beginAtZero": True, "suggestedMax": max(clash_counts, default=0) + 1,
        "ticks": {"precision": 0}, "grid": {"drawOnChartArea": False},
        "title": {"display": True, "text": "clashes"}}
    return spec
