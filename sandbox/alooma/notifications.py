"""GET notifications?from=<epoch>: what the account reported since then, newest first, kept for 30 days.

Most notifications are periodic and computed from (seed, hour), so they accumulate as the clock moves: each
hour an "events loaded" info and now and then an "unmapped events" warning; for each input in error one
aggregated error per hour (aggregatedCount = failed pulls that hour); one error per failed scheduled-query
fire. Actions (restreams, manual query runs, custom notifications) add theirs to the world's notices.
Ids are Kafka-like `alooma-notifications+<partition>+<offset>`, one partition per kind.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from sandbox.alooma.metrics import unit
from sandbox.alooma.status import query_fires, recovered_at
from sandbox.alooma.times import epoch_ms, from_epoch_seconds
from sandbox.alooma.world import Notice, World

RETENTION = timedelta(days=30)
HOUR = timedelta(hours=1)
TYPE_DESCRIPTIONS = {
    "METRICS_OUTPUT_EVENTS_LOADED": "Events Loaded to Output", "METRICS_UNMAPPED_EVENTS": "Unmapped Events",
    "INPUT_ERROR": "Input Error", "SCHEDULED_QUERY_FAILED": "Scheduled Query Failed",
    "SCHEDULED_QUERY_SUCCEEDED": "Scheduled Query Succeeded", "RESTREAM_STARTED": "Restream Started",
    "RESTREAM_COMPLETED": "Restream Completed", "RESTREAM_STOPPED": "Restream Stopped",
    "RESTREAM_PURGED": "Restream Queue Purged", "CUSTOM": "Custom Notification",
}


def message(ident: str, at: datetime, type_: str, severity: str, text: str, params: list[str],
            count: int = 1, description: str | None = None) -> dict[str, Any]:
    """One notification in the client reference's key order."""
    return {"description": description, "type": type_, "timestamp": epoch_ms(at), "params": params, "state": "NEW",
            "aggregatedCount": count, "message": text, "typeDescription": TYPE_DESCRIPTIONS.get(type_, type_),
            "severity": severity, "id": f"alooma-notifications+{ident}"}


def _hourly(world: World, seed: int, start: datetime, now: datetime) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    first = math.ceil((start - from_epoch_seconds(0)) / HOUR)
    last = (now - from_epoch_seconds(0)) // HOUR
    for hour in range(first, last + 1):
        at = from_epoch_seconds(hour * 3600 + 40 + 20 * unit(seed, hour, 90))
        if not start <= at <= now:
            continue
        diurnal = 1 + 0.35 * math.sin(2 * math.pi * (hour % 24) / 24 - 2.0)
        loaded = round(world.scale * 60 * diurnal * (0.9 + 0.2 * unit(seed, hour, 91)))
        out.append(message(f"0+{hour * 4}", at, "METRICS_OUTPUT_EVENTS_LOADED", "info",
                           f"{loaded:,} events were loaded to {world.output.name}", [str(loaded), world.output.name]))
        if unit(seed, hour, 92) < 0.15:
            unmapped = round(world.scale * (0.5 + unit(seed, hour, 93)))
            out.append(message(f"0+{hour * 4 + 1}", at + timedelta(seconds=2), "METRICS_UNMAPPED_EVENTS", "warning",
                               f"{unmapped:,} events could not be mapped in the last hour", [str(unmapped)]))
    return out


def _input_errors(world: World, start: datetime, now: datetime) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for index, item in enumerate(world.inputs.values()):
        if item.error_since is None or item.error_since > now:
            continue
        hour = (max(start, item.error_since) - from_epoch_seconds(0)) // HOUR
        while from_epoch_seconds(hour * 3600) <= now:
            begin, end = from_epoch_seconds(hour * 3600), min(now, from_epoch_seconds((hour + 1) * 3600))
            count = item.fires.count(max(begin, item.error_since - timedelta(microseconds=1)), end)
            at = item.fires.prev(end)
            if count and at is not None and at >= start:  # the hour's whole count, however late `from` is
                out.append(message(f"2+{hour * 1000 + index}", at, "INPUT_ERROR", "error",
                                   f"Input {item.name} failed: {item.error_message}", [item.name, item.error_message],
                                   count=count))
            hour += 1
    return out


def _query_failures(world: World, start: datetime, now: datetime) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for index, q in enumerate(world.queries.values()):
        if not q.failing or q.failing_since is None:
            continue
        healed = recovered_at(q, now)
        low, high = max(start - timedelta(microseconds=1), q.failing_since), min(now, healed) if healed else now
        for at in query_fires(q).between(low, high):
            out.append(message(f"3+{(epoch_ms(at) // 60000) * 1000 + index % 1000}", at, "SCHEDULED_QUERY_FAILED",
                               "error", f"Scheduled query for {q.event_type} failed: {q.error_message}",
                               [q.state_id, q.event_type, q.error_message]))
    return out


def _notice(n: Notice) -> dict[str, Any]:
    return message(f"1+{n.number}", n.at, n.type, n.severity, n.message, n.params, description=n.description)


def notifications(world: World, seed: int, since: datetime, now: datetime) -> list[dict[str, Any]]:
    """Every notification with since <= timestamp <= now (no older than RETENTION), newest first."""
    start = max(since, now - RETENTION)
    if start > now:
        return []
    found = _hourly(world, seed, start, now) + _input_errors(world, start, now) + _query_failures(world, start, now)
    found += [_notice(n) for n in world.notices if start <= n.at <= now]
    return sorted(found, key=lambda m: (m["timestamp"], m["id"]), reverse=True)
