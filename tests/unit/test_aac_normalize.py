"""Normalisation of recorded AAC JSON into Flightdeck records."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from app.platforms.aac import normalize as norm
from app.platforms.aac.client import error_message
from app.platforms.records import RunStatus

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "aac"
NOW = datetime(2025, 5, 1, 12, 0, tzinfo=timezone.utc)
BASE = "https://us1.alteryxcloud.com"
LOOKUPS = norm.Lookups(
    people={"5": "Ana Ruiz", "6": "Li Wei", "7": "Sam"},
    recipes={"31": ("9", "Customer 360"), "32": ("10", "Orders export")},
    workflows={"6f1c9a52-3b0e-4d7e-9d35-1a2b3c4d5e6f": "Orders intake"},
    plans={"77": "Sales ETL"},
)


def load(name: str):
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def schedules():
    return {s["id"]: norm.normalize_schedule(s, "c", BASE, NOW, LOOKUPS) for s in load("schedules.json")["data"]}


def test_daily_trigger_in_words_with_zone(schedules):
    """Does a daily trigger read as 'every day at 02:30 (America/New_York)'?"""
    assert schedules[412].trigger.text == "every day at 02:30 (America/New_York)"


def test_daily_next_run_follows_the_schedule_zone(schedules):
    """Is the next run of 02:30 New York on 2 May 06:30 UTC (EDT, UTC-4)?"""
    assert schedules[412].next_run == datetime(2025, 5, 2, 6, 30, tzinfo=timezone.utc)


def test_quartz_cron_weekday_rule(schedules):
    """Does a Quartz MON-FRI rule read as 'every weekday' and fire next on Friday 2 May 04:00 UTC (CEST)?"""
    schedule = schedules[413]
    assert schedule.trigger.text == "every weekday at 06:00 (Europe/Berlin)"
    assert schedule.next_run == datetime(2025, 5, 2, 4, 0, tzinfo=timezone.utc)


def test_file_trigger_and_disabled(schedules):
    """Is a file watcher 'on file change', with no next run when the schedule is disabled?"""
    schedule = schedules[414]
    assert schedule.trigger.text.startswith("on file change")
    assert schedule.enabled is False and schedule.next_run is None
    assert schedule.disable_reason == "Disabled by user"


def test_schedule_target_owner_and_last_run(schedules):
    """Are target, owner and the trigger's lastExecutionTime carried over?"""
    schedule = schedules[412]
    assert (schedule.target.kind, schedule.target.id, schedule.target.name) == ("plan", "77", "Sales ETL")
    assert schedule.owner == "Ana Ruiz"
    assert schedule.last_run == datetime(2025, 5, 1, 6, 30, 2, 114000, tzinfo=timezone.utc)


def test_workflow_target_uses_uuid(schedules):
    """Does a runWorkflow task keep its uuid as the target id?"""
    assert schedules[414].target.id == "6f1c9a52-3b0e-4d7e-9d35-1a2b3c4d5e6f"


@pytest.mark.parametrize("platform_status, status", [
    ("Created", RunStatus.QUEUED), ("InProgress", RunStatus.RUNNING), ("Complete", RunStatus.SUCCEEDED),
    ("Failed", RunStatus.FAILED), ("Canceled", RunStatus.CANCELED), ("Pending-Something-New", RunStatus.UNKNOWN),
])
def test_status_table(platform_status, status):
    """Does each AAC status map onto the common vocabulary, and an unknown one onto 'unknown'?"""
    assert norm.normalize_status(platform_status) is status


def test_job_group_target_from_recipe_lookup():
    """Is a job group's target the flow owning its recipe?"""
    run = norm.normalize_job_group(load("job_groups.json")["data"][0], "c", BASE, LOOKUPS)
    assert (run.target.kind, run.target.name) == ("flow", "Customer 360")
    assert run.status is RunStatus.SUCCEEDED
    assert run.triggered_by == "Ana Ruiz via schedule"


def test_final_job_group_duration_from_updated_at():
    """Does a finished job group last from creation to its last update (AAC has no finishedAt)?"""
    run = norm.normalize_job_group(load("job_groups.json")["data"][0], "c", BASE, LOOKUPS)
    assert run.duration.total_seconds() == pytest.approx(674.7)


def test_running_job_group_has_no_finish():
    """Does a running job group have no finish time and no duration?"""
    run = norm.normalize_job_group(load("job_groups.json")["data"][2], "c", BASE, LOOKUPS)
    assert run.status is RunStatus.RUNNING and run.finished is None and run.duration is None


def test_failed_job_errors_come_from_jobs():
    """Are the failing job's error messages the run's errors?"""
    raw = load("job_groups.json")["data"][1]
    run = norm.normalize_job_group(raw, "c", BASE, LOOKUPS, load("jobs_failed.json")["data"])
    assert run.errors == ("Output location s3://exports/orders is not writable",)
    assert run.started == datetime(2025, 5, 1, 7, 0, 10, tzinfo=timezone.utc)


def test_workflow_job_group_target():
    """Is a workflow run's target the Designer Cloud workflow by name?"""
    run = norm.normalize_job_group(load("job_groups.json")["data"][3], "c", BASE, LOOKUPS)
    assert (run.target.kind, run.target.name) == ("workflow", "Orders intake")


def test_plan_run():
    """Is a plan snapshot run a Run with a plan- id, its timings and its history?"""
    run = norm.normalize_plan_run(load("plan_run.json"), "c", BASE, LOOKUPS)
    assert run.id == "plan-9051" and run.target.name == "Sales ETL"
    assert [c.status for c in run.history] == [RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.SUCCEEDED]
    assert run.duration.total_seconds() == 672


@pytest.mark.parametrize("key, expected", [
    ("validation", "Input validation failed"), ("not_found", "Schedule with id 99999 not found"),
    ("rate_limited", "Too many requests"), ("invalid_grant", "refresh token was already used"), ("drifted", None),
])
def test_error_bodies(key, expected):
    """Is the message of each AAC error body found, and a drifted body ignored?"""
    assert error_message(load("errors.json")[key]) == expected


def test_missing_fields_do_not_break_a_schedule():
    """Does a schedule with no triggers, tasks or creator still normalise?"""
    schedule = norm.normalize_schedule({"id": 1, "name": "bare", "enabled": True}, "c", BASE, NOW, LOOKUPS)
    assert schedule.trigger.text == "no trigger" and schedule.target is None and schedule.next_run is None
