"""Alooma sign-in, one mechanism per kind of connection: an API key, or a login session.

An API key travels as `authorization: API <key>` on every call and never expires, so a 401 means the key (or the
account name in the path) is wrong: a person must fix it, nothing is retried. A login (`POST {rest}/login` with
the email and password) answers a session in its cookies; they are kept encrypted in the connection's
StoredToken row, so every worker shares one session, and Alooma's 401 after the session ended leads to one new
login and one retry; keeping, renewing and auditing it is app/login_sessions.py's.
"""
from __future__ import annotations

from app.connections import Connection
from app.errors import BadResponse, TokenRejected
from app.login_sessions import LoginSession, SessionGenerations

KEY_HOW_TO_FIX = ("Check the API key in {env} and the connection's `account_name` ({account}): a key belongs to "
                  "one account.")
LOGIN_HOW_TO_FIX = ("Check the login: the connection's `username` (the user's email) and `account_name` ({account}), "
                    "and the password in {env}.")


def _account(connection: Connection) -> str:
    return str(connection.option("account_name", "")) or "none set"


class ApiKeyAuthenticator:
    """app.http's Authenticator for an API key connection: the header on every call; a refusal is final."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.how_to_fix = KEY_HOW_TO_FIX.format(env=connection.secret_place("api_key"),
                                                account=_account(connection))

    def apply(self, headers: dict[str, str]) -> None:
        key = self.connection.secret("api_key")
        if not key:
            raise TokenRejected(self.connection.name, f"no API key is configured. {self.how_to_fix}")
        headers["Authorization"] = f"API {key}"

    def recover(self) -> bool:
        """An API key does not expire: a 401 means it was refused, and only a person can supply another."""
        raise TokenRejected(self.connection.name, f"the API key was refused (401). {self.how_to_fix}")


class AloomaLoginSession(LoginSession):
    """The login session of one connection's user: `POST {rest}/login` answers it in cookies."""

    platform = "alooma"
    platform_name = "Alooma"
    session_kind = "login session"
    how_to_fix_text = LOGIN_HOW_TO_FIX

    def sign_in(self, username: str, password: str) -> str:
        response = self.http.request("POST", "/login", json={"email": username, "password": password})
        cookie = "; ".join(f"{c.name}={c.value}" for c in response.cookies)
        self.http.session.cookies.clear()  # the session lives in the StoredToken row, not in this jar
        if not cookie:
            raise BadResponse(self.connection.name, "the login answer set no session cookie")
        return cookie


class SessionAuthenticator:
    """app.http's Authenticator for a login connection: the session cookie on every call, one new login after a
    401."""

    def __init__(self, session: AloomaLoginSession) -> None:
        self.generations = SessionGenerations(session)

    def apply(self, headers: dict[str, str]) -> None:
        headers["Cookie"] = self.generations.current()

    def recover(self) -> bool:
        return self.generations.recover()
