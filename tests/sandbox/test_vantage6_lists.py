"""vantage6 emulator lists: pagination links and headers, ordering, paging errors, filters, includes, 404s."""
from __future__ import annotations

import requests

from tests.sandbox.test_vantage6_helpers import V6


def test_task_pages_have_links_headers_and_id_descending_order(v6: V6) -> None:
    token = v6.token()
    response = v6.api("GET", "/task", token, params={"collaboration_id": 1, "per_page": 2})
    assert response.status_code == 200
    body, total = response.json(), int(response.headers["total-count"])
    assert list(body) == ["data", "links"] and len(body["data"]) == 2
    last = (total + 1) // 2
    base = "/api/task?collaboration_id=1&per_page=2&page="
    assert body["links"] == {"first": base + "1", "self": base + "1", "next": base + "2", "last": base + str(last)}
    assert response.headers["Link"] == f"<{base}1>; rel=first,<{base}2>; rel=next,<{base}{last}>; rel=last"
    assert "total-count" in response.headers["access-control-expose-headers"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    ids = [t["id"] for t in body["data"]]
    assert ids == sorted(ids, reverse=True)
    middle = v6.get("/task", token, collaboration_id=1, per_page=2, page=2)["links"]
    assert list(middle) == ["first", "previous", "self", "next", "last"] and middle["previous"] == base + "1"
    past = v6.get("/task", token, collaboration_id=1, per_page=2, page=last + 5)
    assert past["data"] == [] and "previous" in past["links"] and "last" in past["links"] and "next" not in past["links"]


def test_default_page_size_and_sort_does_not_reverse_tasks_or_runs(v6: V6) -> None:
    token = v6.token()
    assert len(v6.get("/task", token)["data"]) == 10
    for path in ("/task", "/run"):
        ids = [item["id"] for item in v6.get(path, token, sort="id", per_page=30)["data"]]
        assert ids == sorted(ids, reverse=True)
    users = [u["id"] for u in v6.get("/user", token, sort="id")["data"]]
    assert users == sorted(users)
    by_name = [u["username"] for u in v6.get("/user", token, sort="-username")["data"]]
    assert by_name == sorted(by_name, reverse=True)


def test_bad_paging_values_answer_500_with_a_readable_msg(v6: V6) -> None:
    token = v6.token()
    cases = [({"page": 0}, "page needs to be >= 1"),
             ({"page": "abc"}, "invalid literal for int() with base 10: 'abc'"),
             ({"sort": "foo"}, "Cannot sort a 'Task' by 'foo' because it does not exist")]
    for params, msg in cases:
        response = v6.api("GET", "/task", token, params=params)
        assert (response.status_code, response.json()) == (500, {"msg": msg})


def test_status_filter_on_tasks_is_broken_as_in_4_15_2(v6: V6) -> None:
    response = v6.api("GET", "/task", params={"status": "completed"})
    assert (response.status_code, response.json()) == (500, {"msg": "An unexpected error occurred on the server!"})


def test_task_filters_and_includes(v6: V6) -> None:
    token = v6.token()
    subtasks = v6.get("/task", token, is_user_created=0, per_page=100)["data"]
    assert subtasks and all(t["parent"] is not None for t in subtasks)
    parent = subtasks[0]["parent"]["id"]
    children = v6.get("/task", token, parent_id=parent)["data"]
    assert {c["id"] for c in children} >= {subtasks[0]["id"]}
    assert {t["job_id"] for t in children} == {v6.get(f"/task/{parent}", token)["job_id"]}
    images = v6.get("/task", token, image="%kaplan%", per_page=50)["data"]
    assert images and all("kaplan-meier" in t["image"] for t in images)
    full = v6.get(f"/task/{parent}", token, include="runs,results")
    assert isinstance(full["runs"], list) and isinstance(full["results"], list)
    assert full["runs"][0]["task"]["id"] == parent and "result" in full["results"][0]
    plain = v6.get(f"/task/{parent}", token)
    assert plain["runs"] == f"/api/run?task_id={parent}" and plain["children"] == f"/api/task?parent_id={parent}"
    assert plain["databases"] == [{"label": "default", "parameters": "{}"}]


def test_run_filters_and_include_task(v6: V6) -> None:
    token = v6.token()
    open_runs = v6.get("/run", token, state="open", per_page=100)["data"]
    assert open_runs and {r["status"] for r in open_runs} <= {"pending", "initializing", "active"}
    run = v6.get("/run", token, organization_id=2, include="task", per_page=1)["data"][0]
    assert run["organization"]["id"] == 2 and isinstance(run["task"], dict) and "image" in run["task"]
    assert list(run)[:4] == ["id", "status", "input", "assigned_at"] and "result" not in run
    assert set(run["node"]) == {"id", "name", "status", "ip"} and run["ports"] == []


def test_admin_resources_filters(v6: V6) -> None:
    token = v6.token()
    collabs = v6.get("/collaboration", token, include="organizations", sort="id")["data"]
    assert [c["encrypted"] for c in collabs] == [False, True]
    assert [o["id"] for o in collabs[0]["organizations"]] == [2, 3, 4, 5]
    assert v6.get("/collaboration", token, encrypted="true")["data"][0]["id"] == 2
    offline = v6.get("/node", token, status="offline")["data"]
    assert {(n["organization"]["id"], n["collaboration"]["id"]) for n in offline} == {(5, 1), (3, 2)}
    assert all("is_online" not in n for n in offline)
    orgs = v6.get("/organization", token, collaboration_id=2, sort="id")["data"]
    assert [o["id"] for o in orgs] == [2, 3, 5]
    assert [o["id"] for o in v6.get("/organization", token, ids=[3, 4], sort="id")["data"]] == [3, 4]
    roles = v6.get("/role", token, sort="id", per_page=20)["data"]
    assert "Root" not in {r["name"] for r in roles}
    assert v6.get("/role", token, include_root="true", sort="id")["data"][0]["name"] == "Root"
    rules = v6.get("/rule", token, no_pagination=1)
    assert len(rules["data"]) > 30 and "next" not in rules["links"]
    kill_rules = v6.get("/rule", token, name="event", operation="send", no_pagination=1)["data"]
    assert {r["scope"] for r in kill_rules} == {"GLOBAL", "COLLABORATION", "ORGANIZATION"}
    me = v6.get("/user/2", token, include_permissions="true")
    assert set(me["permissions"]) == {"roles", "rules", "orgs_in_collabs"}
    assert v6.get("/user", token, username="research%")["data"][0]["username"] == "researcher"


def test_unknown_ids_paths_and_bad_filters(v6: V6) -> None:
    token = v6.token()
    missing = v6.api("GET", "/task/99999", token)
    assert (missing.status_code, missing.json()) == (404, {"msg": "task id=99999 is not found"})
    for path in ("/run/99999", "/node/99999", "/organization/99", "/collaboration/9", "/user/999", "/result/99999"):
        response = v6.api("GET", path, token)
        assert response.status_code == 404 and set(response.json()) == {"msg"}
    unknown = requests.get(f"{v6.url}/api/nothing-here", timeout=5)
    assert unknown.status_code == 404 and unknown.headers["Content-Type"].startswith("text/html")
    bad = v6.api("GET", "/task", token, params={"collaboration_id": "x"})
    assert bad.status_code == 400 and "collaboration_id" in bad.json()["errors"]
    preflight = requests.options(f"{v6.url}/api/task", timeout=5)
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_scopes_limit_what_a_viewer_sees(v6: V6) -> None:
    viewer = v6.token("viewer")  # organisation 5, Viewer role: own organisation's users, collaboration tasks
    users = v6.get("/user", viewer, per_page=50)["data"]
    assert {u["organization"]["id"] for u in users} == {5}
    assert v6.api("GET", "/user/2", viewer).json() == {"msg": "You lack the permission to do that!"}
    assert v6.api("GET", "/user/2", viewer).status_code == 401
    tasks = v6.get("/task", viewer, per_page=50)["data"]
    assert tasks and {t["collaboration"]["id"] for t in tasks} <= {1, 2}
