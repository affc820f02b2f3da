"""vantage6 normalisers on task JSON recorded from the emulator, and the task form's checks."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.platforms.records import RunStatus
from app.platforms.vantage6.normalize import (Names, decode_base64_json, encode_input, image_workflows,
                                              normalize_org_run, normalize_task, short_image, to_status)
from app.platforms.vantage6.tasks import parse_algorithm_input, parse_spec, spec_problems, task_body

RECORDED = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "vantage6" / "tasks.json").read_text())
NAMES = Names({"2": "Leiden Health Lab", "3": "Maas Clinic", "4": "Berlin Cohort Centre"},
              {"5": "Carla Becker", "6": "Daan de Vries"}, {"1": "Cancer Registry Federation"})


@pytest.mark.parametrize("word, status", [
    ("pending", RunStatus.QUEUED), ("initializing", RunStatus.QUEUED), ("awaiting", RunStatus.QUEUED),
    ("active", RunStatus.RUNNING), ("completed", RunStatus.SUCCEEDED), ("killed by user", RunStatus.CANCELED),
    ("failed", RunStatus.FAILED), ("start failed", RunStatus.FAILED), ("non-existing Docker image", RunStatus.FAILED),
    ("crashed", RunStatus.FAILED), ("dataframe not found", RunStatus.FAILED), ("", RunStatus.UNKNOWN),
])
def test_every_status_word_maps_onto_the_common_status(word, status):
    """Are vantage6's run and task words (with spaces, and v5's additions) mapped, unknown words as failures?"""
    assert to_status(word) is status


def test_a_completed_task_is_a_run_with_its_organisations_runs():
    """Is a completed task a succeeded Run: image as target, first start, finish, who, collaboration?"""
    run = normalize_task(RECORDED["completed"], "v6", NAMES)
    assert run.status is RunStatus.SUCCEEDED and run.platform_status == "completed"
    assert run.target.kind == "image" and run.target.name == "demo/kaplan-meier"
    assert run.triggered_by == "Carla Becker" and ("Collaboration", "Cancer Registry Federation") in run.details
    assert run.started and run.finished and run.finished > run.started and not run.errors


def test_a_failed_task_names_the_organisation_and_its_log():
    """Does a failed task carry an error naming the organisation whose run failed, with the log's words?"""
    run = normalize_task(RECORDED["failed"], "v6", NAMES)
    assert run.status is RunStatus.FAILED
    assert any(e.startswith("Maas Clinic: failed") and "ValueError" in e for e in run.errors)


def test_an_organisation_run_has_its_node_times_and_log():
    """Is one run its organisation, node (online or not), status, times and log?"""
    raw = RECORDED["completed"]["runs"][0]
    org_run = normalize_org_run(raw, NAMES)
    assert org_run.organization == "Leiden Health Lab" and org_run.node_online and "Leiden" in org_run.node
    assert org_run.status is RunStatus.SUCCEEDED and org_run.duration and "finished successfully" in org_run.log
    assert decode_base64_json(raw["input"])["method"] == "partial_kaplan_meier"


def test_images_used_more_than_once_become_workflows_named_by_their_newest_task():
    """Are images started more than once workflows (id: their newest task), images used once not?"""
    listing = RECORDED["listing"]
    workflows = image_workflows(listing, "v6", NAMES)
    counts = {}
    for task in listing:
        if not task.get("parent"):
            counts[task["image"]] = counts.get(task["image"], 0) + 1
    assert {w.name for w in workflows} == {short_image(i) for i, n in counts.items() if n > 1}
    newest = {w.name: w.id for w in workflows}
    for image, n in counts.items():
        if n > 1:
            assert newest[short_image(image)] == str(max(t["id"] for t in listing
                                                         if t["image"] == image and not t.get("parent")))


def test_undecodable_payloads_are_none():
    """Are an encrypted payload and an empty one unreadable rather than errors?"""
    assert decode_base64_json("not base64!") is None and decode_base64_json("") is None
    assert decode_base64_json(encode_input({"method": "m"})) == {"method": "m"}


@pytest.mark.parametrize("text, problem", [
    ("{", "Not valid JSON"), ("[]", "Give a JSON object"), ('{"args": []}', "needs a \"method\""),
    ('{"method": "m", "args": {}}', "\"args\" must be a list"), ('{"method": "m", "kwargs": []}', "\"kwargs\""),
])
def test_algorithm_input_is_checked(text, problem):
    """Is input that is not an object with a method, a list of args and an object of kwargs refused?"""
    value, wrong = parse_algorithm_input(text)
    assert value is None and problem in wrong


def test_a_spec_becomes_the_body_of_either_version():
    """Do checked form values become POST /task's body, with v5's method, session and list of lists?"""
    params = {"collaboration": "1", "organizations": "3,2", "image": "harbor2.vantage6.ai/demo/average",
              "name": "", "description": "d", "databases": "default, extra",
              "input": '{"method": "partial_average", "kwargs": {"column": "age"}}'}
    assert spec_problems(params, {1: {2, 3, 4}}) == {}
    assert spec_problems(params, {1: {2}})["organizations"].startswith("Only organisations")
    spec = parse_spec(params)
    v4 = task_body(spec)
    assert v4["name"] == "partial_average" and [o["id"] for o in v4["organizations"]] == [2, 3]
    assert v4["databases"] == [{"label": "default"}, {"label": "extra"}] and "method" not in v4
    assert decode_base64_json(v4["organizations"][0]["input"])["kwargs"] == {"column": "age"}
    v5 = task_body(spec, v5=True, session_id=7)
    assert v5["method"] == "partial_average" and v5["session_id"] == 7
    assert v5["databases"] == [[{"label": "default"}], [{"label": "extra"}]]
