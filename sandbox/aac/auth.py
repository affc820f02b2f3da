"""AAC auth: JWT access tokens, rotating single-use refresh tokens, and per-minute run quotas."""
from __future__ import annotations

import math
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping

from sandbox.aac.errors import OAuthError, TooManyRequests, Unauthorized, rate_limit_headers
from sandbox.common import jwt

CLIENT_ID = "aac-public-api"
REFRESH_TOKEN_DAYS = 90
# bucket -> (per user per minute, per workspace per minute), from AAC's published quotas.
QUOTAS = {"runJobGroup": (30, 60), "runPlan": (30, 60), "runFlow": (20, 40), "runWorkflow": (30, 60)}


@dataclass(slots=True)
class RefreshToken:
    """One refresh token: single use, bound to its person, workspace and client."""

    person_id: int
    workspace_id: int
    client_id: str
    expires_at: datetime
    used: bool = False


class TokenAuthority:
    """Issues and checks tokens; rotation happens under one lock so a refresh token is spent exactly once."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._refresh: dict[str, RefreshToken] = {}
        self.issued = 0

    def reset(self) -> None:
        """Forget every refresh token (access tokens stay verifiable: they are stateless JWTs)."""
        with self._lock:
            self._refresh.clear()
            self.issued = 0

    def valid_refresh_tokens(self, now: datetime) -> int:
        """How many refresh tokens could still be spent."""
        with self._lock:
            return sum(1 for t in self._refresh.values() if not t.used and t.expires_at > now)

    def _pair(self, person_id: int, workspace_id: int, client_id: str, issuer: str,
              now: datetime, lifetime: int) -> dict[str, Any]:
        """Sign an access token and store a fresh refresh token (caller holds the lock)."""
        issued_at = int(now.timestamp())
        claims = {"client_id": client_id, "iss": f"{issuer}/as", "sub": str(person_id), "workspaceId": workspace_id,
                  "iat": issued_at, "exp": issued_at + lifetime, "jti": secrets.token_hex(8)}
        refresh = "rt_" + secrets.token_urlsafe(32)
        self._refresh[refresh] = RefreshToken(person_id, workspace_id, client_id,
                                              now + timedelta(days=REFRESH_TOKEN_DAYS))
        self.issued += 1
        return {"access_token": jwt.encode(claims, self._secret), "refresh_token": refresh,
                "token_type": "Bearer", "expires_in": lifetime}

    def issue(self, person_id: int, workspace_id: int, issuer: str, now: datetime, lifetime: int) -> dict[str, Any]:
        """A new pair, as the AAC UI's "OAuth 2.0 API Tokens" page creates."""
        with self._lock:
            return self._pair(person_id, workspace_id, CLIENT_ID, issuer, now, lifetime)

    def refresh(self, form: Mapping[str, str], issuer: str, now: datetime, lifetime: int) -> dict[str, Any]:
        """The refresh_token grant: spend the given token, return a new pair, or raise OAuthError."""
        if form.get("grant_type") != "refresh_token":
            raise OAuthError("unsupported_grant_type", "Only the refresh_token grant type is supported")
        client_id, token = form.get("client_id"), form.get("refresh_token")
        if not client_id:
            raise OAuthError("invalid_request", "Missing required parameter: client_id")
        if not token:
            raise OAuthError("invalid_request", "Missing required parameter: refresh_token")
        with self._lock:
            record = self._refresh.get(token)
            if record is None or record.used:
                raise OAuthError("invalid_grant", "Refresh token is invalid, expired or has already been used")
            if record.expires_at <= now:
                raise OAuthError("invalid_grant", "Refresh token has expired")
            if record.client_id != client_id:
                raise OAuthError("invalid_grant", "Refresh token was not issued to this client")
            record.used = True
            return self._pair(record.person_id, record.workspace_id, client_id, issuer, now, lifetime)

    def verify(self, header: str | None, now: datetime) -> dict[str, Any]:
        """Claims of a valid, unexpired bearer token, else Unauthorized."""
        if not header or not header.startswith("Bearer "):
            raise Unauthorized("Authentication required", "Missing Authorization: Bearer header")
        try:
            claims = jwt.decode(header[len("Bearer "):].strip(), self._secret)
        except jwt.JwtError:
            raise Unauthorized("Invalid access token", "The access token could not be verified") from None
        if int(claims.get("exp", 0)) <= now.timestamp():
            raise Unauthorized("Access token expired", "The access token has expired; refresh it")
        return claims


class RateLimiter:
    """Sliding one-minute windows per user and per workspace, measured on the emulator clock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, object], deque[datetime]] = {}

    def reset(self) -> None:
        """Forget all counted calls."""
        with self._lock:
            self._hits.clear()

    def _window(self, key: tuple[str, object], now: datetime) -> deque[datetime]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - timedelta(seconds=60):
            hits.popleft()
        return hits

    def hit(self, bucket: str, person_id: int, workspace_id: int, now: datetime) -> None:
        """Count one call, or raise TooManyRequests with AAC's headers when a quota is spent."""
        user_limit, workspace_limit = QUOTAS[bucket]
        with self._lock:
            user = self._window((bucket, person_id), now)
            workspace = self._window((bucket, f"ws{workspace_id}"), now)
            if len(user) >= user_limit or len(workspace) >= workspace_limit:
                oldest = user[0] if len(user) >= user_limit else workspace[0]
                wait = max(1, math.ceil((oldest + timedelta(seconds=60) - now).total_seconds()))
                headers = rate_limit_headers(wait, user_limit, workspace_limit, len(workspace), len(user))
                raise TooManyRequests(f"Rate limit exceeded for {bucket}", f"{user_limit} requests per user per minute",
                                      headers=headers)
            user.append(now)
            workspace.append(now)
