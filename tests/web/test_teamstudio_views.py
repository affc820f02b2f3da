"""Team Studio pages: jobs as schedules, runs, workflows with variables, the run form, the session panel."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import RunRecord
from tests.helpers import audit_rows, csrf_from, execution_id_from, post_form


def _forest_id(client) -> str:
    page = client.get("/teamstudio/ts-main/workflows?per_page=200").get_data(as_text=True)
    return re.search(r'/teamstudio/ts-main/run/workflow/(\d+)"[^>]*>Run</a>', page.split("Random Forest", 1)[1]).group(1)


@pytest.mark.parametrize("url", ["/teamstudio/ts-main/schedules", "/teamstudio/ts-main/runs",
                                 "/teamstudio/ts-main/workflows", "/teamstudio/ts-main/token"])
def test_every_page_answers_for_a_viewer(ts_client_as, url):
    """Does each Team Studio page render for a viewer without a banner?"""
    response = ts_client_as("viewer").get(url)
    assert response.status_code == 200 and b"banner-error" not in response.data


def test_jobs_show_their_interval_in_words(ts_client_as):
    """Are jobs listed as schedules with their interval in words?"""
    page = ts_client_as("viewer").get("/teamstudio/ts-main/schedules?per_page=200").get_data(as_text=True)
    assert "on demand" in page and re.search(r"every (\d+ )?(hour|day|week|month)s?", page)


def test_run_form_takes_variables_and_starts_one_run(ts_client_as, teamstudio_app):
    """Does the run form show the workflow's variables, start a run with the value given and audit it?"""
    client = ts_client_as("operator")
    forest = _forest_id(client)
    form = client.get(f"/teamstudio/ts-main/run/workflow/{forest}").get_data(as_text=True)
    assert "@n_trees" in form
    response = post_form(client, f"/teamstudio/ts-main/run/workflow/{forest}", **{"var-name-0": "@n_trees", "var-value-0": "25"})
    assert response.status_code == 302 and "/teamstudio/ts-main/runs/" in response.headers["Location"]
    (event,) = audit_rows(teamstudio_app, "run_start")
    assert '"@n_trees": "25"' in event.params and event.outcome == "ok"
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "running" in detail


def test_the_session_panel_names_the_account(ts_client_as):
    """Does the session panel name the service account and offer a renewal, without the password?"""
    page = ts_client_as("operator").get("/teamstudio/ts-main/token").get_data(as_text=True)
    assert "flightdeck-svc" in page and "Refresh now" in page and "pw-flightdeck" not in page


def test_a_viewer_cannot_run(ts_client_as):
    """Is a viewer refused the run form with 403?"""
    assert ts_client_as("viewer").get("/teamstudio/ts-main/run/workflow/1").status_code == 403


@pytest.mark.parametrize("url", ["/teamstudio/ts-main/schedules", "/teamstudio/ts-main/workflows",
                                 "/teamstudio/ts-main/runs"])
def test_a_failing_platform_is_a_banner(ts_client_as, teamstudio_emulator, url):
    """When Team Studio answers 500, does the page still render, naming the failure?"""
    teamstudio_emulator.faults(fail_next={"count": 200, "status": 500})
    response = ts_client_as("viewer").get(url)
    assert response.status_code == 200 and b"banner-error" in response.data and b"server error (500)" in response.data


def test_unknown_runs_and_workflows_are_404_pages(ts_client_as):
    """Are an unknown run and an unknown workflow 404 pages?"""
    client = ts_client_as("operator")
    assert client.get("/teamstudio/ts-main/runs/1.no-such-process").status_code == 404
    assert client.get("/teamstudio/ts-main/run/workflow/99999").status_code == 404


def test_stop_asks_first_then_stops_and_audits(ts_client_as, teamstudio_app, teamstudio_emulator):
    """Does Stop confirm, then stop the process (ending canceled) and write an audit event?"""
    client = ts_client_as("operator")
    forest = _forest_id(client)
    started = post_form(client, f"/teamstudio/ts-main/run/workflow/{forest}")
    run_url = started.headers["Location"].split("?")[0]
    assert "/stop" in client.get(run_url).get_data(as_text=True)
    assert b"Stop run</button>" in client.get(run_url + "/stop").data
    assert post_form(client, run_url + "/stop").status_code == 302
    (event,) = audit_rows(teamstudio_app, "run_stop")
    assert event.outcome == "ok"
    teamstudio_emulator.advance(3600)
    assert "canceled" in client.get(run_url).get_data(as_text=True)


def test_a_viewer_cannot_stop(ts_client_as):
    """Is a viewer refused the stop route?"""
    assert ts_client_as("viewer").post("/teamstudio/ts-main/runs/1.x/stop").status_code in (400, 403)


def _finished_forest_run(client, teamstudio_emulator, trees: str = "50") -> str:
    forest = _forest_id(client)
    started = post_form(client, f"/teamstudio/ts-main/run/workflow/{forest}", **{"var-name-0": "@n_trees", "var-value-0": trees})
    teamstudio_emulator.advance(3600)
    return started.headers["Location"].split("?")[0]


def test_results_page_shows_outputs_in_order_as_tables_and_the_log(ts_client_as, teamstudio_emulator):
    """Does a finished run link to its results: metadata, each operator's output in order, tables, the log?"""
    client = ts_client_as("operator")
    run_url = _finished_forest_run(client, teamstudio_emulator, "25")
    assert run_url + "/results" in client.get(run_url).get_data(as_text=True)
    page = client.get(run_url + "/results").get_data(as_text=True)
    titles = re.findall(r"<h3>\d+\. ([^<]+)</h3>", page)
    assert "Alpine Forest Classification" in titles and "Confusion Matrix" in titles
    assert titles.index("Alpine Forest Classification") < titles.index("Confusion Matrix")
    assert "<th scope=\"col\">Average over All Trees</th>" in page and ">25<" in page
    assert "Operators processed" in page and "started" in page.lower()


def test_raw_results_download_is_the_decoded_json(ts_client_as, teamstudio_emulator):
    """Is the raw results download an attachment holding flowMetaInfo, logs and outputs?"""
    client = ts_client_as("operator")
    run_url = _finished_forest_run(client, teamstudio_emulator)
    response = client.get(run_url + "/results.json")
    assert "attachment" in response.headers["Content-Disposition"]
    assert {"flowMetaInfo", "logs", "outputs"} <= set(response.get_json())


def test_a_failed_run_names_the_failing_operator(ts_client_as, teamstudio_emulator):
    """Does the results page of the always-failing workflow show the error and the operator that failed?"""
    client = ts_client_as("operator")
    page = client.get("/teamstudio/ts-main/workflows?per_page=200").get_data(as_text=True)
    workflow = re.search(r'/teamstudio/ts-main/run/workflow/(\d+)"[^>]*>Run</a>',
                         page.split("Nightly Fraud Features", 1)[1]).group(1)
    started = post_form(client, f"/teamstudio/ts-main/run/workflow/{workflow}")
    teamstudio_emulator.advance(3600)
    results = client.get(started.headers["Location"].split("?")[0] + "/results").get_data(as_text=True)
    assert "badge-failed" in results and "Join Transactions" in results.split("<h2>Errors</h2>", 1)[1]


def test_results_of_a_running_or_unknown_run_are_404(ts_client_as):
    """Is the results page of a run still going, or of no run, a 404 page?"""
    client = ts_client_as("operator")
    forest = _forest_id(client)
    running = post_form(client, f"/teamstudio/ts-main/run/workflow/{forest}").headers["Location"].split("?")[0]
    assert client.get(running + "/results").status_code == 404
    assert client.get("/teamstudio/ts-main/runs/1.nope/results").status_code == 404


def test_json_api_serves_team_studio_like_the_others(ts_client_as):
    """Do the JSON API's schedules, runs and run routes answer Team Studio's normalised records?"""
    client = ts_client_as("viewer")
    schedules = client.get("/api/v1/teamstudio/ts-main/schedules?per_page=5").get_json()
    assert schedules["total"] > 5 and len(schedules["items"]) == 5 and schedules["items"][0]["platform"] == "teamstudio"
    runs = client.get("/api/v1/teamstudio/ts-main/runs").get_json()
    assert runs["items"] and runs["items"][0]["id"].count(".") == 1
    one = client.get(f"/api/v1/teamstudio/ts-main/runs/{runs['items'][0]['id']}").get_json()
    assert one["status"] in ("succeeded", "failed", "canceled", "running")
    assert client.get("/api/v1/teamstudio/ts-main/runs/1.nope").status_code == 404


def test_run_job_now_asks_first_then_starts_its_tasks(ts_client_as, teamstudio_app):
    """Does Run now on a job confirm, start the job's workflow runs, and audit it?"""
    client = ts_client_as("operator")
    page = client.get("/teamstudio/ts-main/schedules?per_page=200").get_data(as_text=True)
    run_now = re.search(r'href="(/teamstudio/ts-main/schedules/(\d+)/run-now)"', page)
    before = client.get("/api/v1/teamstudio/ts-main/runs?per_page=200").get_json()["total"]
    assert b"Run now</button>" in client.get(run_now.group(1)).data
    assert post_form(client, run_now.group(1)).status_code == 302
    (event,) = audit_rows(teamstudio_app, "schedule_run_now")
    assert event.outcome == "ok" and event.object_id == run_now.group(2)
    after = client.get("/api/v1/teamstudio/ts-main/runs?per_page=200").get_json()
    assert after["total"] >= before and any(r["status"] == "running" for r in after["items"])


def test_run_now_is_for_operators_and_known_jobs(ts_client_as):
    """Is Run now refused to viewers, and a 404 for an unknown job?"""
    assert ts_client_as("viewer").get("/teamstudio/ts-main/schedules/1/run-now").status_code == 403
    assert ts_client_as("operator").get("/teamstudio/ts-main/schedules/99999/run-now").status_code == 404


def test_a_refused_action_is_flashed_and_audited_as_failed(ts_client_as, teamstudio_app, teamstudio_emulator):
    """When the platform fails the Run now call, does the page say so, and the audit record it as failed?"""
    client = ts_client_as("operator")
    page = client.get("/teamstudio/ts-main/schedules?per_page=200").get_data(as_text=True)
    run_now = re.search(r'href="(/teamstudio/ts-main/schedules/\d+/run-now)"', page).group(1)
    form_page = client.get(run_now)
    assert form_page.status_code == 200
    teamstudio_emulator.faults(fail_next={"count": 5, "status": 503})
    response = post_form(client, run_now)
    assert response.status_code == 302
    (event,) = audit_rows(teamstudio_app, "schedule_run_now")
    assert event.outcome == "failed" and "503" in event.error
    assert "Could not run" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_running_run_shows_its_workflow_who_started_it_and_the_time_elapsed(ts_client_as):
    """While the engine names only ids, does the run page still show the workflow's name, the start and elapsed?"""
    client = ts_client_as("operator")
    started = post_form(client, f"/teamstudio/ts-main/run/workflow/{_forest_id(client)}")
    run_url = started.headers["Location"].split("?")[0]
    page = client.get(run_url).get_data(as_text=True)
    assert "Random Forest Parameter Search" in page and "operator via Flightdeck" in page
    assert "<dt>Elapsed</dt>" in page
    status = client.get(run_url + "/status.json").get_json()
    assert status["final"] is False and status["started"] and status["duration"] != "—"


@pytest.mark.parametrize("rows, message", [
    ({"var-name-0": "n_trees", "var-value-0": "5"}, "A variable name is @ followed by"),
    ({"var-name-0": "@n_leaves", "var-value-0": "5"}, "@n_leaves is not a variable of this workflow; it has @n_trees"),
    ({"var-name-0": "@n_trees", "var-value-0": "5", "var-name-1": "@n_trees", "var-value-1": "6"}, "@n_trees is given twice"),
    ({"var-name-0": "@n_trees", "var-value-0": " "}, "Give a value, or clear the name"),
    ({"var-name-0": "", "var-value-0": "5"}, "Name the variable, or clear its value"),
])
def test_bad_variable_rows_are_form_errors_and_nothing_runs(ts_client_as, teamstudio_app, rows, message):
    """Is each kind of bad name/value row refused on the form, with what was typed kept and no run started?"""
    client = ts_client_as("operator")
    forest = _forest_id(client)
    response = post_form(client, f"/teamstudio/ts-main/run/workflow/{forest}", **rows)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and 'aria-invalid="true"' in page
    assert f'value="{rows["var-value-0"]}"' in page
    assert audit_rows(teamstudio_app, "run_start") == []
    with teamstudio_app.app_context():
        assert db.session.query(RunRecord).count() == 0


def test_the_form_lists_the_declared_variables_then_remembers_the_last_values(ts_client_as):
    """Does the first form offer each declared variable with its default, and the next one the values last run?"""
    client = ts_client_as("operator")
    forest = _forest_id(client)
    url = f"/teamstudio/ts-main/run/workflow/{forest}"
    first = client.get(url).get_data(as_text=True)
    assert re.search(r'name="var-name-0" value="@n_trees"', first) and "last ran it with" not in first
    post_form(client, url, **{"var-name-0": "@n_trees", "var-value-0": "75"})
    again = ts_client_as("admin").get(url).get_data(as_text=True)
    assert re.search(r'name="var-name-0" value="@n_trees"', again)
    assert re.search(r'name="var-value-0" value="75"', again) and "operator last ran it with" in again


def test_a_double_click_on_run_starts_one_process(ts_client_as, teamstudio_app):
    """Do two submits of one run form start one Team Studio process?"""
    client = ts_client_as("operator")
    forest = _forest_id(client)
    url = f"/teamstudio/ts-main/run/workflow/{forest}"
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "execution_id": execution_id_from(html),
            "var-name-0": "@n_trees", "var-value-0": "10"}
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(audit_rows(teamstudio_app, "run_start")) == 1


def test_the_session_panel_shows_the_version_licence_and_account(ts_client_as):
    """Does the session panel show the instance's version, its licence expiry and seat limits, and the account?"""
    page = ts_client_as("viewer").get("/teamstudio/ts-main/token").get_data(as_text=True)
    assert "<h2>Instance</h2>" in page and "6.3.0.0" in page
    assert re.search(r"<dt>Licence expires</dt><dd\s*>2099-12-31</dd>", page)
    assert "Analytics developers allowed" in page and "Signed in as" in page and "flightdeck-svc" in page


def test_a_run_the_platform_refuses_is_shown_on_the_form_and_nothing_is_kept(ts_client_as, teamstudio_app,
                                                                             teamstudio_emulator):
    """When the engine refuses the start (a 4xx), does the form say so with the values kept, and no run remain?"""
    client = ts_client_as("operator")
    forest = _forest_id(client)
    url = f"/teamstudio/ts-main/run/workflow/{forest}"
    html = client.get(url).get_data(as_text=True)  # the workfile is read now; the refusal hits the start
    teamstudio_emulator.faults(fail_next={"count": 1, "status": 422})
    response = client.post(url, data={"csrf_token": csrf_from(html), "execution_id": execution_id_from(html),
                                      "var-name-0": "@n_trees", "var-value-0": "40"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "The platform refused this run" in page
    assert re.search(r'name="var-value-0" value="40"', page)
    assert execution_id_from(page) != execution_id_from(html)  # a fresh try is a new run
    (event,) = audit_rows(teamstudio_app, "run_start")
    assert event.outcome == "failed"
    with teamstudio_app.app_context():
        assert db.session.query(RunRecord).count() == 0
