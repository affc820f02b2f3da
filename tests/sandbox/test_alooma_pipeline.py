"""Alooma emulator pipeline: plumbing nodes, inputs (state, errors, pause), input sleep time, the output."""
from __future__ import annotations

from datetime import datetime, timedelta

from tests.sandbox.test_alooma_helpers import Alooma, assert_error

NODE_KEYS = {"category", "stats", "name", "deleted", "state", "configuration", "type", "id"}
TASK_KEYS = {"category", "status", "error_stack", "name", "deployment_name", "error_message", "next_processing_time",
             "last_success_time", "error_count", "state_id", "module_name", "last_processing_time", "task_state",
             "type", "id"}


def _task(alooma: Alooma, input_id: str) -> dict:
    detail = alooma.get(f"inputs/{input_id}")
    return next(iter(detail["tasks"].values()))


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_plumbing_has_inputs_restream_code_engine_mapper_and_output(alooma: Alooma) -> None:
    """GET plumbing/?resolution=1min: every node has the reference's keys; the fixed nodes are there once."""
    nodes = alooma.get("plumbing/?resolution=1min")["nodes"]
    assert all(set(n) == NODE_KEYS and set(n["stats"]) >= {"latency", "throughput"} for n in nodes)
    kinds = [n["type"] for n in nodes]
    assert sum(n["category"] == "INPUT" for n in nodes) == 9  # eight inputs and the Restream Queue
    assert kinds.count("RESTREAM") == kinds.count("TRANSFORMER") == kinds.count("MAPPER") == 1
    names = {n["type"]: n["name"] for n in nodes}
    assert (names["TRANSFORMER"], names["MAPPER"], names["RESTREAM"]) == ("Code Engine", "Mapper", "Restream")
    output = [n for n in nodes if n["category"] == "OUTPUT"]
    assert len(output) == 1 and output[0]["type"] in ("REDSHIFT", "SNOWFLAKE")
    assert all(n["stats"]["throughput"] > 0 for n in nodes if n["type"] in ("TRANSFORMER", "MAPPER"))
    assert alooma.get("plumbing") == alooma.get("plumbing/")  # with or without the trailing slash


def test_output_node_has_connection_state_and_a_password_in_its_configuration(alooma: Alooma) -> None:
    """GET plumbing/outputs: [node] with state CONNECTION_SUCCESSFUL and the stored password (masked by the
    dashboard, not here); the control route can make the connection fail."""
    (output,) = alooma.get("plumbing/outputs")
    assert output["state"] == {"additionalInfo": None, "state": "CONNECTION_SUCCESSFUL",
                               "message": "Connection Successful"}
    config = output["configuration"]
    assert config["password"] and config["password"] != "**********" and config["sinkType"] == output["type"]
    failed = alooma.control("POST", "alooma/output", json={"connected": False, "message": "timeout"}).json()
    assert failed["output"]["state"]["state"] == "CONNECTION_FAILED"
    assert alooma.get("plumbing/outputs")[0]["state"]["message"] == "timeout"
    assert alooma.get("plumbing/outputs")[0]["stats"]["throughput"] == 0.0


def test_inputs_are_a_dict_by_id_of_eight_inputs_of_several_types(alooma: Alooma) -> None:
    """GET inputs: {id: input node} (the client reads .values()); eight inputs, eight types."""
    inputs = alooma.get("inputs")
    assert len(inputs) == 8 and all(key == node["id"] and set(node) == NODE_KEYS for key, node in inputs.items())
    assert len({n["type"] for n in inputs.values()}) == 8
    assert all(n["state"]["autoMapping"]["inputLabel"] == n["name"] for n in inputs.values())


def test_input_detail_has_job_and_task_and_one_input_is_in_error(alooma: Alooma) -> None:
    """GET inputs/{id}: {"job", "tasks": {state_id: task}}; exactly one task failed, with count and message."""
    state = alooma.state()
    tasks = {i: _task(alooma, i) for i in alooma.get("inputs")}
    assert all(set(t) == TASK_KEYS and t["id"] == i for i, t in tasks.items())
    failed = [t for t in tasks.values() if t["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["id"] == state["inputInError"]["id"]
    assert failed[0]["error_count"] > 0 and "INVALID_SESSION_ID" in failed[0]["error_message"]
    assert _when(failed[0]["last_success_time"]) < _when(failed[0]["last_processing_time"])
    assert [t["id"] for t in tasks.values() if t["status"] == "paused"] == state["pausedInputs"]
    healthy = [t for t in tasks.values() if t["status"] == "active"]
    assert all(t["error_count"] == 0 and t["last_success_time"] == t["last_processing_time"] for t in healthy)
    detail = alooma.get(f"inputs/{state['inputInError']['id']}")
    assert detail["job"]["validated"] is True and detail["job"]["configuration"]
    assert_error(alooma.api("GET", "inputs/nope"), 404, "does not exist")


def test_the_failing_inputs_error_count_and_runs_move_with_the_clock(alooma: Alooma) -> None:
    """Every pull of the input in error fails: an hour later its count grew by 3600 / sleep time."""
    alooma.freeze()
    failing = alooma.state()["inputInError"]["id"]
    sleep = alooma.get(f"inputSleepTime/{failing}")["inputSleepTime"]
    before = _task(alooma, failing)
    alooma.advance(3600)
    after = _task(alooma, failing)
    assert after["error_count"] - before["error_count"] == int(3600 // sleep)
    assert after["last_success_time"] == before["last_success_time"]
    assert _when(after["next_processing_time"]) - _when(before["next_processing_time"]) == timedelta(hours=1)


def test_sleep_time_can_be_read_and_changed(alooma: Alooma) -> None:
    """GET/PUT inputSleepTime/{id}: the client PUTs a bare number; the next pull is one new sleep from now."""
    alooma.freeze("2030-01-01T12:00:00Z")
    input_id = next(iter(alooma.get("inputs")))
    assert isinstance(alooma.get(f"inputSleepTime/{input_id}")["inputSleepTime"], float)
    changed = alooma.api("PUT", f"inputSleepTime/{input_id}", json=42.5)
    assert changed.status_code == 200 and changed.json() == {"inputSleepTime": 42.5}
    assert alooma.get(f"inputSleepTime/{input_id}") == {"inputSleepTime": 42.5}
    assert _task(alooma, input_id)["next_processing_time"] == "2030-01-01T12:00:42.500000"
    assert alooma.api("PUT", f"inputSleepTime/{input_id}", json="90").json() == {"inputSleepTime": 90.0}


def test_sleep_time_must_be_a_positive_number(alooma: Alooma) -> None:
    """Zero, negative, text, booleans, null, empty or huge values: 400 with Alooma's error body; unknown 404."""
    input_id = next(iter(alooma.get("inputs")))
    before = alooma.get(f"inputSleepTime/{input_id}")
    for bad in ("0", "-5", '"soon"', "true", "null", "", "1e999", "[60]", "99999999999"):
        assert_error(alooma.api("PUT", f"inputSleepTime/{input_id}", data=bad), 400, "sleep time")
    assert alooma.get(f"inputSleepTime/{input_id}") == before
    assert_error(alooma.api("PUT", "inputSleepTime/nope", json=60), 404)
    assert_error(alooma.api("GET", "inputSleepTime/nope"), 404)


def test_pause_and_resume_an_input(alooma: Alooma) -> None:
    """inputs/{id}/pause?pause=true|false: paused inputs have no next run; resuming schedules one."""
    input_id = next(iter(alooma.get("inputs")))
    assert alooma.api("PUT", f"inputs/{input_id}/pause", params={"pause": "true"}).status_code == 200
    task = _task(alooma, input_id)
    assert task["status"] == "paused" and task["next_processing_time"] is None
    assert alooma.api("POST", f"inputs/{input_id}/pause", params={"pause": "false"}).status_code == 200
    assert _task(alooma, input_id)["status"] == "active" and _task(alooma, input_id)["next_processing_time"]
    assert_error(alooma.api("PUT", f"inputs/{input_id}/pause", params={"pause": "maybe"}), 400)


def test_remove_input_and_node_updates_that_are_refused(alooma: Alooma) -> None:
    """POST plumbing/nodes/remove/{id} removes an input; PUT plumbing/nodes on an input is 400, unknown 404;
    the output keeps its type and a masked password keeps the stored one."""
    input_id = next(iter(alooma.get("inputs")))
    assert alooma.api("POST", f"plumbing/nodes/remove/{input_id}").status_code == 204
    assert input_id not in alooma.get("inputs") and alooma.state()["inputs"] == 7
    other = next(iter(alooma.get("inputs")))
    assert_error(alooma.api("PUT", f"plumbing/nodes/{other}", json={"configuration": {}}), 400)
    assert_error(alooma.api("PUT", "plumbing/nodes/nope", json={"configuration": {}}), 404)
    (output,) = alooma.get("plumbing/outputs")
    wrong = "BIGQUERY"
    assert_error(alooma.api("PUT", f"plumbing/nodes/{output['id']}",
                            json={"type": wrong, "configuration": {"sinkType": wrong}}), 400, "not supported")
    kept = alooma.api("PUT", f"plumbing/nodes/{output['id']}",
                      json={"configuration": {"password": "**********", "username": "loader2"}}).json()
    assert kept["configuration"]["password"] == output["configuration"]["password"]
    assert kept["configuration"]["username"] == "loader2"
