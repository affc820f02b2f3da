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
from typing import Any, Callable, Generic, TypeVar

from flask import current_app

from app.errors import AuthError, BadResponse, PlatformError, Unavailable
from app.extensions import cache

T = TypeVar("T")
STALE_OK = (Unavailable, BadResponse, AuthError)
OVERVIEW_DIGEST = "overview-digest"  # a connection's figures on the overview; dropped after any action on it
MEMO_SIZE = 256  # decoded values kept per process, least recently used dropped first

_memo: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_memo_lock = threading.Lock()


def _remember(key: str, fetched_at: float, value: Any) -> None:
    with _memo_lock:
        _memo[key] = (fetched_at, value)
        _memo.move_to_end(key)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)


def _recall(key: str, fetched_at: float) -> Any | None:
    """The decoded value of this process, if it is the copy stamped `fetched_at`; records are never mutated."""
    with _memo_lock:
        found = _memo.get(key)
        if found is None or found[0] != fetched_at:
            return None
        _memo.move_to_end(key)
        return found[1]


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """A value with its age; `stale` carries the error that kept us from a fresh copy."""

    value: T
    fetched_at: float
    stale: PlatformError | None = None

    @property
    def age_seconds(self) -> float:
        return max(0.0, time.time() - self.fetched_at)


def _key(connection: str, name: str) -> str:
    return f"fd:{connection}:{name}"


def cached_read(connection: str, name: str, fetch: Callable[[], T], timeout: int | None = None,
                keep_last_good: bool = True) -> Fetched[T]:
    """Fresh from cache, else fetched; when fetching fails, the last good copy marked stale.

    Raises the PlatformError when there is no last good copy to fall back on. Derived values
    (charts keyed by the data they came from) pass keep_last_good=False.
    """
    key = _key(connection, name)
    stamp = cache.get(key + ":stamp")
    if stamp is not None:
        known = _recall(key, stamp)
        if known is not None:
            return Fetched(value=known, fetched_at=stamp)
        hit = cache.get(key)
        if hit is not None:
            _remember(key, hit[1], hit[0])
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
    _remember(key, now, value)
    if keep_last_good:
        cache.set(key + ":last-good", (value, now), timeout=0)
    return Fetched(value=value, fetched_at=now)


def invalidate(connection: str, *names: str) -> None:
    """Drop fresh copies after an action changed them (the last-good copy stays for outages)."""
    cache.delete_many(*[_key(connection, name) + suffix for name in names for suffix in ("", ":stamp")])


def invalidate_after_action(connection: str) -> None:
    """What every action on a connection makes stale beyond the platform's own reads: its overview figures."""
    invalidate(connection, OVERVIEW_DIGEST)
