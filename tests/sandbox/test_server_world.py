"""Server emulator world: users and collections, determinism, sizes, control endpoints and fault knobs."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.sandbox.server_helpers import ALWAYS_ERROR, ALWAYS_WARNING, RUN_DISABLED, workflow_named

USER_FIELDS = {"id", "firstName", "lastName", "email", "role", "defaultWorkerTag", "canScheduleJobs",
               "canPrioritizeJobs", "canAssignJobs", "canCreateCollections", "isApiEnabled", "defaultCredentialId",
               "isAccountLocked", "isActive", "isValidated", "lastLoginDateTime", "timeZone", "language",
               "sharedCredentialIds", "dataConnectionIds", "canCreateAndUpdateDcm"}


def _ids(v3) -> list[str]:
    workflows = [w["id"] for w in v3.get(f"{v3.base}/webapi/v3/workflows").json()]
    schedules = [s["id"] for s in v3.get(f"{v3.base}/webapi/v3/schedules").json()]
    return workflows + schedules


def test_users_need_a_curator(v3, server_session):
    """Do /v3/users and /v3/users/{id} answer 403 {"message"} to an Artisan and a Viewer?"""
    users = v3.get(f"{v3.base}/webapi/v3/users").json()
    for role in ("Artisan", "Viewer"):
        person = next(u for u in users if u["role"] == role)
        session = server_session(person["id"])
        listed = session.get(f"{v3.base}/webapi/v3/users")
        assert listed.status_code == 403 and listed.json()["message"]
        assert session.get(f"{v3.base}/webapi/v3/users/{person['id']}").status_code == 403


def test_users_roles_and_full_fields(v3, server_creds):
    """Are there a Curator (the credential owner), Artisans and a Viewer, with §2.4's fields in full?"""
    users = v3.get(f"{v3.base}/webapi/v3/users", params={"view": "Full"}).json()
    roles = [u["role"] for u in users]
    assert len(users) >= 5 and roles.count("Curator") == 1 and roles.count("Viewer") == 1 and "Artisan" in roles
    admin = next(u for u in users if u["role"] == "Curator")
    assert admin["id"] == server_creds()["user_id"] and admin["email"] == "admin@example.com"
    assert all(USER_FIELDS <= set(u) for u in users)
    assert v3.get(f"{v3.base}/webapi/v3/users/{admin['id']}").json()["role"] == "Curator"


def test_user_filters(v3):
    """Do role and email filter the user list, and is an unknown role a 400?"""
    viewers = v3.get(f"{v3.base}/webapi/v3/users", params={"role": "Viewer"}).json()
    assert len(viewers) == 1 and viewers[0]["role"] == "Viewer"
    found = v3.get(f"{v3.base}/webapi/v3/users", params={"email": viewers[0]["email"].upper()}).json()
    assert [u["id"] for u in found] == [viewers[0]["id"]]
    assert v3.get(f"{v3.base}/webapi/v3/users", params={"role": "Wizard"}).status_code == 400


def test_unknown_user_is_404(v3):
    """Does an unknown user id answer 404 {"message"}?"""
    response = v3.get(f"{v3.base}/webapi/v3/users/{'b' * 24}")
    assert response.status_code == 404 and response.json()["message"]


def test_collections_list_and_detail(v3):
    """Are there four collections, and does a detail carry workflowIds, scheduleIds, users and the id lists?"""
    collections = v3.get(f"{v3.base}/webapi/v3/collections").json()
    assert len(collections) == 4 and all(list(c) == ["id", "name", "ownerId", "dateAdded"] for c in collections)
    detail = v3.get(f"{v3.base}/webapi/v3/collections/{collections[0]['id']}").json()
    assert detail["workflowIds"] and detail["users"] and detail["userGroupIds"] == [] == detail["subscriptionIds"]
    assert isinstance(detail["scheduleIds"], list)
    assert any(m["userId"] == detail["ownerId"] and m["isOwner"] for m in detail["users"])


def test_same_seed_same_ids(v3, server_control, server_session):
    """Does re-seeding with the same seed rebuild the same workflow and schedule ids?"""
    before = _ids(v3)
    server_control("POST", "seed", json={"seed": 1, "size": "small"})
    assert _ids(server_session()) == before


def test_other_seed_other_ids(v3, server_control, server_session):
    """Does another seed build different ids (and different credentials)?"""
    before, creds = _ids(v3), server_control("POST", "tokens", json={}).json()
    server_control("POST", "seed", json={"seed": 2})
    assert _ids(server_session()) != before
    assert server_control("POST", "tokens", json={}).json()["client_id"] != creds["client_id"]


def test_world_counts(server_control):
    """Does the small world hold 6 users, 2 studios, 25 workflows, 18 schedules, 4 collections, 300+ jobs?"""
    state = server_control("GET", "state").json()
    assert (state["users"], state["subscriptions"], state["workflows"], state["schedules"], state["collections"]) == \
        (6, 2, 25, 18, 4)
    assert state["jobs"] >= 300 and state["largeOutput"]["jobId"] and state["adminUserId"]


def test_history_spans_thirty_days_with_both_bad_outcomes(v3, server_control):
    """Do seeded jobs reach back about 30 days, with Error and Warning runs besides the special workflows?"""
    now = datetime.fromisoformat(server_control("GET", "clock").json()["now"].replace("Z", "+00:00"))
    workflow_id = workflow_named(v3, "Regional Sales Summary")["id"]
    jobs = v3.get(f"{v3.base}/webapi/v3/workflows/{workflow_id}/jobs").json()
    oldest = datetime.fromisoformat(jobs[-1]["createDate"].replace("Z", "+00:00"))
    assert timedelta(days=15) < now - oldest <= timedelta(days=30)
    for name, code in ((ALWAYS_ERROR, "Error"), (ALWAYS_WARNING, "Warning")):
        wid = workflow_named(v3, name)["id"]
        every = v3.get(f"{v3.base}/webapi/v3/workflows/{wid}/jobs", params={"status": "Completed"}).json()
        matching = v3.get(f"{v3.base}/webapi/v3/workflows/{wid}/jobs", params={"resultCode": code}).json()
        assert every and len(matching) == len(every)
    assert workflow_named(v3, RUN_DISABLED)


def test_large_world_builds_and_answers(v3, server_control, server_session):
    """Does the large world (1,000 workflows, 30,000 jobs) build and still answer? (Its speed is benchmarked.)"""
    server_control("POST", "seed", json={"seed": 1, "size": "large"})
    state = server_control("GET", "state").json()
    assert (state["workflows"], state["jobs"]) == (1000, 30_000)
    assert len(server_session().get(f"{v3.base}/webapi/v3/workflows").json()) == 1000


def test_unknown_path_answers_aspnet_404(v3):
    """Does a path Server does not have answer 404 with ASP.NET's "No HTTP resource" message?"""
    response = v3.get(f"{v3.base}/webapi/v3/nothing-here")
    assert response.status_code == 404 and response.json()["message"].startswith("No HTTP resource was found")


def test_fail_next_answers_message_body(v3, server_control):
    """Does fail_next answer the status with Server's {"message"} body, then recover?"""
    server_control("POST", "faults", json={"fail_next": {"count": 1, "status": 503, "path": "/webapi/v3/"}})
    failed = v3.get(f"{v3.base}/webapi/v3/workflows")
    assert failed.status_code == 503 and set(failed.json()) == {"message"}
    assert v3.get(f"{v3.base}/webapi/v3/workflows").status_code == 200


def test_malformed_next_breaks_the_body(v3, gallery, server_control):
    """Does malformed_next give a 200 that is not JSON, on v3 and on the signed Gallery path alike?"""
    server_control("POST", "faults", json={"malformed_next": {"count": 2}})
    for response in (v3.get(f"{v3.base}/webapi/v3/workflows"), gallery.get(f"{gallery.base}/workflows/subscription/")):
        assert response.status_code == 200
        with pytest.raises(ValueError):
            response.json()


def test_rate_limit_next_sends_retry_after(v3, server_control):
    """Does rate_limit_next answer 429 {"message"} with Retry-After?"""
    server_control("POST", "faults", json={"rate_limit_next": {"count": 1, "retry_after": 9}})
    response = v3.get(f"{v3.base}/webapi/v3/schedules")
    assert response.status_code == 429 and response.headers["Retry-After"] == "9" and response.json()["message"]


def test_reset_restores_schedules_and_clock(v3, server_control, server_session):
    """Does reset undo a PATCH and bring the clock back to real time?"""
    schedule = v3.get(f"{v3.base}/webapi/v3/schedules").json()[0]
    v3.patch(f"{v3.base}/webapi/v3/schedules/{schedule['id']}", json={"enabled": False})
    server_control("POST", "clock", json={"advance": 7200})
    server_control("POST", "reset")
    now = datetime.fromisoformat(server_control("GET", "clock").json()["now"].replace("Z", "+00:00"))
    assert abs((now - datetime.now(timezone.utc)).total_seconds()) < 5
    assert server_session().get(f"{v3.base}/webapi/v3/schedules/{schedule['id']}").json()["enabled"] is True
