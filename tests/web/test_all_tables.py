"""The all-schedules, all-runs and all-workflows tables across AAC and Server: filters, sorting, paging, export."""
from __future__ import annotations

import csv
import io
import re

import pytest

from tests.helpers import post_form


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


@pytest.mark.parametrize("url", ["/schedules", "/runs", "/workflows"])
def test_tables_mix_platforms_and_name_the_dead_connection(mixed_client_as, url):
    """Does each table hold rows of both platforms and a banner for the connection that did not answer?"""
    page = mixed_client_as("viewer").get(url + "?per_page=200").get_data(as_text=True)
    assert "Alteryx Analytics Cloud" in page and "Alteryx Server" in page
    assert re.search(r'class="banner banner-error"[^>]*>aac-dead: ', page)


def test_platform_and_status_filters(mixed_client_as):
    """Do the platform and status filters keep only matching runs?"""
    page = mixed_client_as("viewer").get("/runs?platform=server&status=failed&per_page=200").get_data(as_text=True)
    rows = _rows(page)
    assert rows and all("Alteryx Server" in r and "badge-failed" in r for r in rows)


def test_text_search_and_enabled_filter(mixed_client_as):
    """Do the text search and the enabled filter narrow the schedules?"""
    client = mixed_client_as("viewer")
    disabled = _rows(client.get("/schedules?enabled=no&per_page=200").get_data(as_text=True))
    assert disabled and all("badge-off" in r for r in disabled)
    word = re.search(r'<td class="name">(\w+)', client.get("/schedules").get_data(as_text=True)).group(1)
    found = _rows(client.get(f"/schedules?q={word}&per_page=200").get_data(as_text=True))
    assert found and all(word.lower() in r.lower() for r in found)


def test_sorting_and_paging_are_done_by_the_server(mixed_client_as):
    """Does sorting by name order the rows, and paging split them without overlap?"""
    client = mixed_client_as("viewer")
    names = re.findall(r'<td class="name">([^<]+)', client.get("/workflows?sort=name&per_page=200").get_data(
        as_text=True))
    assert names == sorted(names, key=str.lower) and len(names) >= 30
    first = client.get("/workflows?sort=name&per_page=10&page=1").get_data(as_text=True)
    second = client.get("/workflows?sort=name&per_page=10&page=2").get_data(as_text=True)
    assert not set(re.findall(r'<td class="name">([^<]+)', first)) & set(
        re.findall(r'<td class="name">([^<]+)', second))
    assert "page 1 of" in first


def test_time_range_filter(mixed_client_as):
    """Does a from/to range keep only runs that started on those days?"""
    client = mixed_client_as("viewer")
    exported = client.get("/runs?export=json").get_json()["items"]
    day = exported[0]["created"][:10]
    kept = client.get(f"/runs?from={day}&to={day}&export=json").get_json()["items"]
    assert kept and all(item["created"][:10] == day for item in kept)
    assert client.get("/runs?from=not-a-date").status_code == 200


def test_csv_export_follows_the_filters(mixed_client_as):
    """Does the CSV export stream the filtered rows, with a formula-safe header and the platform link?"""
    response = mixed_client_as("viewer").get("/schedules?platform=aac&export=csv")
    assert response.headers["Content-Disposition"].startswith("attachment; filename=flightdeck-schedules.csv")
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table[0][:3] == ["platform", "connection", "name"] and table[0][-1] == "link"
    assert len(table) > 20 and all(row[0] == "Alteryx Analytics Cloud" for row in table[1:])
    assert not any(cell.startswith(("=", "+", "@")) for row in table[1:] for cell in row)


def test_json_export_is_the_normalised_records(mixed_client_as):
    """Does the JSON export hold normalised records and name the failed connection?"""
    body = mixed_client_as("viewer").get("/workflows?export=json").get_json()
    assert body["total"] == len(body["items"]) and {"platform", "connection", "id", "name"} <= set(body["items"][0])
    assert any("aac-dead" in problem for problem in body["problems"])


def test_run_buttons_only_for_operators(mixed_client_as):
    """Do operators see Run buttons on the all-workflows table and viewers not?"""
    assert "/run/workflow/" in mixed_client_as("operator").get("/workflows?platform=server").get_data(as_text=True)
    assert "/run/" not in mixed_client_as("viewer").get("/workflows").get_data(as_text=True)


def test_names_with_markup_are_escaped(mixed_client_as):
    """Is a schedule name holding a script tag shown as text in the all-schedules table?"""
    page = mixed_client_as("viewer").get("/schedules?q=script&per_page=200").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_a_filtered_table_follows_an_action_at_once(mixed_client_as):
    """After a schedule is disabled, does the same filtered table, already shown once, list it as disabled?"""
    client = mixed_client_as("operator")
    url = "/schedules?platform=server&enabled=no&export=json"
    before = {item["id"] for item in client.get(url).get_json()["items"]}
    enabled = client.get("/schedules?platform=server&enabled=yes&export=json").get_json()["items"][0]
    assert enabled["id"] not in before
    assert post_form(client, f"/server/server-main/schedules/{enabled['id']}/toggle").status_code == 302
    after = {item["id"] for item in client.get(url).get_json()["items"]}
    assert after == before | {enabled["id"]}
