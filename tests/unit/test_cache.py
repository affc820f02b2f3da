"""The read cache: fresh copies, the process's decoded copy, invalidation, and the last good copy when a read fails."""
from __future__ import annotations

import pytest

from app.cache import DERIVED_SIZE, cached_read, derived, invalidate
from app.errors import Unavailable
from app.extensions import cache


@pytest.fixture
def ctx(app):
    with app.app_context():
        cache.clear()
        yield


def test_warm_read_reuses_the_decoded_copy(ctx):
    """Is a warm read the very object fetched, with no second fetch?"""
    calls = []
    first = cached_read("c", "things", lambda: calls.append(1) or [object()])
    second = cached_read("c", "things", lambda: calls.append(1) or [object()])
    assert second.value is first.value and len(calls) == 1 and second.fetched_at == first.fetched_at


def test_a_copy_stored_by_another_worker_wins(ctx):
    """When the shared entry holds a newer copy than this process decoded, is the newer one read?"""
    cached_read("c", "things", lambda: ["old"])
    cache.set("fd:c::things", (["new"], 2e9), timeout=60)  # as another worker would ("c" is no stored connection)
    cache.set("fd:c::things:stamp", 2e9, timeout=60)
    assert cached_read("c", "things", lambda: ["fetched"]).value == ["new"]


def test_invalidate_forces_a_fetch(ctx):
    """After invalidate(), is the value fetched again?"""
    cached_read("c", "things", lambda: ["first"])
    invalidate("c", "things")
    assert cached_read("c", "things", lambda: ["second"]).value == ["second"]


def test_failure_serves_the_last_good_copy_marked_stale(ctx):
    """When the platform fails after a good read, is the last good copy served with the error attached?"""
    cached_read("c", "things", lambda: ["good"])
    invalidate("c", "things")

    def failing():
        raise Unavailable("c", "server error (503)")
    stale = cached_read("c", "things", failing)
    assert stale.value == ["good"] and stale.stale is not None and "503" in stale.stale.message


def test_failure_without_a_good_copy_raises(ctx):
    """With nothing ever fetched, does the platform's error reach the caller?"""
    def failing():
        raise Unavailable("c", "timed out")
    with pytest.raises(Unavailable):
        cached_read("c", "never", failing)


def test_derived_value_is_built_once_per_version():
    """Is a filtered list built once while its reads are unchanged, and again once they change?"""
    builds = []

    def build():
        builds.append(1)
        return ["sorted", len(builds)]
    first = derived("test-derived:list", ("c", 1.0), build)
    again = derived("test-derived:list", ("c", 1.0), build)
    changed = derived("test-derived:list", ("c", 2.0), build)
    assert again is first and changed == ["sorted", 2] and len(builds) == 2


def test_derived_values_are_bounded():
    """Are the least recently used derived values dropped, so memory stays bounded whatever users filter by?"""
    for n in range(DERIVED_SIZE + 5):
        derived(f"test-derived:bounded:{n}", 1, lambda: [n])
    rebuilt = []
    derived("test-derived:bounded:0", 1, lambda: rebuilt.append(1) or [0])
    kept = []
    derived(f"test-derived:bounded:{DERIVED_SIZE + 4}", 1, lambda: kept.append(1) or [])
    assert rebuilt == [1] and kept == []
