"""Alooma's admin inventory over HTTP against the emulator: users, secret names only, credits, the deployment."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest
import requests

from sandbox.alooma.seed import build_world

BASE = "/alooma/alooma-main"
URLS = [f"{BASE}/inventory", f"{BASE}/inventory?section=secrets", f"{BASE}/inventory?section=account",
        f"{BASE}/inventory.json"]
PLANTED = {"FLIGHTDECK_PLANTED_SECRET": "planted-value-7f3c9e1b2d"}


def _seeded_secrets(alooma_emulator) -> dict[str, str]:
    """The secrets the emulator's world was seeded with, values included: the world rebuilt from its seed."""
    state = alooma_emulator.state()
    return build_world(state["seed"], state["size"], datetime.now(timezone.utc)).secrets


def _chart_spec(page: str, chart_id: str) -> dict:
    found = re.search(rf'<script type="application/json" id="{chart_id}">(.*?)</script>', page, re.S)
    assert found, f"no chart {chart_id}"
    return json.loads(found.group(1))


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_the_inventory_is_for_admins_only(alooma_client_as, role):
    """Are a viewer and an operator refused every inventory URL (403) and shown no Inventory tab?"""
    client = alooma_client_as(role)
    for url in URLS:
        assert client.get(url).status_code == 403, url
    assert f'href="{BASE}/inventory"' not in client.get(f"{BASE}/schedules").get_data(as_text=True)


def test_users_are_listed_with_their_names_and_status(alooma_client_as):
    """Does an admin see every user with first and last name, the invited one as pending, and the tab lit?"""
    response = alooma_client_as("admin").get(f"{BASE}/inventory")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" not in page and "<h1>Inventory: Users</h1>" in page
    row = page.split("dana.levi@example.com</td>", 1)[1].split("</tr>", 1)[0]
    assert "<td>Dana</td><td>Levi</td>" in row and ">active<" in row
    pending = page.split("new.analyst@example.com</td>", 1)[1].split("</tr>", 1)[0]
    assert ">invitation pending<" in pending
    assert re.search(rf'href="{BASE}/inventory" aria-current="page">Inventory</a>', page)


def test_users_can_be_searched(alooma_client_as):
    """Does the search narrow the users, and say so when nothing matches?"""
    client = alooma_client_as("admin")
    page = client.get(f"{BASE}/inventory?section=users&q=omar").get_data(as_text=True)
    assert "omar.haddad@example.com" in page and "dana.levi@example.com" not in page
    assert "No users match." in client.get(f"{BASE}/inventory?section=users&q=nobody-here").get_data(as_text=True)


def test_secrets_are_names_only_and_no_value_reaches_a_page(alooma_client_as, alooma_emulator):
    """Are the secrets listed by name, with neither a seeded value nor one planted through the API on any
    inventory page or in the JSON?"""
    headers = {"authorization": f"API {alooma_emulator.mint()['api_key']}"}
    requests.put(f"{alooma_emulator.url}/rest/secrets", json=PLANTED, timeout=5, headers=headers).raise_for_status()
    secrets = {**_seeded_secrets(alooma_emulator), **PLANTED}
    live = requests.get(f"{alooma_emulator.url}/rest/secrets", timeout=5, headers=headers).json()
    assert sorted(secrets) == sorted(live)  # the rebuilt world is the emulator's
    values = list(secrets.values())
    client = alooma_client_as("admin")
    page = client.get(f"{BASE}/inventory?section=secrets").get_data(as_text=True)
    for name in ("MYSQL_SHOP_PASSWORD", "SLACK_WEBHOOK_URL", "FLIGHTDECK_PLANTED_SECRET"):
        assert f"<code>{name}</code>" in page
    for url in URLS:
        body = client.get(url).get_data(as_text=True)
        assert not [v for v in values if v in body], url


def test_credits_show_30_days_today_partial_and_the_period(alooma_client_as):
    """Does the account section chart 30 days of credits (today last, marked partial) and show the company's
    period with used of total and a percent?"""
    page = alooma_client_as("admin").get(f"{BASE}/inventory?section=account").get_data(as_text=True)
    spec = _chart_spec(page, "chart-credits")
    labels, data = spec["data"]["labels"], spec["data"]["datasets"][0]["data"]
    assert spec["type"] == "bar" and len(labels) == 30 and len(data) == 30
    assert labels[-1].endswith("(so far)") and not any("so far" in label for label in labels[:-1])
    assert all(value > 0 for value in data) and "today&#39;s bar is partial" in page
    assert "Prepaid" in page and "since " in page and re.search(r"of 60,000 credits · <strong>\d+\.\d %</strong>", page)
    assert "vendor/chart.umd.js" in page and "<form class=\"filters\"" not in page


def test_the_deployment_is_shown(alooma_client_as, alooma_emulator):
    """Does the account section show the deployment's name, git branch, commit and build time as Alooma has them?"""
    minted = alooma_emulator.mint()
    deploy = requests.get(f"{alooma_emulator.url}/rest/deployInfo", timeout=5,
                          headers={"authorization": f"API {minted['api_key']}"}).json()
    page = alooma_client_as("admin").get(f"{BASE}/inventory?section=account").get_data(as_text=True)
    assert f"<dd>{deploy['deploymentName']}</dd>" in page and f"<code>{deploy['gitBranch']}</code>" in page
    assert f"<code>{deploy['gitCommitId']}</code>" in page
    assert f'datetime="{deploy["buildTimestamp"].replace("Z", "+00:00")}"' in page


def test_the_json_twin_holds_every_section(alooma_client_as):
    """Is /inventory.json the users, the secret names (a list of strings), 30 days of credits, the period with its
    percent and the deployment?"""
    response = alooma_client_as("admin").get(f"{BASE}/inventory.json")
    body = response.get_json()
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert len(body["users"]) == 5 and body["users"][-1]["status"] == "invitation pending"
    assert "MYSQL_SHOP_PASSWORD" in body["secret_names"] and all(isinstance(n, str) for n in body["secret_names"])
    days = body["credits_per_day"]
    assert len(days) == 30 and days[-1]["partial"] and not days[0]["partial"] and re.match(r"\d{4}-\d\d-\d\d$", days[0]["date"])
    assert body["company_credits"]["total"] == 60000 and 0 < body["company_credits"]["percent_used"] < 100
    assert body["deployment"]["name"] == "flightdeck-demo-1" and body["stale"] == []


@pytest.mark.parametrize("section", ["users", "secrets", "account"])
def test_a_failing_platform_is_a_banner(alooma_client_as, alooma_emulator, section):
    """When Alooma answers 500, does each section still render (200), naming the failure?"""
    client = alooma_client_as("admin")
    client.get(f"{BASE}/schedules")  # signed in before the failures start
    alooma_emulator.faults(fail_next={"count": 100, "status": 500})
    response = client.get(f"{BASE}/inventory?section={section}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" in page and "server error (500)" in page
    assert "could not be loaded" in page
