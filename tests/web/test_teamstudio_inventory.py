"""Team Studio's workspaces list, workspace page and admin inventory, over HTTP against the emulator."""
from __future__ import annotations

import os
import re

import pytest



BASE = "/teamstudio/ts-main"


def _workspace_id(client, name: str) -> str:
    page = client.get(f"{BASE}/workspaces").get_data(as_text=True)
    return re.search(rf'href="{BASE}/workspaces/(\d+)">{re.escape(name)}</a>', page).group(1)


def test_workspaces_page_lists_every_workspace_for_a_viewer(ts_client_as):
    """Does a viewer see every workspace with owner, visibility, state, stage by name, members and a Team Studio link?"""
    response = ts_client_as("viewer").get(f"{BASE}/workspaces")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" not in page
    for name in ("Customer Analytics", "Marketing Mix", "Risk &amp; Fraud", "Sandbox", "Supply Chain Forecasting"):
        assert f">{name}</a>" in page
    row = page.split(">Risk &amp; Fraud</a>", 1)[1].split("</tr>", 1)[0]
    assert "private" in row and "Transform" in row and ">active<" in row
    archived = page.split(">Marketing Mix</a>", 1)[1].split("</tr>", 1)[0]
    assert ">archived<" in archived and "Act" in archived and "public" in archived
    assert re.search(r'href="[^"]*/#/workspaces/\d+" rel="noopener noreferrer" target="_blank"', page)


def test_workspaces_filter_by_name_and_state(ts_client_as):
    """Do the name search and the active/archived filter narrow the table?"""
    client = ts_client_as("viewer")
    risk = client.get(f"{BASE}/workspaces?q=risk").get_data(as_text=True)
    assert ">Risk &amp; Fraud</a>" in risk and ">Sandbox</a>" not in risk
    archived = client.get(f"{BASE}/workspaces?state=archived").get_data(as_text=True)
    assert ">Marketing Mix</a>" in archived and ">Sandbox</a>" not in archived
    active = client.get(f"{BASE}/workspaces?state=active").get_data(as_text=True)
    assert ">Marketing Mix</a>" not in active and ">Sandbox</a>" in active
    none = client.get(f"{BASE}/workspaces?q=no-such-workspace").get_data(as_text=True)
    assert "No workspaces match." in none


def test_workspaces_json_mirrors_the_filtered_table(ts_client_as):
    """Is /workspaces.json the filtered table, stage by name?"""
    body = ts_client_as("viewer").get(f"{BASE}/workspaces.json?state=active").get_json()
    names = [w["name"] for w in body["items"]]
    assert body["total"] == 4 and "Marketing Mix" not in names
    assert {w["stage"] for w in body["items"]} <= {"Define", "Transform", "Model", "Deploy", "Act"}


def test_workspace_page_lists_its_members_workfiles_and_jobs(ts_client_as):
    """Does the workspace page show members with roles, its own workfiles and its jobs with schedule and tasks?"""
    client = ts_client_as("viewer")
    page = client.get(f"{BASE}/workspaces/{_workspace_id(client, 'Customer Analytics')}").get_data(as_text=True)
    assert "banner-error" not in page and "Model" in page
    members = page.split("<h2>Members</h2>", 1)[1].split("</section>", 1)[0]
    assert re.search(r"Demo Admin</td><td>demoadmin</td><td>Project Manager</td>", members)
    workfiles = page.split("<h2>Workfiles</h2>", 1)[1].split("</section>", 1)[0]
    assert "Random Forest Parameter Search" in workfiles and "daily_rollup.sql" in workfiles
    assert "Nightly Fraud Features" not in workfiles  # a workfile of another workspace
    jobs = page.split("<h2>Jobs</h2>", 1)[1].split("</section>", 1)[0]
    assert "Nightly Forest Sweep" in jobs and "every day" in jobs and "1. run workflow Random Forest Parameter Search" in jobs
    assert "on demand" in jobs
    assert re.search(rf'href="{BASE}/jobs/\d+">Nightly Forest Sweep</a>', jobs)


def test_new_job_is_offered_to_operators_only(ts_client_as):
    """Does the workspace page offer New job (to the job form of that workspace) to an operator, not a viewer?"""
    operator = ts_client_as("operator")
    space = _workspace_id(operator, "Customer Analytics")
    new_job = f'href="{BASE}/workspaces/{space}/jobs/new"'
    assert new_job in operator.get(f"{BASE}/workspaces/{space}").get_data(as_text=True)
    assert new_job not in ts_client_as("viewer").get(f"{BASE}/workspaces/{space}").get_data(as_text=True)


def test_workflows_have_a_run_link_for_operators_only(ts_client_as):
    """Do workflows link to the run form for an operator, and not for a viewer?"""
    operator = ts_client_as("operator")
    url = f"{BASE}/workspaces/{_workspace_id(operator, 'Customer Analytics')}"
    assert re.search(rf'href="{BASE}/run/workflow/\d+">Run</a>', operator.get(url).get_data(as_text=True))
    assert f"{BASE}/run/workflow/" not in ts_client_as("viewer").get(url).get_data(as_text=True)


@pytest.mark.parametrize("workspace_id", ["99999", "abc", "1e3"])
def test_an_unknown_workspace_is_a_404_page(ts_client_as, workspace_id):
    """Is an unknown or non-numeric workspace id a 404 page?"""
    assert ts_client_as("viewer").get(f"{BASE}/workspaces/{workspace_id}").status_code == 404


@pytest.mark.parametrize("section", ["users", "members", "sources"])
def test_inventory_is_for_admins_only(ts_client_as, section):
    """Are viewers and operators refused each inventory section and its JSON with 403, and admins shown it?"""
    for role in ("viewer", "operator"):
        client = ts_client_as(role)
        assert client.get(f"{BASE}/inventory?section={section}").status_code == 403
        assert client.get(f"{BASE}/inventory.json").status_code == 403
    response = ts_client_as("admin").get(f"{BASE}/inventory?section={section}")
    assert response.status_code == 200 and b"banner-error" not in response.data


def test_tabs_follow_the_role(ts_client_as):
    """Does a viewer get a Workspaces tab but no Inventory tab, and an admin both?"""
    viewer = ts_client_as("viewer").get(f"{BASE}/workspaces").get_data(as_text=True)
    assert f'href="{BASE}/workspaces"' in viewer and f'href="{BASE}/inventory"' not in viewer
    admin = ts_client_as("admin").get(f"{BASE}/workspaces").get_data(as_text=True)
    assert f'href="{BASE}/workspaces"' in admin and f'href="{BASE}/inventory"' in admin


def test_inventory_users_show_roles(ts_client_as):
    """Are users listed with their application role, admin and data admin?"""
    page = ts_client_as("admin").get(f"{BASE}/inventory").get_data(as_text=True)
    praman = page.split("<td>praman</td>", 1)[1].split("</tr>", 1)[0]
    assert "data analyst" in praman and "data admin</span>" in praman and ">admin</span>" not in praman
    demoadmin = page.split("<td>demoadmin</td>", 1)[1].split("</tr>", 1)[0]
    assert ">admin</span>" in demoadmin and "analytics developer" in demoadmin


def test_inventory_users_are_paged(ts_client_as):
    """Is the users table paged?"""
    page = ts_client_as("admin").get(f"{BASE}/inventory?per_page=5&page=2").get_data(as_text=True)
    assert "6–8 of 8" in page and 'rel="prev"' in page


def test_inventory_members_and_data_sources(ts_client_as):
    """Are memberships listed per workspace with roles, and data sources with type, state, host and databases?"""
    client = ts_client_as("admin")
    members = client.get(f"{BASE}/inventory?section=members&q=Customer").get_data(as_text=True)
    assert "Project Manager" in members and "Risk &amp; Fraud" not in members
    sources = client.get(f"{BASE}/inventory?section=sources").get_data(as_text=True)
    demo = sources.split("Demo_GP</td>", 1)[1].split("</tr>", 1)[0]
    assert "Database" in demo and "gp-master.example.com" in demo and "analytics, sales, fraud" in demo
    cluster = sources.split("CDH5 Cluster</td>", 1)[1].split("</tr>", 1)[0]
    assert "Hadoop" in cluster and "not a database source" in cluster


def test_inventory_json_has_every_section(ts_client_as):
    """Does /inventory.json carry users, memberships and data sources with their databases?"""
    body = ts_client_as("admin").get(f"{BASE}/inventory.json").get_json()
    assert len(body["users"]) == 8 and body["memberships"] and body["stale"] == []
    demo = next(s for s in body["data_sources"] if s["name"] == "Demo_GP")
    assert [d["name"] for d in demo["databases"]] == ["analytics", "sales", "fraud"]


@pytest.mark.parametrize("url", [f"{BASE}/workspaces", f"{BASE}/workspaces/1000", f"{BASE}/inventory",
                                 f"{BASE}/inventory?section=members", f"{BASE}/inventory?section=sources"])
def test_a_failing_platform_is_a_banner(ts_client_as, teamstudio_emulator, url):
    """When Team Studio answers 500, does each page still render, naming the failure?"""
    client = ts_client_as("admin")
    teamstudio_emulator.faults(fail_next={"count": 200, "status": 500})
    response = client.get(url)
    assert response.status_code == 200 and b"banner-error" in response.data and b"server error (500)" in response.data


def test_a_failing_platform_is_a_json_error(ts_client_as, teamstudio_emulator):
    """Does a JSON twin answer a JSON error body naming the connection, not a 500?"""
    client = ts_client_as("admin")
    teamstudio_emulator.faults(fail_next={"count": 200, "status": 500})
    response = client.get(f"{BASE}/workspaces.json")
    assert response.status_code == 503 and "ts-main" in response.get_json()["error"]["message"]


def test_the_service_password_never_appears(ts_client_as):
    """Is the service account's password absent from every page and JSON twin?"""
    secret = os.environ["TS_MAIN_PASSWORD"].encode()
    client = ts_client_as("admin")
    urls = [f"{BASE}/workspaces", f"{BASE}/workspaces.json", f"{BASE}/inventory", f"{BASE}/inventory.json",
            f"{BASE}/inventory?section=members", f"{BASE}/inventory?section=sources",
            f"{BASE}/workspaces/{_workspace_id(client, 'Sandbox')}"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and secret not in response.data, url
