"""Alooma emulator scheduled queries (consolidation v2): list, read, run now, remove, create."""
from __future__ import annotations

import time
from datetime import datetime, timedelta

from tests.sandbox.test_alooma_helpers import Alooma, assert_error

QUERY_KEYS = {"status", "error_stack", "deployment_name", "error_message", "next_processing_time",
              "last_success_time", "error_count", "state_id", "module_name", "consolidation_query", "configuration",
              "last_processing_time"}
CONFIG_KEYS = {"custom_query", "event_type", "deployment_name", "query_type", "run_at", "frequency"}


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_ten_queries_with_frequency_or_cron_two_in_error(alooma: Alooma) -> None:
    """GET v2/consolidation: a list of query objects as get_queries() shows; frequency (hours) or run_at (cron);
    exactly two carry an error message (the client's get_queries_in_error_state test)."""
    queries = alooma.get("v2/consolidation")
    assert len(queries) == 10 and all(set(q) == QUERY_KEYS and set(q["configuration"]) == CONFIG_KEYS for q in queries)
    assert all((q["configuration"]["frequency"] is None) != (q["configuration"]["run_at"] is None) for q in queries)
    assert {q["configuration"]["query_type"] for q in queries} == {"default", "custom"}
    failing = [q for q in queries if q["error_message"]]
    assert sorted(q["state_id"] for q in failing) == sorted(alooma.state()["queriesInError"])
    assert len(failing) == 2 and all(q["status"] == "failed" and q["error_count"] > 0 for q in failing)
    for q in queries:
        assert _when(q["last_processing_time"]) < _when(q["next_processing_time"])
        assert q["last_success_time"] is not None


def test_one_query_by_id_by_event_type_and_the_older_listing(alooma: Alooma) -> None:
    """GET v2/consolidation/{id}, ?event_type= filter, and GET consolidation as {state_id: query}; unknown 404."""
    first = alooma.get("v2/consolidation")[0]
    assert alooma.get(f"v2/consolidation/{first['state_id']}") == first
    event_type = first["configuration"]["event_type"]
    assert first in alooma.get(f"v2/consolidation?event_type={event_type}")
    assert all(q["configuration"]["event_type"] == event_type
               for q in alooma.get(f"v2/consolidation?event_type={event_type}"))
    older = alooma.get("consolidation")
    assert len(older) == 10 and older[first["state_id"]] == first
    assert_error(alooma.api("GET", "v2/consolidation/nope"), 404, "does not exist")


def test_schedules_move_with_the_clock(alooma: Alooma) -> None:
    """Eight days later every next run is still ahead, those that fell due moved on, healthy queries succeeded
    since, failing ones failed more."""
    alooma.freeze("2030-03-10T12:00:00Z")  # a fixed instant: the monthly query is next due on 1 April, after the 8 days
    later = datetime(2030, 3, 18, 12, 0)
    before = {q["state_id"]: q for q in alooma.get("v2/consolidation")}
    alooma.advance(8 * 86400)
    for q in alooma.get("v2/consolidation"):
        old = before[q["state_id"]]
        assert _when(q["next_processing_time"]) > later
        if _when(old["next_processing_time"]) <= later:
            assert _when(q["next_processing_time"]) > _when(old["next_processing_time"])
        else:
            assert q["next_processing_time"] == old["next_processing_time"]
        if q["error_message"]:
            assert q["error_count"] > old["error_count"] and q["last_success_time"] == old["last_success_time"]
        elif q["configuration"]["run_at"] != "0 0 1 * *":  # the monthly one may not have fired since
            assert _when(q["last_success_time"]) > _when(old["last_success_time"])


def test_run_now_of_a_lock_timeout_query_recovers_it(alooma: Alooma) -> None:
    """POST v2/consolidation/{id}/run: "running" at once (409 if run again), then active with a fresh last
    success and no error message; the success is notified."""
    alooma.freeze()
    since = int(time.time()) - 60
    query_id = alooma.state()["fixableQuery"]
    before = alooma.get(f"v2/consolidation/{query_id}")
    started = alooma.api("POST", f"v2/consolidation/{query_id}/run")
    assert started.status_code == 200 and started.json()["status"] == "running"
    assert_error(alooma.api("POST", f"v2/consolidation/{query_id}/run"), 409, "already running")
    alooma.advance(31)
    after = alooma.get(f"v2/consolidation/{query_id}")
    assert after["status"] == "active" and after["error_message"] == "" and after["error_count"] == before["error_count"]
    assert _when(after["last_success_time"]) > _when(before["last_success_time"])
    assert query_id not in alooma.state()["queriesInError"]
    messages = alooma.get(f"notifications?from={since}")["messages"]
    assert any(m["type"] == "SCHEDULED_QUERY_SUCCEEDED" and query_id in m["params"] for m in messages)


def test_run_now_of_a_broken_query_fails_again(alooma: Alooma) -> None:
    """A query with bad SQL runs, then is failed again with one more error and an error notification."""
    alooma.freeze()
    since = int(time.time()) - 60
    query_id = alooma.state()["brokenQuery"]
    before = alooma.get(f"v2/consolidation/{query_id}")
    assert alooma.api("POST", f"v2/consolidation/{query_id}/run").json()["status"] == "running"
    alooma.advance(31)
    after = alooma.get(f"v2/consolidation/{query_id}")
    assert after["status"] == "failed" and after["error_count"] == before["error_count"] + 1
    assert "syntax error" in after["error_message"]
    messages = alooma.get(f"notifications?from={since}")["messages"]
    assert any(m["type"] == "SCHEDULED_QUERY_FAILED" and m["severity"] == "error" for m in messages)


def test_remove_a_scheduled_query(alooma: Alooma) -> None:
    """DELETE v2/consolidation/{id}: 204, then 404, and the list has nine."""
    query_id = alooma.get("v2/consolidation")[0]["state_id"]
    assert alooma.api("DELETE", f"v2/consolidation/{query_id}").status_code == 204
    assert_error(alooma.api("GET", f"v2/consolidation/{query_id}"), 404)
    assert_error(alooma.api("DELETE", f"v2/consolidation/{query_id}"), 404)
    assert_error(alooma.api("POST", f"v2/consolidation/{query_id}/run"), 404)
    assert len(alooma.get("v2/consolidation")) == 9


def test_create_custom_and_default_queries(alooma: Alooma) -> None:
    """POST v2/consolidation/custom (the client's schedule_query body) and POST v2/consolidation; an unknown
    event type, neither or both of frequency and run_at, a bad cron: 400."""
    alooma.freeze("2030-01-01T00:00:00Z")
    custom = alooma.api("POST", "v2/consolidation/custom", json={
        "custom_query": "select 1;", "event_type": "shop.orders", "avoid_duplicates": False, "frequency": 2})
    assert custom.status_code == 200
    body = custom.json()
    assert body["configuration"]["custom_query"] == "select 1;" and body["status"] == "active"
    assert body["next_processing_time"] == "2030-01-01T02:00:00.000000" and body["last_success_time"] is None
    default = alooma.api("POST", "v2/consolidation", json={"event_type": "shop.orders", "run_at": "30 4 * * *"}).json()
    assert default["configuration"]["query_type"] == "default" and default["next_processing_time"].endswith("04:30:00.000000")
    assert len(alooma.get("v2/consolidation")) == 12
    for bad in ({"event_type": "nope", "frequency": 1, "custom_query": "x"},
                {"event_type": "shop.orders", "custom_query": "x"},
                {"event_type": "shop.orders", "custom_query": "x", "frequency": 1, "run_at": "* * * * *"},
                {"event_type": "shop.orders", "custom_query": "x", "run_at": "every day"},
                {"event_type": "shop.orders", "custom_query": "", "frequency": 1},
                {"event_type": "shop.orders", "custom_query": "x", "frequency": 0}):
        assert_error(alooma.api("POST", "v2/consolidation/custom", json=bad), 400)


def test_error_queries_error_count_counts_failed_fires(alooma: Alooma) -> None:
    """A failing query's error count grows by one per scheduled fire (the broken one fires every six hours)."""
    alooma.freeze()
    query_id = alooma.state()["brokenQuery"]
    before = alooma.get(f"v2/consolidation/{query_id}")
    assert before["configuration"]["run_at"] == "0 */6 * * *"
    alooma.advance(6 * 3600)
    after = alooma.get(f"v2/consolidation/{query_id}")
    assert after["error_count"] == before["error_count"] + 1
    assert _when(after["last_processing_time"]) - _when(before["last_processing_time"]) == timedelta(hours=6)
