"""Signing in: v4's /token/user (with two-factor and lockout) and /token/refresh, v5's Keycloak token endpoint,
and turning a bearer token into a user.

Lockout: after 5 failed passwords an account answers the same 401 "Failed to login" for 15 minutes of
emulator time, even to the right password; a success resets the count. A wrong two-factor code answers 401
but does not count as a failed password. Codes are accepted for the current 30-second step and one step
either side. Refreshing never revokes: the old refresh token stays valid until it expires (as the real
server, which keeps no token list). Any authenticated call updates the user's `last_seen` and `ip`.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Mapping

from sandbox.common.locking import locked
from sandbox.vantage6.base import BackendBase
from sandbox.vantage6.errors import V6Error, keycloak_error, unexpected
from sandbox.vantage6.tokens import KEYCLOAK_ACCESS_SECONDS, TokenService
from sandbox.vantage6.totp import verify
from sandbox.vantage6.validate import LOGIN, check
from sandbox.vantage6.world import User

ACCESS_SECONDS = 21600  # 6 h, vantage6's default token_expires_hours
MAX_FAILED, BLOCKED_FOR = 5, timedelta(minutes=15)
FAILED_LOGIN = "Failed to login"
NEED_CODE = "Please include your two-factor authentication code"
WRONG_CODE = "Your two-factor authentication code is incorrect"
CLIENT_ID = "public_client"


class AuthMixin(BackendBase):
    """Token endpoints and authentication."""

    def access_seconds(self) -> int:
        """Lifetime of new access tokens: the token_lifetime knob (default 6 h; Keycloak's 300 s in v5)."""
        seconds = self.faults.token_lifetime
        if self.v5 and seconds == ACCESS_SECONDS:
            return KEYCLOAK_ACCESS_SECONDS
        return seconds

    def _role_names(self, user: User) -> list[str]:
        return [self.world.roles[r].name for r in user.role_ids if r in self.world.roles]

    @locked
    def login(self, body: Any) -> tuple[dict[str, Any], int, dict[str, str]]:
        """POST /api/token/user -> (body, status, headers)."""
        body = check(body, LOGIN, ("username", "password"))
        now, user = self.now(), self.world.user_by_name(body["username"])
        if user is None:
            raise V6Error(401, FAILED_LOGIN)
        if user.failed_logins >= MAX_FAILED and user.last_failed_login is not None:
            if now < user.last_failed_login + BLOCKED_FOR:
                raise V6Error(401, FAILED_LOGIN)
            user.failed_logins = 0
        if body["password"] != user.password:
            user.failed_logins += 1
            user.last_failed_login = now
            raise V6Error(401, FAILED_LOGIN)
        if user.two_factor and user.otp_secret:
            if body.get("mfa_code") in (None, ""):
                return {"msg": NEED_CODE}, 200, {}
            if not verify(user.otp_secret, body["mfa_code"], now):
                raise V6Error(401, WRONG_CODE)
        user.failed_logins, user.last_seen = 0, now
        access, refresh = self.tokens.user_pair(user.id, self._role_names(user), now, self.access_seconds())
        return ({"access_token": access, "refresh_token": refresh, "refresh_url": "/api/token/refresh",
                 "user_url": f"/api/user/{user.id}"}, 200, {"jwt-token": access})

    @locked
    def refresh(self, header: str | None) -> dict[str, Any]:
        """POST /api/token/refresh with the refresh token as bearer -> a new access and refresh token."""
        payload = self.tokens.decode(TokenService.bearer(header), self.tokens.key, self.now())
        if payload.get("type") != "refresh":
            raise V6Error(422, "Only refresh tokens are allowed")
        user = self.world.users.get(payload.get("sub"))  # type: ignore[arg-type]
        if user is None:
            raise unexpected()
        access, refresh = self.tokens.user_pair(user.id, self._role_names(user), self.now(), self.access_seconds())
        return {"access_token": access, "refresh_token": refresh, "refresh_url": "/api/token/refresh",
                "user_url": f"/api/user/{user.id}"}

    @locked
    def authenticate(self, header: str | None, ip: str | None) -> User:
        """The user a bearer access token names (v4 tokens, or Keycloak tokens in v5 mode)."""
        token = TokenService.bearer(header)
        if self.v5:
            payload = self.tokens.decode(token, self.tokens.keycloak_key, self.now())
            if payload.get("typ") == "Refresh":
                raise V6Error(422, "Only non-refresh tokens are allowed")
            if payload.get("vantage6_client_type") != "user":
                raise unexpected()
            user = next((u for u in self.world.users.values() if u.keycloak_id == payload.get("sub")), None)
        else:
            payload = self.tokens.decode(token, self.tokens.key, self.now())
            if payload.get("type") != "access":
                raise V6Error(422, "Only non-refresh tokens are allowed")
            if payload.get("client_type") != "user":
                # the real server answers a node or container token on a user endpoint with a 500 (notes §2)
                raise unexpected()
            user = self.world.users.get(payload.get("sub"))  # type: ignore[arg-type]
        if user is None:
            raise unexpected()
        user.last_seen, user.ip = self.now(), ip
        return user

    @locked
    def keycloak_token(self, form: Mapping[str, str], issuer: str) -> dict[str, Any]:
        """POST /realms/vantage6/protocol/openid-connect/token (password and refresh_token grants)."""
        grant = form.get("grant_type")
        if not grant:
            raise keycloak_error(400, "invalid_request", "Missing form parameter: grant_type")
        if form.get("client_id") != CLIENT_ID:
            raise keycloak_error(401, "invalid_client", "Invalid client or Invalid client credentials")
        now = self.now()
        if grant == "password":
            user = self.world.user_by_name(form.get("username", ""))
            if user is None or form.get("password") != user.password or (
                    user.two_factor and user.otp_secret and not verify(user.otp_secret, form.get("totp", ""), now)):
                raise keycloak_error(401, "invalid_grant", "Invalid user credentials")
        elif grant == "refresh_token":
            try:
                payload = self.tokens.decode(form.get("refresh_token", ""), self.tokens.keycloak_key, now)
            except V6Error:
                raise keycloak_error(400, "invalid_grant", "Invalid refresh token") from None
            if payload.get("typ") != "Refresh" or payload.get("azp") != form.get("client_id"):
                raise keycloak_error(400, "invalid_grant", "Invalid refresh token")
            user = next((u for u in self.world.users.values() if u.keycloak_id == payload.get("sub")), None)
            if user is None:
                raise keycloak_error(400, "invalid_grant", "Invalid refresh token")
        else:
            raise keycloak_error(400, "unsupported_grant_type", "Unsupported grant_type")
        user.last_seen = now
        return self.tokens.keycloak_pair(user.keycloak_id, user.username, CLIENT_ID, issuer, now,
                                         self.access_seconds())
