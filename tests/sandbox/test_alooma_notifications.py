"""Alooma emulator notifications: the feed since a time, accumulating with the clock, and custom ones."""
from __future__ import annotations

from datetime import datetime, timezone

from tests.sandbox.test_alooma_helpers import Alooma, assert_error

KEYS = {"description", "type", "timestamp", "params", "state", "aggregatedCount", "message", "typeDescription",
        "severity", "id"}
NOW = "2030-06-15T12:30:00Z"
NOW_S = int(datetime(2030, 6, 15, 12, 30, tzinfo=timezone.utc).timestamp())


def _messages(alooma: Alooma, since: int) -> list[dict]:
    return alooma.get(f"notifications?from={since}")["messages"]


def test_feed_since_a_time_has_the_reference_shape_newest_first(alooma: Alooma) -> None:
    """GET notifications?from=<epoch s>: {"messages": [...]} with every field, in [from, now], newest first."""
    alooma.freeze(NOW)
    messages = _messages(alooma, NOW_S - 6 * 3600)
    assert messages and all(set(m) == KEYS for m in messages)
    stamps = [m["timestamp"] for m in messages]
    assert stamps == sorted(stamps, reverse=True)
    assert (NOW_S - 6 * 3600) * 1000 <= stamps[-1] and stamps[0] <= NOW_S * 1000
    assert len({m["id"] for m in messages}) == len(messages)
    assert all(m["id"].startswith("alooma-notifications+") and m["state"] == "NEW" for m in messages)
    assert {m["severity"] for m in messages} <= {"info", "warning", "error"}
    loaded = [m for m in messages if m["type"] == "METRICS_OUTPUT_EVENTS_LOADED"]
    assert len(loaded) == 6 and all(m["typeDescription"] == "Events Loaded to Output" for m in loaded)


def test_the_failing_input_is_one_aggregated_error_per_hour(alooma: Alooma) -> None:
    """The input in error reports once an hour with aggregatedCount = failed pulls that hour."""
    alooma.freeze(NOW)
    failing = alooma.state()["inputInError"]
    sleep = alooma.get(f"inputSleepTime/{failing['id']}")["inputSleepTime"]
    errors = [m for m in _messages(alooma, NOW_S - 3 * 3600) if m["type"] == "INPUT_ERROR"]
    assert errors and all(m["severity"] == "error" and m["params"][0] == failing["name"] for m in errors)
    full_hours = [m for m in errors if m["timestamp"] < (NOW_S - 1800) * 1000]
    assert full_hours and all(m["aggregatedCount"] == int(3600 // sleep) for m in full_hours)


def test_failed_scheduled_query_fires_are_notified(alooma: Alooma) -> None:
    """Each fire of a failing query adds an error naming it."""
    alooma.freeze(NOW)
    failed = [m for m in _messages(alooma, NOW_S - 86400) if m["type"] == "SCHEDULED_QUERY_FAILED"]
    assert {m["params"][0] for m in failed} == set(alooma.state()["queriesInError"])


def test_notifications_accumulate_as_the_clock_moves(alooma: Alooma) -> None:
    """Two hours later the same `from` finds more, and the earlier ones unchanged."""
    alooma.freeze(NOW)
    since = NOW_S - 3600
    before = _messages(alooma, since)
    alooma.advance(7200)
    after = _messages(alooma, since)
    assert len(after) > len(before)
    assert [m for m in after if m["timestamp"] <= NOW_S * 1000 and m["type"] != "INPUT_ERROR"] == \
        [m for m in before if m["type"] != "INPUT_ERROR"]


def test_from_in_milliseconds_the_future_and_bad_values(alooma: Alooma) -> None:
    """Millisecond epochs are recognised; a future `from` finds nothing; text is a 400."""
    alooma.freeze(NOW)
    assert _messages(alooma, (NOW_S - 7200) * 1000) == _messages(alooma, NOW_S - 7200)
    assert _messages(alooma, NOW_S + 60) == []
    assert_error(alooma.api("GET", "notifications?from=yesterday"), 400)
    assert_error(alooma.api("GET", "notifications?from=-5"), 400)
    assert alooma.get("notifications")["messages"]  # no from: the last day


def test_custom_notifications_join_the_feed(alooma: Alooma) -> None:
    """POST notifications/custom {"level", "description", "data"} (publish_notification) is in the feed."""
    alooma.freeze(NOW)
    posted = alooma.api("POST", "notifications/custom",
                        json={"level": "ERROR", "description": "Nightly check failed", "data": {"rows": 0}})
    assert posted.status_code == 200 and set(posted.json()) == KEYS
    custom = [m for m in _messages(alooma, NOW_S - 60) if m["type"] == "CUSTOM"]
    assert len(custom) == 1 and custom[0]["severity"] == "error" and custom[0]["message"] == "Nightly check failed"
    assert custom[0]["description"] == '{"rows": 0}'
    assert_error(alooma.api("POST", "notifications/custom", json={"level": "LOUD", "description": "x"}), 400)
