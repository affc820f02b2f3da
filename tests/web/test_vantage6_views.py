"""vantage6 pages: tasks as runs, a task's runs per organisation, the task form, kill, the token panel."""
from __future__ import annotations

import re
from datetime import datetime

import pytest
import requests

from app.extensions import db
from app.models import RunRecord
from sandbox.vantage6.totp import hotp
from tests.conftest import _client_as, build_app, vantage6_connection
from tests.helpers import audit_rows, csrf_from, execution_id_from, post_form

AVERAGE = "harbor2.vantage6.ai/demo/average"
NEW = "/vantage6/v6-main/tasks/new"


def _form(state: dict, **changes: str) -> dict[str, str]:
    pair = state["onlinePair"]
    values = {"collaboration": str(pair["collaboration_id"]), "organizations": str(pair["organization_ids"][0]),
              "image": AVERAGE, "name": "mean age", "description": "", "databases": "default",
              "input": '{"method": "partial_average", "kwargs": {"column": "age"}}'}
    return {**values, **changes}


def _create(client, state: dict, organizations: list[int] | None = None, **changes: str):
    """Post the task form as a browser would (several organisation boxes ticked)."""
    url = f"{NEW}?collaboration={state['onlinePair']['collaboration_id']}"
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "execution_id": execution_id_from(html), **_form(state, **changes)}
    data["organizations"] = [str(o) for o in (organizations or state["onlinePair"]["organization_ids"])]
    return client.post(url, data=data), data, url


@pytest.mark.parametrize("url", ["/vantage6/v6-main/runs", "/vantage6/v6-main/workflows", "/vantage6/v6-main/token"])
def test_every_page_answers_for_a_viewer(v6_client_as, url):
    """Does each vantage6 page render for a viewer without a banner?"""
    response = v6_client_as("viewer").get(url)
    assert response.status_code == 200 and b"banner-error" not in response.data


def test_the_connection_opens_on_its_tasks(v6_client_as):
    """With no schedules on vantage6, does the connection's page open on its tasks?"""
    response = v6_client_as("viewer").get("/vantage6/v6-main/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/vantage6/v6-main/workflows")


def test_a_finished_task_shows_each_organisations_run_with_result_and_log(v6_client_as, vantage6_emulator):
    """Does a task page list each organisation's run with its node, status, result JSON and log?"""
    finished = vantage6_emulator.state()["finishedTask"]
    client = v6_client_as("viewer")
    page = client.get(f"/vantage6/v6-main/runs/{finished['id']}").get_data(as_text=True)
    assert "Runs per organisation" in page and "badge-succeeded" in page and "<summary>Result</summary>" in page
    download = client.get(f"/vantage6/v6-main/tasks/{finished['id']}/runs/{finished['run_id']}/result.json")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert client.get(f"/vantage6/v6-main/tasks/{finished['id']}/runs/999999/result.json").status_code == 404


def test_the_form_picks_a_collaboration_then_offers_its_organisations_all_ticked(v6_client_as, vantage6_emulator):
    """Does the task form start with the collaboration, then tick every one of its organisations?"""
    client = v6_client_as("operator")
    assert "Which collaboration?" in client.get(NEW).get_data(as_text=True)
    pair = vantage6_emulator.state()["onlinePair"]
    form = client.get(f"{NEW}?collaboration={pair['collaboration_id']}").get_data(as_text=True)
    ticked = re.findall(r'name="organizations" value="(\d+)" checked', form)
    assert {str(o) for o in pair["organization_ids"]} <= set(ticked)


def test_a_task_for_two_organisations_is_created_followed_and_audited(v6_client_as, vantage6_app, vantage6_emulator):
    """Does the form create one task for two organisations, land on its live page, and audit the start?"""
    state = vantage6_emulator.state()
    client = v6_client_as("operator")
    response, _, _ = _create(client, state)
    assert response.status_code == 302 and "live=1" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "data-status-url" in page and page.count("badge-queued") + page.count("badge-running") >= 2
    (event,) = audit_rows(vantage6_app, "run_start")
    assert event.outcome == "ok" and '"image": "harbor2.vantage6.ai/demo/average"' in event.params
    vantage6_emulator.advance(3600)
    status = client.get(response.headers["Location"].split("?")[0] + "/status.json").get_json()
    assert status["final"] and status["status"] == "succeeded"


@pytest.mark.parametrize("changes, message", [
    ({"input": "{not json"}, "Not valid JSON"),
    ({"input": '{"kwargs": {}}'}, "needs a &#34;method&#34;"),
    ({"input": '["partial_average"]'}, "Give a JSON object"),
    ({"image": ""}, "Docker image"),
    ({"databases": ""}, "database labels"),
])
def test_bad_values_are_refused_on_the_form_and_nothing_is_created(v6_client_as, vantage6_app, vantage6_emulator,
                                                                   changes, message):
    """Is each bad value refused at the form, with what was typed kept and no task created?"""
    state = vantage6_emulator.state()
    response, data, _ = _create(v6_client_as("operator"), state, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and 'aria-invalid="true"' in page
    assert vantage6_emulator.state()["tasks"] == state["tasks"]
    with vantage6_app.app_context():
        assert db.session.query(RunRecord).count() == 0


def test_organisations_outside_the_collaboration_are_refused(v6_client_as, vantage6_emulator):
    """Is an organisation that is not in the collaboration refused before anything is sent?"""
    state = vantage6_emulator.state()
    response, _, _ = _create(v6_client_as("operator"), state, organizations=[999])
    assert response.status_code == 400 and "Only organisations of the chosen collaboration" in response.get_data(
        as_text=True)
    assert vantage6_emulator.state()["tasks"] == state["tasks"]


def test_no_organisation_ticked_is_refused(v6_client_as, vantage6_emulator):
    """Is a form with every organisation unticked refused?"""
    state = vantage6_emulator.state()
    client = v6_client_as("operator")
    url = f"{NEW}?collaboration={state['onlinePair']['collaboration_id']}"
    html = client.get(url).get_data(as_text=True)
    values = {k: v for k, v in _form(state).items() if k != "organizations"}
    response = client.post(url, data={"csrf_token": csrf_from(html), "execution_id": execution_id_from(html), **values})
    assert response.status_code == 400 and "Choose at least one organisation" in response.get_data(as_text=True)


def test_a_double_click_creates_one_task(v6_client_as, vantage6_app, vantage6_emulator):
    """Do two submits of one task form create one task and land on it both times?"""
    state = vantage6_emulator.state()
    client = v6_client_as("operator")
    first, data, url = _create(client, state)
    second = client.post(url, data=data)
    assert first.headers["Location"].split("?")[0] == second.headers["Location"].split("?")[0]
    assert vantage6_emulator.state()["tasks"] == state["tasks"] + 1
    assert len(audit_rows(vantage6_app, "run_start")) == 1


def test_the_servers_refusal_is_shown_on_the_form(v6_client_as, vantage6_emulator):
    """When the server refuses the task (a 400), does the form say so with the values kept?"""
    state = vantage6_emulator.state()
    client = v6_client_as("operator")
    client.get("/vantage6/v6-main/runs")  # signed in before the fault, so it hits the create
    vantage6_emulator.faults(fail_next={"count": 1, "status": 400, "path": "/api/task"})
    response, _, _ = _create(client, state, name="refused one")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "The task was not created" in page and 'value="refused one"' in page


def test_start_again_fills_the_form_from_an_earlier_task(v6_client_as, vantage6_emulator):
    """Does an image's Run button open the task form filled with its last task's input?"""
    client = v6_client_as("operator")
    images = client.get("/vantage6/v6-main/workflows").get_data(as_text=True)
    run_link = re.search(r'href="(/vantage6/v6-main/run/image/\d+)"', images).group(1)
    form = client.get(run_link, follow_redirects=True).get_data(as_text=True)
    assert "Create task" in form and "&#34;method&#34;" in form


def test_kill_asks_first_then_kills_and_audits(v6_client_as, vantage6_app, vantage6_emulator):
    """Does Stop on a running task confirm, then kill it (canceled) and audit it?"""
    state = vantage6_emulator.state()
    client = v6_client_as("operator")
    created, _, _ = _create(client, state)
    task_url = created.headers["Location"].split("?")[0]
    assert b"Stop task</button>" in client.get(task_url + "/stop").data
    assert post_form(client, task_url + "/stop").status_code == 302
    (event,) = audit_rows(vantage6_app, "run_stop")
    assert event.outcome == "ok"
    assert "badge-canceled" in client.get(task_url).get_data(as_text=True)


def test_viewers_cannot_create_or_kill(v6_client_as, vantage6_emulator):
    """Are the task form and the kill route refused to a viewer?"""
    client = v6_client_as("viewer")
    running = vantage6_emulator.state()["runningTaskId"]
    assert client.get(NEW).status_code == 403
    assert client.get(f"/vantage6/v6-main/runs/{running}/stop").status_code == 403


def test_a_post_without_csrf_creates_nothing(v6_client_as, vantage6_emulator):
    """Is a task form posted without its CSRF token refused with nothing created?"""
    state = vantage6_emulator.state()
    client = v6_client_as("operator")
    url = f"{NEW}?collaboration={state['onlinePair']['collaboration_id']}"
    html = client.get(url).get_data(as_text=True)
    response = client.post(url, data={"execution_id": execution_id_from(html), **_form(state)})
    assert response.status_code == 400 and vantage6_emulator.state()["tasks"] == state["tasks"]


def test_unknown_tasks_are_404_pages(v6_client_as):
    """Are an unknown task, a malformed id and an unknown source task 404 pages?"""
    client = v6_client_as("operator")
    assert client.get("/vantage6/v6-main/runs/999999").status_code == 404
    assert client.get("/vantage6/v6-main/runs/abc").status_code == 404
    assert client.get(f"{NEW}?source=999999").status_code == 404


@pytest.mark.parametrize("url", ["/vantage6/v6-main/runs", "/vantage6/v6-main/workflows"])
def test_a_failing_server_is_a_banner(v6_client_as, vantage6_emulator, url):
    """When the server answers 500, does the page still render, naming the failure?"""
    client = v6_client_as("viewer")
    vantage6_emulator.faults(fail_next={"count": 200, "status": 500})
    response = client.get(url)
    assert response.status_code == 200 and b"banner-error" in response.data


def test_the_token_panel_takes_a_two_factor_code(tmp_path, vantage6_emulator, monkeypatch):
    """For an account with two-factor, does the panel ask for the code, refuse a malformed one, and sign in?"""
    state = vantage6_emulator.state()
    minted = requests.post(f"{vantage6_emulator.url}/_sandbox/tokens",
                           json={"username": state["twoFactorUser"]["username"]}, timeout=5).json()
    app = build_app(tmp_path, vantage6_connection("v6-main", vantage6_emulator.url, minted, monkeypatch))
    client = _client_as(app)("operator")
    assert b"banner-error" in client.get("/vantage6/v6-main/runs").data
    panel = client.get("/vantage6/v6-main/token").get_data(as_text=True)
    assert 'name="code"' in panel and "two-factor" in panel
    refused = post_form(client, "/vantage6/v6-main/token", "/vantage6/v6-main/token/code", code="12ab56")
    assert "The code is six digits" in client.get(refused.headers["Location"]).get_data(as_text=True)
    now = datetime.fromisoformat(requests.get(f"{vantage6_emulator.url}/_sandbox/clock", timeout=5)
                                 .json()["now"].replace("Z", "+00:00"))
    post_form(client, "/vantage6/v6-main/token", "/vantage6/v6-main/token/code",
              code=hotp(minted["otp_secret"], int(now.timestamp()) // 30))
    assert b"banner-error" not in client.get("/vantage6/v6-main/runs").data
    assert 'name="code"' not in client.get("/vantage6/v6-main/token").get_data(as_text=True)


def test_the_json_api_serves_tasks_as_runs(v6_client_as):
    """Do the JSON API's runs routes answer vantage6 tasks as normalised runs?"""
    client = v6_client_as("viewer")
    runs = client.get("/api/v1/vantage6/v6-main/runs?per_page=5").get_json()
    assert runs["total"] > 5 and len(runs["items"]) == 5 and runs["items"][0]["platform"] == "vantage6"
    one = client.get(f"/api/v1/vantage6/v6-main/runs/{runs['items'][0]['id']}").get_json()
    assert one["id"] == runs["items"][0]["id"]
    assert client.get("/api/v1/vantage6/v6-main/runs/999999").status_code == 404


def test_tasks_show_their_name_and_each_organisations_status(v6_client_as, vantage6_emulator):
    """Does the tasks table name each task and show every organisation's run status beside it?"""
    state = vantage6_emulator.state()
    client = v6_client_as("operator")
    _create(client, state, name="mean age, two sites")
    page = client.get("/vantage6/v6-main/runs").get_data(as_text=True)
    assert "mean age, two sites" in page and "<th scope=\"col\">Organisations</th>" in page
    assert page.count('class="part"') >= 2


def test_tasks_filter_by_collaboration_and_creator(v6_client_as, vantage6_emulator):
    """Do the collaboration and created-by filters narrow the tasks, with status on top, and ignore nonsense?"""
    client = v6_client_as("viewer")
    everything = client.get("/api/v1/vantage6/v6-main/runs?per_page=5").get_json()["total"]
    page = client.get("/vantage6/v6-main/runs").get_data(as_text=True)
    collaborations = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>',
                                page.split('name="collaboration"', 1)[1].split("</select>", 1)[0])
    assert len(collaborations) == 2
    totals = [client.get(f"/api/v1/vantage6/v6-main/runs?collaboration={cid}").get_json()["total"]
              for cid, _ in collaborations]
    assert all(0 < t < everything for t in totals) and sum(totals) == everything
    user = re.search(r'<option value="(\d+)"[^>]*>Flightdeck Service</option>', page).group(1)
    mine = client.get(f"/api/v1/vantage6/v6-main/runs?user={user}&per_page=200").get_json()
    assert mine["total"] < everything and all(r["triggered_by"] == "Flightdeck Service" for r in mine["items"])
    failed = client.get(f"/api/v1/vantage6/v6-main/runs?status=failed&collaboration={collaborations[0][0]}"
                        "&per_page=200").get_json()
    assert all(r["status"] == "failed" for r in failed["items"])
    assert client.get("/api/v1/vantage6/v6-main/runs?collaboration=999").get_json()["total"] == everything


def test_encrypted_collaborations_are_left_out_of_the_task_form(v6_client_as, vantage6_emulator):
    """Is an encrypted collaboration named as not available, and refused if asked for anyway?"""
    encrypted = vantage6_emulator.state()["encryptedCollaborationIds"][0]
    client = v6_client_as("operator")
    pick = client.get(NEW).get_data(as_text=True)
    assert "Not listed: Cardiology Pilot" in pick and f'<option value="{encrypted}"' not in pick
    assert "Which collaboration?" in client.get(f"{NEW}?collaboration={encrypted}").get_data(as_text=True)
