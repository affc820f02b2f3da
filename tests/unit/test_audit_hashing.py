"""The audit chain's hashing and its walk, on rows made in memory (no database)."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from app.audit_chain import GENESIS, HASHED_FIELDS, canonical_bytes, canonical_fields, format_at, row_hash, verify_rows

START = datetime(2026, 11, 23, 19, 40, 0, 0, tzinfo=timezone.utc)


def _row(n: int, **fields) -> SimpleNamespace:
    values = {name: None for name in HASHED_FIELDS}
    values.update(at=START + timedelta(seconds=n), username=f"user{n}", action="run_start", outcome="ok",
                  params=json.dumps({"n": n}), connection="aac-main")
    values.update(fields)
    return SimpleNamespace(id=n, prev_hash=None, row_hash=None, **values)


def _chain(count: int, first_prev: str = GENESIS, first_id: int = 1) -> list[SimpleNamespace]:
    rows, prev = [], first_prev
    for n in range(first_id, first_id + count):
        row = _row(n)
        row.prev_hash, row.row_hash = prev, row_hash(row, prev)
        prev = row.row_hash
        rows.append(row)
    return rows


def test_hash_is_sha256_of_sorted_compact_json():
    """Is row_hash exactly sha256 over the sorted-key JSON of the fields plus prev_hash, as documented?"""
    row = _row(1)
    expected = json.dumps({**canonical_fields(row), "prev_hash": GENESIS}, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False).encode()
    assert canonical_bytes(canonical_fields(row), GENESIS) == expected
    assert row_hash(row, GENESIS) == hashlib.sha256(expected).hexdigest()
    assert list(json.loads(expected)) == sorted([*HASHED_FIELDS, "prev_hash"])


@pytest.mark.parametrize("name", HASHED_FIELDS)
def test_every_field_is_covered(name):
    """Does changing any one hashed field (or the previous hash) change the row's hash?"""
    row = _row(1)
    before = row_hash(row, GENESIS)
    setattr(row, name, START + timedelta(microseconds=1) if name == "at" else "changed")
    assert row_hash(row, GENESIS) != before
    assert row_hash(_row(1), "f" * 64) != before


def test_null_and_empty_text_hash_differently():
    """Is a missing value (None) told apart from an empty string?"""
    assert row_hash(_row(1, error=None), GENESIS) != row_hash(_row(1, error=""), GENESIS)


def test_time_is_one_text_whatever_the_zone():
    """Does the same instant hash the same in UTC and in another zone, with microseconds always written?"""
    other_zone = START.astimezone(timezone(timedelta(hours=5, minutes=30)))
    assert format_at(START) == format_at(other_zone) == "2026-11-23T19:40:00.000000Z"
    assert row_hash(_row(1, at=START), GENESIS) == row_hash(_row(1, at=other_zone), GENESIS)
    with pytest.raises(ValueError):
        format_at(datetime(2026, 1, 1))


def test_intact_chain_reports_its_extent():
    """Is a well-formed chain intact, counted, and summarised with its first and last rows?"""
    report = verify_rows(_chain(5))
    assert report.intact and report.rows == report.chained == 5 and report.starts_from == "genesis"
    assert report.summary.startswith("intact: 5 rows, first #1 at 2026-11-23T19:40:01") and "last #5" in report.summary
    assert report.as_dict()["break"] is None


def test_empty_log_is_intact():
    """Is an empty audit log reported as intact with 0 rows?"""
    report = verify_rows([])
    assert report.intact and report.rows == 0 and "0 rows" in report.summary


def test_changed_field_breaks_at_that_row():
    """Is a row whose field changed after hashing reported at that row, as a contents mismatch?"""
    rows = _chain(6)
    rows[2].username = "mallory"
    report = verify_rows(rows)
    assert not report.intact and report.broken_at.id == 3 and "contents" in report.reason
    assert report.rows == 2 and report.as_dict()["break"]["id"] == 3


def test_removed_row_breaks_at_the_next_one():
    """Is a removed middle row reported at the row after the gap, naming the row before it?"""
    rows = _chain(6)
    del rows[3]  # id 4
    report = verify_rows(rows)
    assert report.broken_at.id == 5 and "#3" in report.reason and "removed" in report.reason


def test_rewritten_hash_breaks_at_the_next_row():
    """When a changed row's hash is recomputed too, does the next row's prev_hash give it away?"""
    rows = _chain(4)
    rows[1].username = "mallory"
    rows[1].row_hash = row_hash(rows[1], rows[1].prev_hash)
    assert verify_rows(rows).broken_at.id == 3


def test_unchained_rows_before_the_chain_are_not_a_break():
    """Are rows without a hash before the first chained row counted as unchained, not a break?"""
    rows = [_row(1), _row(2)] + _chain(3, first_id=3)
    report = verify_rows(rows)
    assert report.intact and report.unchained == 2 and report.chained == 3 and report.rows == 5
    assert "2 unchained, before the chain began" in report.summary


def test_unchained_row_after_the_chain_began_is_a_break():
    """Is a row without a hash after a chained row reported as a break?"""
    rows = _chain(3) + [_row(4)]
    report = verify_rows(rows)
    assert report.broken_at.id == 4 and "no hash" in report.reason


def test_pruned_start_needs_a_recorded_anchor():
    """Does a chain starting mid-way verify only when its first prev_hash is a recorded prune anchor?"""
    full = _chain(6)
    kept = full[3:]
    anchor = full[2].row_hash
    assert verify_rows(kept).broken_at.id == 4
    report = verify_rows(kept, anchors=[anchor])
    assert report.intact and report.starts_from == "prune anchor" and report.anchor == anchor
    assert verify_rows(full[4:], anchors=[anchor]).broken_at.id == 5  # one more row removed than the prune did
