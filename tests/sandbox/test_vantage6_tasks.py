"""vantage6 emulator tasks: status derivation, create checks in order, encrypted input, unknown images and methods."""
from __future__ import annotations

import base64

import pytest

from sandbox.vantage6.statuses import task_status, task_status_v5
from tests.sandbox.test_vantage6_helpers import AVERAGE, V6, encode


@pytest.mark.parametrize("runs, v4, v5", [
    ([], "completed", "completed"),
    (["completed", "pending"], "pending", "awaiting"),
    (["completed", "completed"], "completed", "completed"),
    (["active", "pending", "completed"], "active", "awaiting"),
    (["initializing", "pending"], "initializing", "awaiting"),
    (["crashed", "completed"], "crashed", "failed"),
    (["crashed", "crashed", "active"], "crashed", "failed"),
    (["crashed", "failed", "active"], "failed", "failed"),
    (["killed by user", "completed"], "killed by user", "failed"),
    (["non-existing Docker image", "pending"], "non-existing Docker image", "failed"),
    (["start failed", "killed by user"], "failed", "failed"),
])
def test_task_status_derivation(runs: list[str], v4: str, v5: str) -> None:
    assert task_status(runs) == v4 and task_status_v5(runs) == v5


def test_create_checks_come_in_the_servers_order(v6: V6) -> None:
    svc = v6.token()
    plain = {"collaboration_id": 1, "image": AVERAGE, "organizations": [{"id": 2, "input": encode("partial_average")}]}

    def post(token: str, **changes: object):
        body = {k: v for k, v in {**plain, **changes}.items() if v is not None}
        return v6.api("POST", "/task", token, json=body)

    schema = post(svc, image=None, collaboration_id=99)
    assert schema.status_code == 400 and schema.json()["errors"] == {"image": ["Missing data for required field."]}
    assert post(svc, databases="default").json()["errors"] == {"databases": ["Not a valid list."]}
    assert post(svc, description="x" * 1025).json()["errors"] == {"description": ["Longer than maximum length 1024."]}
    assert post(svc, collaboration_id=None).status_code == 400
    unknown = post(svc, collaboration_id=99, organizations=[{"id": 1, "input": "x"}])
    assert unknown.status_code == 404 and "collaboration" in unknown.json()["msg"]
    outside = post(svc, organizations=[{"id": 1, "input": encode("partial_average")}])
    assert (outside.status_code, outside.json()["msg"]) == (
        400, "At least one of the supplied organizations in not within the collaboration.")
    no_node = post(svc, collaboration_id=2, organizations=[{"id": 5, "input": "gP4AAQ=="}])
    assert (no_node.status_code, no_node.json()["msg"]) == (
        400, "Cannot create this task because there are no nodes registered for the following organization(s): 5.")
    root = post(v6.token("root"))
    assert (root.status_code, root.json()["msg"]) == (
        401, "You can only create tasks for collaborations you are participating in!")
    assert post(v6.token("collabadmin"), collaboration_id=2,
                organizations=[{"id": 2, "input": "gP4AAQ=="}]).status_code == 401  # org 4 is not in collaboration 2
    viewer = post(v6.token("viewer"))
    assert (viewer.status_code, viewer.json()) == (401, {"msg": "You lack the permission to do that!"})
    assert post(svc, organizations=[{"id": 2, "input": "%%%not base64"}]).status_code == 500
    assert post(svc, organizations=[{"id": 2}]).status_code == 500
    encrypted = post(svc, collaboration_id=2, organizations=[{"id": 2, "input": encode("partial_average")}])
    assert encrypted.status_code == 400
    form = v6.api("POST", "/task", svc, data={"image": AVERAGE})
    assert form.status_code == 415 and "message" in form.json()
    created = post(svc)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "pending" and created.json()["finished_at"] is None


def test_encrypted_collaboration_takes_opaque_input_and_answers_opaque_results(v6: V6) -> None:
    v6.control("POST", "clock", json={"freeze": True})
    svc = v6.token()
    opaque = base64.b64encode(b"\x80\xfe\x01secret").decode()
    task = v6.api("POST", "/task", svc, json={"collaboration_id": 2, "image": AVERAGE,
                                              "organizations": [{"id": 2, "input": opaque}]})
    assert task.status_code == 201, task.text
    v6.advance(60)
    result = v6.get("/result", svc, task_id=task.json()["id"])["data"][0]["result"]
    raw = base64.b64decode(result)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_unknown_image_and_unknown_method(v6: V6) -> None:
    v6.control("POST", "clock", json={"freeze": True})
    svc = v6.token()
    typo = v6.create(svc, [2], image="harbor2.vantage6.ai/demo/averag").json()
    wrong = v6.create(svc, [2], "no_such_method").json()
    v6.advance(60)
    assert v6.get(f"/task/{typo['id']}", svc)["status"] == "non-existing Docker image"
    run = v6.runs(svc, wrong["id"])[0]
    assert run["status"] == "failed" and "no_such_method" in run["log"]
