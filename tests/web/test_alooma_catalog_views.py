"""Alooma event types page and /event-types.json: mapping, table, input, samples per status code, filters."""
from __future__ import annotations

import os
import re

import pytest
import requests

BASE = "/alooma/alooma-main"
KEY_BASE = "/alooma/alooma-key"


def _rest(emulator, path: str):
    """What the emulator answers the alooma client, with the minted API key."""
    response = requests.get(f"{emulator.url}/flightdeck-demo/rest/{path}", timeout=10,
                            headers={"authorization": f"API {os.environ['ALOOMA_KEY_API_KEY']}"})
    response.raise_for_status()
    return response.json()


def _json(client, query: str = "", base: str = BASE) -> dict:
    response = client.get(f"{base}/event-types.json{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _row(page: str, name: str) -> str:
    match = re.search(rf'<tr[^>]*data-event-type="{re.escape(name)}">(.*?)</tr>', page, re.S)
    assert match, name
    return match.group(0)


def _names(page: str) -> list[str]:
    return re.findall(r'data-event-type="([^"]+)"', page)


@pytest.mark.parametrize("role", ["viewer", "operator", "admin"])
def test_every_role_sees_the_event_types_and_their_tab(alooma_client_as, role):
    """Does every signed-in role get the table (no banner) with a lit Event types tab, and no buttons?"""
    response = alooma_client_as(role).get(f"{BASE}/event-types")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" not in page and "<h1>Event types</h1>" in page
    assert re.search(r'href="/alooma/alooma-main/event-types" aria-current="page"', page)
    content = page.split("<h1>Event types</h1>", 1)[1]
    assert "<button type=\"submit\">Apply</button>" in content and 'method="post"' not in content.lower()


def test_signed_out_visitors_are_sent_to_sign_in(alooma_app):
    """Are the page and its JSON twin refused to someone not signed in?"""
    client = alooma_app.test_client()
    for url in (f"{BASE}/event-types", f"{BASE}/event-types.json"):
        response = client.get(url)
        assert response.status_code in (302, 401) and b"shop.orders" not in response.data


def test_an_unknown_connection_is_a_404(alooma_client_as):
    """Is a connection nobody configured a 404, for the page and the JSON twin?"""
    client = alooma_client_as("viewer")
    assert client.get("/alooma/nobody/event-types").status_code == 404
    assert client.get("/alooma/nobody/event-types.json").status_code == 404


def test_the_table_matches_alooma_event_types(alooma_client_as, alooma_emulator):
    """Is every event type listed with its state, mapping mode, schema.table (or discarded) and origin input?"""
    raw = {e["name"]: e for e in _rest(alooma_emulator, "event-types")}
    body = _json(alooma_client_as("viewer"))
    assert body["total"] == len(raw) == alooma_emulator.state()["eventTypes"]
    for item in body["items"]:
        e = raw[item["name"]]
        assert (item["state"], item["mapping_mode"], item["input_label"]) == (
            e["state"], e["mappingMode"], e["origInputLabel"])
        expected = "discarded" if e["mapping"]["isDiscarded"] else (
            f'{e["mapping"]["schema"]}.{e["mapping"]["tableName"]}' if e["mapping"]["tableName"] else "")
        assert item["destination"] == expected
    page = alooma_client_as("viewer").get(f"{BASE}/event-types").get_data(as_text=True)
    assert "<code>public.shop_orders</code>" in _row(page, "shop.orders") and "Shop MySQL" in _row(page, "shop.orders")
    assert "discarded" in _row(page, "mp_events") and "no table yet" in _row(page, "signup")
    assert "unmapped" in _row(page, "signup")


def test_sample_counts_match_samples_stats(alooma_client_as, alooma_emulator):
    """Are each type's counts per status code those of samples/stats, on the page and in the JSON?"""
    stats = _rest(alooma_emulator, "samples/stats")
    client = alooma_client_as("viewer")
    body = _json(client)
    assert {item["name"]: item["samples"] for item in body["items"]} == stats
    page = client.get(f"{BASE}/event-types").get_data(as_text=True)
    header = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    codes = re.findall(r'<abbr title="([A-Z_]+)', header)
    used = {code for per in stats.values() for code, n in per.items() if n}
    assert set(codes) == used
    for name, per in stats.items():
        cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', _row(page, name))
        assert cells[1:] == [str(per.get(code) or "") for code in codes]  # after the error samples


def test_status_codes_head_the_columns_with_their_descriptions(alooma_client_as, alooma_emulator):
    """Do the count columns carry status-types' descriptions as tooltips, error codes marked as errors?"""
    described = _rest(alooma_emulator, "status-types")
    client = alooma_client_as("viewer")
    page = client.get(f"{BASE}/event-types").get_data(as_text=True)
    assert f'title="TYPE_MISMATCH: {described["TYPE_MISMATCH"]} (error)"' in page
    assert f'title="VALID: {described["VALID"]}"' in page
    assert {c["code"]: c["description"] for c in _json(client)["status_codes"]} == described


def test_event_types_with_error_samples_stand_out(alooma_client_as, alooma_emulator):
    """Are types with non-valid samples marked (row, badge, error count), and clean ones (signup included) not?"""
    stats = _rest(alooma_emulator, "samples/stats")
    ok = {"VALID", "NO_MAPPING", "NEW_TYPE", "DROP"}
    errors = {name: sum(n for code, n in per.items() if code not in ok) for name, per in stats.items()}
    page = alooma_client_as("viewer").get(f"{BASE}/event-types").get_data(as_text=True)
    for name, count in errors.items():
        row = _row(page, name)
        assert ('class="has-error-samples"' in row) == (count > 0), name
        assert f'<td class="num{" bad" if count else ""}">{count}</td>' in row
    flagged = sum(1 for n in errors.values() if n)
    assert 0 < flagged < len(errors) and f"{flagged} with error samples" in page


def test_filter_by_samples_with_errors(alooma_client_as):
    """Does samples=errors keep only the types with error samples, and samples=clean the others?"""
    client = alooma_client_as("viewer")
    bad, clean, every = _json(client, "?samples=errors"), _json(client, "?samples=clean"), _json(client)
    assert bad["total"] and all(i["has_errors"] for i in bad["items"])
    assert clean["total"] and not any(i["has_errors"] for i in clean["items"])
    assert bad["total"] + clean["total"] == every["total"]


def test_search_by_name_and_filter_by_state(alooma_client_as):
    """Does q match names (any case) and state=UNMAPPED keep only the unmapped type?"""
    client = alooma_client_as("viewer")
    assert {i["name"] for i in _json(client, "?q=SHOP.")["items"]} == {"shop.orders", "shop.customers",
                                                                        "shop.order_items"}
    assert [i["name"] for i in _json(client, "?state=UNMAPPED")["items"]] == ["signup"]
    page = client.get(f"{BASE}/event-types?q=mongo").get_data(as_text=True)
    assert _names(page) == ["mongo.devices", "mongo.users"]
    assert "No event types match these filters" in client.get(f"{BASE}/event-types?q=zzz").get_data(as_text=True)


def test_unknown_filter_values_are_ignored(alooma_client_as):
    """Are a state and a samples choice that are not offered ignored rather than emptying the table?"""
    client = alooma_client_as("viewer")
    assert _json(client, "?state=BROKEN&samples=maybe")["total"] == _json(client)["total"]
    assert client.get(f"{BASE}/event-types?state=BROKEN&page=-3").status_code == 200


def test_the_table_is_paginated_by_name(alooma_client_as):
    """With 5 rows a page, are the types split across pages in name order?"""
    client = alooma_client_as("viewer")
    every = [i["name"] for i in _json(client)["items"]]
    assert every == sorted(every, key=str.lower)
    first = _names(client.get(f"{BASE}/event-types?per_page=5").get_data(as_text=True))
    second = _names(client.get(f"{BASE}/event-types?per_page=5&page=2").get_data(as_text=True))
    assert first == every[:5] and second == every[5:10]


def test_the_api_key_connection_lists_the_same(alooma_client_as):
    """Does the API key connection show the same event types and counts as the login one?"""
    client = alooma_client_as("viewer")
    assert _json(client, base=KEY_BASE)["items"] == _json(client)["items"]


@pytest.mark.parametrize("knob", [{"fail_next": {"count": 200, "status": 500}}, {"malformed_next": {"count": 200}}])
def test_a_failing_platform_is_a_banner(alooma_client_as, alooma_emulator, knob):
    """When Alooma fails or answers nonsense, does the page render with a banner and say the table is missing?"""
    client = alooma_client_as("viewer")
    alooma_emulator.faults(**knob)
    response = client.get(f"{KEY_BASE}/event-types")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" in page and "could not be loaded" in page


def test_failing_sample_counts_leave_the_types_listed(alooma_client_as, alooma_emulator):
    """When only samples/stats fails, are the types still listed, with a banner and the counts said missing?"""
    alooma_emulator.faults(fail_next={"count": 50, "status": 500, "path": "/flightdeck-demo/rest/samples"})
    page = alooma_client_as("viewer").get(f"{KEY_BASE}/event-types").get_data(as_text=True)
    assert "banner-error" in page and "shop.orders" in page and "Sample counts are missing" in page
    assert "error samples" not in page.split("<thead>", 1)[1].split("</thead>", 1)[0]


def test_a_failing_platform_is_a_json_error(alooma_client_as, alooma_emulator):
    """Does the JSON twin answer a JSON error naming the connection, not a 500?"""
    client = alooma_client_as("viewer")
    alooma_emulator.faults(fail_next={"count": 200, "status": 500})
    response = client.get(f"{KEY_BASE}/event-types.json")
    assert response.status_code == 503 and "alooma-key" in response.get_json()["error"]["message"]
