"""Alooma notifications page and /notifications.json: the window, severity and type filters, counts, the cache."""
from __future__ import annotations

import html
import os
import re
from urllib.parse import quote

import pytest
import requests

from app.platforms.alooma.feed import invalidate_feed

BASE = "/alooma/alooma-main"
KEY_BASE = "/alooma/alooma-key"


def _feed(client, base: str = BASE, **args: str) -> dict:
    query = "&".join(f"{k}={quote(v)}" for k, v in args.items())
    response = client.get(f"{base}/notifications.json?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _rows(page: str) -> list[str]:
    """The feed table's body rows."""
    body = page.split('<table class="data feed">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<tr class="severity-[^"]*">(.*?)</tr>', body, re.S)


def _post_custom(emulator, text: str) -> None:
    """Publish a custom notification the way the alooma client does, with the minted API key."""
    key = os.environ["ALOOMA_KEY_API_KEY"]
    response = requests.post(f"{emulator.url}/flightdeck-demo/rest/notifications/custom", timeout=10,
                             headers={"authorization": f"API {key}"},
                             json={"level": "ERROR", "description": text, "data": {"rows": 0}})
    response.raise_for_status()


@pytest.mark.parametrize("role", ["viewer", "operator", "admin"])
def test_every_role_sees_the_feed_and_its_tab(alooma_client_as, role):
    """Does every signed-in role get the feed (no banner) with a lit Notifications tab?"""
    response = alooma_client_as(role).get(f"{BASE}/notifications")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" not in page and "<h1>Notifications</h1>" in page
    assert re.search(r'href="/alooma/alooma-main/notifications" aria-current="page"', page)
    assert f"{BASE}/notifications" in alooma_client_as(role).get(f"{BASE}/schedules").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(alooma_app):
    """Are the page and its JSON twin refused to someone not signed in?"""
    client = alooma_app.test_client()
    for url in (f"{BASE}/notifications", f"{BASE}/notifications.json"):
        response = client.get(url)
        assert response.status_code in (302, 401) and b"Input Salesforce" not in response.data


def test_an_unknown_connection_is_a_404(alooma_client_as):
    """Is a connection nobody configured a 404, for the page and the JSON twin?"""
    client = alooma_client_as("viewer")
    assert client.get("/alooma/nobody/notifications").status_code == 404
    assert client.get("/alooma/nobody/notifications.json").status_code == 404


def test_the_window_changes_what_is_asked(alooma_client_as):
    """Does the last hour hold fewer notifications than the last 7 days, all of them after its start?"""
    client = alooma_client_as("viewer")
    hour, week = _feed(client, since="1h"), _feed(client, since="7d")
    assert hour["window"] == "1h" and week["window"] == "7d" and hour["since"] > week["since"]
    assert 0 < hour["total"] < week["total"]
    assert all(item["at"] >= hour["since"] for item in hour["items"] if item["at"])
    assert min(item["at"] for item in week["items"]) < hour["since"]


def test_the_default_window_is_a_day_and_newest_first(alooma_client_as):
    """Without a choice, is the window 24 hours, its rows newest first?"""
    body = _feed(alooma_client_as("viewer"))
    stamps = [item["at"] for item in body["items"]]
    assert body["window"] == "24h" and stamps == sorted(stamps, reverse=True)
    assert "last 24 hours" in alooma_client_as("viewer").get(f"{BASE}/notifications").get_data(as_text=True)


def test_the_severity_filter(alooma_client_as):
    """Does severity=error keep only errors, on the page and in the JSON, as many as the error count says?"""
    client = alooma_client_as("viewer")
    body = _feed(client, severity="error")
    assert body["total"] and {item["severity"] for item in body["items"]} == {"error"}
    errors = next(t for t in body["counts"]["by_severity"] if t["key"] == "error")
    assert body["total"] == errors["notifications"]
    page = client.get(f"{BASE}/notifications?severity=error&per_page=200").get_data(as_text=True)
    rows = _rows(page)
    assert len(rows) == body["total"] and all("badge-level-error" in r for r in rows)


def test_the_type_filter_offers_what_is_in_the_feed(alooma_client_as):
    """Is the type filter offered from the feed's types, and does choosing one keep only that type?"""
    client = alooma_client_as("viewer")
    everything = _feed(client)
    page = client.get(f"{BASE}/notifications").get_data(as_text=True)
    for t in everything["counts"]["by_type"]:
        assert f'<option value="{t["key"]}"' in page
    body = _feed(client, type="Events Loaded to Output")
    assert body["type"] == "Events Loaded to Output" and body["total"]
    assert {item["type"] for item in body["items"]} == {"METRICS_OUTPUT_EVENTS_LOADED"}


def test_both_filters_together_narrow_the_feed(alooma_client_as):
    """Does info plus Input Error find nothing, and say so on the page?"""
    client = alooma_client_as("viewer")
    assert _feed(client, severity="info", type="Input Error")["total"] == 0
    page = client.get(f"{BASE}/notifications?severity=info&type=Input+Error").get_data(as_text=True)
    assert "No notifications match these filters" in page


def test_unknown_filter_values_are_ignored(alooma_client_as):
    """Are an unknown window, severity and type ignored (the default feed), not an error?"""
    client = alooma_client_as("viewer")
    odd = _feed(client, since="2y", severity="LOUD", type="Nothing like it")
    plain = _feed(client)
    assert odd["window"] == "24h" and odd["severity"] is None and odd["type"] is None
    assert odd["total"] == plain["total"]
    response = client.get(f"{BASE}/notifications?since=2y&severity=LOUD&type=Nope&page=zz")
    assert response.status_code == 200 and b"banner-error" not in response.data


def test_aggregated_counts_match_the_rows(alooma_client_as):
    """Do the counts per severity and per type add up to the rows, in notifications and occurrences?"""
    body = _feed(alooma_client_as("viewer"), since="7d")
    items, counts = body["items"], body["counts"]
    assert counts["notifications"] == len(items) == body["total"]
    assert counts["occurrences"] == sum(item["count"] for item in items)
    for t in counts["by_severity"]:
        assert t["notifications"] == len([i for i in items if i["severity"] == t["key"]])
    for t in counts["by_type"]:
        mine = [i for i in items if i["type_description"] == t["key"]]
        assert t["notifications"] == len(mine) and t["occurrences"] == sum(i["count"] for i in mine)


def test_the_input_in_error_shows_its_aggregated_errors(alooma_client_as, alooma_emulator):
    """Does the failing input's hourly error show as one row with ×N (N failed pulls), counted in occurrences?"""
    failing = alooma_emulator.state()["inputInError"]["name"]
    client = alooma_client_as("viewer")
    body = _feed(client, type="Input Error")
    assert body["items"] and all(i["params"][0] == failing for i in body["items"])
    top = max(i["count"] for i in body["items"])
    assert top > 1
    tally = next(t for t in body["counts"]["by_type"] if t["key"] == "Input Error")
    assert tally["occurrences"] == sum(i["count"] for i in body["items"]) > tally["notifications"]
    page = client.get(f"{BASE}/notifications?type=Input+Error&per_page=200").get_data(as_text=True)
    assert f"Input {failing} failed" in page and f"×{top}</span>" in page


def test_single_notifications_show_no_count(alooma_client_as):
    """Is the ×N mark left off rows that stand for one occurrence?"""
    page = alooma_client_as("viewer").get(f"{BASE}/notifications?type=Events+Loaded+to+Output").get_data(as_text=True)
    rows = _rows(page)
    assert rows and not any("×" in r for r in rows)


def test_a_new_notification_appears_once_the_cache_is_dropped(alooma_client_as, alooma_app, alooma_emulator):
    """Is a notification published in Alooma shown after the feed's copy is dropped (kept until then)?"""
    client = alooma_client_as("viewer")
    text = "Nightly row check found 0 rows"
    assert text not in client.get(f"{BASE}/notifications").get_data(as_text=True)
    _post_custom(alooma_emulator, text)
    assert text not in client.get(f"{BASE}/notifications").get_data(as_text=True)  # the minute's copy
    with alooma_app.app_context():
        invalidate_feed("alooma-main")
    page = client.get(f"{BASE}/notifications?severity=error").get_data(as_text=True)
    assert text in _rows(page)[0] and "Custom Notification" in _rows(page)[0]  # the newest
    (custom,) = _feed(client, type="Custom Notification")["items"]
    assert custom["message"] == text and custom["description"] == '{"rows": 0}' and custom["severity"] == "error"


def test_the_api_key_connection_reads_the_same_feed(alooma_client_as):
    """Does the API key connection list the same notifications as the login one?"""
    client = alooma_client_as("viewer")
    assert _feed(client, KEY_BASE, since="6h")["counts"]["by_type"] == _feed(client, since="6h")["counts"]["by_type"]


def test_the_feed_is_paginated(alooma_client_as):
    """With 5 rows a page, does page 2 show the next five, newest first across pages?"""
    client = alooma_client_as("viewer")
    body = _feed(client)
    first = _rows(client.get(f"{BASE}/notifications?per_page=5").get_data(as_text=True))
    second_page = client.get(f"{BASE}/notifications?per_page=5&page=2").get_data(as_text=True)
    assert len(first) == 5 and len(_rows(second_page)) == 5
    assert f"6–10 of {body['total']}" in second_page
    assert body["items"][5]["message"] in html.unescape(_rows(second_page)[0])  # some messages hold quotes


@pytest.mark.parametrize("knob", [{"fail_next": {"count": 200, "status": 500}}, {"malformed_next": {"count": 200}}])
def test_a_failing_platform_is_a_banner(alooma_client_as, alooma_emulator, knob):
    """When Alooma fails or answers nonsense, does the page still render with a banner and an empty state?"""
    client = alooma_client_as("viewer")
    alooma_emulator.faults(**knob)
    response = client.get(f"{KEY_BASE}/notifications")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" in page and "could not be loaded" in page


def test_a_failing_platform_is_a_json_error(alooma_client_as, alooma_emulator):
    """Does the JSON twin answer a JSON error naming the connection, not a 500?"""
    client = alooma_client_as("viewer")
    alooma_emulator.faults(fail_next={"count": 200, "status": 500})
    response = client.get(f"{KEY_BASE}/notifications.json")
    assert response.status_code == 503 and "alooma-key" in response.get_json()["error"]["message"]


def test_a_stale_copy_is_shown_marked_when_alooma_fails_later(alooma_client_as, alooma_app, alooma_emulator):
    """After a good read, does an outage show the last copy marked stale rather than nothing?"""
    client = alooma_client_as("viewer")
    total = _feed(client, KEY_BASE)["total"]
    with alooma_app.app_context():
        invalidate_feed("alooma-key")
    alooma_emulator.faults(fail_next={"count": 200, "status": 503})
    page = client.get(f"{KEY_BASE}/notifications").get_data(as_text=True)
    assert "banner-stale" in page and f"of {total}" in page
