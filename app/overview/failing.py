"""Schedules failing now: the last run failed, and how many runs in a row and for how long, from the records only."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

from app.platforms.records import Run, RunStatus, Schedule

EARLIEST = datetime.min.replace(tzinfo=timezone.utc)
LATEST = datetime.max.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Failing:
    """A schedule whose latest run failed: `streak` failed runs in a row, the first of them at `since`."""

    schedule: Schedule
    streak: int
    since: datetime | None
    last_error: str

    def failing_for(self, now: datetime) -> float | None:
        return (now - self.since).total_seconds() if self.since else None


def _target_key(connection: str, kind: str, target_id: str) -> tuple[str, str, str]:
    return connection, kind, target_id


def _runs_by_target(runs: Iterable[Run]) -> dict[tuple[str, str, str], list[Run]]:
    """Finished runs per (connection, target), newest first; a platform that names the schedule wins later."""
    grouped: dict[tuple[str, str, str], list[Run]] = defaultdict(list)
    for run in runs:
        if run.target is not None and run.status.is_final:
            grouped[_target_key(run.connection, run.target.kind, run.target.id)].append(run)
    for items in grouped.values():
        items.sort(key=lambda r: r.created or r.started or EARLIEST, reverse=True)
    return grouped


def failing_schedules(schedules: Iterable[Schedule], runs: Iterable[Run]) -> list[Failing]:
    """Every schedule whose last run failed, longest streak first.

    A schedule's runs are the finished runs of its target (only those naming the schedule when the
    platform records it); where no run history is available, the schedule's own last status counts
    as a streak of one.
    """
    by_target = _runs_by_target(runs)
    found: list[Failing] = []
    for schedule in schedules:
        history: list[Run] = []
        if schedule.target is not None:
            history = by_target.get(_target_key(schedule.connection, schedule.target.kind, schedule.target.id), [])
            named = [r for r in history if r.schedule_id == schedule.id]
            history = named or [r for r in history if r.schedule_id is None]
        if history and history[0].status is RunStatus.FAILED:
            streak = 0
            for run in history:
                if run.status is not RunStatus.FAILED:
                    break
                streak += 1
            first = history[streak - 1]
            error = next((e for r in history[:streak] for e in r.errors), "") or schedule.last_error
            found.append(Failing(schedule, streak, first.created or first.started, error))
        elif not history and schedule.last_status is RunStatus.FAILED:
            found.append(Failing(schedule, 1, schedule.last_run, schedule.last_error))
    return sorted(found, key=lambda f: (-f.streak, f.since or LATEST))
