"""Per-connection read cache with a last-good copy, shown marked stale when the platform fails.

Values live in flask-caching (shared by workers when a shared backend is configured). A tiny stamp
entry beside each value says when it was fetched; each process keeps the objects it last decoded,
so a warm page reuses them instead of decoding 10,000 records on every request.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Generic, Hashable, TypeVar

from flask import current_app

from app.errors import AuthError, BadResponse, PlatformError, Unavailable
from app.extensions import cache

T = TypeVar("T")
STALE_OK = (Unavailable, BadResponse, AuthError)
OVERVIEW_DIGEST = "overview-digest"  # a connection's figures on the overview; dropped after any action on it
DECODED_SIZE = 256  # decoded values kept per process, least recently used dropped first
DERIVED_SIZE = 64  # filtered, sorted lists and rendered rows kept per process; a list may hold 100,000 references


class _VersionedLru:
    """Values of this process keyed by name, each valid only for the version it was made from.

    Records are never mutated, so a value can be handed to every thread that asks for the same version.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[Hashable, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: str, version: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = (version, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def get(self, key: str, version: Hashable) -> Any | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] != version:
                return None
            self._entries.move_to_end(key)
            return found[1]


_decoded = _VersionedLru(DECODED_SIZE)
_derived = _VersionedLru(DERIVED_SIZE)


def derived(name: str, version: Hashable, build: Callable[[], T]) -> T:
    """A value computed from cached reads (a filtered, sorted list; the owners in it), rebuilt only when the
    reads it came from change. `version` names those reads, e.g. their `fetched_at` stamps, so a page of
    10,000 schedules costs a slice, not a sort, while the data is unchanged."""
    known = _derived.get(name, version)
    if known is None:
        known = build()
        _derived.put(name, version, known)
    return known


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """A value with its age; `stale` carries the error that kept us from a fresh copy."""

    value: T
    fetched_at: float
    stale: PlatformError | None = None

    @property
    def age_seconds(self) -> float:
        return max(0.0, time.time() - self.fetched_at)


def stale_notes(*reads: Fetched[Any]) -> list[str]:
    """Why each of several reads is a last good copy rather than fresh, for a JSON answer's "stale" list."""
    return [f.stale.describe() for f in reads if f.stale is not None]


def _key(connection: str, name: str) -> str:
    """A read's key names the connection's revision: a connection edited in the browser (or removed and made again
    under its name) never serves the copies read with its old settings, in any worker."""
    from app.connections import registry

    known = registry().get(connection)
    revision = known.revision if known is not None else ""
    return f"fd:{connection}:{revision}:{name}"


def cached_read(connection: str, name: str, fetch: Callable[[], T], timeout: int | None = None,
                keep_last_good: bool = True) -> Fetched[T]:
    """Fresh from cache, else fetched; when fetching fails, the last good copy marked stale.

    Raises the PlatformError when there is no last good copy to fall back on. Derived values
    (charts keyed by the data they came from) pass keep_last_good=False.
    """
    key = _key(connection, name)
    stamp = cache.get(key + ":stamp")
    if stamp is not None:
        known = _decoded.get(key, stamp)
        if known is not None:
            return Fetched(value=known, fetched_at=stamp)
        hit = cache.get(key)
        if hit is not None:
            _decoded.put(key, hit[1], hit[0])
            return Fetched(value=hit[0], fetched_at=hit[1])
    try:
        value = fetch()
    except STALE_OK as error:
        last_good = cache.get(key + ":last-good")
        if last_good is None:
            raise
        return Fetched(value=last_good[0], fetched_at=last_good[1], stale=error)
    now = time.time()
    lifetime = timeout if timeout is not None else current_app.config["CACHE_DEFAULT_TIMEOUT"]
    cache.set(key, (value, now), timeout=lifetime)
    cache.set(key + ":stamp", now, timeout=lifetime)
    _decoded.put(key, now, value)
    if keep_last_good:
        cache.set(key + ":last-good", (value, now), timeout=0)
    return Fetched(value=value, fetched_at=now)


def invalidate(connection: str, *names: str) -> None:
    """Drop fresh copies after an action changed them (the last-good copy stays for outages)."""
    cache.delete_many(*[_key(connection, name) + suffix for name in names for suffix in ("", ":stamp")])


def invalidate_after_action(connection: str) -> None:
    """What every action on a connection makes stale beyond the platform's own reads: its overview figures."""
    invalidate(connection, OVERVIEW_DIGEST)
