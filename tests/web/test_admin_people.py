"""The cross-platform people pages against all five emulators: people matched by email, schedule owners flagged
when disabled or gone, who can run what, CSV exports, and admins only."""
from __future__ import annotations

import csv
import io

import pytest
import requests

from tests.conftest import _client_as
from tests.sandbox.user_removal_helpers import job_of_a_deleted_user

PAGES = ("/admin/people", "/admin/people/owners", "/admin/people/runs")


@pytest.fixture
def admin(security_app):
    return _client_as(security_app)("admin")


def _csv(response) -> list[dict]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_people_pages_refuse_non_admins(security_app, role):
    """Do a viewer and an operator get 403 on every people page and its CSV?"""
    client = _client_as(security_app)(role)
    for path in PAGES:
        assert client.get(path).status_code == 403
        assert client.get(path + "?export=csv").status_code == 403


def test_people_page_lists_every_platform(admin):
    """Does the people page show accounts of all five connections, with no banner while every one answers?"""
    rows = _csv(admin.get("/admin/people?export=csv&per_page=200"))
    assert {r["platform"] for r in rows} == {"aac", "server", "teamstudio", "vantage6", "alooma"}
    page = admin.get("/admin/people")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "could not answer" not in html and 'class="banner' not in html
    assert "People" in html and "Schedule owners" in html


def test_people_csv_matches_accounts_by_email(admin):
    """Is every account of one email in the CSV under one person, whatever the email's case?"""
    rows = _csv(admin.get("/admin/people?export=csv"))
    by_email: dict[str, set[str]] = {}
    for row in rows:
        if row["email"]:
            assert row["email"] == row["email"].strip().lower()
            by_email.setdefault(row["email"], set()).add(row["person"])
    assert by_email and all(len(names) == 1 for names in by_email.values())


def test_people_search_narrows_rows(admin):
    """Does a search for one email leave only that person's accounts?"""
    rows = _csv(admin.get("/admin/people?export=csv"))
    email = next(r["email"] for r in rows if r["email"])
    found = _csv(admin.get(f"/admin/people?export=csv&q={email}"))
    assert found and {r["email"] for r in found} == {email}


def test_owners_page_shows_schedules_of_each_platform(admin):
    """Does every schedule of AAC, Server, Team Studio and Alooma appear with an owner state, active for seeded ones?"""
    rows = _csv(admin.get("/admin/people/owners?export=csv"))
    assert {"aac", "server", "teamstudio", "alooma"} <= {r["platform"] for r in rows}
    by_platform = {p: {r["owner_state"] for r in rows if r["platform"] == p} for p in ("aac", "server", "teamstudio")}
    assert all(states == {"active"} for states in by_platform.values()), by_platform
    assert {r["owner_state"] for r in rows if r["platform"] == "alooma"} == {"unknown"}


def test_runs_page_says_who_can_run(admin):
    """Does the run-rights CSV say yes for a Curator, unknown for Alooma, and name workflow kinds?"""
    rows = _csv(admin.get("/admin/people/runs?export=csv"))
    assert any(r["platform"] == "server" and r["roles"] == "Curator" and r["can_run"] == "yes" for r in rows)
    assert {r["can_run"] for r in rows if r["platform"] == "alooma"} <= {"unknown", "no"}
    assert any(r["platform"] == "aac" and "plan" in r["kinds"].split() for r in rows)
    assert admin.get("/admin/people/runs?can=no").status_code == 200


def _v3(server_emulator) -> tuple[requests.Session, str]:
    """A bearer session of the Server emulator's Curator, as an admin's own script would hold."""
    minted = server_emulator.mint()
    token = requests.post(f"{server_emulator.url}/webapi/oauth2/token", timeout=10, data={
        "grant_type": "client_credentials", "client_id": minted["client_id"],
        "client_secret": minted["client_secret"]}).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session, f"{server_emulator.url}/webapi/v3"


def test_schedule_of_a_deactivated_owner_is_flagged_disabled(security_app, server_emulator):
    """Once Server deactivates an Artisan, are exactly their schedules flagged disabled, first on the page?"""
    v3, base = _v3(server_emulator)
    users = {u["id"]: u for u in v3.get(f"{base}/users", timeout=10).json()}
    owned = [s for s in v3.get(f"{base}/schedules", timeout=10).json() if users[s["ownerId"]]["role"] == "Artisan"]
    owner = owned[0]["ownerId"]
    assert v3.post(f"{base}/users/{owner}/deactivate", timeout=10).status_code == 200
    admin = _client_as(security_app)("admin")
    rows = _csv(admin.get("/admin/people/owners?export=csv&state=disabled"))
    assert {r["schedule_id"] for r in rows} == {s["id"] for s in owned if s["ownerId"] == owner}
    assert all(r["owner_email"] == users[owner]["email"] and "deactivated" in r["reason"] for r in rows)
    html = admin.get("/admin/people/owners").get_data(as_text=True)
    assert html.split("<tbody>")[1].lstrip().startswith('<tr class="flagged">')  # flagged rows come first
    assert rows[0]["schedule"] in html and f"{len(rows)} schedule{'' if len(rows) == 1 else 's'} flagged" in html
    runs = _csv(admin.get("/admin/people/runs?export=csv&connection=server-main&can=no"))
    assert users[owner]["email"] in {r["email"] for r in runs}


def test_job_of_a_deleted_owner_is_flagged_gone(security_app, teamstudio_emulator):
    """Once Team Studio deletes a user who made a job, is that job flagged gone (the owner left its users)?"""
    user, job = job_of_a_deleted_user(teamstudio_emulator.url)
    admin = _client_as(security_app)("admin")
    rows = _csv(admin.get("/admin/people/owners?export=csv&state=gone"))
    assert [(r["connection"], r["schedule_id"], r["owner_id"]) for r in rows] == [("ts-main", str(job["id"]),
                                                                                 str(user["id"]))]
    assert "no longer among" in rows[0]["reason"]
    flagged = _csv(admin.get("/admin/people/owners?export=csv&state=flagged"))
    assert [r["schedule_id"] for r in flagged] == [str(job["id"])]


def test_a_failing_connection_is_a_banner_not_a_broken_page(security_app, alooma_emulator):
    """When Alooma answers 500 to everything, do the people pages still show the other platforms with a banner
    naming alooma-key?"""
    alooma_emulator.faults(fail_next={"count": 50, "status": 500})
    admin = _client_as(security_app)("admin")
    for path in PAGES:
        page = admin.get(path)
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and "alooma-key" in html and "banner-error" in html
    rows = _csv(admin.get("/admin/people?export=csv"))
    assert "alooma" not in {r["platform"] for r in rows} and "aac" in {r["platform"] for r in rows}


def test_a_connection_without_a_users_api_says_so(server_app):
    """Does a Server connection with only the subscription API show why its users are missing, beside the others?"""
    admin = _client_as(server_app)("admin")
    html = admin.get("/admin/people").get_data(as_text=True)
    assert "server-legacy: Alteryx Server does not support listing users" in html
    rows = _csv(admin.get("/admin/people?export=csv"))
    assert {r["connection"] for r in rows} == {"server-main", "server-v3"}
    owners = admin.get("/admin/people/owners").get_data(as_text=True)
    assert "server-legacy" in owners


def test_people_link_only_for_admins(security_app):
    """Is the People link in the top bar shown to admins and not to operators?"""
    assert 'href="/admin/people"' in _client_as(security_app)("admin").get("/").get_data(as_text=True)
    assert 'href="/admin/people"' not in _client_as(security_app)("operator").get("/").get_data(as_text=True)
