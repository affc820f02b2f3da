"""The filters every cross-platform table shares: read from a query string, applied to records of any platform."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from app.overview.tables import CrossFilters
from app.platforms.records import Run, RunStatus, Schedule, TargetRef, Trigger

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def schedule(sid: str, name: str, **changes) -> Schedule:
    base = Schedule(connection="c1", platform="aac", id=sid, name=name, target=TargetRef("flow", "f", "Sales flow"),
                    owner="ana", trigger=Trigger("cron", "every hour"), timezone="UTC", enabled=True,
                    next_run=NOW + timedelta(hours=int(sid)), last_run=None, last_status=None, updated_at=None)
    return replace(base, **changes)


def run(rid: str, status: RunStatus, days_ago: int, **changes) -> Run:
    created = NOW - timedelta(days=days_ago)
    base = Run(connection="c1", platform="aac", id=rid, target=TargetRef("flow", "f", "Sales flow"), status=status,
               platform_status=status.value, started=created, finished=None, triggered_by="ana", created=created)
    return replace(base, **changes)


def test_nonsense_in_the_query_string_is_ignored():
    """Do an unknown sort, a bad enabled value and a bad date fall back to the defaults instead of failing?"""
    filters = CrossFilters.from_args("schedules", {"sort": "password", "enabled": "maybe", "from": "31/12/2026"})
    assert filters.sort == "next_run" and filters.enabled == "" and filters.since is None


def test_default_sort_of_runs_is_newest_first():
    """Are runs shown newest first unless the viewer sorts otherwise?"""
    runs = [run("1", RunStatus.SUCCEEDED, 3), run("2", RunStatus.SUCCEEDED, 1), run("3", RunStatus.FAILED, 2)]
    assert [r.id for r in CrossFilters.from_args("runs", {}).apply(runs)] == ["2", "3", "1"]
    assert [r.id for r in CrossFilters.from_args("runs", {"dir": "asc"}).apply(runs)] == ["1", "3", "2"]


def test_every_filter_narrows_schedules():
    """Do platform, connection, owner, enabled and text search each keep only the matching schedules?"""
    schedules = [schedule("1", "Nightly sales"), schedule("2", "Hourly stock", platform="server", connection="c2",
                                                            target=TargetRef("workflow", "w", "Stock count")),
                 schedule("3", "Weekly sales", owner="bo"), schedule("4", "Paused sales", enabled=False)]
    def ids(**args: str) -> list[str]:
        return [s.id for s in CrossFilters.from_args("schedules", args).apply(schedules)]
    assert ids(platform="server") == ["2"] and ids(connection="c2") == ["2"]
    assert ids(owner="bo") == ["3"] and ids(enabled="no") == ["4"]
    assert ids(q="SALES") == ["1", "3", "4"] and ids(q="stock count") == ["2"]  # names and targets are searched


def test_missing_values_sort_last_in_either_direction():
    """Is a paused schedule with no next run last whether the viewer sorts up or down?"""
    schedules = [schedule("1", "a"), schedule("2", "b", next_run=None), schedule("3", "c")]
    assert [s.id for s in CrossFilters.from_args("schedules", {"sort": "next_run", "dir": "asc"}).apply(
        schedules)] == ["1", "3", "2"]
    assert [s.id for s in CrossFilters.from_args("schedules", {"sort": "next_run", "dir": "desc"}).apply(
        schedules)] == ["3", "1", "2"]


def test_status_and_day_range_select_runs():
    """Does a status with a from/to range keep only the failed runs created on those days, both days included?"""
    runs = [run("1", RunStatus.FAILED, 1), run("2", RunStatus.FAILED, 5), run("3", RunStatus.SUCCEEDED, 1),
            run("4", RunStatus.FAILED, 3)]
    day = lambda days_ago: (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%d")  # noqa: E731
    kept = CrossFilters.from_args("runs", {"status": "failed", "from": day(3), "to": day(1)}).apply(runs)
    assert [r.id for r in kept] == ["1", "4"]
