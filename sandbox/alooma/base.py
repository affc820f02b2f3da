"""What every Alooma backend mixin shares: state holders, the clock, the traffic model and lookups that 404."""
from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from sandbox.alooma.errors import BadRequest, NotFound
from sandbox.alooma.metrics import MinuteModel
from sandbox.alooma.times import epoch_minute
from sandbox.alooma.world import EventType, Input, ScheduledQuery, World
from sandbox.common.clock import Clock
from sandbox.common.faults import FaultState


class BackendBase:
    """State holders and helpers; the concrete backend (models.py) initialises them."""

    clock: Clock
    faults: FaultState
    lock: threading.RLock
    seed: int
    size: str
    world: World

    def now(self) -> datetime:
        """The emulator clock's now."""
        return self.clock.now()

    def traffic(self) -> MinuteModel:
        """The account's minute-by-minute metrics (restreams included)."""
        return MinuteModel(self.seed, self.world.scale, self.world.restream)

    def last_minute(self) -> dict[str, float]:
        """The metrics of the last complete minute (node stats read these)."""
        return self.traffic().minute(epoch_minute(self.now()) - 1)

    # -- lookups -----------------------------------------------------------------------------------------
    def input_or_404(self, input_id: str) -> Input:
        """The input with that id."""
        item = self.world.inputs.get(input_id)
        if item is None:
            raise NotFound(f"Input {input_id} does not exist")
        return item

    def query_or_404(self, query_id: str) -> ScheduledQuery:
        """The scheduled query with that id (its state_id)."""
        found = self.world.queries.get(query_id)
        if found is None:
            raise NotFound(f"Scheduled query {query_id} does not exist")
        return found

    def event_type_or_404(self, name: str) -> EventType:
        """The event type with that name."""
        found = self.world.event_types.get(name)
        if found is None:
            raise NotFound(f"Event type {name} does not exist")
        return found


def require_object(body: Any, what: str) -> dict[str, Any]:
    """The body as a JSON object, else 400."""
    if not isinstance(body, dict):
        raise BadRequest(f"{what} must be a JSON object")
    return body
