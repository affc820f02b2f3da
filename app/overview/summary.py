"""One connection at a glance, from the normalised records only, so every platform shows up the same way."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from app.cache import OVERVIEW_DIGEST, Fetched, cached_read
from app.charts import count_by, daily_status_counts, per_day_by_status_chart, success_counts, success_rate_chart
from app.connections import registry
from app.errors import PlatformError, Unavailable
from app.fanout import Outcome
from app.http import latest_answer_ms
from app.platforms.records import Run, RunStatus, Schedule
from app.platforms.registry import platform_name


@dataclass(frozen=True)
class ConnectionData:
    """What a worker thread brought back for one connection: records plus the problems met on the way."""

    schedules: list[Schedule] | None
    runs: list[Run] | None
    problems: tuple[str, ...] = ()
    stale_age: float | None = None
    token_expires: datetime | None = None
    version: tuple[float | None, ...] = ()  # when each read was fetched: what values derived from these are valid for


def _read(fetch, problems: list[str], ages: list[float], stamps: list[float | None]):
    """A cached read whose failure is one more problem on the tile, not a failed page."""
    try:
        fetched: Fetched = fetch()
    except PlatformError as error:
        problems.append(error.describe())
        stamps.append(None)
        return None
    stamps.append(fetched.fetched_at)
    if fetched.stale is not None:
        problems.append(f"{fetched.stale.describe()} (showing a copy {int(fetched.age_seconds)} s old)")
        ages.append(fetched.age_seconds)
    return fetched.value


def collect(name: str) -> ConnectionData:
    """Schedules, recent runs and token expiry of one connection (runs in a fan-out worker thread)."""
    svc = registry().service(name)
    problems: list[str] = []
    ages: list[float] = []
    stamps: list[float | None] = []
    schedules = _read(svc.schedules, problems, ages, stamps) if svc.has_schedules else None
    runs = _read(svc.recent_runs, problems, ages, stamps)
    return ConnectionData(schedules=schedules, runs=runs, problems=tuple(dict.fromkeys(problems)),
                          stale_age=max(ages) if ages else None, token_expires=svc.token_expires_at(),
                          version=tuple(stamps))



def collected_version(outcomes: dict[str, Outcome[ConnectionData]]) -> tuple:
    """Which copies a set of collected connections holds: what a value derived from all of them is valid for."""
    return tuple((name, outcome.value.version if outcome.value is not None else None)
                 for name, outcome in outcomes.items())


@dataclass(frozen=True)
class Digest:
    """One connection reduced to the overview's figures: small to cache and cheap to add up across connections."""

    has_schedules: bool
    active_schedules: int | None
    runs_24h: int | None
    failures_24h: int | None
    per_day: Counter = field(default_factory=Counter)  # (ISO day, status) -> runs
    finished: int = 0
    succeeded: int = 0
    owners: Counter = field(default_factory=Counter)  # schedule owner -> schedules
    problems: tuple[str, ...] = ()
    stale_age: float | None = None
    token_expires: datetime | None = None
    latency_ms: float | None = None  # the platform's latest answer when the digest was made


def digest(name: str) -> Fetched[Digest]:
    """The connection's digest, cached like the reads it comes from; when every read fails, the last good
    digest marked stale, else the error (the tile then shows the connection unreachable)."""
    def build() -> Digest:
        data = collect(name)
        if data.runs is None and (data.schedules is None or not registry().service(name).has_schedules):
            raise Unavailable(name, "; ".join(p.removeprefix(f"{name}: ") for p in data.problems) or "no answer")
        now = now_utc()
        day_ago = now - timedelta(hours=24)
        runs = data.runs or []
        recent = [r for r in runs if (r.created or r.started or now) >= day_ago]
        finished, succeeded = success_counts(runs, lambda r: "all")
        return Digest(
            has_schedules=data.schedules is not None,
            active_schedules=sum(1 for s in data.schedules if s.enabled) if data.schedules is not None else None,
            runs_24h=len(recent) if data.runs is not None else None,
            failures_24h=sum(1 for r in recent if r.status is RunStatus.FAILED) if data.runs is not None else None,
            per_day=daily_status_counts(runs), finished=finished["all"], succeeded=succeeded["all"],
            owners=Counter(s.owner for s in data.schedules or []), problems=data.problems,
            stale_age=data.stale_age, token_expires=data.token_expires, latency_ms=latest_answer_ms(name))
    return cached_read(name, OVERVIEW_DIGEST, build, timeout=30)


@dataclass(frozen=True)
class Tile:
    """A connection's tile on the overview."""

    connection: str
    platform: str
    title: str
    sandbox: bool
    reachable: bool
    problems: tuple[str, ...]
    latency_ms: float | None
    stale_age: float | None
    token_expires: datetime | None
    active_schedules: int | None
    runs_24h: int | None
    failures_24h: int | None
    digest: Digest | None = None

    @property
    def degraded(self) -> bool:
        return not self.reachable or bool(self.problems)


def tile(connection, outcome: Outcome[Fetched[Digest]]) -> Tile:
    """The tile of a connection from its fan-out outcome; a failed or late connection is unreachable."""
    if outcome.value is None:
        return Tile(connection.name, connection.platform, connection.title, connection.sandbox, False,
                    (outcome.error or "no answer",), None, None, None, None, None, None)
    fetched = outcome.value
    found = fetched.value
    problems = found.problems
    stale_age = found.stale_age
    if fetched.stale is not None:
        problems = problems + (f"{fetched.stale.describe()} (showing figures {int(fetched.age_seconds)} s old)",)
        stale_age = fetched.age_seconds
    return Tile(connection.name, connection.platform, connection.title, connection.sandbox, True, problems,
                found.latency_ms, stale_age, found.token_expires, found.active_schedules, found.runs_24h,
                found.failures_24h, digest=found)


def headline(tiles: list[Tile]) -> dict[str, object]:
    """Figures across every connection: what is reachable, scheduled, ran and failed in the last 24 hours."""
    runs = sum(t.runs_24h or 0 for t in tiles)
    failures = sum(t.failures_24h or 0 for t in tiles)
    return {"connections": len(tiles), "reachable": sum(1 for t in tiles if t.reachable),
            "degraded": sum(1 for t in tiles if t.degraded),
            "active_schedules": sum(t.active_schedules or 0 for t in tiles), "runs_24h": runs,
            "failures_24h": failures, "success_rate": round(100 * (runs - failures) / runs) if runs else None}


def overview_charts(tiles: list[Tile], now: datetime) -> dict[str, object]:
    """Runs per day by status, success rate per platform and schedules per owner, added up from the digests."""
    per_day: Counter = Counter()
    finished: Counter = Counter()
    succeeded: Counter = Counter()
    owners: Counter = Counter()
    for t in tiles:
        if t.digest is None:
            continue
        per_day.update(t.digest.per_day)
        finished[platform_name(t.platform)] += t.digest.finished
        succeeded[platform_name(t.platform)] += t.digest.succeeded
        owners.update(t.digest.owners)
    charts: dict[str, object] = {}
    if per_day:
        charts["per_day"] = per_day_by_status_chart(per_day, now)
    if +finished:
        charts["success"] = success_rate_chart(+finished, succeeded)
    if owners:
        charts["owners"] = count_by(owners.elements(), "schedules")
    return charts


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
