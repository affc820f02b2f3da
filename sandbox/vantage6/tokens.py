"""JWTs as vantage6 4.15.2 (Flask-JWT-Extended) and a v5 Keycloak realm issue them, and the JWT-layer errors.

v4 payload: `sub` (the numeric user id), `type` access|refresh, `client_type` "user", `roles` (names),
`iat`, `nbf`, `exp`, `jti`, `csrf`, `fresh`; HS256 with a key made per process, so tokens die when the
emulator restarts (as with a server without `jwt_secret_key`) but survive `/_sandbox/reset`. The Keycloak
tokens of v5 mode are signed with a second key (so a v4 token fails their signature check and the other
way round) and carry `vantage6_client_type`, `typ` Bearer|Refresh and `sub` = the user's Keycloak id.
"""
from __future__ import annotations

import base64
import json
import secrets
import threading
import uuid
from datetime import datetime
from typing import Any

from sandbox.common import jwt
from sandbox.vantage6.errors import V6Error

REFRESH_SECONDS = 172800  # 48 h
KEYCLOAK_ACCESS_SECONDS = 300  # Keycloak's default when no token_lifetime knob is set
KEYCLOAK_REFRESH_SECONDS = 1800
NO_BEARER = "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"
BAD_HEADER = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"


def _segment(text: str) -> dict[str, Any]:
    value = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


class TokenService:
    """Signs and checks the emulator's tokens; counts what it issued."""

    def __init__(self) -> None:
        self.key = secrets.token_bytes(32)
        self.keycloak_key = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self.issued = 0

    def _count(self) -> None:
        with self._lock:
            self.issued += 1

    def user_pair(self, user_id: int, roles: list[str], now: datetime, access_seconds: int) -> tuple[str, str]:
        """A v4 access and refresh token for a user."""
        stamp = int(now.timestamp())
        base = {"fresh": False, "iat": stamp, "nbf": stamp, "sub": user_id, "client_type": "user", "roles": roles}
        access = jwt.encode({**base, "jti": str(uuid.uuid4()), "type": "access", "csrf": str(uuid.uuid4()),
                             "exp": stamp + access_seconds}, self.key)
        refresh = jwt.encode({**base, "jti": str(uuid.uuid4()), "type": "refresh", "csrf": str(uuid.uuid4()),
                              "exp": stamp + REFRESH_SECONDS}, self.key)
        self._count()
        return access, refresh

    def keycloak_pair(self, keycloak_id: str, username: str, client_id: str, issuer: str, now: datetime,
                      access_seconds: int) -> dict[str, Any]:
        """A Keycloak token answer for a user (v5 mode)."""
        stamp = int(now.timestamp())
        session = str(uuid.uuid4())
        common = {"iat": stamp, "iss": issuer, "sub": keycloak_id, "azp": client_id, "sid": session,
                  "preferred_username": username}
        access = jwt.encode({**common, "jti": str(uuid.uuid4()), "exp": stamp + access_seconds, "typ": "Bearer",
                             "aud": "account", "vantage6_client_type": "user", "scope": "openid profile email"},
                            self.keycloak_key)
        refresh = jwt.encode({**common, "jti": str(uuid.uuid4()), "exp": stamp + KEYCLOAK_REFRESH_SECONDS,
                              "typ": "Refresh", "aud": issuer}, self.keycloak_key)
        self._count()
        return {"access_token": access, "expires_in": access_seconds, "refresh_expires_in": KEYCLOAK_REFRESH_SECONDS,
                "refresh_token": refresh, "token_type": "Bearer", "not-before-policy": 0, "session_state": session,
                "scope": "openid profile email"}

    @staticmethod
    def bearer(header: str | None) -> str:
        """The token of an Authorization header, with Flask-JWT-Extended's refusals."""
        if not header:
            raise V6Error(401, "Missing Authorization Header")
        if not header.startswith("Bearer"):
            raise V6Error(401, NO_BEARER)
        parts = header.split()
        if len(parts) != 2:
            raise V6Error(422, BAD_HEADER)
        return parts[1]

    @staticmethod
    def decode(token: str, key: bytes, now: datetime) -> dict[str, Any]:
        """The payload of a token signed with key, unexpired on the emulator clock (422/401 otherwise)."""
        parts = token.split(".")
        if len(parts) != 3:
            raise V6Error(422, "Not enough segments")
        try:
            _segment(parts[0])
        except (ValueError, UnicodeError) as exc:
            raise V6Error(422, f"Invalid header string: {exc}") from None
        try:
            payload = jwt.decode(token, key)
        except jwt.JwtError as exc:
            message = "Signature verification failed" if "signature" in str(exc) else f"Invalid payload string: {exc}"
            raise V6Error(422, message) from None
        if not isinstance(payload.get("exp"), int) or payload["exp"] <= now.timestamp():
            raise V6Error(401, "Token has expired")
        return payload
