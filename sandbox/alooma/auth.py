"""Alooma's two ways in, as the client uses them.

An API key travels in `authorization: API <key>` on every call and never expires. A login
(`POST rest/login` with JSON {"email", "password"}) answers a session cookie; the client sends it back and logs
in again once on a 401. Sessions live SESSION_LIFETIME seconds of emulator time (the `token_lifetime` knob
overrides it for sessions opened afterwards); `/_sandbox/alooma/expire-sessions` ends them all at once.
"""
from __future__ import annotations

import secrets
from typing import Any, Mapping

from sandbox.alooma.base import BackendBase
from sandbox.alooma.errors import BadRequest, Unauthorized
from sandbox.alooma.world import User
from sandbox.common.sessions import SessionStore

SESSION_LIFETIME = 12 * 3600
COOKIE_NAME = "alooma_session"
KEY_SCHEME = "api"


def user_json(user: User) -> dict[str, Any]:
    """A user as GET user/ lists it."""
    return {"email": user.email, "first_name": user.first_name, "last_name": user.last_name,
            "isPending": user.pending}


class AuthMixin(BackendBase):
    """Login, authentication and the control layer's credentials."""

    sessions: SessionStore

    def check_account(self, account: str | None) -> None:
        """A path naming another account answers 401 (the client then says "check account name")."""
        if account is not None and account != self.world.account:
            raise Unauthorized(f"Unknown account {account}")

    def login(self, body: Any) -> tuple[str, dict[str, Any]]:
        """POST login: (cookie value, the user) for a valid email and password of an active user."""
        if not isinstance(body, dict) or not isinstance(body.get("email"), str) \
                or not isinstance(body.get("password"), str):
            raise BadRequest("Login requires a JSON body with email and password")
        with self.lock:
            user = self.world.user_by_email(body["email"])
            if user is None or not secrets.compare_digest(user.password, body["password"]):
                raise Unauthorized("Invalid email or password")
            if user.pending:
                raise Unauthorized("This user has not accepted the invitation yet")
            token = self.sessions.open(user.email, self.now(), self.faults.token_lifetime).token
            return token, user_json(user)

    def authenticate(self, authorization: str | None, cookie: str | None) -> User:
        """The caller: an API key header wins over a session cookie; neither valid is a 401."""
        with self.lock:
            if authorization:
                scheme, _, key = authorization.strip().partition(" ")
                user = next((u for u in self.world.users if scheme.lower() == KEY_SCHEME and key.strip()
                             and secrets.compare_digest(u.api_key, key.strip()) and not u.pending), None)
                if user is None:
                    raise Unauthorized("Invalid API key")
                return user
            session = self.sessions.live(cookie, self.now())
            if session is None:
                raise Unauthorized("Session expired, please log in" if cookie else "Authentication required")
            user = self.world.user_by_email(session.owner)
            if user is None:
                raise Unauthorized("Authentication required")
            return user

    def mint_token(self, base_url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """What a connection needs: the account name, the REST root, and a user's API key and login
        (default: the service user); options may name {"email"}."""
        with self.lock:
            email = str((options or {}).get("email") or self.world.users[0].email)
            user = self.world.user_by_email(email)
            if user is None:
                raise LookupError(f"no user {email!r} in the seeded world")
            if user.pending:
                raise ValueError(f"user {email!r} has not accepted the invitation and cannot connect")
            return {"account_name": self.world.account, "base_url": base_url,
                    "rest_url": f"{base_url}/{self.world.account}/rest/", "api_key": user.api_key,
                    "email": user.email, "password": user.password}

    def expire_sessions(self) -> int:
        """End every live session (POST /_sandbox/alooma/expire-sessions)."""
        return self.sessions.end_all(self.now())
