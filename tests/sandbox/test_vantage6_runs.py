"""vantage6 emulator runs: moving with the clock, slow, offline and flaky nodes, kill, subtasks, delete, results."""
from __future__ import annotations

from tests.sandbox.test_vantage6_helpers import GLM, KAPLAN_MEIER, V6, decode


def test_runs_move_with_the_clock_to_completed_with_results(v6: V6) -> None:
    v6.control("POST", "clock", json={"freeze": True})
    svc = v6.token()
    task = v6.create(svc, [2, 3], kwargs={"column_name": "age"}).json()
    assert [r["status"] for r in v6.runs(svc, task["id"])] == ["pending", "pending"]
    before = {r["id"]: r for r in v6.runs(svc, task["id"])}
    assert all(r["assigned_at"] <= task["created_at"] for r in before.values())  # the assigned_at quirk
    v6.advance(2.5)
    assert v6.get(f"/task/{task['id']}/status", svc) == {"status": "initializing"}
    v6.advance(4)
    by_org = {r["organization"]["id"]: r for r in v6.runs(svc, task["id"])}
    assert (by_org[2]["status"], by_org[3]["status"]) == ("active", "initializing")  # org 3's node is slow
    assert by_org[2]["started_at"] and by_org[2]["finished_at"] is None
    v6.advance(120)
    done = v6.get(f"/task/{task['id']}", svc)
    runs = {r["organization"]["id"]: r for r in v6.runs(svc, task["id"])}
    assert done["status"] == "completed" and {r["status"] for r in runs.values()} == {"completed"}
    assert runs[3]["finished_at"] > runs[2]["finished_at"] and done["finished_at"] == runs[3]["finished_at"]
    assert "finished successfully" in runs[2]["log"]
    result = decode(v6.get(f"/result/{runs[2]['id']}", svc)["result"])
    assert set(result) == {"sum", "count"} and result["count"] > 0
    again = v6.create(svc, [2], kwargs={"column_name": "age"}).json()
    v6.advance(60)
    same = decode(v6.get("/result", svc, task_id=again["id"])["data"][0]["result"])
    assert same == result  # the same organisation's data gives the same partial result


def test_offline_node_keeps_runs_pending_until_it_comes_online(v6: V6) -> None:
    v6.control("POST", "clock", json={"freeze": True})
    svc = v6.token()
    task = v6.create(svc, [2, 5]).json()
    v6.advance(300)
    runs = {r["organization"]["id"]: r for r in v6.runs(svc, task["id"])}
    assert (runs[2]["status"], runs[5]["status"]) == ("completed", "pending")
    assert v6.get(f"/task/{task['id']}", svc)["status"] == "pending"
    node = v6.state()["offlineNodes"][0]
    assert node["organization_id"] == 5
    flipped = v6.control("POST", "vantage6/nodes", json={"id": node["id"], "status": "online"}).json()
    assert flipped["node"]["status"] == "online"
    v6.advance(60)
    assert v6.get(f"/task/{task['id']}", svc)["status"] == "completed"


def test_flaky_node_crashes_glm_and_fails_kaplan_meier_and_siblings_not_started_fail(v6: V6) -> None:
    v6.control("POST", "clock", json={"freeze": True})
    svc = v6.token()
    glm = v6.create(svc, [2, 4, 5], "partial_glm", GLM).json()
    km = v6.create(svc, [4], "partial_kaplan_meier", KAPLAN_MEIER).json()
    fine = v6.create(svc, [4]).json()
    v6.advance(120)
    runs = {r["organization"]["id"]: r for r in v6.runs(svc, glm["id"])}
    assert runs[4]["status"] == "crashed" and "out of memory" in runs[4]["log"]
    assert runs[2]["status"] == "completed"
    assert runs[5]["status"] == "failed" and "another algorithm run" in runs[5]["log"]
    assert v6.get(f"/task/{glm['id']}", svc)["status"] == "failed"
    km_run = v6.runs(svc, km["id"])[0]
    assert km_run["status"] == "failed" and "KeyError" in km_run["log"]
    assert v6.get(f"/result/{km_run['id']}", svc)["result"] is None
    assert v6.get(f"/task/{fine['id']}", svc)["status"] == "completed"
    assert v6.state()["flaky"]["organization_id"] == 4


def test_kill_needs_event_send_and_stops_unfinished_runs(v6: V6) -> None:
    v6.control("POST", "clock", json={"freeze": True})
    researcher = v6.token("researcher")
    task = v6.create(researcher, [2, 3], "partial_kaplan_meier", KAPLAN_MEIER)
    assert task.status_code == 201, task.text
    task_id = task.json()["id"]
    v6.advance(8)
    denied = v6.api("POST", "/kill/task", researcher, json={"id": task_id})
    assert (denied.status_code, denied.json()) == (401, {"msg": "You lack the permission to do that!"})
    admin = v6.token("collabadmin")
    killed = v6.api("POST", "/kill/task", admin, json={"id": task_id})
    assert killed.json() == {"msg": f"Nodes have been instructed to kill any containers running for task {task_id}."}
    now = v6.get(f"/run/{v6.runs(admin, task_id)[0]['id']}", admin)["finished_at"]
    assert {r["status"] for r in v6.runs(admin, task_id)} == {"killed by user"}
    assert all(r["finished_at"] == now for r in v6.runs(admin, task_id))
    v6.advance(120)
    assert v6.get(f"/task/{task_id}", admin)["status"] == "killed by user"
    again = v6.api("POST", "/kill/task", admin, json={"id": task_id})
    assert again.status_code == 400 and "already finished" in again.json()["msg"]
    assert v6.api("POST", "/kill/task", admin, json={"id": 99999}).status_code == 404
    assert v6.api("POST", "/kill/task", admin, json={}).status_code == 400


def test_central_method_spawns_partial_subtasks_and_aggregates(v6: V6) -> None:
    v6.control("POST", "clock", json={"freeze": True})
    svc = v6.token()
    kwargs = {"column_name": "age", "organizations_to_include": [2, 3]}
    task = v6.create(svc, [2], "central_average", kwargs=kwargs).json()
    assert v6.get("/task", svc, parent_id=task["id"])["data"] == []
    v6.advance(6)
    children = v6.get("/task", svc, parent_id=task["id"])["data"]
    assert len(children) == 2 and all(c["parent"]["id"] == task["id"] for c in children)
    assert {c["job_id"] for c in children} == {task["job_id"]}
    assert v6.get(f"/task/{task['id']}", svc)["status"] == "active"
    v6.advance(150)
    assert v6.get(f"/task/{task['id']}", svc)["status"] == "completed"
    partials = [decode(r["result"]) for c in children for r in v6.get("/result", svc, task_id=c["id"])["data"]]
    central = decode(v6.get("/result", svc, task_id=task["id"])["data"][0]["result"])
    total, count = sum(p["sum"] for p in partials), sum(p["count"] for p in partials)
    assert central == {"average": round(total / count, 4), "count": count}
    assert v6.get("/task", svc, is_user_created=0, parent_id=task["id"])["data"]


def test_central_waiting_on_an_offline_organisation_is_killed_with_its_subtasks(v6: V6) -> None:
    v6.control("POST", "clock", json={"freeze": True})
    svc = v6.token()
    task = v6.create(svc, [2], "central_average").json()  # all of collaboration 1, organisation 5 offline
    v6.advance(200)
    assert v6.get(f"/task/{task['id']}", svc)["status"] == "active"
    children = v6.get("/task", svc, parent_id=task["id"])["data"]
    assert {c["status"] for c in children} == {"completed", "pending"}  # average is fine on the flaky node
    assert v6.api("POST", "/kill/task", svc, json={"id": task["id"]}).status_code == 200
    statuses = {v6.get(f"/task/{c['id']}", svc)["status"] for c in children}
    assert "pending" not in statuses and "killed by user" in statuses
    assert v6.get(f"/task/{task['id']}", svc)["status"] == "killed by user"


def test_delete_task_removes_runs_and_subtasks_and_run_patch_is_node_only(v6: V6) -> None:
    v6.control("POST", "clock", json={"freeze": True})
    svc = v6.token()
    task = v6.create(svc, [2], "central_average", kwargs={"organizations_to_include": [2]}).json()
    v6.advance(10)
    child = v6.get("/task", svc, parent_id=task["id"])["data"][0]
    run_id = v6.runs(svc, task["id"])[0]["id"]
    patch = v6.api("PATCH", f"/run/{run_id}", svc, json={"status": "completed"})
    assert (patch.status_code, patch.json()) == (500, {"msg": "An unexpected error occurred on the server!"})
    deleted = v6.api("DELETE", f"/task/{task['id']}", svc)
    assert deleted.json() == {"msg": f"task id={task['id']} and its algorithm run data have been successfully deleted"}
    for path in (f"/task/{task['id']}", f"/task/{child['id']}", f"/run/{run_id}"):
        assert v6.api("GET", path, svc).status_code == 404
