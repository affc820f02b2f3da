"""Alooma's notifications feed: what the account reported since a chosen time, with counts per severity and type.

The normalisers and tallies are pure functions of `GET notifications?from=` (tested on a recorded answer);
AloomaFeed reads through the service's client, each window cached per connection for a minute.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from app.cache import Fetched, cached_read, derived, invalidate

FEED_TTL = 60  # hourly and per-fire notices: a minute old is fresh enough, and actions drop it (invalidate_feed)
SEVERITIES = ("error", "warning", "info")  # the words Alooma uses, most serious first
RETENTION_DAYS = 30  # Alooma keeps a month of notifications


@dataclass(frozen=True)
class Window:
    """A choice of how far back the feed reaches."""

    key: str
    label: str
    seconds: int


WINDOWS = (Window("1h", "last hour", 3600), Window("6h", "last 6 hours", 6 * 3600),
           Window("24h", "last 24 hours", 86400), Window("7d", "last 7 days", 7 * 86400),
           Window("30d", "last 30 days", RETENTION_DAYS * 86400))
DEFAULT_WINDOW = WINDOWS[2]


@dataclass(frozen=True)
class Notification:
    """One entry of the feed; `count` is Alooma's aggregatedCount (how many occurrences the entry stands for)."""

    id: str
    at: datetime | None
    severity: str
    type: str
    type_description: str
    message: str
    description: str
    count: int
    params: tuple[str, ...]


@dataclass(frozen=True)
class Tally:
    """How many notifications of one severity or type, and how many occurrences they aggregate."""

    key: str
    notifications: int
    occurrences: int
    latest: datetime | None = None
    severities: tuple[str, ...] = ()  # for a type: the severities it came with, most serious first


@dataclass(frozen=True)
class FeedCounts:
    """The window's totals, per severity (every one of SEVERITIES, then any other word) and per type."""

    notifications: int
    occurrences: int
    by_severity: tuple[Tally, ...]
    by_type: tuple[Tally, ...]

    def severity(self, word: str) -> Tally:
        return next((t for t in self.by_severity if t.key == word), Tally(word, 0, 0))


# --- pure normalisers ----------------------------------------------------------------------------------
def window_of(key: Any) -> Window:
    """The window a query string names; anything else is the default (not an error)."""
    return next((w for w in WINDOWS if w.key == key), DEFAULT_WINDOW)


def from_epoch_ms(value: Any) -> datetime | None:
    """Alooma stamps notifications in epoch milliseconds; anything else is absent rather than an error."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def _count(value: Any) -> int:
    """aggregatedCount as a positive whole number; missing or nonsense counts as one."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 1:
        return 1
    return int(value)


def normalize_notification(raw: dict) -> Notification:
    """One `messages` entry; the type is named by its typeDescription, else its type code."""
    kind = str(raw.get("type") or "")
    params = raw.get("params") if isinstance(raw.get("params"), list) else []
    return Notification(
        id=str(raw.get("id") or ""), at=from_epoch_ms(raw.get("timestamp")),
        severity=str(raw.get("severity") or "info").strip().lower(), type=kind,
        type_description=str(raw.get("typeDescription") or kind or "—"), message=str(raw.get("message") or ""),
        description=str(raw.get("description") or ""), count=_count(raw.get("aggregatedCount")),
        params=tuple(str(p) for p in params))


def newest_first(found: Iterable[Notification]) -> list[Notification]:
    """By time, newest first (as Alooma answers, made sure of); undated entries last."""
    earliest = datetime.min.replace(tzinfo=timezone.utc)
    return sorted(found, key=lambda n: (n.at is not None, n.at or earliest, n.id), reverse=True)


def chosen_severity(value: Any) -> str:
    """A severity from the query string; an unknown one is ignored."""
    word = str(value or "").strip().lower()
    return word if word in SEVERITIES else ""


def chosen_type(value: Any, offered: Iterable[str]) -> str:
    """A type (its description) from the query string; one not in the feed is ignored."""
    wanted = str(value or "")
    return wanted if wanted in set(offered) else ""


def filtered(items: Iterable[Notification], severity: str = "", type_description: str = "") -> list[Notification]:
    """The notifications of that severity and type ("" = any)."""
    return [n for n in items if (not severity or n.severity == severity)
            and (not type_description or n.type_description == type_description)]


def _tally(key: str, group: list[Notification]) -> Tally:
    dated = [n.at for n in group if n.at is not None]
    words = {n.severity for n in group}
    ordered = tuple(s for s in SEVERITIES if s in words) + tuple(sorted(words - set(SEVERITIES)))
    return Tally(key, len(group), sum(n.count for n in group), max(dated) if dated else None, ordered)


def tally(items: Iterable[Notification]) -> FeedCounts:
    """Counts per severity (all of SEVERITIES, zero or not) and per type (most notifications first)."""
    found = list(items)
    severities: dict[str, list[Notification]] = {word: [] for word in SEVERITIES}
    types: dict[str, list[Notification]] = {}
    for n in found:
        severities.setdefault(n.severity, []).append(n)
        types.setdefault(n.type_description, []).append(n)
    by_type = sorted((_tally(k, g) for k, g in types.items()), key=lambda t: (-t.notifications, t.key.lower()))
    return FeedCounts(len(found), sum(n.count for n in found),
                      tuple(_tally(k, g) for k, g in severities.items()), tuple(by_type))


def type_choices(items: Iterable[Notification]) -> list[str]:
    """The types the feed holds, by name: what the type filter offers."""
    return sorted({n.type_description for n in items}, key=str.lower)


# --- reads -----------------------------------------------------------------------------------------------
def _key(window: Window) -> str:
    return f"notifications:{window.key}"


def invalidate_feed(connection: str) -> None:
    """Drop every window's copy: call after an action that adds a notification (restream, Run now, custom)."""
    invalidate(connection, *(_key(w) for w in WINDOWS))


class AloomaFeed:
    """Reads for the notifications page; each returns records and raises PlatformError."""

    def __init__(self, service: Any) -> None:
        self.svc = service
        self.name = service.name
        self.client = service.client

    def since(self, window: Window) -> datetime:
        """Where a window starts now."""
        return datetime.fromtimestamp(int(time.time()) - window.seconds, tz=timezone.utc)

    def notifications(self, window: Window) -> Fetched[list[Notification]]:
        """The window's notifications, newest first."""
        def fetch() -> list[Notification]:
            since = int(self.since(window).timestamp())
            return newest_first(normalize_notification(m) for m in self.client.notifications(since))
        return cached_read(self.name, _key(window), fetch, timeout=FEED_TTL)

    def counts(self, window: Window, fetched: Fetched[list[Notification]]) -> FeedCounts:
        """The window's tallies, worked out once per fetched copy."""
        return derived(f"{self.name}:{_key(window)}:counts", fetched.fetched_at, lambda: tally(fetched.value))

    def invalidate(self) -> None:
        invalidate_feed(self.name)
