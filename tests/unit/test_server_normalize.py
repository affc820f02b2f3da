"""Normalisation of recorded Alteryx Server JSON (v1 and v3) into Flightdeck records."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.platforms.records import RunStatus
from app.platforms.server import normalize as norm
from app.platforms.server.client import error_message
from app.platforms.server.iteration import Iteration, iana_zone

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "server"
UI = "https://alteryx.example.com"
NOW = datetime(2025, 5, 1, 12, 0, tzinfo=timezone.utc)
NAMES = norm.Names(workflows={"57acaca4065e3f26a82b2615": "Regional Sales"},
                   users={"5f1e2d3c4b5a697887766554": "Maria Okafor"})


def load(name: str):
    return json.loads((FIXTURES / name).read_text())


@pytest.mark.parametrize("status, disposition, expected", [
    ("Created", "None", RunStatus.QUEUED), ("Queued", "None", RunStatus.QUEUED),
    ("Running", "None", RunStatus.RUNNING), ("Completed", "Success", RunStatus.SUCCEEDED),
    ("Completed", "Warning", RunStatus.SUCCEEDED), ("Completed", "Error", RunStatus.FAILED),
    ("Completed", "Cancelled", RunStatus.CANCELED), ("Cancelled", "Cancelled", RunStatus.CANCELED),
    ("Completed", "None", RunStatus.UNKNOWN), ("Exploded", "", RunStatus.UNKNOWN),
])
def test_status_table(status, disposition, expected):
    """Does each status and disposition pair map onto the documented RunStatus?"""
    assert norm.run_status(status, disposition) is expected


def test_completed_job_takes_its_duration_from_the_engine():
    """Is a finished job's duration the engine's "Finished running … in N seconds", thousands separators included?"""
    run = norm.normalize_job(load("job_v3_completed.json"), "srv", UI, NAMES)
    assert run.status is RunStatus.SUCCEEDED and run.platform_status == "Completed · Warning"
    assert run.duration == timedelta(seconds=1204.5)
    assert run.target.name == "Regional Sales" and run.target.kind == "workflow"


def test_message_levels_follow_engine_codes():
    """Are engine codes 2 and 3 warning and error, tool ids kept as the source?"""
    run = norm.normalize_job(load("job_v3_completed.json"), "srv", UI, NAMES)
    assert [m.level for m in run.messages] == ["info", "warning", "info", "info"]
    assert run.messages[1].source == "tool 4" and run.messages[0].source == ""


def test_outputs_in_current_and_older_shapes():
    """Are outputs read from {availableFormats, fileName} and from the older {formats, name}?"""
    current = norm.normalize_job(load("job_v3_completed.json"), "srv", UI, NAMES).outputs[0]
    older = norm.normalize_job(load("job_v1_error.json"), "srv", UI, NAMES).outputs[0]
    assert (current.name, current.formats) == ("regional_sales.csv", ("Raw", "Csv"))
    assert (older.name, older.formats) == ("log.yxdb", ("Raw",))


def test_failed_v1_job_lists_its_errors():
    """Does a Completed job with disposition Error count as failed and list the level-3 messages?"""
    run = norm.normalize_job(load("job_v1_error.json"), "srv", UI, NAMES)
    assert run.status is RunStatus.FAILED
    assert run.errors == ("Input Data (1): Error opening connection: login failed",)
    assert run.created == datetime(2025, 5, 2, 6, 30, tzinfo=timezone.utc)


def test_queued_job_has_no_end():
    """Has a queued job no finish time and no duration yet?"""
    run = norm.normalize_job(load("job_v3_queued.json"), "srv", UI, NAMES)
    assert run.status is RunStatus.QUEUED and run.finished is None and run.duration is None
    assert ("Worker tag", "gpu") in run.details


def test_v1_workflow_is_named_by_its_meta_info():
    """Is a subscription workflow named by metaInfo.name with its version and author?"""
    wf = norm.normalize_workflow_v1(load("workflow_v1.json"), "srv", UI)
    assert (wf.name, wf.owner, wf.version, wf.runnable) == ("Regional Sales", "Maria Okafor", "3", True)
    assert wf.link == f"{UI}/gallery/app/Regional%20Sales/57acaca4065e3f26a82b2615"


def test_v3_workflow_reads_its_published_version():
    """Does a v3 workflow take the published version's number, description and run-disabled flag?"""
    wf = norm.normalize_workflow_v3(load("workflow_v3_full.json"), "srv", UI, NAMES)
    assert wf.version == "2" and wf.description == "Items below their reorder point"
    assert wf.runnable is False and wf.owner == "Maria Okafor" and wf.name == "Inventory <Reorder> Report"


def test_schedule_in_its_windows_time_zone():
    """Is a daily work-week schedule described in its own zone, with a cron rule and its next run?"""
    schedule = norm.normalize_schedule(load("schedule_daily.json"), "srv", UI, NAMES, NOW)
    assert schedule.timezone == "America/New_York"
    assert schedule.trigger.text == "every weekday at 06:30 (America/New_York)"
    assert schedule.trigger.cron == "30 6 * * 1-5"
    assert schedule.next_run == datetime(2025, 5, 2, 10, 30, tzinfo=timezone.utc)
    assert schedule.last_status is RunStatus.SUCCEEDED and schedule.owner == "Maria Okafor"
    assert schedule.comment == "feeds the <b>morning</b> deck"


def test_schedule_with_last_error_failed_last_time():
    """Does a non-empty lastError mark the last run failed and keep the message?"""
    raw = {**load("schedule_daily.json"), "lastError": "Input Data (1): file not found"}
    schedule = norm.normalize_schedule(raw, "srv", UI, NAMES, NOW)
    assert schedule.last_status is RunStatus.FAILED and schedule.last_error == "Input Data (1): file not found"


def test_disabled_schedule_has_no_next_run():
    """Has a disabled schedule no next run even if the API still names one?"""
    raw = {**load("schedule_daily.json"), "enabled": False, "state": "Disabled"}
    schedule = norm.normalize_schedule(raw, "srv", UI, NAMES, NOW)
    assert schedule.enabled is False and schedule.next_run is None and schedule.disable_reason is None


def _iteration(raw: dict, start: str = "2025-01-06T08:15:00Z", tz: str = "Europe/Berlin") -> Iteration:
    return Iteration(raw, norm.parse_time(start), tz)


@pytest.mark.parametrize("raw, words, cron", [
    ({"iterationType": "Hourly", "hourlyContract": {"hours": 2, "minutes": 0}}, "every 2 hours from 09:15",
     "15 1-23/2 * * *"),
    ({"iterationType": "Hourly", "hourlyContract": {"hours": 0, "minutes": 15}}, "every 15 minutes from 09:15",
     "0-59/15 * * * *"),
    ({"iterationType": "Hourly", "hourlyContract": {"hours": 5, "minutes": 0}}, "every 5 hours from 09:15", None),
    ({"iterationType": "Daily", "dailyContract": {"runOnlyWorkWeek": False}}, "every day at 09:15", "15 9 * * *"),
    ({"iterationType": "Weekly", "weeklyContract": {"daysOfWeek": ["Wednesday", "Monday"]}},
     "every Monday and Wednesday at 09:15", "15 9 * * mon,wed"),
    ({"iterationType": "Monthly", "monthlyContract": {"simpleDayOfMonth": True, "dayOfMonth": 5}},
     "on day 5 of every month at 09:15", "15 9 5 * *"),
    ({"iterationType": "Monthly", "monthlyContract": {"simpleDayOfMonth": False, "occurrence": 2, "dayOfWeek": "Tuesday"}},
     "on the second Tuesday of every month at 09:15", "15 9 * * 2#2"),
    ({"iterationType": "Monthly", "monthlyContract": {"simpleDayOfMonth": False, "occurrence": -1, "dayOfWeek": "Friday"}},
     "on the last Friday of every month at 09:15", None),
    ({"iterationType": "Custom", "customContract": {"daysOfMonth": [15, 1], "months": [1, 4, 7, 10]}},
     "on days 1 and 15 of January, April, July and October at 09:15", "15 9 1,15 1,4,7,10 *"),
    ({"iterationType": "Once"}, "once on 2025-01-06 at 09:15", None),
])
def test_iteration_words_and_cron(raw, words, cron):
    """Is each iteration type said in words, at the local time of its start, with an equivalent cron where one exists?"""
    iteration = _iteration(raw)
    assert iteration.describe() == words
    assert iteration.cron() == cron


def test_iteration_local_time_follows_the_zone():
    """Is a start given in UTC described at the schedule's local time (Tokyo is UTC+9)?"""
    iteration = _iteration({"iterationType": "Daily"}, start="2025-01-06T23:30:00Z", tz="Asia/Tokyo")
    assert iteration.describe() == "every day at 08:30"


@pytest.mark.parametrize("name, expected", [
    ("W. Europe Standard Time", "Europe/Berlin"), ("GMT Standard Time", "Europe/London"),
    ("Tokyo Standard Time", "Asia/Tokyo"), ("UTC", "UTC"), ("Europe/Paris", "Europe/Paris"),
    ("Mars Standard Time", "UTC"), (None, "UTC"),
])
def test_windows_zone_ids(name, expected):
    """Are Windows time-zone ids mapped to IANA zones, IANA names kept and unknown ones UTC?"""
    assert iana_zone(name) == expected


@pytest.mark.parametrize("fixture, expected", [
    ("error_401.json", "Authorization has been denied for this request."), ("error_token.json", "invalid_client"),
])
def test_error_bodies(fixture, expected):
    """Are Server's {"message"} and the token endpoint's {"error"} bodies read?"""
    assert error_message(load(fixture)) == expected


def test_garbage_error_body_is_no_message():
    """Does a body of another shape give no message rather than an exception?"""
    assert error_message(["not", "an", "error"]) is None and error_message("oops") is None
