"""Emulators when a user leaves: Server's v3 deactivate, and Team Studio's soft delete keeping a deleted owner
named (is_deleted) on what they owned."""
from __future__ import annotations

from tests.sandbox.test_teamstudio_helpers import login
from tests.sandbox.user_removal_helpers import job_of_a_deleted_user


def test_server_deactivate_keeps_the_user_inactive(v3, server_session):
    """Does POST /v3/users/{id}/deactivate mark the user inactive, keep them listed, and refuse a non-Curator
    (403), oneself (400) and an unknown id (404)?"""
    users = v3.get(f"{v3.base}/webapi/v3/users").json()
    artisan = next(u for u in users if u["role"] == "Artisan")
    assert server_session(artisan["id"]).post(f"{v3.base}/webapi/v3/users/{artisan['id']}/deactivate").status_code == 403
    answered = v3.post(f"{v3.base}/webapi/v3/users/{artisan['id']}/deactivate")
    assert answered.status_code == 200 and answered.json()["isActive"] is False
    listed = v3.get(f"{v3.base}/webapi/v3/users", params={"active": "false"}).json()
    assert [u["id"] for u in listed] == [artisan["id"]]
    curator = next(u for u in users if u["role"] == "Curator")
    refused = v3.post(f"{v3.base}/webapi/v3/users/{curator['id']}/deactivate")
    assert refused.status_code == 400 and refused.json()["message"]
    assert v3.post(f"{v3.base}/webapi/v3/users/{'c' * 24}/deactivate").status_code == 404


def test_teamstudio_deleted_owner_stays_named_on_their_jobs(teamstudio_emulator):
    """After DELETE /api/users/{id}, is the user gone from the list and from GET, yet still their job's owner, with
    is_deleted true?"""
    user, job = job_of_a_deleted_user(teamstudio_emulator.url)
    ts = login(teamstudio_emulator.url)
    assert user["id"] not in {u["id"] for u in ts.api("GET", "/users", params={"per_page": 100}).json()["response"]}
    assert ts.api("GET", f"/users/{user['id']}").status_code == 404
    space = job["workspace"]["id"]
    owner = ts.api("GET", f"/workspaces/{space}/jobs/{job['id']}").json()["response"]["owner"]
    assert (owner["id"], owner["username"], owner["is_deleted"]) == (user["id"], "leaver", True)
