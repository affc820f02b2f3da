"""Team Studio emulator jobs: the seeded schedules, create/delete, tasks, run now, and fires on the clock."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests

from tests.sandbox.test_teamstudio_helpers import OVER, clock, login, state, workflow_named

UNITS = {"on_demand", "months", "weeks", "days", "hours"}
JOB_FIELDS = ["id", "name", "entity_type", "description", "workspace", "owner", "interval_unit", "interval_value",
              "next_run", "last_run", "end_run", "time_zone", "enabled", "status", "last_run_failed",
              "success_notify", "failure_notify", "created_at", "tasks"]
TASK_FIELDS = ["id", "entity_type", "job", "index", "name", "action", "workfile", "last_process_id"]


@pytest.fixture
def ts(teamstudio_emulator):
    """A session of the service account that outlives the clock jumps here."""
    teamstudio_emulator.faults(token_lifetime=86400)
    return login(teamstudio_emulator.url)


def _jobs(ts) -> list[dict]:
    jobs = []
    for space in ts.api("GET", "/workspaces").json()["response"]:
        jobs += ts.api("GET", f"/workspaces/{space['id']}/jobs").json()["response"]
    return jobs


def _new_job(ts, workspace_id: int, **fields: str):
    form = {"name": "API job", "interval_unit": "on_demand", "interval_value": "0", "next_run": "",
            "sucess_notify": "nobody", "description": "", "endrun": "False", "time_zone": "UTC", **fields}
    return ts.api("POST", f"/workspaces/{workspace_id}/jobs", data=form)


def test_seeded_jobs_cover_units_zones_actions_and_history(ts):
    """Every interval unit, several time zones, all three task actions, next_run null for on_demand jobs."""
    jobs = _jobs(ts)
    assert list(jobs[0]) == JOB_FIELDS and list(jobs[0]["tasks"][0]) == TASK_FIELDS
    assert {j["interval_unit"] for j in jobs} == UNITS
    assert len({j["time_zone"] for j in jobs}) >= 4
    assert {t["action"] for j in jobs for t in j["tasks"]} == {"run_work_flow", "run_sql_workfile", "notebook"}
    assert all(j["next_run"] is None for j in jobs if j["interval_unit"] == "on_demand")
    scheduled = [j for j in jobs if j["interval_unit"] != "on_demand" and j["enabled"] and not j["end_run"]]
    assert all(j["next_run"] and j["last_run"] and j["next_run"] > j["last_run"] for j in scheduled)
    retired = next(j for j in jobs if j["end_run"])
    assert retired["next_run"] is None and retired["last_run"]
    assert any(not j["enabled"] for j in jobs)
    assert all(t["name"] == f"Run {t['workfile']['file_name']}" for j in jobs for t in j["tasks"])


def test_create_job_with_the_client_form_and_delete_it(ts):
    """Does POST .../jobs with the client's form fields answer 201 with the job; does DELETE remove it?"""
    local = (datetime.now(timezone.utc) + timedelta(days=1)).astimezone(timezone(timedelta(hours=-7)))
    created = _new_job(ts, 1000, name="Weekly API job", interval_unit="weeks", interval_value="2",
                       next_run=str(local.replace(microsecond=0)), time_zone="America/Los_Angeles")
    assert created.status_code == 201, created.text
    job = created.json()["response"]
    assert (job["interval_unit"], job["interval_value"], job["time_zone"]) == ("weeks", 2, "America/Los_Angeles")
    assert job["next_run"] == local.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert job["tasks"] == [] and job["status"] == "idle" and job["last_run"] is None
    assert ts.api("GET", f"/workspaces/1000/jobs/{job['id']}").json()["response"]["name"] == "Weekly API job"
    assert ts.api("DELETE", f"/workspaces/1000/jobs/{job['id']}").status_code == 200
    assert ts.api("GET", f"/workspaces/1000/jobs/{job['id']}").status_code == 404


@pytest.mark.parametrize("fields, field", [
    ({"interval_unit": "fortnightly"}, "interval_unit"),
    ({"interval_unit": "days", "interval_value": "1"}, "interval_value"),  # scheduled without next_run
    ({"interval_unit": "days", "interval_value": "1", "next_run": "soon"}, "schedule"),
    ({"time_zone": "Mars/Olympus"}, "schedule"),
    ({"name": ""}, "name"),
    ({"name": "Hourly ETL"}, "name"),  # taken in that workspace
])
def test_bad_job_forms_are_422(ts, fields, field):
    """Is each invalid job form refused with 422 naming the field?"""
    response = _new_job(ts, 1000, **fields)
    assert response.status_code == 422 and field in response.json()["errors"]["fields"]


def test_tasks_are_added_listed_in_the_job_and_deleted(ts):
    """Can tasks of each action be added (type must match), listed in the job object and deleted?"""
    job = _new_job(ts, 1000).json()["response"]
    path = f"/workspaces/1000/jobs/{job['id']}/job_tasks"
    flow = workflow_named(ts, 1000, "Data ETL")
    sql = workflow_named(ts, 1000, "daily_rollup.sql")
    first = ts.api("POST", path, data={"action": "run_work_flow", "workfile_id": flow["id"]})
    assert first.status_code == 201 and first.json()["response"]["name"] == "Run Data ETL"
    ts.api("POST", path, data={"action": "run_sql_workfile", "workfile_id": sql["id"]})
    assert ts.api("POST", path, data={"action": "notebook", "workfile_id": sql["id"]}).status_code == 422
    other_workspace = workflow_named(ts, 1001, "Churn Scoring")
    assert ts.api("POST", path, data={"action": "run_work_flow", "workfile_id": other_workspace["id"]}).status_code \
        == 422
    tasks = ts.api("GET", f"/workspaces/1000/jobs/{job['id']}").json()["response"]["tasks"]
    assert [(t["action"], t["index"]) for t in tasks] == [("run_work_flow", 0), ("run_sql_workfile", 1)]
    assert ts.api("DELETE", f"{path}/{tasks[0]['id']}").status_code == 200
    assert [t["id"] for t in ts.api("GET", f"/workspaces/1000/jobs/{job['id']}").json()["response"]["tasks"]] \
        == [tasks[1]["id"]]


def test_run_job_starts_its_workflow_tasks_as_processes(ts):
    """Does POST /api/jobs/{id}/run answer 202 with the job running, and its task's process run to results?"""
    now = datetime.now(timezone.utc)
    # five past the hour: the job's own hourly fire stays out of the ten minutes this test lets pass
    clock(ts.base, set=now.replace(minute=5, second=0, microsecond=0).isoformat(), freeze=True)
    job = next(j for j in ts.api("GET", "/workspaces/1000/jobs").json()["response"] if j["name"] == "Hourly ETL")
    before = job["tasks"][0]["last_process_id"]
    answer = ts.api("POST", f"/jobs/{job['id']}/run", params={"saveResult": "true"})
    assert answer.status_code == 202
    running = answer.json()["response"]
    flow_task, sql_task = running["tasks"]
    assert running["status"] == "running" and flow_task["last_process_id"] not in (None, before)
    assert sql_task["last_process_id"] is None
    assert ts.query(flow_task["last_process_id"]).json()["meta"]["state"] == "STARTED"
    clock(ts.base, advance=600)
    done = ts.api("GET", f"/workspaces/1000/jobs/{job['id']}").json()["response"]
    assert done["status"] == "idle" and done["last_run_failed"] is False
    assert ts.query(flow_task["last_process_id"]).text == OVER
    assert ts.results(flow_task["workfile"]["id"], flow_task["last_process_id"])["flowMetaInfo"]["status"] == "SUCCESS"


def test_job_run_accepts_x_token_like_the_client(ts):
    """Does the run-job path accept the x-token header without ?session_id= (the alpine client's way)?"""
    job = ts.api("GET", "/workspaces/1004/jobs").json()["response"][0]
    answer = requests.post(f"{ts.base}/api/jobs/{job['id']}/run", params={"saveResult": "true"},
                           headers={"x-token": ts.token}, timeout=5)
    assert answer.status_code == 202 and answer.json()["response"]["id"] == job["id"]


def test_failing_job_reports_last_run_failed(ts):
    """After its run ends, does the job of the failing workflow say last_run_failed?"""
    clock(ts.base, freeze=True)
    job = next(j for j in ts.api("GET", "/workspaces/1001/jobs").json()["response"]
               if j["name"] == "Nightly Fraud Features")
    ts.api("POST", f"/jobs/{job['id']}/run")
    clock(ts.base, advance=600)
    assert ts.api("GET", f"/workspaces/1001/jobs/{job['id']}").json()["response"]["last_run_failed"] is True


def test_scheduled_job_fires_when_the_clock_passes_next_run(ts):
    """Does an hourly job run once its next_run passes, then move next_run an hour on?"""
    now = datetime.fromisoformat(clock(ts.base, freeze=True)["now"].replace("Z", "+00:00"))
    fire = (now + timedelta(minutes=10)).replace(microsecond=0)
    job = _new_job(ts, 1004, name="Every hour", interval_unit="hours", interval_value="1",
                   next_run=fire.isoformat()).json()["response"]
    flow = workflow_named(ts, 1004, "Sandbox Smoke Test")
    ts.api("POST", f"/workspaces/1004/jobs/{job['id']}/job_tasks", data={"action": "run_work_flow",
                                                                          "workfile_id": flow["id"]})
    clock(ts.base, advance=11 * 60)
    fired = ts.api("GET", f"/workspaces/1004/jobs/{job['id']}").json()["response"]
    assert fired["last_run"] == fire.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert fired["next_run"] == (fire + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert fired["tasks"][0]["last_process_id"]


def test_members_only_change_jobs(teamstudio_emulator):
    """Is a non-member refused (403) creating a job in a public workspace they can see?"""
    ana = login(teamstudio_emulator.url, "aruiz")
    assert _new_job(ana, 1000).status_code == 403
    assert ana.api("GET", "/workspaces/1000/jobs").status_code == 200
    assert state(teamstudio_emulator.url)["jobs"] == 12
