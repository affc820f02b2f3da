"""vantage6's collaborations pages and admin inventory, over HTTP against the emulator."""
from __future__ import annotations

import re

import requests

BASE = "/vantage6/v6-main"


def _emulator_get(emulator, path: str) -> dict:
    """An object straight from the emulator's API, as the service account sees it (names the tests expect)."""
    minted = emulator.mint()
    token = requests.post(f"{emulator.url}/api/token/user", json={
        "username": minted["username"], "password": minted["password"]}, timeout=10).json()["access_token"]
    return requests.get(f"{emulator.url}/api{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()


def _row(page: str, text: str) -> str:
    """The table row holding text."""
    return page.split(text, 1)[1].split("</tr>", 1)[0]


def test_collaborations_page_shows_each_collaboration_with_its_nodes(v6_client_as):
    """Does a viewer see every collaboration, encrypted or not, with its organisations and their nodes?"""
    response = v6_client_as("viewer").get(f"{BASE}/collaborations")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" not in page
    assert f'href="{BASE}/collaborations/1">Cancer Registry Federation</a>' in page
    cardiology = page.split(">Cardiology Pilot</a>", 1)[1].split("</section>", 1)[0]
    assert ">encrypted<" in cardiology and "Leiden Health Lab - Cardiology Pilot Node" in cardiology
    cancer = page.split(">Cancer Registry Federation</a>", 1)[1].split("</section>", 1)[0]
    assert ">not encrypted<" in cancer and "Berlin Cohort Centre" in cancer and "<time datetime=" in cancer
    assert f'href="{BASE}/collaborations" aria-current="page">Collaborations</a>' in page


def test_offline_nodes_show_as_offline(v6_client_as, vantage6_emulator):
    """Are the nodes the emulator keeps offline marked offline, with the time they were last seen?"""
    page = v6_client_as("viewer").get(f"{BASE}/collaborations").get_data(as_text=True)
    offline = vantage6_emulator.state()["offlineNodes"]
    assert offline
    for node in offline:
        name = _emulator_get(vantage6_emulator, f"/node/{node['id']}")["name"]
        row = _row(page, f"<td>{name}</td>")
        assert '<span class="badge badge-off">offline</span>' in row and "<time datetime=" in row
    online = _row(page, "<td>Leiden Health Lab - Cancer Registry Federation Node</td>")
    assert '<span class="badge badge-on">online</span>' in online


def test_collaborations_page_charts_tasks_per_collaboration_and_status(v6_client_as):
    """Are there charts of the recent tasks per collaboration and per status, vantage6's words kept whole?"""
    page = v6_client_as("viewer").get(f"{BASE}/collaborations").get_data(as_text=True)
    assert 'data-chart="chart-per-collaboration"' in page and 'data-chart="chart-per-status"' in page
    spec = page.split('id="chart-per-status">', 1)[1].split("</script>", 1)[0]
    assert '"completed"' in spec and '"killed by user"' in spec
    assert "vendor/chart.umd.js" in page


def test_collaborations_json_has_collaborations_and_task_counts(v6_client_as):
    """Is /collaborations.json every collaboration with its members and nodes, plus the task counts?"""
    body = v6_client_as("viewer").get(f"{BASE}/collaborations.json").get_json()
    assert body["total"] == len(body["items"]) >= 2
    cancer = next(c for c in body["items"] if c["name"] == "Cancer Registry Federation")
    assert cancer["encrypted"] is False and all(m["node"]["status"] in ("online", "offline") for m in cancer["members"])
    tally = body["recent_tasks"]
    assert tally["total"] == sum(n for _, n in tally["by_status"]) == sum(n for _, n in tally["by_collaboration"])


def test_collaboration_page_lists_nodes_and_newest_tasks(v6_client_as):
    """Does one collaboration list its nodes (organisation, status, last seen, ip) and its 20 newest tasks?"""
    response = v6_client_as("viewer").get(f"{BASE}/collaborations/1")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" not in page
    row = _row(page, ">Maas Clinic - Cancer Registry Federation Node</td>")
    assert "Maas Clinic" in row and "10.76.1.3" in row and "badge-on" in row
    tasks = page.split("<h2>Newest tasks</h2>", 1)[1].split("</section>", 1)[0]
    links = re.findall(rf'href="{BASE}/runs/(\d+)"', tasks)
    assert len(links) == 20 and links == sorted(links, key=int, reverse=True)
    assert f'href="{BASE}/collaborations" aria-current="page"' in page  # the tab stays lit


def test_unknown_or_malformed_collaboration_is_404(v6_client_as):
    """Is a collaboration id the server does not know, or one that is not a number, a 404 page?"""
    client = v6_client_as("viewer")
    assert client.get(f"{BASE}/collaborations/999").status_code == 404
    assert client.get(f"{BASE}/collaborations/abc").status_code == 404


def test_inventory_is_for_admins_only(v6_client_as):
    """Do viewers and operators get 403 on the inventory and its JSON, admins 200, and only admins the tab?"""
    for role in ("viewer", "operator"):
        client = v6_client_as(role)
        assert client.get(f"{BASE}/inventory").status_code == 403
        assert client.get(f"{BASE}/inventory.json").status_code == 403
        assert f'href="{BASE}/inventory"' not in client.get(f"{BASE}/collaborations").get_data(as_text=True)
    admin = v6_client_as("admin")
    response = admin.get(f"{BASE}/inventory")
    assert response.status_code == 200 and f'href="{BASE}/inventory" aria-current="page"' in response.get_data(as_text=True)


def test_inventory_organisations_count_nodes_and_users(v6_client_as):
    """Does the organisations section show country, domain and how many nodes and users each has?"""
    page = v6_client_as("admin").get(f"{BASE}/inventory?section=organizations").get_data(as_text=True)
    assert "banner-error" not in page
    row = _row(page, ">Leiden Health Lab</td>")
    assert "Netherlands" in row and "leidenhealth.example.org" in row
    assert re.search(r"<td>2</td><td>2</td>", row)  # a node in both collaborations; flightdeck-svc and orgadmin


def test_inventory_users_have_their_roles(v6_client_as):
    """Does every user show organisation and roles (Root's too, which the server hides unless asked)?"""
    page = v6_client_as("admin").get(f"{BASE}/inventory?section=users").get_data(as_text=True)
    assert "banner-error" not in page
    assert "Root" in _row(page, "<td>root</td>")
    flightdeck = _row(page, "<td>flightdeck-svc</td>")
    assert "Leiden Health Lab" in flightdeck and "Flightdeck Service" in flightdeck
    assert "Viewer" in _row(page, "<td>viewer</td>")


def test_inventory_roles_list_their_rules(v6_client_as):
    """Does each role list its rules with operation and scope?"""
    page = v6_client_as("admin").get(f"{BASE}/inventory?section=roles&q=viewer").get_data(as_text=True)
    row = page.split('<td class="name">Viewer</td>', 1)[1].split("</details>", 1)[0]
    assert "8 rules" in row and "<td>task</td><td>VIEW</td><td>COLLABORATION</td>" in row
    assert '<td class="name">Researcher</td>' not in page


def test_inventory_nodes_show_status_and_ip(v6_client_as, vantage6_emulator):
    """Does the nodes section show every node with organisation, collaboration, status, last seen and ip?"""
    page = v6_client_as("admin").get(f"{BASE}/inventory?section=nodes").get_data(as_text=True)
    state = vantage6_emulator.state()
    assert f"1–{state['nodes']} of {state['nodes']}" in page
    assert page.count('<span class="badge badge-off">offline</span>') == len(state["offlineNodes"])
    row = _row(page, ">Uppsala Registry - Cancer Registry Federation Node</td>")
    assert f'href="{BASE}/collaborations/1">Cancer Registry Federation</a>' in row and "10.76.1.5" in row


def test_inventory_search_and_pages(v6_client_as):
    """Does the search narrow a section, and does a long one page?"""
    client = v6_client_as("admin")
    maas = client.get(f"{BASE}/inventory?section=users&q=maas").get_data(as_text=True)
    assert "<td>researcher</td>" in maas and "<td>viewer</td>" not in maas
    none = client.get(f"{BASE}/inventory?section=nodes&q=no-such-node").get_data(as_text=True)
    assert "No nodes match." in none
    paged = client.get(f"{BASE}/inventory?section=users&per_page=5").get_data(as_text=True)
    assert "page 1 of 2" in paged and 'rel="next"' in paged


def test_inventory_json_has_every_section(v6_client_as):
    """Is /inventory.json organisations, users with roles, roles with rules and nodes?"""
    body = v6_client_as("admin").get(f"{BASE}/inventory.json").get_json()
    assert {"organizations", "users", "roles", "nodes"} <= set(body)
    root = next(u for u in body["users"] if u["username"] == "root")
    assert root["roles"] == ["Root"]
    viewer = next(r for r in body["roles"] if r["name"] == "Viewer")
    assert {"name", "operation", "scope"} <= set(viewer["rules"][0])


def test_a_platform_failure_is_a_banner(v6_client_as, vantage6_emulator):
    """When the server answers 500, does the collaborations page show a banner and its charts instead of failing?"""
    client = v6_client_as("admin")
    vantage6_emulator.faults(fail_next={"status": 500, "path": "/api/collaboration", "count": 1})
    response = client.get(f"{BASE}/collaborations")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" in page and "v6-main</strong> could not answer" in page
    assert "The collaborations could not be loaded." in page and 'data-chart="chart-per-status"' in page


def test_a_platform_failure_in_the_inventory_is_a_banner(v6_client_as, vantage6_emulator):
    """When the server answers 500 to an inventory read, is it a banner on a page that still renders?"""
    client = v6_client_as("admin")
    vantage6_emulator.faults(fail_next={"status": 500, "path": "/api/organization", "count": 1})
    response = client.get(f"{BASE}/inventory?section=organizations")
    assert response.status_code == 200 and "banner-error" in response.get_data(as_text=True)
    assert "The organisations could not be loaded." in response.get_data(as_text=True)


def test_the_accounts_password_never_appears(v6_client_as, vantage6_emulator):
    """Is the service account's password absent from every page and export here?"""
    password = vantage6_emulator.mint()["password"]
    client = v6_client_as("admin")
    for url in ("/collaborations", "/collaborations.json", "/collaborations/1", "/inventory.json",
                *(f"/inventory?section={s}" for s in ("organizations", "users", "roles", "nodes"))):
        response = client.get(BASE + url)
        assert response.status_code == 200
        assert password not in response.get_data(as_text=True)
