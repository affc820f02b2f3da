"""Team Studio job pages: a job with its tasks, a new job, add and remove tasks, delete, roles, CSRF, failures."""
from __future__ import annotations

import html
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import audit_rows, csrf_from, post_form
from tests.sandbox.test_teamstudio_helpers import login as emulator_login

BASE = "/teamstudio/ts-main"


def _text(response) -> str:
    """The page as a reader sees it (names such as "Risk & Fraud" are escaped in the HTML)."""
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def ts(teamstudio_emulator):
    """The emulator seen directly, to check what Flightdeck changed there."""
    return emulator_login(teamstudio_emulator.url)


def _spaces(ts) -> list[dict]:
    return ts.api("GET", "/workspaces").json()["response"]


def _jobs(ts) -> list[dict]:
    return [job for space in _spaces(ts) for job in ts.api("GET", f"/workspaces/{space['id']}/jobs").json()["response"]]


def _workfiles(ts, workspace_id) -> list[dict]:
    return ts.api("GET", f"/workspaces/{workspace_id}/workfiles").json()["response"]


def _job_named(ts, name: str) -> dict:
    return next(j for j in _jobs(ts) if j["name"] == name)


def _space_with_flows(ts) -> tuple[str, dict, dict]:
    """A workspace with a workflow and a SQL file, one of its workflows, and a workflow of another workspace."""
    found, other = None, None
    for space in _spaces(ts):
        files = _workfiles(ts, space["id"])
        flows = [f for f in files if f["file_type"] == "work_flow"]
        if found is None and flows and any(f["file_type"] == "sql" for f in files):
            found = (str(space["id"]), flows[0])
        elif flows and other is None:
            other = flows[0]
    assert found and other
    return found[0], found[1], other


def _future(days: int = 3, zone: str = "Europe/Berlin") -> datetime:
    return (datetime.now(ZoneInfo(zone)) + timedelta(days=days)).replace(hour=6, minute=30, second=0, microsecond=0)


def _job_form(name: str = "Fortnightly scoring", workflow: str = "", when: datetime | None = None, **fields: str):
    when = when or _future()
    return {"name": name, "interval_unit": "weeks", "interval_value": "2", "first_date": when.date().isoformat(),
            "first_time": when.strftime("%H:%M"), "time_zone": "Europe/Berlin", "end_date": "", "description": "",
            "workflow": workflow, **fields}


def _new_job(client, workspace_id: str, **fields: str):
    return post_form(client, f"{BASE}/workspaces/{workspace_id}/jobs/new", **_job_form(**fields))


# --- the job page -------------------------------------------------------------------------------------------
def test_the_job_page_shows_timing_in_its_zone_and_its_tasks(ts_client_as, ts):
    """Does a viewer see the job's workspace, interval in words, next run on its own clock, tasks and runs?"""
    seeded = _job_named(ts, "Weekly Churn Scoring")
    page = _text(ts_client_as("viewer").get(f"{BASE}/jobs/{seeded['id']}"))
    local = datetime.fromisoformat(seeded["next_run"].replace("Z", "+00:00")).astimezone(ZoneInfo("Europe/Berlin"))
    assert "Weekly Churn Scoring" in page and seeded["workspace"]["name"] in page and "every week" in page
    assert local.strftime("%Y-%m-%d %H:%M %Z") in page and "Europe/Berlin" in page
    assert f"on success: {seeded['success_notify']}" in page and "Churn Scoring" in page
    process = seeded["tasks"][0]["last_process_id"]
    if process:
        assert f"/runs/{seeded['tasks'][0]['workfile']['id']}.{process}" in page
    assert "Delete job" not in page and "Add task" not in page


def test_operators_get_the_job_buttons_and_workflow_links(ts_client_as, ts):
    """Does an operator see Run now, Add task, Delete job, Remove and a link to each workflow's run form?"""
    seeded = _job_named(ts, "Hourly ETL")
    page = _text(ts_client_as("operator").get(f"{BASE}/jobs/{seeded['id']}"))
    assert f"/schedules/{seeded['id']}/run-now" in page and "Add task" in page and "Delete job" in page
    flow = next(t for t in seeded["tasks"] if t["action"] == "run_work_flow")["workfile"]["id"]
    assert f"/run/workflow/{flow}" in page and page.count(">Remove</a>") == len(seeded["tasks"])
    assert "run SQL" in page


def test_the_schedules_page_links_each_job_and_offers_a_new_one(ts_client_as, ts):
    """Does the schedules page link each job name to its page, and offer operators a New job button?"""
    seeded = _job_named(ts, "Hourly ETL")
    page = _text(ts_client_as("operator").get(f"{BASE}/schedules?per_page=200"))
    assert f'href="{BASE}/jobs/{seeded["id"]}">Hourly ETL</a>' in page and f'href="{BASE}/jobs/new"' in page
    assert f'{BASE}/jobs/new' not in _text(ts_client_as("viewer").get(f"{BASE}/schedules"))


def test_the_job_json_mirrors_the_page(ts_client_as, ts):
    """Does the job's JSON carry its workspace, words, zone times and tasks with their run links?"""
    seeded = _job_named(ts, "Weekly Churn Scoring")
    body = ts_client_as("viewer").get(f"{BASE}/jobs/{seeded['id']}.json").get_json()
    assert body["name"] == "Weekly Churn Scoring" and body["interval"] == "every week"
    assert body["workspace"]["id"] == str(seeded["workspace"]["id"]) and body["schedule"]["timezone"] == "Europe/Berlin"
    assert body["next_run_in_job_zone"].endswith(("+01:00", "+02:00"))
    assert [t["workfile"]["name"] for t in body["tasks"]] == [t["workfile"]["file_name"] for t in seeded["tasks"]]


# --- a new job ------------------------------------------------------------------------------------------------
def test_the_new_job_entry_picks_a_workspace_first(ts_client_as, ts):
    """Does New job list the active workspaces and send the chosen one to its job form?"""
    client = ts_client_as("operator")
    page = _text(client.get(f"{BASE}/jobs/new"))
    space = next(s for s in _spaces(ts) if not s["archived_at"])
    assert space["name"] in page
    response = client.get(f"{BASE}/jobs/new?workspace_id={space['id']}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/workspaces/{space['id']}/jobs/new")


def test_the_new_job_form_starts_in_the_viewers_zone(ts_client_as, ts):
    """Does the form's time zone start as the zone the viewer chose, and UTC without one?"""
    client = ts_client_as("operator")
    workspace_id, _, _ = _space_with_flows(ts)
    url = f"{BASE}/workspaces/{workspace_id}/jobs/new"
    assert '<option selected value="UTC">' in _text(client.get(url))
    client.set_cookie("fd_tz", "Asia/Tokyo")
    assert '<option selected value="Asia/Tokyo">' in _text(client.get(url))


def test_a_new_job_with_a_workflow_is_scheduled_and_listed(ts_client_as, ts, teamstudio_app):
    """Does the form create a fortnightly job in its zone with its workflow task, shown on both pages and audited?"""
    client = ts_client_as("operator")
    workspace_id, flow, _ = _space_with_flows(ts)
    when = _future()
    response = _new_job(client, workspace_id, workflow=str(flow["id"]), when=when)
    assert response.status_code == 302, response.get_data(as_text=True)
    created = _job_named(ts, "Fortnightly scoring")
    assert response.headers["Location"].endswith(f"/jobs/{created['id']}")
    assert created["interval_unit"] == "weeks" and created["interval_value"] == 2
    assert created["time_zone"] == "Europe/Berlin" and datetime.fromisoformat(created["next_run"]) == when
    assert [(t["action"], t["workfile"]["id"]) for t in created["tasks"]] == [("run_work_flow", flow["id"])]
    page = _text(client.get(response.headers["Location"]))
    assert flow["file_name"] in page and "every 2 weeks" in page and "flash-success" in page
    schedules = _text(client.get(f"{BASE}/schedules?q=Fortnightly+scoring"))
    assert "Fortnightly scoring" in schedules and "every 2 weeks (Europe/Berlin)" in schedules
    (create,) = audit_rows(teamstudio_app, "job_create")
    (task,) = audit_rows(teamstudio_app, "job_task_add")
    assert create.outcome == task.outcome == "ok" and create.object_id == task.object_id == str(created["id"])


def test_an_on_demand_job_needs_no_timing(ts_client_as, ts):
    """Is an on-demand job made without first run or interval, and never scheduled?"""
    workspace_id, _, _ = _space_with_flows(ts)
    response = _new_job(ts_client_as("operator"), workspace_id, name="By hand", interval_unit="on_demand",
                        interval_value="", first_date="", first_time="")
    assert response.status_code == 302
    created = _job_named(ts, "By hand")
    assert created["interval_unit"] == "on_demand" and created["next_run"] is None and created["tasks"] == []


def _past() -> dict[str, str]:
    when = datetime.now(ZoneInfo("Europe/Berlin")) - timedelta(hours=2)
    return {"first_date": when.date().isoformat(), "first_time": when.strftime("%H:%M")}


@pytest.mark.parametrize("fields, says", [
    ({"name": "  "}, "Give the job a name."),
    ({"name": "x" * 257}, "At most 256 characters."),
    ({"interval_value": "0"}, "A whole number from 1 to 1000."),
    ({"interval_value": "two"}, "Not a valid integer value."),
    ({"interval_unit": "fortnights"}, "Not a valid choice."),
    ({"first_date": ""}, "A scheduled job needs the date of the first run."),
    ("past", "The first run must be in the future"),
    ({"time_zone": "Mars/Olympus_Mons"}, "is not a time zone this server knows."),
    ({"end_date": "2000-01-01"}, "The last run date cannot come before the first run."),
    ("other workspace", "Pick one of this workspace's workflows, or none."),
    ({"workflow": "999999"}, "Pick one of this workspace's workflows, or none."),
])
def test_a_refused_new_job_changes_nothing_and_keeps_the_input(ts_client_as, ts, teamstudio_app, fields, says):
    """Is each invalid form refused with its message, the typed values kept and no job made on the platform?"""
    workspace_id, _, other = _space_with_flows(ts)
    if fields == "past":
        fields = _past()
    elif fields == "other workspace":
        fields = {"workflow": str(other["id"])}
    before = len(_jobs(ts))
    response = _new_job(ts_client_as("operator"), workspace_id, description="typed by hand", **fields)
    page = _text(response)
    assert response.status_code == 400 and says in page and "typed by hand" in page
    assert len(_jobs(ts)) == before and audit_rows(teamstudio_app, "job_create") == []


def test_the_platforms_refusal_is_shown_on_the_form(ts_client_as, ts, teamstudio_app):
    """When Team Studio refuses (a name taken in the workspace), does the form say so, keep the input and audit it?"""
    workspace_id, _, _ = _space_with_flows(ts)
    taken = next(j["name"] for j in _jobs(ts) if str(j["workspace"]["id"]) == workspace_id)
    before = len(_jobs(ts))
    response = _new_job(ts_client_as("operator"), workspace_id, name=taken)
    page = _text(response)
    assert response.status_code == 400 and "has already been taken" in page and "form-error" in page
    assert len(_jobs(ts)) == before
    (event,) = audit_rows(teamstudio_app, "job_create")
    assert event.outcome == "failed" and "422" in event.error


def test_a_task_that_fails_after_the_job_says_the_job_exists_without_it(ts_client_as, ts, teamstudio_emulator,
                                                                         teamstudio_app):
    """When adding the first task fails, is the made job shown with an error saying the task is missing?"""
    client = ts_client_as("operator")
    workspace_id, flow, _ = _space_with_flows(ts)
    form_page = f"{BASE}/workspaces/{workspace_id}/jobs/new"
    token = csrf_from(client.get(form_page).get_data(as_text=True))
    teamstudio_emulator.faults(fail_next={"count": 1, "status": 500, "path": f"/api/workspaces/{workspace_id}/jobs/"})
    response = client.post(form_page, data={"csrf_token": token, **_job_form(workflow=str(flow["id"]))})
    assert response.status_code == 302
    created = _job_named(ts, "Fortnightly scoring")
    assert created["tasks"] == [] and response.headers["Location"].endswith(f"/jobs/{created['id']}")
    page = _text(client.get(response.headers["Location"]))
    assert "was created, but its task" in page and "flash-error" in page and "no tasks" in page
    assert audit_rows(teamstudio_app, "job_create")[0].outcome == "ok"
    assert audit_rows(teamstudio_app, "job_task_add")[0].outcome in ("failed", "unknown")


# --- tasks --------------------------------------------------------------------------------------------------
def test_add_task_runs_a_sql_file_with_the_sql_action(ts_client_as, ts, teamstudio_app):
    """Does Add task offer the workspace's workfiles and add a SQL file as run_sql_workfile, audited?"""
    client = ts_client_as("operator")
    seeded = _job_named(ts, "Nightly Forest Sweep")
    sql = next(f for f in _workfiles(ts, seeded["workspace"]["id"]) if f["file_type"] == "sql")
    url = f"{BASE}/jobs/{seeded['id']}/tasks/new"
    assert sql["file_name"] in _text(client.get(url))
    response = post_form(client, url, workfile=str(sql["id"]))
    assert response.status_code == 302
    tasks = _job_named(ts, "Nightly Forest Sweep")["tasks"]
    assert (tasks[-1]["action"], tasks[-1]["workfile"]["id"]) == ("run_sql_workfile", sql["id"])
    (event,) = audit_rows(teamstudio_app, "job_task_add")
    assert event.outcome == "ok" and '"action": "run_sql_workfile"' in event.params


def test_add_task_refuses_a_workfile_of_another_workspace(ts_client_as, ts):
    """Is a workfile of another workspace refused without adding anything?"""
    seeded = _job_named(ts, "Nightly Forest Sweep")
    other = next(f for s in _spaces(ts) if s["id"] != seeded["workspace"]["id"] for f in _workfiles(ts, s["id"]))
    response = post_form(ts_client_as("operator"), f"{BASE}/jobs/{seeded['id']}/tasks/new", workfile=str(other["id"]))
    assert response.status_code == 400 and b"Pick one of this workspace" in response.data
    assert len(_job_named(ts, "Nightly Forest Sweep")["tasks"]) == len(seeded["tasks"])


def test_removing_a_task_asks_first(ts_client_as, ts, teamstudio_app):
    """Does Remove show a confirm page that changes nothing, and the confirmed POST remove the task, audited?"""
    client = ts_client_as("operator")
    seeded = _job_named(ts, "Hourly ETL")
    task = seeded["tasks"][1]
    url = f"{BASE}/jobs/{seeded['id']}/tasks/{task['id']}/delete"
    confirm = _text(client.get(url))
    assert task["workfile"]["file_name"] in confirm and "Remove task" in confirm
    assert len(_job_named(ts, "Hourly ETL")["tasks"]) == 2
    response = post_form(client, url)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/jobs/{seeded['id']}")
    assert [t["id"] for t in _job_named(ts, "Hourly ETL")["tasks"]] == [seeded["tasks"][0]["id"]]
    (event,) = audit_rows(teamstudio_app, "job_task_delete")
    assert event.outcome == "ok" and event.object_id == str(seeded["id"])


# --- delete ---------------------------------------------------------------------------------------------------
def test_deleting_a_job_asks_first_naming_its_tasks(ts_client_as, ts, teamstudio_app):
    """Does Delete job show the job and its tasks and delete nothing until the confirmed POST, which is audited?"""
    client = ts_client_as("operator")
    seeded = _job_named(ts, "Hourly ETL")
    url = f"{BASE}/jobs/{seeded['id']}/delete"
    confirm = _text(client.get(url))
    assert "Hourly ETL" in confirm and all(t["workfile"]["file_name"] in confirm for t in seeded["tasks"])
    assert any(j["id"] == seeded["id"] for j in _jobs(ts))
    response = post_form(client, url)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{BASE}/schedules")
    assert not any(j["id"] == seeded["id"] for j in _jobs(ts))
    (event,) = audit_rows(teamstudio_app, "job_delete")
    assert event.outcome == "ok" and event.object_id == str(seeded["id"])
    assert ">Hourly ETL</a>" not in _text(client.get(f"{BASE}/schedules?per_page=200"))


def test_a_failed_delete_is_a_flash_not_a_500(ts_client_as, ts, teamstudio_emulator, teamstudio_app):
    """When Team Studio fails the delete, does the operator get a flash, the job stay and the audit say failed?"""
    client = ts_client_as("operator")
    seeded = _job_named(ts, "Hourly ETL")
    url = f"{BASE}/jobs/{seeded['id']}/delete"
    token = csrf_from(client.get(url).get_data(as_text=True))
    teamstudio_emulator.faults(fail_next={"count": 1, "status": 500,
                                          "path": f"/api/workspaces/{seeded['workspace']['id']}/jobs/{seeded['id']}"})
    response = client.post(url, data={"csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200 and b"Could not delete Hourly ETL" in response.data
    assert any(j["id"] == seeded["id"] for j in _jobs(ts))
    assert audit_rows(teamstudio_app, "job_delete")[0].outcome == "failed"


# --- roles, CSRF, unknown ids, failures -----------------------------------------------------------------------
def _action_urls(ts) -> list[str]:
    seeded = _job_named(ts, "Hourly ETL")
    job = f"{BASE}/jobs/{seeded['id']}"
    return [f"{BASE}/jobs/new", f"{BASE}/workspaces/{seeded['workspace']['id']}/jobs/new", f"{job}/tasks/new",
            f"{job}/tasks/{seeded['tasks'][0]['id']}/delete", f"{job}/delete"]


def test_a_viewer_is_refused_every_job_action(ts_client_as, ts):
    """Is every job action route a 403 for a viewer, GET and POST, with nothing changed?"""
    client = ts_client_as("viewer")
    before = _jobs(ts)
    token = csrf_from(client.get(f"{BASE}/schedules").get_data(as_text=True))
    for url in _action_urls(ts):
        assert client.get(url).status_code == 403, url
        if not url.endswith("/jobs/new") or "/workspaces/" in url:
            assert client.post(url, data={"csrf_token": token, **_job_form()}).status_code == 403, url
    assert _jobs(ts) == before


def test_a_post_without_its_csrf_token_is_refused(ts_client_as, ts):
    """Are a new job, a task removal and a delete without the CSRF token refused, changing nothing?"""
    client = ts_client_as("operator")
    before = _jobs(ts)
    for url in _action_urls(ts)[1:]:
        response = client.post(url, data=_job_form())
        assert response.status_code == 400 and b"Form expired or forged" in response.data, url
    assert _jobs(ts) == before


@pytest.mark.parametrize("path", ["/jobs/999999", "/jobs/abc", "/jobs/999999.json", "/jobs/999999/delete",
                                  "/jobs/999999/tasks/new", "/workspaces/999999/jobs/new"])
def test_an_unknown_job_or_workspace_is_404(ts_client_as, path):
    """Are unknown and malformed job and workspace ids 404s?"""
    assert ts_client_as("operator").get(BASE + path).status_code == 404


def test_an_unknown_task_is_404(ts_client_as, ts):
    """Is removing a task the job does not have a 404?"""
    seeded = _job_named(ts, "Hourly ETL")
    assert ts_client_as("operator").get(f"{BASE}/jobs/{seeded['id']}/tasks/999999/delete").status_code == 404


def test_a_failing_platform_is_a_banner_on_the_job_page(ts_client_as, ts, teamstudio_emulator):
    """When Team Studio answers 500, does the job page still render with a banner (or the last good copy)?"""
    seeded = _job_named(ts, "Hourly ETL")
    teamstudio_emulator.faults(fail_next={"count": 200, "status": 500})
    response = ts_client_as("viewer").get(f"{BASE}/jobs/{seeded['id']}")
    assert response.status_code == 200 and b"banner-error" in response.data and b"server error (500)" in response.data
