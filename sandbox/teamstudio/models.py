"""TeamStudioBackend: the emulated Team Studio's state and operations (no Flask here; routes*.py are the HTTP layer)."""
from __future__ import annotations

import random
import threading
from typing import Any, Mapping

from sandbox.common.clock import Clock
from sandbox.common.faults import FaultState
from sandbox.common.reset import settle_seed_and_size
from sandbox.teamstudio import errors
from sandbox.common.locking import locked
from sandbox.teamstudio.engine import final_status, state_at
from sandbox.teamstudio.flows import FAILING, RANDOM_FOREST
from sandbox.teamstudio.jobs import JobsMixin
from sandbox.teamstudio.people import PeopleMixin
from sandbox.teamstudio.seed import SIZES, build_world
from sandbox.common.sessions import SessionStore
from sandbox.teamstudio.base import SESSION_LIFETIME
from sandbox.teamstudio.sources import SourcesMixin
from sandbox.teamstudio.spaces import SpacesMixin
from sandbox.teamstudio.world import Workfile, World


def _where(workfile: Workfile | None) -> dict[str, int] | None:
    """{"workflowId", "workspaceId"} of a named workflow (None once deleted through the API)."""
    return {"workflowId": workfile.id, "workspaceId": workfile.workspace_id} if workfile else None


class TeamStudioBackend(PeopleMixin, SpacesMixin, SourcesMixin, JobsMixin):
    """One emulated Team Studio: seeded world, sessions, engine processes, clock and fault knobs."""

    def __init__(self, seed: int = 1, size: str = "small") -> None:
        self.clock = Clock()
        self.faults = FaultState(seed, default_token_lifetime=SESSION_LIFETIME)
        self.sessions = SessionStore()
        self.lock = threading.RLock()
        self.seed, self.size = seed, size
        self.world: World
        self.rng = random.Random()
        self.reset(seed, size)

    # -- control -------------------------------------------------------------------------------------------
    def reset(self, seed: int | None = None, size: str | None = None) -> None:
        """Rebuild the world for (seed, size) at the real current time; knobs and sessions start empty."""
        with self.lock:
            settle_seed_and_size(self, seed, size, SIZES)
            self.sessions.reset()
            self.world = build_world(self.seed, self.size, self.clock.now())
            # ids of processes started through the API repeat for the same seed and calls
            self.rng = random.Random(f"{self.seed}:live")
            self.refresh_due()

    def mint_token(self, base_url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """A user's login, as an administrator would hand it out: {"username", "password"} (default: the
        service account flightdeck-svc, an application admin); options may name {"username"}."""
        with self.lock:
            wanted = str((options or {}).get("username") or self.world.users[self.world.service_user_id].username)
            user = self.world.user_by_name(wanted)
            if user is None:
                raise LookupError(f"no user {wanted!r} in the seeded world")
            return {"username": user.username, "password": user.password}

    def expire_sessions(self) -> int:
        """End every live session at once (POST /_sandbox/teamstudio/expire-sessions)."""
        return self.sessions.end_all(self.now())

    def error_payload(self, status: int, path: str, retry_after: int | None = None) -> tuple[Any, dict[str, str]]:
        """Team Studio's body and headers for an injected failure (used by the fault hooks)."""
        return errors.error_payload(status, path, retry_after)

    @locked
    def state_summary(self) -> dict[str, Any]:
        """Counts for /_sandbox/state, plus the ids a connector writer needs."""
        now = self.tick()
        flows = {w.file_name: w for w in self.world.workfiles.values() if w.file_type == "work_flow"}
        running = sum(1 for p in self.world.processes.values() if state_at(p, now) is not None)
        finished = [p for p in self.world.processes.values() if state_at(p, now) is None and p.save_result]
        issued, live = self.sessions.counts(now)
        sample = next((p for p in reversed(finished) if final_status(p) == "SUCCESS"), None)
        return {
            "seed": self.seed, "size": self.size, "users": len(self.world.users),
            "workspaces": len(self.world.workspaces), "workfiles": len(self.world.workfiles),
            "workflows": len(flows), "jobs": len(self.world.jobs),
            "tasks": sum(len(j.tasks) for j in self.world.jobs.values()),
            "dataSources": len(self.world.data_sources), "hdfsDataSources": len(self.world.hdfs_sources),
            "processes": len(self.world.processes), "running": running,
            "serviceUser": self.world.users[self.world.service_user_id].username,
            "randomForest": _where(flows.get(RANDOM_FOREST)), "failingWorkflow": _where(flows.get(FAILING)),
            "finishedProcess": {"workflowId": sample.workflow_id, "processId": sample.id} if sample else None,
            "sessions_issued": issued, "sessions_live": live}
