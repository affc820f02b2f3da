"""Parameter sweeps: one Team Studio workflow run per value of a variable, then a metric charted per value."""
from __future__ import annotations

import json
import re

import pytest

from app.extensions import db
from app.models import RunRecord, Sweep
from tests.helpers import audit_rows, csrf_from, execution_id_from, post_form


def _forest_id(client) -> str:
    page = client.get("/teamstudio/ts-main/sweeps/new").get_data(as_text=True)
    return re.search(r'<option value="(\d+)">Random Forest[^<]*\(@n_trees', page).group(1)


def _sweep(client, values: str = "5, 10, 25, 50, 75") -> str:
    forest = _forest_id(client)
    response = post_form(client, f"/teamstudio/ts-main/sweeps/new?workflow={forest}", variable="@n_trees",
                         values=values)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def test_a_sweep_runs_once_per_value_then_charts_accuracy_against_trees(ts_client_as, teamstudio_app,
                                                                        teamstudio_emulator):
    """The hyperparameter notebook from the browser: 5..75 trees, wait, accuracy charted rising with trees."""
    client = ts_client_as("operator")
    url = _sweep(client)
    waiting = client.get(url).get_data(as_text=True)
    assert "waiting for 5 of 5 runs" in waiting and "data-wait-url" in waiting and "sweep-chart" not in waiting
    assert client.get(url + "/status.json").get_json()["waiting"] == 5
    teamstudio_emulator.advance(3600)
    assert client.get(url + "/status.json").get_json()["done"] is True
    page = client.get(url).get_data(as_text=True)
    assert "every run has ended" in page and page.count("badge-succeeded") == 5
    metric = next(m for m in re.findall(r'<option value="([^"]+)"', page) if "Accuracy" in m or "accuracy" in m)
    charted = client.get(url, query_string={"metric": metric}).get_data(as_text=True)
    spec = json.loads(re.search(r'<script type="application/json" id="sweep-chart">(.*?)</script>', charted,
                                re.S).group(1))
    assert spec["data"]["labels"] == ["5", "10", "25", "50", "75"]
    accuracy = spec["data"]["datasets"][0]["data"]
    assert accuracy == sorted(accuracy) and accuracy[0] < accuracy[-1]
    assert len(audit_rows(teamstudio_app, "run_start")) == 5
    (event,) = audit_rows(teamstudio_app, "sweep_start")
    assert event.outcome == "ok" and '"values": ["5", "10", "25", "50", "75"]' in event.params


def test_the_metrics_that_vary_are_offered_first(ts_client_as, teamstudio_emulator):
    """Is the default metric one whose value differs between the runs (a constant makes a flat, useless chart)?"""
    client = ts_client_as("operator")
    url = _sweep(client, "5, 75")
    teamstudio_emulator.advance(3600)
    page = client.get(url).get_data(as_text=True)
    data = json.loads(re.search(r'id="sweep-chart">(.*?)</script>', page, re.S).group(1))["data"]["datasets"][0]["data"]
    assert data[0] != data[1]


@pytest.mark.parametrize("values, message", [
    ("5", "Give at least 2 values"), ("5, 5", "Each value once"), (",".join(str(i) for i in range(13)), "At most 12"),
])
def test_bad_values_are_refused_and_nothing_runs(ts_client_as, teamstudio_app, values, message):
    """Is a sweep with too few, repeated or too many values refused on the form, with nothing started?"""
    client = ts_client_as("operator")
    forest = _forest_id(client)
    response = post_form(client, f"/teamstudio/ts-main/sweeps/new?workflow={forest}", variable="@n_trees",
                         values=values)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with teamstudio_app.app_context():
        assert db.session.query(Sweep).count() == 0 and db.session.query(RunRecord).count() == 0


def test_an_undeclared_variable_is_refused(ts_client_as, teamstudio_app):
    """Is a variable the workflow does not declare refused, with nothing started?"""
    client = ts_client_as("operator")
    forest = _forest_id(client)
    response = post_form(client, f"/teamstudio/ts-main/sweeps/new?workflow={forest}", variable="@n_leaves",
                         values="1, 2")
    assert response.status_code == 400 and "has no variable @n_leaves" in response.get_data(as_text=True)
    assert audit_rows(teamstudio_app, "run_start") == []


def test_a_double_submit_starts_one_sweep(ts_client_as, teamstudio_app):
    """Do two submits of one sweep form start its runs once and land on the same sweep?"""
    client = ts_client_as("operator")
    forest = _forest_id(client)
    url = f"/teamstudio/ts-main/sweeps/new?workflow={forest}"
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "execution_id": execution_id_from(html), "variable": "@n_trees",
            "values": "5, 10"}
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(audit_rows(teamstudio_app, "run_start")) == 2


def test_sweeps_are_listed_and_viewers_may_look_but_not_start(ts_client_as):
    """Does the sweeps list show a sweep to a viewer, who is refused the new-sweep form?"""
    _sweep(ts_client_as("operator"), "10, 50")
    viewer = ts_client_as("viewer")
    listing = viewer.get("/teamstudio/ts-main/sweeps").get_data(as_text=True)
    assert "Random Forest" in listing and "10, 50" in listing and "New sweep" not in listing
    assert viewer.get("/teamstudio/ts-main/sweeps/new").status_code == 403
    assert viewer.post("/teamstudio/ts-main/sweeps/new?workflow=1").status_code in (400, 403)


def test_unknown_sweeps_and_workflows_are_404(ts_client_as):
    """Are an unknown sweep id, a malformed one and an unknown workflow 404 pages?"""
    client = ts_client_as("operator")
    assert client.get("/teamstudio/ts-main/sweeps/" + "0" * 32).status_code == 404
    assert client.get("/teamstudio/ts-main/sweeps/nope").status_code == 404
    assert client.get("/teamstudio/ts-main/sweeps/new?workflow=99999").status_code == 404


def test_a_sweep_without_csrf_starts_nothing(ts_client_as, teamstudio_app):
    """Is a sweep POST without its CSRF token refused with nothing started?"""
    client = ts_client_as("operator")
    forest = _forest_id(client)
    html = client.get(f"/teamstudio/ts-main/sweeps/new?workflow={forest}").get_data(as_text=True)
    response = client.post(f"/teamstudio/ts-main/sweeps/new?workflow={forest}", data={
        "execution_id": execution_id_from(html), "variable": "@n_trees", "values": "5, 10"})
    assert response.status_code == 400 and audit_rows(teamstudio_app, "run_start") == []


def test_a_platform_failure_while_starting_is_reported_per_value(ts_client_as, teamstudio_app, teamstudio_emulator):
    """When the engine refuses the starts, does the sweep page say which values did not start, with no 500?"""
    client = ts_client_as("operator")
    forest = _forest_id(client)
    page = f"/teamstudio/ts-main/sweeps/new?workflow={forest}"
    html = client.get(page).get_data(as_text=True)
    client.get(f"/teamstudio/ts-main/run/workflow/{forest}")  # the workfile is read and cached before the fault
    teamstudio_emulator.faults(fail_next={"count": 50, "status": 400})
    response = client.post(page, data={"csrf_token": csrf_from(html), "execution_id": execution_id_from(html),
                                       "variable": "@n_trees", "values": "5, 10"})
    assert response.status_code == 302
    teamstudio_emulator.faults(fail_next={"count": 0})
    shown = client.get(response.headers["Location"], follow_redirects=False).get_data(as_text=True)
    assert shown.count("not started") >= 2
    (event,) = audit_rows(teamstudio_app, "sweep_start")
    assert event.outcome == "failed" and "@n_trees = 5" in event.error
