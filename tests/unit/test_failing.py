"""Failing now: streaks of failed runs per schedule, from normalised records of any platform."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.overview.failing import failing_schedules
from app.platforms.records import Run, RunStatus, Schedule, TargetRef, Trigger

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def schedule(sid: str, target: str | None, last_status: RunStatus | None = None, error: str = "") -> Schedule:
    return Schedule(connection="c", platform="p", id=sid, name=f"s{sid}",
                    target=TargetRef("flow", target, f"flow {target}") if target else None, owner="o",
                    trigger=Trigger("cron", "every hour"), timezone="UTC", enabled=True, next_run=None,
                    last_run=NOW - timedelta(hours=1) if last_status else None, last_status=last_status,
                    updated_at=None, last_error=error)


def run(rid: str, target: str, status: RunStatus, hours_ago: float, errors: tuple[str, ...] = (),
        schedule_id: str | None = None) -> Run:
    created = NOW - timedelta(hours=hours_ago)
    return Run(connection="c", platform="p", id=rid, target=TargetRef("flow", target, f"flow {target}"),
               status=status, platform_status=status.value, started=created, finished=created, triggered_by="x",
               created=created, errors=errors, schedule_id=schedule_id)


def test_streak_counts_failures_since_the_last_success():
    """Are three failures after a success a streak of three, failing since the first of them?"""
    runs = [run("1", "a", RunStatus.SUCCEEDED, 10), run("2", "a", RunStatus.FAILED, 6, ("boom",)),
            run("3", "a", RunStatus.FAILED, 4), run("4", "a", RunStatus.FAILED, 2, ("bang",))]
    (failing,) = failing_schedules([schedule("s", "a")], runs)
    assert failing.streak == 3 and failing.since == NOW - timedelta(hours=6)
    assert failing.last_error == "bang" and failing.failing_for(NOW) == 6 * 3600


def test_a_success_last_means_not_failing():
    """Is a schedule whose newest run succeeded left out, whatever came before?"""
    runs = [run("1", "a", RunStatus.FAILED, 5), run("2", "a", RunStatus.SUCCEEDED, 1)]
    assert failing_schedules([schedule("s", "a")], runs) == []


def test_runs_still_going_do_not_break_a_streak():
    """Are queued and running runs ignored, so a retry in progress does not hide a failing schedule?"""
    runs = [run("1", "a", RunStatus.FAILED, 3), run("2", "a", RunStatus.RUNNING, 0.1)]
    assert failing_schedules([schedule("s", "a")], runs)[0].streak == 1


def test_runs_naming_their_schedule_are_preferred():
    """Where runs name their schedule, are another schedule's runs of the same target left out?"""
    runs = [run("1", "a", RunStatus.FAILED, 3, schedule_id="other"), run("2", "a", RunStatus.SUCCEEDED, 2,
                                                                          schedule_id="s")]
    assert failing_schedules([schedule("s", "a")], runs) == []


def test_last_status_counts_when_there_is_no_history():
    """Without run history, is a schedule whose own last status failed a streak of one with its error?"""
    (failing,) = failing_schedules([schedule("s", "zz", RunStatus.FAILED, "file not found")], [])
    assert failing.streak == 1 and failing.last_error == "file not found"


def test_longest_streak_first():
    """Are failing schedules ordered by streak, longest first?"""
    runs = [run("1", "a", RunStatus.FAILED, 1), run("2", "b", RunStatus.FAILED, 1), run("3", "b", RunStatus.FAILED, 2)]
    found = failing_schedules([schedule("x", "a"), schedule("y", "b")], runs)
    assert [f.schedule.id for f in found] == ["y", "x"]
