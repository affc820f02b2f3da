"""Team Studio emulator engine API: run, process states on the clock, plain-text ends, results, stop, variables."""
from __future__ import annotations

import pytest

from tests.sandbox.test_teamstudio_helpers import OVER, RUNNING_STATES, clock, finish, login, state

META_FIELDS = ["workflowId", "workflowName", "processId", "status", "startTime", "endTime", "executeUser",
               "noOfNodesProcessed", "noOfError"]
SWEEP = (5, 10, 25, 50, 75)


@pytest.fixture
def ts(teamstudio_emulator):
    """A session of the service account that outlives every clock jump in these tests."""
    teamstudio_emulator.faults(token_lifetime=86400)
    return login(teamstudio_emulator.url)


@pytest.fixture
def ids(teamstudio_emulator):
    """/_sandbox/state's ids (randomForest, failingWorkflow, finishedProcess)."""
    return state(teamstudio_emulator.url)


def _forest_numbers(results: dict) -> tuple[int, float]:
    """(trees, accuracy) parsed exactly as the seed's hyperparameter notebook does."""
    outputs = {o["out_title"]: o for o in results["outputs"]}
    accuracy = float(outputs["Confusion Matrix"]["visualData"][0]["visualData"]["items"][2]["Class Recall"].split()[1])
    trees = int(outputs["Alpine Forest Classification"]["visualData"][2]["visualData"]["items"][0]
                ["Average over All Trees"])
    return trees, accuracy


def test_run_moves_through_states_then_answers_plain_text_and_results(ts, ids):
    """JSON meta.state while running, plain "Workflow not started or already stopped.\\n" once over, and
    results that decode twice into flowMetaInfo/logs/outputs with status SUCCESS."""
    workflow_id = ids["randomForest"]["workflowId"]
    clock(ts.base, freeze=True)
    started = ts.run(workflow_id)
    assert started.status_code == 200 and started.json()["meta"]["processId"]
    process_id = started.json()["meta"]["processId"]
    seen = []
    for step in (0, 2.5, 7.5):  # the start, the first operator's first second, its middle
        clock(ts.base, advance=step)
        seen.append(ts.query(process_id).json()["meta"]["state"])
    assert seen == ["STARTED", "NODE_STARTED", "IN_PROGRESS"]
    for _ in range(80):
        answer = ts.query(process_id)
        if answer.headers["Content-Type"].startswith("text/plain"):
            break
        seen.append(answer.json()["meta"]["state"])
        assert ts.results(workflow_id, process_id) is None  # "" while running
        clock(ts.base, advance=7)
    assert answer.text == OVER and set(seen) <= set(RUNNING_STATES)
    results = ts.results(workflow_id, process_id)
    meta = results["flowMetaInfo"]
    assert list(meta) == META_FIELDS and meta["status"] == "SUCCESS" and meta["processId"] == process_id
    assert (meta["workflowId"], meta["executeUser"], meta["noOfError"]) == (str(workflow_id), str(ts.user["id"]), 0)
    assert meta["noOfNodesProcessed"] == 6 and len(results["logs"]) == 1 + 2 * 6
    titles = [o["out_title"] for o in results["outputs"]]
    assert titles == ["magic04.csv", "Random Sampling", "Test Set", "Train Set", "Alpine Forest Classification",
                      "Confusion Matrix"]
    for output in results["outputs"]:
        assert {"out_id", "out_title", "isGenerateReport", "visualType", "visualData"} <= set(output)
    assert "node_meta_info" not in results["outputs"][-1]  # as in the seed, the Confusion Matrix has none


def test_results_body_is_a_json_string_and_empty_string_while_running(ts, ids):
    """Is the results body literally "" while running, and a JSON string (decode twice) after?"""
    workflow_id = ids["randomForest"]["workflowId"]
    clock(ts.base, freeze=True)
    process_id = ts.start(workflow_id)
    raw = ts.engine("GET", f"/workflows/{workflow_id}/results/{process_id}")
    assert raw.content == b'""' and raw.headers["Content-Type"].startswith("application/json")
    clock(ts.base, advance=900)
    assert isinstance(ts.engine("GET", f"/workflows/{workflow_id}/results/{process_id}").json(), str)


def test_unknown_process_query_is_the_invalid_process_line(ts):
    """Does an unknown process id answer the plain-text invalid processID line?"""
    answer = ts.query("00000000-0000-4000-8000-000000000000")
    assert answer.status_code == 200 and answer.text == "invalid processID or workflow already stopped.\n"


def test_stop_ends_the_run_and_results_say_stopped(ts, ids):
    """Does stop answer {"status": "Flow stopped.\\n"}, end the run, and show STOPPED in the results?"""
    workflow_id = ids["randomForest"]["workflowId"]
    clock(ts.base, freeze=True)
    process_id = ts.start(workflow_id)
    clock(ts.base, advance=40)
    stopped = ts.engine("POST", f"/processes/{process_id}/stop")
    assert stopped.status_code == 200 and stopped.json() == {"status": "Flow stopped.\n"}
    assert ts.query(process_id).text == OVER
    results = ts.results(workflow_id, process_id)
    assert results["flowMetaInfo"]["status"] == "STOPPED"
    assert results["flowMetaInfo"]["noOfNodesProcessed"] < 6 and "stopped" in results["logs"][-1]["message"]
    again = ts.engine("POST", f"/processes/{process_id}/stop").json()
    assert again == {"status": OVER}
    assert ts.engine("POST", "/processes/nope/stop").status_code == 404


def test_undeclared_variable_is_refused_naming_it(ts, ids, teamstudio_emulator):
    """Is a variable the workflow does not declare refused with 422 naming it, and no run started?"""
    before = state(teamstudio_emulator.url)["processes"]
    response = ts.run(ids["randomForest"]["workflowId"], [{"name": "@n_trees", "value": "5"},
                                                          {"name": "@learning_rate", "value": "0.1"}])
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "@learning_rate" in errors["message"] and "@learning_rate" in errors["fields"]
    assert state(teamstudio_emulator.url)["processes"] == before


def test_random_forest_accuracy_rises_with_trees_and_flattens(ts, ids):
    """Sweeping @n_trees over 5, 10, 25, 50, 75: does accuracy rise, with the last step the smallest?"""
    workflow_id = ids["randomForest"]["workflowId"]
    curve = []
    for trees in SWEEP:
        _, results = finish(ts, workflow_id, [{"name": "@n_trees", "value": str(trees)}])
        parsed_trees, accuracy = _forest_numbers(results)
        assert parsed_trees == trees and 0.8 < accuracy < 0.9
        curve.append(accuracy)
    steps = [b - a for a, b in zip(curve, curve[1:])]
    assert all(step > 0 for step in steps) and steps[-1] < steps[0] / 10
    _, again = finish(ts, workflow_id, [{"name": "@n_trees", "value": "25"}])
    assert _forest_numbers(again)[1] == curve[2]  # deterministic


def test_more_trees_take_longer(ts, ids):
    """Does the forest operator's duration grow with @n_trees?"""
    workflow_id = ids["randomForest"]["workflowId"]
    durations = []
    for trees in (5, 75):
        _, results = finish(ts, workflow_id, [{"name": "@n_trees", "value": str(trees)}])
        line = next(log for log in results["logs"] if log["nodeName"] == "Alpine Forest Classification"
                    and "finished" in log["message"])
        durations.append(float(line["message"].split(" in ")[1].split()[0]))
    assert durations[1] > durations[0] + 150


def test_failing_workflow_names_its_operator(ts, ids):
    """Does the seeded failing workflow end FAILURE with noOfError > 0, an ERROR log and node_meta_info naming
    the operator, and the query endpoint still answering the plain-text line?"""
    workflow_id = ids["failingWorkflow"]["workflowId"]
    _, results = finish(ts, workflow_id)
    meta = results["flowMetaInfo"]
    assert meta["status"] == "FAILURE" and meta["noOfError"] > 0
    errors = [log for log in results["logs"] if log["level"] == "ERROR"]
    assert errors and "Join Transactions" in errors[0]["message"] and errors[0]["nodeName"] == "Join Transactions"
    failed = next(o for o in results["outputs"] if o["out_title"] == "Join Transactions")
    info = {line["key"]: line["value"] for line in failed["node_meta_info"]}
    assert info["Operator Name"] == "Join Transactions" and info["Status"] == "FAILURE" and "relation" in info["Error"]
    assert "Feature Aggregation" not in [o["out_title"] for o in results["outputs"]]


def test_a_bad_variable_value_fails_at_the_operator_using_it(ts, ids):
    """Does @n_trees = "many" fail the run at Alpine Forest Classification?"""
    _, results = finish(ts, ids["randomForest"]["workflowId"], [{"name": "@n_trees", "value": "many"}])
    assert results["flowMetaInfo"]["status"] == "FAILURE"
    assert results["outputs"][-1]["out_title"] == "Alpine Forest Classification"


def test_run_without_save_result_keeps_no_results(ts, ids):
    """Without ?saveResult=true, do the results stay "" after the run?"""
    workflow_id = ids["randomForest"]["workflowId"]
    clock(ts.base, freeze=True)
    process_id = ts.engine("POST", f"/workflows/{workflow_id}/run").json()["meta"]["processId"]
    clock(ts.base, advance=900)
    assert ts.query(process_id).text == OVER and ts.results(workflow_id, process_id) is None


def test_non_workflows_and_unknown_workflows_cannot_run(ts):
    """Is running a sql workfile 422 and an unknown workflow id 404?"""
    sql_id = next(w["id"] for w in ts.api("GET", "/workspaces/1000/workfiles").json()["response"]
                  if w["file_type"] == "sql")
    assert ts.run(sql_id).status_code == 422
    assert ts.run(999999).status_code == 404


def test_seeded_history_results_can_be_fetched(ts, ids):
    """Are seeded finished processes (e.g. a job's last run) fetchable without running anything?"""
    sample = ids["finishedProcess"]
    results = ts.results(sample["workflowId"], sample["processId"])
    assert results["flowMetaInfo"]["status"] == "SUCCESS"
    jobs = ts.api("GET", "/workspaces/1001/jobs").json()["response"]
    nightly = next(j for j in jobs if j["name"] == "Nightly Fraud Features")
    task = nightly["tasks"][0]
    assert nightly["last_run_failed"] is True
    failed = ts.results(task["workfile"]["id"], task["last_process_id"])
    assert failed["flowMetaInfo"]["status"] == "FAILURE"
