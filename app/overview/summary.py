"""One connection at a glance, from the normalised records only, so every platform shows up the same way."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from app.cache import Fetched
from app.connections import registry
from app.errors import PlatformError
from app.fanout import Outcome
from app.platforms.records import Run, RunStatus, Schedule


@dataclass(frozen=True)
class ConnectionData:
    """What a worker thread brought back for one connection: records plus the problems met on the way."""

    schedules: list[Schedule] | None
    runs: list[Run] | None
    problems: tuple[str, ...] = ()
    stale_age: float | None = None
    token_expires: datetime | None = None


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
    schedules: list[Schedule] = field(default_factory=list, repr=False)
    runs: list[Run] = field(default_factory=list, repr=False)

    @property
    def degraded(self) -> bool:
        return not self.reachable or bool(self.problems)


def _read(fetch, problems: list[str], ages: list[float]):
    """A cached read whose failure is one more problem on the tile, not a failed page."""
    try:
        fetched: Fetched = fetch()
    except PlatformError as error:
        problems.append(error.describe())
        return None
    if fetched.stale is not None:
        problems.append(f"{fetched.stale.describe()} (showing a copy {int(fetched.age_seconds)} s old)")
        ages.append(fetched.age_seconds)
    return fetched.value


def collect(name: str) -> ConnectionData:
    """Schedules, recent runs and token expiry of one connection (runs in a fan-out worker thread)."""
    svc = registry().service(name)
    problems: list[str] = []
    ages: list[float] = []
    schedules = _read(svc.schedules, problems, ages) if svc.has_schedules else None
    runs = _read(svc.recent_runs, problems, ages)
    return ConnectionData(schedules=schedules, runs=runs, problems=tuple(dict.fromkeys(problems)),
                          stale_age=max(ages) if ages else None, token_expires=svc.token_expires_at())


def tile(connection, outcome: Outcome[ConnectionData], now: datetime) -> Tile:
    """The tile of a connection from its fan-out outcome; a failed or late connection is unreachable."""
    data = outcome.value
    if data is None:
        return Tile(connection.name, connection.platform, connection.title, connection.sandbox, False,
                    (outcome.error or "no answer",), None, None, None, None, None, None)
    day_ago = now - timedelta(hours=24)
    recent = [r for r in data.runs or [] if (r.created or r.started or now) >= day_ago]
    reachable = data.schedules is not None or data.runs is not None
    return Tile(
        connection.name, connection.platform, connection.title, connection.sandbox, reachable, data.problems,
        outcome.latency_ms, data.stale_age, data.token_expires,
        sum(1 for s in data.schedules if s.enabled) if data.schedules is not None else None,
        len(recent) if data.runs is not None else None,
        sum(1 for r in recent if r.status is RunStatus.FAILED) if data.runs is not None else None,
        schedules=data.schedules or [], runs=data.runs or [])


def headline(tiles: list[Tile]) -> dict[str, object]:
    """Figures across every connection: what is reachable, scheduled, ran and failed in the last 24 hours."""
    runs = sum(t.runs_24h or 0 for t in tiles)
    failures = sum(t.failures_24h or 0 for t in tiles)
    return {"connections": len(tiles), "reachable": sum(1 for t in tiles if t.reachable),
            "degraded": sum(1 for t in tiles if t.degraded),
            "active_schedules": sum(t.active_schedules or 0 for t in tiles), "runs_24h": runs,
            "failures_24h": failures, "success_rate": round(100 * (runs - failures) / runs) if runs else None}


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
