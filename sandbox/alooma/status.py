"""What inputs and scheduled queries look like at a given instant, derived from their seeds and the clock.

Inputs pull every sleep time; one in error fails on each pull, so its error count grows as time passes.
A scheduled query fires on its frequency grid or cron; a failing one fails each fire until a manual run of a
fixable query succeeds; a manual run shows "running" until it ends. Error counts are cumulative.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sandbox.alooma import cron
from sandbox.alooma.schedule import CronFires, Fires, Periodic
from sandbox.alooma.world import Input, ScheduledQuery


@dataclass(frozen=True)
class Health:
    """An input's or query's task fields at one instant."""

    status: str  # active | failed | paused | running
    error_count: int
    error_message: str
    error_stack: str
    last_success: datetime | None
    last_processing: datetime | None
    next_processing: datetime | None


def input_health(item: Input, now: datetime) -> Health:
    """The input at now."""
    last, upcoming = item.fires.prev(now), item.fires.next(now)
    if item.fires.paused():
        status = "paused"
    elif item.error_since is not None and item.error_since <= now:
        status = "failed"
    else:
        status = "active"
    if item.error_since is not None and item.error_since <= now:
        count = item.error_count_base + item.fires.count(item.error_since, now)
        return Health(status, count, item.error_message, item.error_stack, item.last_success, last, upcoming)
    return Health(status, 0, "", "", last, last, upcoming)


def query_fires(query: ScheduledQuery) -> Fires:
    """The query's schedule: every `frequency` hours on its grid, or its cron."""
    if query.frequency:
        return Periodic(query.anchor, timedelta(hours=query.frequency))
    return CronFires(cron.parse(query.run_at or ""))


def recovered_at(query: ScheduledQuery, now: datetime) -> datetime | None:
    """When a manual run ended the query's failure (None: still failing, or never failed)."""
    if not query.failing:
        return None
    return next((run.ends for run in query.runs if run.ok and run.ends <= now), None)


def query_health(query: ScheduledQuery, now: datetime) -> Health:
    """The query at now."""
    fires = query_fires(query)
    done = [run for run in query.runs if run.ends <= now]
    running = next((run for run in query.runs if run.started <= now < run.ends), None)
    healed = recovered_at(query, now)
    failing = query.failing and query.failing_since is not None and query.failing_since < now and healed is None
    errors = sum(1 for run in done if not run.ok)
    successes = [run.ends for run in done if run.ok]
    last_fire = fires.prev(now)
    last_fire = last_fire if last_fire is not None and last_fire > query.created_at else None  # not before creation
    if query.failing and query.failing_since is not None:
        errors += fires.count(query.failing_since, min(now, healed) if healed else now)
        if query.last_success_base:
            successes.append(query.last_success_base)
        if healed and last_fire and last_fire > healed:
            successes.append(last_fire)
    elif last_fire:
        successes.append(last_fire)
    started = [run.started for run in query.runs if run.started <= now]
    processed = max([t for t in (last_fire, *started) if t is not None], default=None)
    status = "running" if running else "failed" if failing else "active"
    return Health(status, errors, query.error_message if failing else "", query.error_stack if failing else "",
                  max((t for t in successes if t <= now), default=None), processed, fires.next(now))


def manual_run_outcome(query: ScheduledQuery, now: datetime) -> bool:
    """Whether a run started now succeeds: always, unless the query is failing and not fixable."""
    return not (query.failing and recovered_at(query, now) is None and not query.fixable)
