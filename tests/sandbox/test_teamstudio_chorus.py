"""Team Studio emulator Chorus API: envelope and page counts, users, workspaces, members, workfiles, data sources."""
from __future__ import annotations

import json

import pytest

from tests.sandbox.test_teamstudio_helpers import login, state, workflow_named

USER_TYPES = {"analytics_developer", "data_analyst", "collaborator", "business_user"}
MEMBER_ROLES = {"Project Member", "Business Owner", "Business Analyst", "Data Science Manager", "Data Scientist",
                "Data Engineer", "Application Engineer", "Project Manager"}
WORKFILE_FIELDS = {"associated_worklets", "comment_count", "complete_json", "dataset_ids", "description",
                   "entity_subtype", "entity_type", "execution_locations", "file_name", "file_type", "id",
                   "is_deleted", "latest_version_id", "link_url", "owner", "recent_comments", "status", "tags",
                   "user_modified_at", "version_info", "workspace", "workflow_variables"}


@pytest.fixture
def ts(teamstudio_emulator):
    """A session of the service account (an application admin)."""
    return login(teamstudio_emulator.url)


def test_lists_use_the_envelope_and_total_counts_pages(ts):
    """Is every page {"response": [...], "pagination": {page, per_page, total}} with total in pages?"""
    pages = [ts.api("GET", "/users", params={"page": p, "per_page": 3}).json() for p in (1, 2, 3)]
    assert [p["pagination"] for p in pages] == [{"page": p, "per_page": 3, "total": 3} for p in (1, 2, 3)]
    assert [len(p["response"]) for p in pages] == [3, 3, 2]
    everyone = ts.api("GET", "/users").json()
    assert everyone["pagination"] == {"page": 1, "per_page": 50, "total": 1} and len(everyone["response"]) == 8
    past_end = ts.api("GET", "/users", params={"page": 9, "per_page": 3}).json()
    assert past_end["response"] == [] and past_end["pagination"]["total"] == 3


def test_paging_in_a_json_body_on_get_equals_query_paging(ts):
    """Does a GET with {"page", "per_page"} as JSON body page like the query string does (workfiles, jobs)?"""
    for path in ("/workspaces/1000/workfiles", "/workspaces/1000/jobs", "/workspaces/1000/members"):
        by_query = ts.api("GET", path, params={"page": 2, "per_page": 2}).json()
        by_body = ts.api("GET", path, data=json.dumps({"page": 2, "per_page": 2})).json()
        assert by_body == by_query and by_body["pagination"]["page"] == 2


def test_a_client_looping_until_page_equals_total_gets_everything(ts):
    """Does the alpine client's loop (stop when page == total) collect each user exactly once?"""
    collected, page = [], 0
    while True:
        reply = ts.api("GET", "/users", params={"per_page": 3, "page": page + 1}).json()
        collected += reply["response"]
        page = reply["pagination"]["page"]
        if page == reply["pagination"]["total"]:
            break
    assert sorted(u["id"] for u in collected) == list(range(1, 9))


def test_bad_paging_is_422(ts):
    """Is a per_page that is not a positive integer refused with 422 naming the field?"""
    response = ts.api("GET", "/users", params={"per_page": "zero"})
    assert response.status_code == 422 and "per_page" in response.json()["errors"]["fields"]


def test_seeded_users_have_every_user_type_and_both_admin_roles(ts):
    """Are all four user types there, application admins (admin: true) and data admins (roles data_admin)?"""
    users = ts.api("GET", "/users").json()["response"]
    assert {u["user_type"] for u in users} == USER_TYPES
    assert any(u["admin"] and u["roles"] == ["admin"] for u in users)
    assert any(not u["admin"] and u["roles"] == ["data_admin"] for u in users)
    assert any(not u["admin"] and u["roles"] == [] for u in users)


def test_user_create_update_delete(ts):
    """Can an admin POST (JSON), PUT the whole object back and DELETE a user; is a taken name 422?"""
    body = {"username": "new_analyst", "password": "pw", "first_name": "New", "last_name": "Analyst",
            "email": "new@example.com", "title": None, "notes": None, "dept": "R&D", "admin": False,
            "roles": "data_admin", "user_type": "data_analyst", "subscribed_to_emails": False}
    created = ts.api("POST", "/users", json=body)
    assert created.status_code == 201
    user = created.json()["response"]
    assert (user["roles"], user["user_type"], user["complete_json"]) == (["data_admin"], "data_analyst", True)
    assert ts.api("POST", "/users", json=body).json()["errors"]["fields"] == {"username": {"TAKEN": {}}}
    payload = {k: v for k, v in user.items() if k not in ("complete_json", "entity_type", "id", "image",
                                                          "is_deleted", "tags", "username")}
    payload.update(title="Senior Analyst", roles="", admin=False)
    updated = ts.api("PUT", f"/users/{user['id']}", json=payload).json()["response"]
    assert (updated["title"], updated["roles"]) == ("Senior Analyst", [])
    assert ts.api("DELETE", f"/users/{user['id']}").status_code == 200
    assert ts.api("GET", f"/users/{user['id']}").status_code == 404


def test_non_admins_cannot_create_users_or_see_private_workspaces(teamstudio_emulator):
    """Is a business user refused user creation (403) and a private workspace they are not in (403)?"""
    ana = login(teamstudio_emulator.url, "aruiz")
    assert ana.api("POST", "/users", json={"username": "x"}).status_code == 403
    visible = {w["name"] for w in ana.api("GET", "/workspaces").json()["response"]}
    assert "Risk & Fraud" not in visible and "Sandbox" in visible
    assert ana.api("GET", "/workspaces/1001").status_code == 403


def test_workspaces_public_private_archived_stages_and_filters(ts):
    """Five workspaces, public and private, one archived; active and user_id filters; stage ids 1-5."""
    spaces = ts.api("GET", "/workspaces").json()["response"]
    assert len(spaces) == 5 and {s["public"] for s in spaces} == {True, False}
    assert sum(1 for s in spaces if s["archived_at"]) == 1
    assert {s["workspace_stage"]["id"] for s in spaces} == {1, 2, 3, 4, 5}
    active = ts.api("GET", "/workspaces", params={"active": "true"}).json()["response"]
    assert len(active) == 4 and all(s["archived_at"] is None for s in active)
    mine = ts.api("GET", "/workspaces", params={"user_id": 7}).json()["response"]
    assert {s["name"] for s in mine} == {"Marketing Mix", "Sandbox"}
    assert ts.api("GET", "/workspaces", params={"user_id": 999}).status_code == 404


def test_workspace_put_archives_and_changes_stage(ts):
    """Does a PUT of the GET object (minus popped fields) with archived/workspace_stage_id apply?"""
    payload = ts.api("GET", "/workspaces/1000").json()["response"]
    for name in ("complete_json", "entity_type", "id", "image", "is_deleted", "workspace_stage"):
        payload.pop(name)
    payload.update(archived=True, workspace_stage_id=5, summary="Now archived")
    updated = ts.api("PUT", "/workspaces/1000", json=payload).json()["response"]
    assert updated["archived_at"] and updated["workspace_stage"] == {"id": 5, "name": "Act",
                                                                     "entity_type": "workspace_stage"}


def test_members_have_roles_and_are_replaced_as_a_whole(ts):
    """Are member roles Workspace.MemberRole names, does PUT replace the list, is an unknown role 422?"""
    members = ts.api("GET", "/workspaces/1000/members").json()["response"]
    assert {m["role"] for m in members} <= MEMBER_ROLES and all("username" in m for m in members)
    owner = ts.api("GET", "/workspaces/1000").json()["response"]["owner"]["id"]
    new = [{"user_id": owner, "role": "Project Manager"}, {"user_id": 7, "role": "Data Scientist"}]
    replaced = ts.api("PUT", "/workspaces/1000/members", json={"members": new}).json()["response"]
    assert [(m["id"], m["role"]) for m in replaced] == [(owner, "Project Manager"), (7, "Data Scientist")]
    bad = ts.api("PUT", "/workspaces/1000/members", json={"members": [{"user_id": owner, "role": "Boss"}]})
    assert bad.status_code == 422


def test_workflow_workfile_object_carries_declared_variables(ts, teamstudio_emulator):
    """Is a workflow's object the seed's workfile shape plus workflow_variables [{name, value}]?"""
    forest_id = state(teamstudio_emulator.url)["randomForest"]["workflowId"]
    workfile = ts.api("GET", f"/workfiles/{forest_id}").json()["response"]
    assert set(workfile) == WORKFILE_FIELDS
    assert (workfile["file_type"], workfile["entity_subtype"], workfile["status"]) == ("work_flow", "alpine", "idle")
    assert workfile["workflow_variables"] == [{"name": "@n_trees", "value": "50"},
                                              {"name": "@max_depth", "value": "10"}]
    listed = ts.api("GET", "/workspaces/1000/workfiles").json()["response"]
    assert {w["file_type"] for w in listed} == {"work_flow", "sql", "notebook", "text"}
    assert workflow_named(ts, 1000, "daily_rollup.sql")["workflow_variables"] == []


@pytest.mark.parametrize("path", ["/users/999", "/workspaces/1", "/workfiles/1000", "/workspaces/1000/jobs/3000",
                                  "/data_sources/99", "/hdfs_data_sources/99", "/data_sources/99/databases",
                                  "/workspaces/1000/jobs/10000/job_tasks/1", "/no/such/path"])
def test_unknown_ids_and_paths_are_404_with_errors_body(ts, path):
    """Does every unknown id (or an id of the wrong kind) answer 404 {"errors": {...}}?"""
    method = "DELETE" if path.endswith("job_tasks/1") else "GET"
    response = ts.api(method, path)
    assert response.status_code == 404 and "message" in response.json()["errors"]


def test_data_sources_and_databases(ts):
    """Database and Hadoop sources under their own paths with DSType entity types; databases of one source."""
    databases = ts.api("GET", "/data_sources").json()["response"]
    hadoop = ts.api("GET", "/hdfs_data_sources").json()["response"]
    assert {"gpdb_data_source", "jdbc_data_source", "oracle_data_source"} <= {d["entity_type"] for d in databases}
    assert {h["entity_type"] for h in hadoop} == {"hdfs_data_source", "hdfs_hive_data_source"}
    greenplum = next(d for d in databases if d["entity_type"] == "gpdb_data_source")
    assert ts.api("GET", f"/data_sources/{greenplum['id']}").json()["response"]["name"] == greenplum["name"]
    names = [d["name"] for d in ts.api("GET", f"/data_sources/{greenplum['id']}/databases").json()["response"]]
    assert names == ["analytics", "sales", "fraud"]
