"""Vantage6Backend: the emulated vantage6 server's state and operations (no Flask; routes*.py are the HTTP layer).

Besides the shared control surface (`reset`, `clock`, `faults`, `mint_token`, `state_summary`) it offers
two platform controls: `set_version` (4.15.2 <-> 5.x behaviour) and `set_node_status` (a node goes online,
and its waiting runs start, or offline, and its runs not yet taken wait).
"""
from __future__ import annotations

import threading
from typing import Any, Mapping

from sandbox.common.clock import Clock
from sandbox.common.faults import FaultState
from sandbox.common.reset import settle_seed_and_size
from sandbox.vantage6 import errors
from sandbox.vantage6.auth import ACCESS_SECONDS, CLIENT_ID, AuthMixin
from sandbox.common.locking import locked
from sandbox.vantage6.base import V4_VERSION
from sandbox.vantage6.plans import FLAKY
from sandbox.vantage6.queries import QueriesMixin
from sandbox.vantage6.seed import SIZES, build_world
from sandbox.vantage6.statuses import ACTIVE, COMPLETED, INITIALIZING, PENDING
from sandbox.vantage6.taskops import TaskOpsMixin
from sandbox.vantage6.tokens import TokenService

REALM_PATH = "/realms/vantage6"


class Vantage6Backend(AuthMixin, TaskOpsMixin, QueriesMixin):
    """One emulated vantage6 server: seeded world, tokens, clock, fault knobs and API version."""

    def __init__(self, seed: int = 1, size: str = "small") -> None:
        self.clock = Clock()
        self.faults = FaultState(seed, default_token_lifetime=ACCESS_SECONDS)
        self.tokens = TokenService()
        self.lock = threading.RLock()
        self.seed, self.size, self.version = seed, size, V4_VERSION
        self.reset(seed, size)

    # -- control -------------------------------------------------------------------------------------------
    def reset(self, seed: int | None = None, size: str | None = None) -> None:
        """Rebuild the world at the current time, back to 4.15.2; knobs cleared, issued tokens stay valid."""
        with self.lock:
            settle_seed_and_size(self, seed, size, SIZES)
            self.version = V4_VERSION
            self.world = build_world(self.seed, self.size, self.clock.now())

    @locked
    def set_version(self, version: str) -> str:
        """Switch between 4.x and 5.x behaviour (POST /_sandbox/vantage6/version)."""
        if not isinstance(version, str) or version.split(".")[0] not in ("4", "5"):
            raise ValueError("version must be a 4.x or 5.x version string, e.g. 5.0.3")
        self.version = version
        return version

    @locked
    def set_node_status(self, node_id: Any, status: Any) -> dict[str, Any]:
        """Flip a node: online starts its waiting runs now; offline makes runs it has not taken wait again."""
        node = self.world.nodes.get(node_id) if isinstance(node_id, int) else None
        if node is None:
            raise LookupError(f"no node {node_id!r}")
        if status not in ("online", "offline"):
            raise ValueError("status must be online or offline")
        engine, now = self.engine(), self.now()
        for run in self.world.runs.values():
            if run.node_id != node.id:
                continue
            state = engine.state(run).status
            if status == "online" and run.picked_at is None and state == PENDING:
                run.picked_at = now
            elif status == "offline" and state == PENDING and run.picked_at is not None:
                run.picked_at = None
        node.status = status
        node.offline_since = None if status == "online" else now
        return self.serializer().node(node)

    def error_payload(self, status: int, path: str, retry_after: int | None = None) -> tuple[Any, dict[str, str]]:
        """vantage6's body for an injected failure (used by the shared fault hooks)."""
        return errors.error_payload(status, path, retry_after)

    @locked
    def mint_token(self, base_url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """A user's credentials as an admin would hand them out (default: flightdeck-svc). The two-factor user's
        answer adds `otp_secret`; in v5 mode every answer adds `client_id` and `token_url`."""
        wanted = str((options or {}).get("username") or self.world.users[self.world.service_user_id].username)
        user = self.world.user_by_name(wanted)
        if user is None:
            raise LookupError(f"no user {wanted!r} in the seeded world")
        answer: dict[str, Any] = {"username": user.username, "password": user.password, "user_id": user.id}
        if user.two_factor and user.otp_secret:
            answer["otp_secret"] = user.otp_secret
        if self.v5:
            answer.update({"client_id": CLIENT_ID,
                           "token_url": f"{base_url}{REALM_PATH}/protocol/openid-connect/token"})
        return answer

    @locked
    def state_summary(self) -> dict[str, Any]:
        """Counts for /_sandbox/state, plus the ids a connector test needs."""
        self.tick()
        world, engine = self.world, self.engine()
        offline = [n for n in world.nodes.values() if n.status == "offline"]
        flaky = next((n for n in world.nodes.values() if n.flaky_since is not None), None)
        running = next((t.id for t in reversed(world.tasks.values()) if t.parent_id is None and
                        engine.task_status(t) in (ACTIVE, INITIALIZING)), None)
        finished = next(((t.id, r) for t in reversed(world.tasks.values()) if t.parent_id is None and
                         not world.collaborations[t.collaboration_id].encrypted and
                         engine.task_status(t) == COMPLETED for r in t.run_ids[:1]), None)
        first = world.collaborations[1]
        pair = [o for o in first.organization_ids if (n := world.node_for(o, first.id)) and n.status == "online"
                and n.flaky_since is None]
        return {
            "seed": self.seed, "size": self.size, "version": self.version,
            "organizations": len(world.organizations), "collaborations": len(world.collaborations),
            "nodes": len(world.nodes), "nodesOnline": len(world.nodes) - len(offline), "users": len(world.users),
            "roles": len(world.roles), "rules": len(world.rules), "tasks": len(world.tasks),
            "topLevelTasks": sum(1 for t in world.tasks.values() if t.parent_id is None), "runs": len(world.runs),
            "serviceUser": {"id": world.service_user_id, "username": world.users[world.service_user_id].username},
            "twoFactorUser": {"id": world.two_factor_user_id,
                              "username": world.users[world.two_factor_user_id].username},
            "collaborationIds": list(world.collaborations),
            "encryptedCollaborationIds": [c.id for c in world.collaborations.values() if c.encrypted],
            "onlinePair": {"collaboration_id": first.id, "organization_ids": pair[:2]},
            "slowNodes": [{"id": n.id, "organization_id": n.organization_id, "speed": n.speed}
                          for n in world.nodes.values() if n.speed > 1.0 and n.collaboration_id == first.id],
            "offlineNodes": [{"id": n.id, "organization_id": n.organization_id, "collaboration_id": n.collaboration_id}
                             for n in offline],
            "flaky": {"node_id": flaky.id, "organization_id": flaky.organization_id,
                      "collaboration_id": flaky.collaboration_id,
                      "images": {image: status for image, (status, _) in FLAKY.items()}} if flaky else None,
            "runningTaskId": running,
            "finishedTask": {"id": finished[0], "run_id": finished[1]} if finished else None,
            "tokens_issued": self.tokens.issued,
            "realm": REALM_PATH}

