"""AacBackend: the emulated AAC's state and operations (no Flask here; routes.py is the HTTP layer)."""
from __future__ import annotations

import threading
from datetime import datetime
from typing import Any, Callable, Mapping

from sandbox.aac import errors
from sandbox.aac.auth import RateLimiter, TokenAuthority
from sandbox.aac.catalog import CatalogMixin
from sandbox.aac.errors import Forbidden, NotModified, Unauthorized
from sandbox.aac.runs import RunsMixin
from sandbox.aac.seed import ADMIN_ID, SIZES, build_world
from sandbox.aac.world import Person, World
from sandbox.common.clock import Clock
from sandbox.common.faults import FaultState
from sandbox.common.reset import settle_seed_and_size


class AacBackend(CatalogMixin, RunsMixin):
    """One emulated AAC workspace: seeded world, tokens, quotas, clock and fault knobs."""

    def __init__(self, seed: int = 1, size: str = "small") -> None:
        self.clock = Clock()
        self.faults = FaultState(seed)
        self.tokens = TokenAuthority()
        self.rate = RateLimiter()
        self.lock = threading.RLock()
        self.seed, self.size = seed, size
        self.world: World
        self._executions: set[tuple[int, str]] = set()
        self._last_fires: dict[int, list[datetime | None]] = {}
        self.reset(seed, size)

    # -- control ---------------------------------------------------------------------------------
    def reset(self, seed: int | None = None, size: str | None = None) -> None:
        """Rebuild the world for (seed, size) at the real current time; knobs, tokens and quotas start empty."""
        with self.lock:
            settle_seed_and_size(self, seed, size, SIZES)
            self.tokens.reset()
            self.rate.reset()
            self._executions.clear()
            self._last_fires.clear()
            self.world = build_world(self.seed, self.size, self.clock.now())

    def now(self) -> datetime:
        """The emulator clock's now."""
        return self.clock.now()

    def state_summary(self) -> dict[str, Any]:
        """Counts for /_sandbox/state."""
        with self.lock:
            return {"seed": self.seed, "size": self.size, "schedules": len(self.world.schedules),
                    "jobGroups": len(self.world.job_groups), "planSnapshotRuns": len(self.world.plan_runs),
                    "refresh_tokens_issued": self.tokens.issued,
                    "refresh_tokens_valid": self.tokens.valid_refresh_tokens(self.now())}

    def error_payload(self, status: int, path: str, retry_after: int | None = None) -> tuple[Any, dict[str, str]]:
        """AAC's body and headers for an injected failure (used by the fault hooks)."""
        return errors.error_payload(status, path, retry_after)

    # -- auth --------------------------------------------------------------------------------------
    def mint_token(self, base_url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """A fresh token pair, as the AAC UI creates; options may name {"person_id"} (default: the admin)."""
        person_id = int((options or {}).get("person_id") or ADMIN_ID)
        if person_id not in self.world.people:
            raise LookupError(f"no person {person_id} in the seeded workspace")
        return self.tokens.issue(person_id, self.world.workspace.id, base_url, self.now(), self.faults.token_lifetime)

    def token_grant(self, form: Mapping[str, str], base_url: str) -> dict[str, Any]:
        """POST /as/token: rotate a refresh token (raises OAuthError)."""
        return self.tokens.refresh(form, base_url, self.now(), self.faults.token_lifetime)

    def authenticate(self, authorization: str | None, workspace_header: str | None = None) -> Person:
        """The person behind a bearer token; Unauthorized if invalid or expired, Forbidden on a workspace mismatch."""
        claims = self.tokens.verify(authorization, self.now())
        person = self.world.people.get(int(claims.get("sub", 0)))
        if person is None or claims.get("workspaceId") != self.world.workspace.id:
            raise Unauthorized("Invalid access token", "The token's user is not a member of this workspace")
        if workspace_header is not None and workspace_header.strip() != str(claims.get("workspaceId")):
            raise Forbidden("Access to this workspace is not allowed",
                            f"x-trifacta-workspace-id {workspace_header!r} does not match the token's workspace")
        return person

    def admit_run(self, user: Person, bucket: str, execution_id: str | None) -> Callable[[], None]:
        """Refuse a repeated x-execution-id (304) or a spent quota (429); returns a callback recording success."""
        key = (user.id, execution_id) if execution_id else None
        if key is not None and key in self._executions:
            raise NotModified("Run already accepted for this x-execution-id")
        self.rate.hit(bucket, user.id, self.world.workspace.id, self.now())

        def accept() -> None:
            if key is not None:
                self._executions.add(key)

        return accept
