"""Team Studio sign-in: a service account's session, logged in when first needed and again when it ends.

Team Studio has no OAuth: `POST /api/sessions` with a username and password answers a session id,
which Chorus calls carry as the `session_id` query parameter and engine calls as the `x-token`
header. Keeping, renewing and auditing the session is app/login_sessions.py's.
"""
from __future__ import annotations

from typing import Any

import requests

from app.errors import BadResponse
from app.login_sessions import LoginSession, SessionGenerations

ENGINE_PREFIX = "/alpinedatalabs/"
HOW_TO_FIX = "Check the service account: the connection's `username` and its password in {env}."


class ServiceAccountSession(LoginSession):
    """The session of one connection's service account: `POST /api/sessions` answers its id."""

    platform = "teamstudio"
    platform_name = "Team Studio"
    how_to_fix_text = HOW_TO_FIX

    def sign_in(self, username: str, password: str) -> str:
        body = self.http.request("POST", "/api/sessions", params={"session_id": "NULL"},
                                 data={"username": username, "password": password}).json()
        session_id = _session_id_of(body)
        if session_id is None:
            raise BadResponse(self.connection.name, "the sign-in answer had no session id")
        return session_id


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
        self.generations = SessionGenerations(session)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        token = self.generations.current()
        if ENGINE_PREFIX in (request.path_url or ""):
            request.headers["x-token"] = token
        else:
            request.prepare_url(request.url, {"session_id": token})
        return request

    def apply(self, headers: dict[str, str]) -> None:
        """Nothing here: the session goes on the prepared request, where its path is known."""

    def recover(self) -> bool:
        return self.generations.recover()
