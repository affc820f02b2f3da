"""Scheduled queries (consolidation v2): list, read, create (default or custom), run now, remove.

A run started through the API shows "running" for a seeded 5-30 s, then succeeds, or fails again if the
query is broken (bad SQL); a lock-timeout failure clears on a manual run. Its outcome is also notified.
"""
from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sandbox.alooma import cron, serialize
from sandbox.alooma.base import BackendBase, require_object
from sandbox.alooma.errors import BadRequest, Conflict
from sandbox.alooma.seed_catalog import query_sql
from sandbox.alooma.status import manual_run_outcome, query_health
from sandbox.alooma.world import ManualRun, ScheduledQuery
from sandbox.common.ids import seeded_uuid4
from sandbox.common.locking import locked


class QueriesMixin(BackendBase):
    """The v2/consolidation endpoints (and the older consolidation listing keyed by id)."""

    rng: random.Random

    def _json(self, q: ScheduledQuery) -> dict[str, Any]:
        return serialize.query(q, query_health(q, self.now()))

    @locked
    def list_queries(self, event_type: str | None = None) -> list[dict[str, Any]]:
        """GET v2/consolidation[?event_type=]: every query (those of one event type)."""
        return [self._json(q) for q in self.world.queries.values() if event_type in (None, q.event_type)]

    @locked
    def queries_by_id(self) -> dict[str, dict[str, Any]]:
        """GET consolidation (the deprecated listing): {state_id: query}."""
        return {q.state_id: self._json(q) for q in self.world.queries.values()}

    @locked
    def get_query(self, query_id: str) -> dict[str, Any]:
        """GET v2/consolidation/{id}."""
        return self._json(self.query_or_404(query_id))

    @locked
    def delete_query(self, query_id: str) -> None:
        """DELETE v2/consolidation/{id}."""
        self.query_or_404(query_id)
        del self.world.queries[query_id]

    @locked
    def run_query(self, query_id: str) -> dict[str, Any]:
        """POST v2/consolidation/{id}/run: start a run now (409 while one is running)."""
        q, now = self.query_or_404(query_id), self.now()
        if any(run.started <= now < run.ends for run in q.runs):
            raise Conflict(f"Scheduled query {query_id} is already running")
        fate = random.Random(f"{self.seed}:{q.state_id}:{len(q.runs)}")
        run = ManualRun(now, timedelta(seconds=fate.randint(5, 30)), manual_run_outcome(q, now))
        q.runs.append(run)
        if run.ok:
            self.world.add_notice(run.ends, "SCHEDULED_QUERY_SUCCEEDED", "info",
                                  f"Scheduled query for {q.event_type} ran successfully", [q.state_id, q.event_type])
        else:
            self.world.add_notice(run.ends, "SCHEDULED_QUERY_FAILED", "error",
                                  f"Scheduled query for {q.event_type} failed: {q.error_message}",
                                  [q.state_id, q.event_type, q.error_message])
        return self._json(q)

    @locked
    def create_query(self, body: Any, custom: bool) -> dict[str, Any]:
        """POST v2/consolidation (a default consolidation) or v2/consolidation/custom: needs an existing
        event type and either `frequency` (hours) or `run_at` (cron); a custom one needs `custom_query`."""
        body = require_object(body, "The query configuration")
        name = body.get("event_type")
        if not isinstance(name, str) or name not in self.world.event_types:
            raise BadRequest(f"Event type {name} does not exist")
        frequency, run_at = body.get("frequency"), body.get("run_at")
        if (frequency is None) == (run_at is None):
            raise BadRequest("Specify either frequency (hours) or run_at (cron)")
        if frequency is not None and (isinstance(frequency, bool) or not isinstance(frequency, int) or frequency < 1):
            raise BadRequest("frequency must be a positive whole number of hours")
        if run_at is not None:
            try:
                cron.parse(run_at)
            except cron.CronError as exc:
                raise BadRequest(f"run_at is not a valid cron expression: {exc}") from None
        sql = body.get("custom_query") if custom else query_sql("default", self.world.event_types[name].table, False)
        if not isinstance(sql, str) or not sql.strip():
            raise BadRequest("custom_query must be a non-empty SQL string")
        now = self.now()
        q = ScheduledQuery(
            state_id=seeded_uuid4(self.rng), event_type=name, query_type="custom" if custom else "default", sql=sql,
            frequency=frequency, run_at=run_at,
            module_name=f"consolidation_v2.{'custom_query' if custom else 'consolidation'}", anchor=now,
            created_at=now, extra={"deployment_name": self.world.deployment})
        self.world.queries[q.state_id] = q
        return self._json(q)
