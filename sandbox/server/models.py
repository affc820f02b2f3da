"""ServerBackend: the emulated Alteryx Server's state and operations (no Flask here; routes.py is the HTTP layer)."""
from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import datetime
from typing import Any, Mapping

from sandbox.common.clock import Clock
from sandbox.common.faults import FaultState
from sandbox.common.reset import settle_seed_and_size
from sandbox.server import errors
from sandbox.server.auth import OAuth1Verifier, TokenAuthority
from sandbox.server.catalog import CatalogMixin
from sandbox.server.errors import DENIED, Unauthorized
from sandbox.server.people import PeopleMixin
from sandbox.server.schedules import SchedulesMixin
from sandbox.server.seed import SIZES, build_world
from sandbox.server.world import User, World

TOKEN_LIFETIME = 3600  # v3 access tokens live an hour unless the token_lifetime knob says otherwise


class ServerBackend(CatalogMixin, SchedulesMixin, PeopleMixin):
    """One emulated Server: seeded world, OAuth1 nonces, v3 tokens, clock and fault knobs."""

    def __init__(self, seed: int = 1, size: str = "small") -> None:
        self.clock = Clock()
        self.faults = FaultState(seed, default_token_lifetime=TOKEN_LIFETIME)
        self.oauth1 = OAuth1Verifier()
        self.tokens = TokenAuthority()
        self.lock = threading.RLock()
        self.seed, self.size = seed, size
        self.world: World
        self.rng = random.Random()
        self.run_counts: Counter[str] = Counter()
        self.next_due: datetime | None = None
        self._api_keys: dict[str, User] = {}
        self._clients: dict[str, User] = {}
        self.reset(seed, size)

    # -- control -----------------------------------------------------------------------------------------
    def reset(self, seed: int | None = None, size: str | None = None) -> None:
        """Rebuild the world for (seed, size) at the real current time; knobs, nonces and tokens start empty."""
        with self.lock:
            settle_seed_and_size(self, seed, size, SIZES)
            self.oauth1.reset()
            self.tokens.reset()
            self.world = build_world(self.seed, self.size, self.clock.now())
            # ids of jobs and schedules created through the API also repeat for the same seed and calls
            self.rng = random.Random(f"{self.seed}:live")
            self.run_counts = Counter(job.workflow_id for job in self.world.jobs.values())
            self._api_keys = {u.credentials.api_key: u for u in self.world.users.values()}
            self._clients = {u.credentials.client_id: u for u in self.world.users.values()}
            self.refresh_due()

    def now(self) -> datetime:
        """The emulator clock's now."""
        return self.clock.now()

    def tick(self) -> datetime:
        """Now, after firing every schedule that came due (callers hold the lock)."""
        with self.lock:
            now = self.now()
            self.fire_due(now)
            return now

    def state_summary(self) -> dict[str, Any]:
        """Counts for /_sandbox/state, plus the ids a client writer needs."""
        with self.lock:
            self.tick()
            job_id, output_id = self.world.big_output or ("", "")
            return {"seed": self.seed, "size": self.size, "users": len(self.world.users),
                    "subscriptions": len(self.world.subscriptions), "workflows": len(self.world.workflows),
                    "schedules": len(self.world.schedules), "jobs": len(self.world.jobs),
                    "collections": len(self.world.collections), "adminUserId": self.world.admin_id,
                    "largeOutput": {"jobId": job_id, "outputId": output_id},
                    "tokens_issued": self.tokens.issued, "tokens_valid": self.tokens.live(self.now())}

    def error_payload(self, status: int, path: str, retry_after: int | None = None) -> tuple[Any, dict[str, str]]:
        """Server's body and headers for an injected failure (used by the fault hooks)."""
        return errors.error_payload(status, path, retry_after)

    # -- credentials and auth ----------------------------------------------------------------------------
    def mint_token(self, base_url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """A user's key pairs, as their Gallery profile shows them; options may name {"user_id"} (default: admin)."""
        user_id = str((options or {}).get("user_id") or self.world.admin_id)
        user = self.world.users.get(user_id)
        if user is None:
            raise LookupError(f"no user {user_id} in the seeded world")
        c = user.credentials
        return {"user_id": user.id, "client_id": c.client_id, "client_secret": c.client_secret,
                "api_key": c.api_key, "api_secret": c.api_secret}

    def authenticate_oauth1(self, method: str, url: str, query: list[tuple[str, str]],
                            authorization: str | None) -> User:
        """The owner of the v1 key that signed this request (raises Unauthorized)."""
        def secret_of(key: str) -> str | None:
            user = self._api_keys.get(key)
            return user.credentials.api_secret if user and user.active else None

        return self._api_keys[self.oauth1.verify(method, url, query, authorization, secret_of)]

    def token_grant(self, form: Mapping[str, str], basic: tuple[str, str] | None) -> dict[str, Any]:
        """POST /webapi/oauth2/token with client credentials (raises OAuthError)."""
        def user_of(client_id: str, client_secret: str) -> str | None:
            user = self._clients.get(client_id)
            ok = user is not None and user.active and user.credentials.client_secret == client_secret
            return user.id if ok else None  # type: ignore[union-attr]

        return self.tokens.grant(form, basic, user_of, self.now(), self.faults.token_lifetime)

    def authenticate_bearer(self, authorization: str | None) -> User:
        """The user behind a live v3 bearer token (raises Unauthorized)."""
        user = self.world.users.get(self.tokens.verify(authorization, self.now()))
        if user is None:
            raise Unauthorized(DENIED, {"WWW-Authenticate": "Bearer"})
        return user
