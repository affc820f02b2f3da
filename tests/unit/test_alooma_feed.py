"""Alooma notifications normalisers and tallies on a recorded feed (24 hours to 2026-11-23 17:30 UTC)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from app.platforms.alooma.feed import (DEFAULT_WINDOW, chosen_severity, chosen_type, filtered, from_epoch_ms,
                                       newest_first, normalize_notification, tally, type_choices, window_of)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "alooma"
FEED = json.loads((FIXTURES / "notifications.json").read_text())
MESSAGES = FEED["messages"]
NOTES = [normalize_notification(m) for m in MESSAGES]


def test_a_recorded_notification_becomes_a_record():
    """Are time (epoch ms), severity, type description, message, count and params read from the reference shape?"""
    raw = next(m for m in MESSAGES if m["type"] == "METRICS_OUTPUT_EVENTS_LOADED")
    n = normalize_notification(raw)
    assert n.id == raw["id"] and n.severity == "info" and n.type == "METRICS_OUTPUT_EVENTS_LOADED"
    assert n.type_description == "Events Loaded to Output" and n.message == raw["message"] and n.count == 1
    assert n.at == datetime.fromtimestamp(raw["timestamp"] / 1000, tz=timezone.utc) and n.params == tuple(raw["params"])
    assert n.description == ""


def test_the_input_in_error_carries_its_aggregated_count():
    """Does an INPUT_ERROR entry keep aggregatedCount as its count (more than one failed pull an hour)?"""
    errors = [n for n in NOTES if n.type == "INPUT_ERROR"]
    assert errors and all(n.severity == "error" and n.params[0] == "Salesforce" for n in errors)
    assert max(n.count for n in errors) > 1
    assert [n.count for n in errors] == [m["aggregatedCount"] for m in MESSAGES if m["type"] == "INPUT_ERROR"]


def test_a_custom_notification_keeps_its_description():
    """Is a custom notification's description (its data) kept beside the message?"""
    (custom,) = [n for n in NOTES if n.type == "CUSTOM"]
    assert custom.severity == "warning" and custom.message == "Nightly row check found 0 rows"
    assert custom.description == '{"rows": 0}' and custom.type_description == "Custom Notification"


@pytest.mark.parametrize("raw, severity, count, at", [
    ({}, "info", 1, None),
    ({"severity": "ERROR", "aggregatedCount": 0, "timestamp": "yesterday"}, "error", 1, None),
    ({"aggregatedCount": True, "timestamp": 0}, "info", 1, datetime(1970, 1, 1, tzinfo=timezone.utc)),
    ({"aggregatedCount": 7.0, "timestamp": 1795455000000}, "info", 7, datetime(2026, 11, 23, 17, 30, tzinfo=timezone.utc)),
])
def test_missing_or_odd_fields_have_safe_values(raw, severity, count, at):
    """Is a sparse or odd entry read with severity info, count one and no time rather than failing?"""
    n = normalize_notification(raw)
    assert (n.severity, n.count, n.at) == (severity, count, at) and n.type_description == "—"


def test_a_type_without_description_is_named_by_its_code():
    """Does a notification without typeDescription show its type code?"""
    assert normalize_notification({"type": "NEW_THING"}).type_description == "NEW_THING"


def test_epoch_milliseconds_out_of_range_are_absent():
    """Is a timestamp no datetime can hold absent rather than an error?"""
    assert from_epoch_ms(10 ** 20) is None and from_epoch_ms(None) is None


def test_newest_first_puts_undated_entries_last():
    """Are notifications ordered newest first, undated ones after every dated one?"""
    shuffled = list(reversed(NOTES)) + [normalize_notification({"id": "x"})]
    ordered = newest_first(shuffled)
    stamps = [n.at for n in ordered[:-1]]
    assert stamps == sorted(stamps, reverse=True) and ordered[-1].id == "x"
    assert [n.id for n in newest_first(NOTES)] == [m["id"] for m in MESSAGES]  # Alooma's own order kept


def test_counts_per_severity_and_type_add_up_to_the_feed():
    """Do the per-severity and per-type tallies match the rows, in notifications and in occurrences?"""
    counts = tally(NOTES)
    assert counts.notifications == len(MESSAGES) == sum(t.notifications for t in counts.by_severity)
    assert counts.occurrences == sum(m["aggregatedCount"] for m in MESSAGES) == sum(t.occurrences for t in counts.by_type)
    for t in counts.by_type:
        rows = [m for m in MESSAGES if m["typeDescription"] == t.key]
        assert t.notifications == len(rows) and t.occurrences == sum(m["aggregatedCount"] for m in rows)
        assert t.latest == datetime.fromtimestamp(max(m["timestamp"] for m in rows) / 1000, tz=timezone.utc)
    assert [t.key for t in counts.by_severity] == ["error", "warning", "info"]
    errors = counts.severity("error")
    assert errors.notifications == len([m for m in MESSAGES if m["severity"] == "error"])
    input_errors = next(t for t in counts.by_type if t.key == "Input Error")
    assert input_errors.occurrences > input_errors.notifications and input_errors.severities == ("error",)


def test_every_severity_is_tallied_even_when_absent():
    """Does an empty feed still tally error, warning and info, each at zero?"""
    counts = tally([])
    assert [(t.key, t.notifications, t.occurrences) for t in counts.by_severity] == [
        ("error", 0, 0), ("warning", 0, 0), ("info", 0, 0)] and counts.by_type == ()
    assert counts.severity("critical").notifications == 0


def test_filters_by_severity_and_type():
    """Do the severity and type filters keep only matching notifications, and both together narrow further?"""
    errors = filtered(NOTES, "error")
    assert errors and all(n.severity == "error" for n in errors)
    loaded = filtered(NOTES, type_description="Events Loaded to Output")
    assert len(loaded) == len([m for m in MESSAGES if m["type"] == "METRICS_OUTPUT_EVENTS_LOADED"])
    assert filtered(NOTES, "info", "Input Error") == [] and filtered(NOTES) == NOTES


def test_unknown_filter_values_are_ignored():
    """Are a severity, type or window not offered ignored (treated as no choice, the default window)?"""
    types = type_choices(NOTES)
    assert chosen_severity("LOUD") == "" and chosen_severity(" Error ") == "error"
    assert chosen_type("Nothing Like It", types) == "" and chosen_type("Input Error", types) == "Input Error"
    assert window_of("2y") is DEFAULT_WINDOW and window_of(None).key == "24h" and window_of("7d").seconds == 7 * 86400


def test_type_choices_come_from_the_feed():
    """Does the type filter offer exactly the types in the feed, by name?"""
    assert type_choices(NOTES) == sorted({m["typeDescription"] for m in MESSAGES}, key=str.lower)
