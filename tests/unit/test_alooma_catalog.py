"""Alooma event types, sample counts and status codes: normalisers on recorded event-types, samples/stats and
status-types answers."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.platforms.alooma.catalog import (is_ok_code, normalize_event_type, normalize_event_types,
                                          normalize_sample_counts, normalize_status_types, sample_columns,
                                          with_samples)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "alooma"
RECORDED = json.loads((FIXTURES / "event_types.json").read_text())
TYPES = normalize_event_types(RECORDED["event_types"])
CODES = normalize_status_types(RECORDED["status_types"])
COUNTS = normalize_sample_counts(RECORDED["samples_stats"])


def _one(name: str):
    return next(e for e in with_samples(TYPES, COUNTS, CODES) if e.name == name)


def test_a_mapped_event_type_names_its_table_mode_and_input():
    """Is a mapped event type read with its state, mapping mode, schema.table and origin input?"""
    e = _one("shop.orders")
    assert (e.state, e.mapping_mode, e.using_default_mode) == ("MAPPED", "AUTO_MAP", True)
    assert e.destination == "public.shop_orders" and e.input_label == "Shop MySQL" and not e.discarded


def test_a_discarded_and_an_unmapped_event_type():
    """Is the discarded type's table "discarded", and the unmapped one without a table?"""
    assert _one("mp_events").destination == "discarded"
    signup = _one("signup")
    assert signup.state == "UNMAPPED" and signup.destination == "" and signup.input_label == "Signup Webhook"


def test_event_types_are_listed_by_name_and_nameless_ones_dropped():
    """Are the types sorted by name, and an entry without a name (or not an object) left out?"""
    assert [e.name for e in TYPES] == sorted((e["name"] for e in RECORDED["event_types"]), key=str.lower)
    assert normalize_event_types([{"state": "MAPPED"}, "junk", {"name": "x"}])[0].name == "x"


def test_a_sparse_event_type_has_safe_values():
    """Does an event type with no mapping read as unknown state, no table, not discarded?"""
    e = normalize_event_type({"name": "bare"})
    assert (e.state, e.mapping_mode, e.destination, e.discarded, e.samples) == ("unknown", "—", "", False, None)
    assert e.count("VALID") is None


def test_status_codes_valid_ones_are_ok_the_rest_errors():
    """Are the codes described "Valid" OK and every other code (type mismatch, truncation ...) an error?"""
    ok = {c.code for c in CODES if c.ok}
    assert ok == {"VALID", "NO_MAPPING", "NEW_TYPE", "DROP"}
    assert {c.code for c in CODES if not c.ok} == set(RECORDED["status_types"]) - ok
    assert next(c for c in CODES if c.code == "TYPE_MISMATCH").label == "type mismatch"


@pytest.mark.parametrize("code, description, ok", [
    ("VALID", None, True), ("DROP", "", True), ("SOMETHING_NEW", None, False), ("SOMETHING_NEW", "Valid", True),
    ("VALID", "Broken", False)])
def test_a_code_is_ok_by_its_description_else_by_the_known_valid_codes(code, description, ok):
    """Does the description decide, and without one only the four known valid codes count as OK?"""
    assert is_ok_code(code, description) is ok


def test_sample_counts_match_samples_stats_and_errors_add_up():
    """Does each type carry samples/stats' counts, with error samples the sum over its non-OK codes?"""
    ok = {c.code for c in CODES if c.ok}
    for e in with_samples(TYPES, COUNTS, CODES):
        raw = RECORDED["samples_stats"][e.name]
        assert {s.code: s.count for s in e.samples} == raw
        assert all(e.count(code) == n for code, n in raw.items()) and e.count("TRANSFORM_ERROR") == 0
        assert e.error_samples == sum(n for code, n in raw.items() if code not in ok)
        assert e.has_errors == (e.error_samples > 0)
    assert _one("shop.order_items").has_errors and not _one("shop.orders").has_errors
    assert not _one("signup").has_errors  # NO_MAPPING and NEW_TYPE samples are valid ones


def test_columns_are_the_codes_with_samples_ok_ones_first():
    """Are the count columns only codes with samples somewhere, OK codes first, then errors, in Alooma's order?"""
    columns = [c.code for c in sample_columns(COUNTS, CODES)]
    used = {code for per in RECORDED["samples_stats"].values() for code, n in per.items() if n}
    assert set(columns) == used and "TRANSFORM_ERROR" not in columns
    oks = [c.ok for c in sample_columns(COUNTS, CODES)]
    assert oks == sorted(oks, reverse=True)
    assert columns[0] == "VALID"


def test_a_code_missing_from_status_types_still_gets_a_column():
    """When samples/stats has a code status-types lacks (or status-types failed), is it still counted, as an error?"""
    counts = {"a": {"VALID": 3, "WEIRD": 2}}
    columns = sample_columns(counts, [])
    assert [(c.code, c.ok) for c in columns] == [("VALID", True), ("WEIRD", False)]
    (e,) = with_samples([normalize_event_type({"name": "a"})], counts, [])
    assert e.error_samples == 2


def test_nonsense_counts_are_left_out():
    """Are negative, boolean and non-numeric counts, and a type whose counts are not an object, dropped?"""
    assert normalize_sample_counts({"a": {"VALID": -1, "X": True, "Y": "3", "Z": 4}, "b": 5}) == {"a": {"Z": 4}}
