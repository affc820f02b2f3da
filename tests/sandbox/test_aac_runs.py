"""AAC emulator runs: starting plans, flows, recipes and workflows; idempotency; lifecycle along the clock."""
from __future__ import annotations

import time

import pytest


def _first(api, path: str) -> dict:
    return api.get(f"{api.base}{path}", params={"limit": 1}).json()["data"][0]


def _flow_with_parameters(api) -> dict:
    for flow in api.get(f"{api.base}/v4/flows", params={"limit": 100}).json()["data"]:
        if api.get(f"{api.base}/v4/flows/{flow['id']}/runParameters").json()["data"]:
            return flow
    pytest.fail("no seeded flow has run parameters")


def test_plan_run_then_repeat_execution_id_is_304(api):
    """Does a plan run answer 201 Valid, and a repeated x-execution-id 304 with no body?"""
    plan = _first(api, "/v4/plans")
    headers = {"x-execution-id": "exec-1"}
    first = api.post(f"{api.base}/v4/plans/{plan['id']}/run", headers=headers)
    assert first.status_code == 201
    assert first.json()["validationStatus"] == "Valid" and isinstance(first.json()["planSnapshotRunId"], int)
    again = api.post(f"{api.base}/v4/plans/{plan['id']}/run", headers=headers)
    assert (again.status_code, again.content) == (304, b"")


def test_plan_run_moves_with_the_clock(api, control):
    """Does a plan run go Created -> InProgress -> Complete|Failed as the clock advances, setting its times?"""
    control("POST", "clock", json={"freeze": True})
    plan = _first(api, "/v4/plans")
    run_id = api.post(f"{api.base}/v4/plans/{plan['id']}/run").json()["planSnapshotRunId"]
    run = api.get(f"{api.base}/v4/planSnapshotRuns/{run_id}").json()
    assert (run["status"], run["startedAt"], run["finishedAt"]) == ("Created", None, None)
    control("POST", "clock", json={"advance": 5})
    run = api.get(f"{api.base}/v4/planSnapshotRuns/{run_id}").json()
    assert run["status"] == "InProgress" and run["startedAt"] and run["finishedAt"] is None
    control("POST", "clock", json={"advance": 100})
    run = api.get(f"{api.base}/v4/planSnapshotRuns/{run_id}").json()
    assert run["status"] in ("Complete", "Failed") and run["finishedAt"]


def test_plan_run_creates_one_job_group_per_flow(api):
    """Does a plan run create ranfor=plan job groups pointing back at the run, one per plan flow?"""
    plan = api.get(f"{api.base}/v4/plans/{_first(api, '/v4/plans')['id']}/full").json()
    run_id = api.post(f"{api.base}/v4/plans/{plan['id']}/run").json()["planSnapshotRunId"]
    groups = api.get(f"{api.base}/v4/jobLibrary", params={"ranfor": "plan", "limit": 10}).json()["data"]
    mine = [g for g in groups if (g["planSnapshotRun"] or {}).get("id") == run_id]
    assert len(mine) == len(plan["planNodes"]["data"])


def test_job_group_status_is_bare_string_and_moves(api, control):
    """Is /jobGroups/{id}/status a bare JSON string that ends Complete or Failed?"""
    recipe = _first(api, "/v4/wrangledDatasets")
    created = api.post(f"{api.base}/v4/jobGroups", json={"wrangledDataset": {"id": recipe["id"]}})
    assert created.status_code == 201 and created.json()["reason"] == "JobStarted"
    group_id = created.json()["id"]
    assert api.get(f"{api.base}/v4/jobGroups/{group_id}/status").json() == "Created"
    control("POST", "clock", json={"advance": 120})
    assert api.get(f"{api.base}/v4/jobGroups/{group_id}/status").json() in ("Complete", "Failed")


def test_job_group_fields_and_embed(api):
    """Does a job group carry §7's fields, and embed=jobs,wrangledDataset expand them?"""
    recipe = _first(api, "/v4/wrangledDatasets")
    group_id = api.post(f"{api.base}/v4/jobGroups", json={"wrangledDataset": {"id": recipe["id"]}}).json()["id"]
    group = api.get(f"{api.base}/v4/jobGroups/{group_id}", params={"embed": "jobs,wrangledDataset"}).json()
    assert {"id", "name", "status", "ranfrom", "ranfor", "flowrun", "createdAt", "updatedAt", "creator"} <= set(group)
    assert group["ranfrom"] == "api" and group["wrangledDataset"]["name"] == recipe["name"]
    assert [job["jobType"] for job in group["jobs"]["data"]] == ["wrangle", "filewriter"]


def test_failed_seeded_job_group_has_error_message(api):
    """Does a failed job group have a failed job with a realistic errorMessage?"""
    failed = api.get(f"{api.base}/v4/jobLibrary", params={"status": "Failed", "limit": 1}).json()["data"][0]
    jobs = api.get(f"{api.base}/v4/jobGroups/{failed['id']}/jobs").json()["data"]
    assert any(job["status"] == "Failed" and len(job["errorMessage"]) > 20 for job in jobs)


def test_cancel_running_job_group(api):
    """Does cancel stop a running job group, and is a second cancel a no-op?"""
    recipe = _first(api, "/v4/wrangledDatasets")
    group_id = api.post(f"{api.base}/v4/jobGroups", json={"wrangledDataset": {"id": recipe["id"]}}).json()["id"]
    first = api.post(f"{api.base}/v4/jobGroups/{group_id}/cancel").json()
    assert first["jobgroupId"] == group_id and first["jobIds"]
    assert api.get(f"{api.base}/v4/jobGroups/{group_id}/status").json() == "Canceled"
    assert api.post(f"{api.base}/v4/jobGroups/{group_id}/cancel").json()["jobIds"] == []


def test_flow_run_with_unknown_override_is_400(api):
    """Is an override key the flow does not define refused with 400 ValidationFailed?"""
    flow = _flow_with_parameters(api)
    body = {"runParameters": {"overrides": {"data": [{"key": "nope", "value": "1"}]}}}
    response = api.post(f"{api.base}/v4/flows/{flow['id']}/run", json=body)
    assert response.status_code == 400
    assert response.json()["exception"]["name"] == "ValidationFailed" and "nope" in response.json()["exception"]["details"]


def test_flow_run_with_known_override_starts_job_groups(api, control):
    """Does a flow run with a defined override answer flowRunId and job groups, and reach a terminal status?"""
    flow = _flow_with_parameters(api)
    key = api.get(f"{api.base}/v4/flows/{flow['id']}/runParameters").json()["data"][0]["key"]
    body = {"runParameters": {"overrides": {"data": [{"key": key, "value": "APAC"}]}}}
    started = api.post(f"{api.base}/v4/flows/{flow['id']}/run", json=body)
    assert started.status_code == 201
    run_id = started.json()["flowRunId"]
    assert all(item["reason"] == "JobStarted" for item in started.json()["data"])
    groups = api.get(f"{api.base}/v4/flowRuns/{run_id}/jobGroups").json()["data"]
    assert {g["id"] for g in groups} == {item["id"] for item in started.json()["data"]}
    assert api.get(f"{api.base}/v4/flowRuns/{run_id}/status").json() == "Created"
    control("POST", "clock", json={"advance": 120})
    assert api.get(f"{api.base}/v4/flowRuns/{run_id}/status").json() in ("Complete", "Failed")


def test_workflow_run_shows_in_job_library_as_workflow(api):
    """Does a workflow run answer its job group id and appear in jobLibrary with type=workflow?"""
    workflow = api.get(f"{api.base}/svc-workflow/api/v1/workflows").json()["data"][0]
    started = api.post(f"{api.base}/svc-workflow/api/v1/workflows/{workflow['id']}/run")
    assert started.status_code == 201 and started.json()["status"] == "Created"
    latest = api.get(f"{api.base}/v4/jobLibrary", params={"type": "workflow", "limit": 1}).json()["data"][0]
    assert latest["id"] == started.json()["jobGroupId"] and latest["workflow"]["id"] == workflow["id"]


def test_job_library_status_filter(api):
    """Does jobLibrary?status=Failed answer only failed job groups, and the count endpoint agree?"""
    body = api.get(f"{api.base}/v4/jobLibrary", params={"status": "Failed", "limit": 100, "includeCount": "true"}).json()
    assert body["data"] and {g["status"] for g in body["data"]} == {"Failed"}
    assert api.get(f"{api.base}/v4/jobLibrary/count", params={"status": "Failed"}).json()["count"] == body["count"]


def test_job_library_date_filter(api):
    """Does dateFilter[createdAt][gte] (epoch ms) keep only job groups created since then?"""
    since = int((time.time() - 2 * 86400) * 1000)
    body = api.get(f"{api.base}/v4/jobLibrary",
                   params={"dateFilter[createdAt][gte]": since, "includeCount": "true", "limit": 1000}).json()
    everything = api.get(f"{api.base}/v4/jobLibrary/count").json()["count"]
    assert 0 < body["count"] < everything
    assert min(g["createdAt"] for g in body["data"]) >= time.strftime("%Y-%m-%dT%H:%M", time.gmtime(since / 1000))


def test_job_library_defaults_newest_first_25(api):
    """Does jobLibrary default to 25 rows, newest first, over 200+ seeded job groups?"""
    body = api.get(f"{api.base}/v4/jobLibrary", params={"includeCount": "true"}).json()
    created = [g["createdAt"] for g in body["data"]]
    assert len(created) == 25 and created == sorted(created, reverse=True) and body["count"] >= 200


def test_run_quota_gives_429_with_headers(api):
    """Does the 31st plan run within a minute get 429 with AAC's rate-limit headers?"""
    plan = _first(api, "/v4/plans")
    codes = [api.post(f"{api.base}/v4/plans/{plan['id']}/run").status_code for _ in range(31)]
    assert codes == [201] * 30 + [429]
    limited = api.post(f"{api.base}/v4/plans/{plan['id']}/run")
    assert limited.json()["exception"]["name"] == "TooManyRequestsException"
    assert limited.headers["x-rate-limit-user-limit"] == "30" and int(limited.headers["Retry-After"]) > 0


def test_run_fate_is_deterministic_for_a_seed(api, control, mint):
    """After a reset, does the same run id reach the same terminal status?"""
    def final_status() -> str:
        api.headers["Authorization"] = f"Bearer {mint()['access_token']}"
        recipe = _first(api, "/v4/wrangledDatasets")
        group_id = api.post(f"{api.base}/v4/jobGroups", json={"wrangledDataset": {"id": recipe["id"]}}).json()["id"]
        control("POST", "clock", json={"advance": 120})
        return f"{group_id}:{api.get(f'{api.base}/v4/jobGroups/{group_id}/status').json()}"

    first = final_status()
    control("POST", "reset")
    assert final_status() == first
