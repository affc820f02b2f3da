"""Steps a Team Studio admin takes over HTTP to leave a job whose owner is then deleted."""
from __future__ import annotations

from tests.sandbox.test_teamstudio_helpers import login

LEAVER = "leaver"


def job_of_a_deleted_user(base: str, job_name: str = "Leaver's weekly refresh") -> tuple[dict, dict]:
    """As the service account (an application admin): create a user, make them a member of the first workspace,
    let them create an on-demand job there, then delete the user. Answers (the deleted user, the job)."""
    admin = login(base)
    body = {"username": LEAVER, "password": "Leaver-pw-1", "first_name": "Lee", "last_name": "Ver",
            "email": "Lee.Ver@Example.com ", "admin": False, "roles": "", "user_type": "data_analyst"}
    created = admin.api("POST", "/users", json=body)
    assert created.status_code == 201, created.text
    user = created.json()["response"]
    space = admin.api("GET", "/workspaces").json()["response"][0]
    members = admin.api("GET", f"/workspaces/{space['id']}/members").json()["response"]
    entries = [{"user_id": m["id"], "role": m["role"]} for m in members] + [{"user_id": user["id"], "role": "Project Member"}]
    assert admin.api("PUT", f"/workspaces/{space['id']}/members", json={"members": entries}).status_code == 200
    leaver = login(base, LEAVER)
    made = leaver.api("POST", f"/workspaces/{space['id']}/jobs", data={"name": job_name, "interval_unit": "on_demand"})
    assert made.status_code in (200, 201), made.text
    assert admin.api("DELETE", f"/users/{user['id']}").status_code == 200
    return user, made.json()["response"]
