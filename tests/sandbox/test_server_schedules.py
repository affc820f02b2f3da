"""Server emulator schedules: shapes, DST-correct next runs, PATCH/PUT/POST/DELETE, permissions, firing on the clock."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from tests.sandbox.server_helpers import ALWAYS_ERROR, clock, workflow_named

SCHEDULES = "/webapi/v3/schedules"
BERLIN = ZoneInfo("Europe/Berlin")
FULL = ["id", "name", "workflowId", "versionId", "ownerId", "runDateTime", "comment", "enabled", "priority",
        "workerTag", "status", "credentialId", "creationTime", "lastRunTime", "state", "runCount", "iteration",
        "frequency", "lastError", "cpuName", "lastModifiedId", "lastModifiedDate", "canEdit", "timeZone", "questions"]
ITERATION = ["iterationType", "startTime", "endTime", "hourlyContract", "dailyContract", "weeklyContract",
             "monthlyContract", "customContract"]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _z(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _full(v3) -> list[dict]:
    return v3.get(f"{v3.base}{SCHEDULES}", params={"view": "Full"}).json()


def _named(v3, name: str) -> dict:
    return next(s for s in _full(v3) if s["name"] == name)


def _now(control) -> datetime:
    return _at(control("GET", "clock").json()["now"])


def _artisans(v3) -> list[dict]:
    return [u for u in v3.get(f"{v3.base}/webapi/v3/users").json() if u["role"] == "Artisan"]


def test_full_view_has_every_field_and_full_iteration(v3):
    """Does view=Full answer ScheduleView objects in §2.3's fields, with the whole iteration object?"""
    schedules = _full(v3)
    assert len(schedules) == 18
    for s in schedules:
        assert list(s) == FULL and list(s["iteration"]) == ITERATION
        assert s["frequency"] == s["iteration"]["iterationType"] and s["state"] in ("Active", "Disabled", "Complete")


def test_default_view_is_reduced(v3):
    """Is the default list ReducedSchedule {id, name, workflowId, ownerId, runDateTime, timeZone}?"""
    schedules = v3.get(f"{v3.base}{SCHEDULES}").json()
    assert all(list(s) == ["id", "name", "workflowId", "ownerId", "runDateTime", "timeZone"] for s in schedules)


def test_world_covers_iteration_types_zones_and_states(v3):
    """Does the seeded set span every iteration type, five Windows zones, disabled ones, one Complete, an error?"""
    schedules = _full(v3)
    assert {s["frequency"] for s in schedules} == {"Once", "Hourly", "Daily", "Weekly", "Monthly", "Custom"}
    assert {s["timeZone"] for s in schedules} == {"Eastern Standard Time", "W. Europe Standard Time",
                                                  "GMT Standard Time", "Tokyo Standard Time", "UTC"}
    assert sum(not s["enabled"] for s in schedules) >= 2 and len({s["ownerId"] for s in schedules}) >= 3
    assert [s["state"] for s in schedules if s["frequency"] == "Once"].count("Complete") == 1
    monthly = [s["iteration"]["monthlyContract"] for s in schedules if s["frequency"] == "Monthly"]
    assert {m["simpleDayOfMonth"] for m in monthly} == {True, False}
    assert any(s["iteration"]["dailyContract"] and s["iteration"]["dailyContract"]["runOnlyWorkWeek"]
               for s in schedules)
    assert any("ORA-12541" in s["lastError"] for s in schedules)


def test_active_schedules_run_in_the_future(v3, server_control):
    """Is runDateTime after now for every schedule that is not Complete, and lastRunTime before it?"""
    clock(server_control, freeze=True)  # no fire may slip between reading the clock and the list
    now = _now(server_control)
    for s in _full(v3):
        if s["state"] != "Complete":
            assert _at(s["runDateTime"]) > now, s["name"]
        if s["lastRunTime"]:
            assert _at(s["lastRunTime"]) <= now


def test_europe_schedules_keep_their_local_time(v3):
    """Does each Berlin daily schedule next run at its start's local wall-clock time, whatever the DST offset?"""
    daily = [s for s in _full(v3) if s["timeZone"] == "W. Europe Standard Time" and s["frequency"] == "Daily"]
    assert daily
    for s in daily:
        start = _at(s["iteration"]["startTime"]).astimezone(BERLIN)
        runs = _at(s["runDateTime"]).astimezone(BERLIN)
        assert (runs.hour, runs.minute) == (start.hour, start.minute)


def _next_berlin_switch(after: date) -> date:
    """The first day after `after` whose Berlin UTC offset differs from the day before."""
    day = after
    while True:
        before = datetime.combine(day, time(12), tzinfo=BERLIN).utcoffset()
        day += timedelta(days=1)
        if datetime.combine(day, time(12), tzinfo=BERLIN).utcoffset() != before:
            return day


def test_daily_schedule_crosses_a_dst_switch(v3, server_control, server_session):
    """Across a Berlin DST switch, does a daily 06:30 schedule keep 06:30 local and shift its UTC hour?"""
    now = _now(server_control)
    switch = _next_berlin_switch(now.astimezone(BERLIN).date() + timedelta(days=3))
    start = datetime.combine(switch - timedelta(days=2), time(6, 30), tzinfo=BERLIN)
    body = {"workflowId": workflow_named(v3, "CRM Contacts Sync")["id"], "name": "DST probe",
            "timeZone": "W. Europe Standard Time",
            "iteration": {"iterationType": "Daily", "startTime": _z(start), "dailyContract": {"runOnlyWorkWeek": False}}}
    created = v3.post(f"{v3.base}{SCHEDULES}", json=body)
    assert created.status_code == 200, created.text
    schedule_id = created.json()
    assert v3.get(f"{v3.base}{SCHEDULES}/{schedule_id}").json()["runDateTime"] == _z(start)
    clock(server_control, set=_z(datetime.combine(switch, time(12), tzinfo=BERLIN)), freeze=True)
    after = server_session().get(f"{v3.base}{SCHEDULES}/{schedule_id}").json()
    runs = _at(after["runDateTime"])
    assert runs.astimezone(BERLIN).date() == switch + timedelta(days=1)
    assert (runs.astimezone(BERLIN).hour, runs.astimezone(BERLIN).minute) == (6, 30)
    assert runs.hour != start.astimezone(timezone.utc).hour
    assert after["runCount"] == 3 and _at(after["lastRunTime"]).astimezone(BERLIN).date() == switch


def test_patch_enabled_toggles(v3):
    """Does PATCH {"enabled": false} disable a schedule (state Disabled) and {"enabled": true} enable it again?"""
    schedule = _named(v3, "Nightly Regional Sales")
    off = v3.patch(f"{v3.base}{SCHEDULES}/{schedule['id']}", json={"enabled": False})
    assert off.status_code == 200 and (off.json()["enabled"], off.json()["state"]) == (False, "Disabled")
    on = v3.patch(f"{v3.base}{SCHEDULES}/{schedule['id']}", json={"enabled": True}).json()
    assert (on["enabled"], on["state"], on["name"]) == (True, "Active", schedule["name"])


def test_put_with_missing_fields_is_400(v3):
    """Does PUT with only {"enabled": false} answer 400 naming the missing required fields?"""
    schedule = _named(v3, "Nightly Regional Sales")
    response = v3.put(f"{v3.base}{SCHEDULES}/{schedule['id']}", json={"enabled": False})
    assert response.status_code == 400
    assert "workflowId" in response.json()["message"] and "iteration" in response.json()["message"]


def test_get_then_put_flips_enabled(v3):
    """Does PUT of the object just read, with enabled flipped, save it and keep the rest?"""
    schedule = _named(v3, "Churn Scores Mon/Thu")
    replaced = v3.put(f"{v3.base}{SCHEDULES}/{schedule['id']}", json={**schedule, "enabled": False})
    assert replaced.status_code == 200, replaced.text
    body = replaced.json()
    assert body["enabled"] is False and body["iteration"] == schedule["iteration"]
    assert body["questions"] == schedule["questions"] and body["runDateTime"] == schedule["runDateTime"]


def test_non_owner_artisan_gets_403(v3, server_session):
    """Is an Artisan who neither owns the schedule nor is Curator refused with 403 on GET and PATCH?"""
    schedule = _named(v3, "Nightly Regional Sales")
    outsider = next(u for u in _artisans(v3) if u["id"] != schedule["ownerId"])
    session = server_session(outsider["id"])
    assert session.get(f"{v3.base}{SCHEDULES}/{schedule['id']}").status_code == 403
    response = session.patch(f"{v3.base}{SCHEDULES}/{schedule['id']}", json={"enabled": False})
    assert response.status_code == 403 and response.json()["message"]


def test_artisan_lists_and_edits_only_own(v3, server_session):
    """Does an Artisan's list hold only their schedules, which they may change (canEdit true)?"""
    owner = _named(v3, "Hourly Cash Position")["ownerId"]
    session = server_session(owner)
    mine = session.get(f"{v3.base}{SCHEDULES}", params={"view": "Full"}).json()
    assert mine and {s["ownerId"] for s in mine} == {owner} and all(s["canEdit"] for s in mine)
    assert session.patch(f"{v3.base}{SCHEDULES}/{mine[0]['id']}", json={"comment": "mine"}).json()["comment"] == "mine"


def test_create_checks_start_time_and_role(v3, server_session, server_control):
    """Is a past startTime a 400, and may a Viewer not schedule (403)?"""
    workflow_id = workflow_named(v3, "CRM Contacts Sync")["id"]
    past = {"workflowId": workflow_id, "name": "Too late", "timeZone": "UTC",
            "iteration": {"iterationType": "Once", "startTime": "2020-01-01T00:00:00Z"}}
    response = v3.post(f"{v3.base}{SCHEDULES}", json=past)
    assert response.status_code == 400 and "future" in response.json()["message"]
    viewer = next(u for u in v3.get(f"{v3.base}/webapi/v3/users").json() if u["role"] == "Viewer")
    future = {**past, "iteration": {"iterationType": "Once", "startTime": _z(_now(server_control) + timedelta(days=1))}}
    assert server_session(viewer["id"]).post(f"{v3.base}{SCHEDULES}", json=future).status_code == 403


def test_bad_time_zone_is_400(v3, server_control):
    """Is an IANA name (not a Windows time-zone id) refused?"""
    body = {"workflowId": workflow_named(v3, "CRM Contacts Sync")["id"], "name": "Zone", "timeZone": "Europe/Berlin",
            "iteration": {"iterationType": "Once", "startTime": _z(_now(server_control) + timedelta(hours=2))}}
    response = v3.post(f"{v3.base}{SCHEDULES}", json=body)
    assert response.status_code == 400 and "Europe/Berlin" in response.json()["message"]


def test_schedule_fires_when_the_clock_passes_it(v3, server_control, server_session):
    """When the clock passes runDateTime, does a job appear and lastRunTime, runCount, runDateTime move on?"""
    clock(server_control, freeze=True)
    before = _named(v3, "Hourly Cash Position")
    due = _at(before["runDateTime"])
    clock(server_control, advance=(due - _now(server_control)).total_seconds() + 30)
    v3 = server_session()  # up to an hour passed: the first bearer token may have run out (Server's last 3600 s)
    after = _named(v3, "Hourly Cash Position")
    assert after["lastRunTime"] == before["runDateTime"] and after["runCount"] == before["runCount"] + 1
    assert _at(after["runDateTime"]) == due + timedelta(hours=1)
    jobs = v3.get(f"{v3.base}/webapi/v3/workflows/{before['workflowId']}/jobs").json()
    assert _at(jobs[0]["createDate"]) == due and jobs[0]["status"] == "Running"


def test_failed_scheduled_run_sets_last_error(v3, server_control):
    """Does a schedule of the always-failing workflow show its error once the fired run ends?"""
    clock(server_control, freeze=True)
    start = _now(server_control).replace(microsecond=0) + timedelta(minutes=1)
    body = {"workflowId": workflow_named(v3, ALWAYS_ERROR)["id"], "name": "Doomed", "timeZone": "UTC",
            "iteration": {"iterationType": "Once", "startTime": _z(start)}}
    schedule_id = v3.post(f"{v3.base}{SCHEDULES}", json=body).json()
    fresh = v3.get(f"{v3.base}{SCHEDULES}/{schedule_id}").json()
    assert (fresh["lastError"], fresh["runCount"], fresh["lastRunTime"]) == ("", 0, None)
    clock(server_control, advance=900)
    fired = v3.get(f"{v3.base}{SCHEDULES}/{schedule_id}").json()
    assert fired["runCount"] == 1 and fired["state"] == "Complete" and "ORA-12541" in fired["lastError"]


def test_disabled_schedule_does_not_fire(v3, server_control, server_session):
    """Does a disabled schedule skip its fires while the clock passes them?"""
    clock(server_control, freeze=True)
    before = _named(v3, "Daily Reorder Plan")
    clock(server_control, advance=2 * 86400 - 600)
    after = _named(server_session(), "Daily Reorder Plan")  # a new token: the first one expired meanwhile
    assert (after["runCount"], after["lastRunTime"]) == (before["runCount"], before["lastRunTime"])
    assert _at(after["runDateTime"]) > _now(server_control)


def test_runs_after_and_before_filter(v3, server_control):
    """Do runsAfter (inclusive) and runsBefore (exclusive) select on runDateTime?"""
    everything = v3.get(f"{v3.base}{SCHEDULES}").json()
    pivot = sorted(s["runDateTime"] for s in everything)[5]
    after = v3.get(f"{v3.base}{SCHEDULES}", params={"runsAfter": pivot}).json()
    before = v3.get(f"{v3.base}{SCHEDULES}", params={"runsBefore": pivot}).json()
    assert all(s["runDateTime"] >= pivot for s in after) and all(s["runDateTime"] < pivot for s in before)
    assert len(after) + len(before) == len(everything)


def test_delete_removes_the_schedule(v3):
    """Does DELETE remove a schedule, so that reading it answers 404?"""
    schedule = _named(v3, "Mid-month Claims Screening")
    assert v3.delete(f"{v3.base}{SCHEDULES}/{schedule['id']}").status_code == 200
    response = v3.get(f"{v3.base}{SCHEDULES}/{schedule['id']}")
    assert response.status_code == 404 and response.json()["message"]


def test_bad_iteration_is_400_naming_the_contract(v3, server_control):
    """Is a Weekly iteration without daysOfWeek refused with a message naming weeklyContract?"""
    start = _z(_now(server_control) + timedelta(hours=2))
    body = {"workflowId": workflow_named(v3, "CRM Contacts Sync")["id"], "name": "No days", "timeZone": "UTC",
            "iteration": {"iterationType": "Weekly", "startTime": start, "weeklyContract": {"daysOfWeek": []}}}
    response = v3.post(f"{v3.base}{SCHEDULES}", json=body)
    assert response.status_code == 400 and "weeklyContract.daysOfWeek" in response.json()["message"]
