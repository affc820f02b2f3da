"""What every vantage6 backend mixin shares: state holders, the lock, the clock, lookups that 404, scopes.

Every operation runs under one re-entrant lock (the HTTP server is threaded) and reads the clock once
through `engine()`, so all runs in one answer are seen at the same moment.
"""
from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from sandbox.common.clock import Clock
from sandbox.common.faults import FaultState
from sandbox.vantage6 import rules
from sandbox.vantage6.engine import Engine
from sandbox.vantage6.errors import forbidden, not_found
from sandbox.vantage6.rules import Scope
from sandbox.vantage6.serialize import Serializer
from sandbox.vantage6.tokens import TokenService
from sandbox.vantage6.world import Collaboration, Node, Organization, Role, Run, Task, User, World

V4_VERSION = "4.15.2"




class BackendBase:
    """State holders and helpers; models.Vantage6Backend initialises them."""

    clock: Clock
    faults: FaultState
    tokens: TokenService
    lock: threading.RLock
    seed: int
    size: str
    world: World
    version: str

    @property
    def v5(self) -> bool:
        """Whether the emulator currently behaves as vantage6 5.x."""
        return self.version.startswith("5")

    def now(self) -> datetime:
        """The emulator clock's now."""
        return self.clock.now()

    def engine(self) -> Engine:
        """Run states at now."""
        return Engine(self.world, self.now())

    def serializer(self, engine: Engine | None = None) -> Serializer:
        """JSON shapes for this request."""
        return Serializer(self.world, engine or self.engine(), self.v5)

    # -- lookups -------------------------------------------------------------------------------------------
    def _get(self, table: dict[int, Any], kind: str, ident: int) -> Any:
        found = table.get(ident)
        if found is None:
            raise not_found(kind, ident)
        return found

    def task_or_404(self, task_id: int) -> Task:
        """The task with that id (404 otherwise)."""
        return self._get(self.world.tasks, "task", task_id)

    def run_or_404(self, run_id: int, kind: str = "run") -> Run:
        """The run with that id (404 otherwise); results use the run's id."""
        return self._get(self.world.runs, kind, run_id)

    # -- scopes ----------------------------------------------------------------------------------------------
    def scope_of(self, kind: str, obj: Any) -> Scope:
        """What an object belongs to, for the rules' scopes."""
        world = self.world
        if isinstance(obj, Task):
            return Scope(frozenset({obj.init_org_id}), frozenset({obj.collaboration_id}), obj.init_user_id)
        if isinstance(obj, Run):
            task = world.tasks[obj.task_id]
            return Scope(frozenset({obj.organization_id}), frozenset({task.collaboration_id}), task.init_user_id)
        if isinstance(obj, Organization):
            return Scope(frozenset({obj.id}), frozenset(world.collaborations_of(obj.id)))
        if isinstance(obj, Collaboration):
            return Scope(frozenset(obj.organization_ids), frozenset({obj.id}))
        if isinstance(obj, Node):
            return Scope(frozenset({obj.organization_id}), frozenset({obj.collaboration_id}))
        if isinstance(obj, User):
            return Scope(frozenset({obj.organization_id}), frozenset(world.collaborations_of(obj.organization_id)),
                         obj.id)
        if isinstance(obj, Role):
            if obj.organization_id is None:  # default roles: anyone who may view roles sees them
                return Scope(frozenset(world.organizations), frozenset(world.collaborations))
            return Scope(frozenset({obj.organization_id}), frozenset(world.collaborations_of(obj.organization_id)))
        raise TypeError(kind)

    def visible(self, user: User, resource: str, items: list[Any]) -> list[Any]:
        """The items the user may view (401 if they may view none of this resource at all)."""
        grant = rules.grant(self.world, user, resource, "VIEW")
        if not grant.any:
            raise forbidden()
        return [item for item in items if grant.covers(self.scope_of(resource, item))]

    def require(self, user: User, resource: str, operation: str, obj: Any) -> None:
        """401 unless the user may do the operation on that object."""
        if not rules.permits(self.world, user, resource, operation, self.scope_of(resource, obj)):
            raise forbidden()
