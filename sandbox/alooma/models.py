"""AloomaBackend: the emulated Alooma account's state and operations (no Flask here; routes*.py are HTTP)."""
from __future__ import annotations

import random
import threading
from typing import Any

from sandbox.alooma import errors
from sandbox.alooma.admin import AdminMixin
from sandbox.alooma.auth import SESSION_LIFETIME, AuthMixin
from sandbox.alooma.catalog import CatalogMixin
from sandbox.alooma.metrics import MetricsError, minutes_of, series
from sandbox.alooma.pipeline import PipelineMixin
from sandbox.alooma.queries import QueriesMixin
from sandbox.alooma.seed import SIZES, build_world
from sandbox.alooma.status import input_health, query_health
from sandbox.alooma.times import epoch_minute, epoch_ms
from sandbox.alooma.world import World
from sandbox.common.clock import Clock
from sandbox.common.faults import FaultState
from sandbox.common.locking import locked
from sandbox.common.reset import settle_seed_and_size
from sandbox.common.sessions import SessionStore


class AloomaBackend(AuthMixin, PipelineMixin, QueriesMixin, CatalogMixin, AdminMixin):
    """One emulated Alooma account: seeded world, sessions, clock and fault knobs."""

    def __init__(self, seed: int = 1, size: str = "small") -> None:
        self.clock = Clock()
        self.faults = FaultState(seed, default_token_lifetime=SESSION_LIFETIME)
        self.sessions = SessionStore()
        self.lock = threading.RLock()
        self.seed, self.size = seed, size
        self.world: World
        self.rng = random.Random()
        self.reset(seed, size)

    def reset(self, seed: int | None = None, size: str | None = None) -> None:
        """Rebuild the world for (seed, size) on today's origin; knobs and sessions start empty."""
        with self.lock:
            settle_seed_and_size(self, seed, size, SIZES)
            self.sessions.reset()
            self.world = build_world(self.seed, self.size, self.clock.now())
            self.rng = random.Random(f"{self.seed}:live")  # ids of queries created through the API repeat

    @locked
    def metrics(self, names: str | None, from_text: str | None, resolution: str | None) -> list[dict[str, Any]]:
        """GET metrics?metrics=A,B&from=-Nmin[&resolution=Mmin] (resolution defaults to 1min)."""
        try:
            window = minutes_of(from_text or "", "from", negative=True)
            step = minutes_of(resolution, "resolution", negative=False) if resolution else 1
            wanted = [n.strip() for n in (names or "").split(",") if n.strip()]
            return series(self.traffic(), wanted, epoch_minute(self.now()), window, step)
        except MetricsError as exc:
            raise errors.BadRequest(str(exc)) from None

    def error_payload(self, status: int, path: str, retry_after: int | None = None) -> tuple[Any, dict[str, str]]:
        """Alooma's body and headers for an injected failure (used by the fault hooks)."""
        return errors.fault_payload(status, path, epoch_ms(self.now()), retry_after)

    @locked
    def state_summary(self) -> dict[str, Any]:
        """Counts for /_sandbox/state, plus the ids a connector writer needs."""
        now, world = self.now(), self.world
        inputs = [(i, input_health(i, now)) for i in world.inputs.values()]
        queries = [(q, query_health(q, now)) for q in world.queries.values()]
        failed = [{"id": i.id, "name": i.name} for i, h in inputs if h.status == "failed"]
        failing_queries = [q.state_id for q, h in queries if h.error_message]
        issued, live = self.sessions.counts(now)
        return {
            "seed": self.seed, "size": self.size, "account": world.account, "deployment": world.deployment,
            "serviceUser": world.users[0].email, "users": len(world.users), "inputs": len(world.inputs),
            "inputTypes": sorted({i.type for i in world.inputs.values()}),
            "inputInError": failed[0] if failed else None, "inputsInError": len(failed),
            "pausedInputs": [i.id for i, h in inputs if h.status == "paused"],
            "eventTypes": len(world.event_types), "scheduledQueries": len(world.queries),
            "queriesInError": failing_queries,
            "fixableQuery": next((q.state_id for q in world.queries.values() if q.fixable), None),
            "brokenQuery": next((q.state_id for q in world.queries.values() if q.failing and not q.fixable), None),
            "restream": {"nodeId": world.restream.node_id, "held": int(world.restream.held_at(now)),
                         "streaming": world.restream.current(now) is not None},
            "nodes": {"transformer": world.transformer.id, "mapper": world.mapper.id, "output": world.output.id,
                      "outputType": world.output.type},
            "secrets": len(world.secrets), "notices": len(world.notices),
            "sessions_issued": issued, "sessions_live": live}
