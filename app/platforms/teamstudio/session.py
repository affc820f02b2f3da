"""Team Studio sign-in: a service account's session, logged in when first needed and again when it ends.

Team Studio has no OAuth: `POST /api/sessions` with a username and password answers a session id,
which Chorus calls carry as the `session_id` query parameter and engine calls as the `x-token`
header. The id is kept encrypted in the connection's StoredToken row, so every worker shares one
session and the panel shows the same account and outcome whichever worker serves it.
"""
from __future__ import annotations

import logging
from typing import Any

import requests

from app.audit import record_action
from app.connections import Connection
from app.crypto import decrypt, encrypt
from app.errors import AuthError, PlatformError, TokenRejected
from app.extensions import db
from app.http import PlatformHttp
from app.models import StoredToken, utcnow
from app.platforms.records import TokenInfo
from app.tokens import record_token_outcome, stored_token_row

log = logging.getLogger(__name__)

ENGINE_PREFIX = "/alpinedatalabs/"
HOW_TO_FIX = ("Check the service account: `username` in connections.toml and its password in the environment "
              "variable {env}. Restart Flightdeck after changing the environment.")


class ServiceAccountSession:
    """The session of one connection's service account."""

    def __init__(self, connection: Connection, http: PlatformHttp) -> None:
        self.connection = connection
        self.http = http  # unauthenticated: the login call itself carries no session
        self.username = str(connection.option("username", ""))
        env = connection.secret_env_name("password") or "named by password_env"
        self.how_to_fix = HOW_TO_FIX.format(env=env)

    def session_id(self) -> str:
        """The stored session while there is one, else a new one (the platform says when it has ended: 401)."""
        row = self._row()
        return decrypt(row.access_token) or self._login(row, reason="first use")

    def recover_after_unauthorized(self) -> bool:
        """A 401 means the session ended: sign in again and let the call be retried once."""
        self._login(self._row(), reason="session ended")
        return True

    def refresh_now(self) -> TokenInfo:
        self._login(self._row(), reason="button")
        return self.info()

    def info(self) -> TokenInfo:
        row = self._row()
        rejected = row.last_outcome == "rejected"
        missing = not self.username or not self.connection.secret("password")
        return TokenInfo(
            connection=self.connection.name, kind=f"Team Studio session of {self.username or 'no account'}",
            expires_at=None, refreshed_at=row.refreshed_at, last_outcome=row.last_outcome,
            last_error=row.last_error, needs_new_token=rejected or missing,
            how_to_fix=self.how_to_fix if (rejected or missing) else "",
            expiry_label="Session ends", refreshed_label="Last sign-in",
            unknown_expiry="when Team Studio ends it" if row.access_token else "not signed in yet",
            note="Signed in with the service account when first needed and again whenever Team Studio ends the "
                 "session (it answers 401); the platform does not say in advance when that will be.")

    # --- internals -----------------------------------------------------------------------------
    def _row(self) -> StoredToken:
        return stored_token_row(self.connection.name)

    def _login(self, row: StoredToken, *, reason: str) -> str:
        name = self.connection.name
        password = self.connection.secret("password")
        if not self.username or not password:
            record_token_outcome(row, "rejected", "no username or password is configured")
            raise TokenRejected(name, f"no username or password is configured. {self.how_to_fix}")
        try:
            body = self.http.request("POST", "/api/sessions", params={"session_id": "NULL"},
                                     data={"username": self.username, "password": password}).json()
        except AuthError:
            record_token_outcome(row, "rejected", "the username or password was refused")
            self._audit("failed", reason, "the username or password was refused")
            raise TokenRejected(name, f"the username or password was refused. {self.how_to_fix}") from None
        except PlatformError as error:
            record_token_outcome(row, "failed", error.message)
            self._audit("failed", reason, error.message)
            raise
        session_id = _session_id_of(body)
        if session_id is None:
            record_token_outcome(row, "failed", "the sign-in answer had no session id")
            raise AuthError(name, "the sign-in answer had no session id")
        row = db.session.merge(row)
        row.access_token = encrypt(session_id)
        row.refreshed_at = utcnow()
        row.expires_at = None
        row.last_outcome, row.last_error = "ok", None
        row.generation = (row.generation or 0) + 1
        db.session.commit()
        log.info("signed in to %s as %s (%s)", name, self.username, reason)
        self._audit("ok", reason, None)
        return session_id

    def _audit(self, outcome: str, reason: str, error: str | None) -> None:
        record_action("session_renewal", outcome=outcome, connection=self.connection.name, platform="teamstudio",
                      object_type="session", object_id=self.username, params={"reason": reason}, error=error)


def _session_id_of(body: Any) -> str | None:
    response = body.get("response") if isinstance(body, dict) else None
    session_id = response.get("session_id") if isinstance(response, dict) else None
    return str(session_id) if session_id else None


class SessionAuthenticator(requests.auth.AuthBase):
    """Puts the session on each request where Team Studio looks for it, and signs in again after a 401.

    It is both PlatformHttp's per-request signer (Chorus wants `session_id` in the query string,
    the engine wants `x-token`) and its Authenticator (headers and recovery).
    """

    def __init__(self, session: ServiceAccountSession) -> None:
        self.session = session

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        token = self.session.session_id()
        if ENGINE_PREFIX in (request.path_url or ""):
            request.headers["x-token"] = token
        else:
            request.prepare_url(request.url, {"session_id": token})
        return request

    def apply(self, headers: dict[str, str]) -> None:
        """Nothing here: the session goes on the prepared request, where its path is known."""

    def recover(self) -> bool:
        return self.session.recover_after_unauthorized()
