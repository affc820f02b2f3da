"""vantage6 sign-in: a user account's JWT pair, refreshed before it expires and after a 401.

Servers of version 4 sign users in themselves: `POST /api/token/user` with the username and password (and
a six-digit code where the account has two-factor authentication) answers an access and a refresh token;
`POST /api/token/refresh`, with the refresh token as the bearer, answers a new pair. Version 5 servers
leave sign-in to Keycloak: the connection names its OpenID Connect token endpoint and client id, and
authlib gets and refreshes the bearer token there. The pair is kept encrypted in the connection's
StoredToken row, so every worker shares it; a file lock lets one worker at a time renew it.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import requests
from authlib.integrations.requests_client import OAuth2Session
from filelock import FileLock

from app.audit import record_action
from app.connections import Connection
from app.crypto import decrypt, encrypt
from app.errors import AuthError, BadResponse, InvalidRequest, PlatformError, TokenRejected
from app.extensions import db
from app.http import PlatformHttp, build_session
from app.models import StoredToken, utcnow
from app.platforms.records import TokenInfo
from app.tokens import TokenSettings, call_token_endpoint, jwt_claims, live_token, record_token_outcome, stored_token_row

log = logging.getLogger(__name__)

JWT_REFUSALS = ("signature verification failed", "invalid header", "not enough segments", "invalid crypto padding",
                "only non-refresh tokens are allowed", "invalid payload")
NEEDS_CODE = "needs_code"  # the last outcome while an account with two-factor waits for its six-digit code
HOW_TO_FIX = "Check the account: the connection's `username` and its password in {env}."


class Vantage6Credentials:
    """One connection's user sign-in and its token pair; `major()` says which server version signs in how."""

    def __init__(self, connection: Connection, login_http: PlatformHttp, settings: TokenSettings,
                 major: Callable[[], int], api_path: str) -> None:
        self.connection = connection
        self.http = login_http  # unauthenticated: the sign-in calls carry their own credentials
        self.settings = settings
        self.major = major
        self.api = api_path
        self.username = str(connection.option("username", ""))
        self.how_to_fix = HOW_TO_FIX.format(env=connection.secret_place("password"))
        settings.lock_dir.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(str(settings.lock_dir / f"token-{connection.name}.lock"), timeout=60)

    # --- what callers use ----------------------------------------------------------------------------
    def access_token(self) -> str:
        """A usable access token, renewed first when it expires within the margin."""
        row = self._row()
        return live_token(row, self.settings.refresh_margin) or self._renew(row.generation, reason="expiry")

    def recover_after_unauthorized(self) -> bool:
        """After a 401 (or a 422 from the JWT layer): renew unless another worker already did; the call is then
        retried once."""
        self._renew(self._row().generation, reason="token refused")
        return True

    def refresh_now(self) -> TokenInfo:
        """The Refresh button: renew now, whatever the expiry."""
        self._renew(None, reason="button")
        return self.info()

    def sign_in_with_code(self, code: str) -> TokenInfo:
        """Sign in afresh with the six-digit two-factor code a person typed on the token panel."""
        if not (code.isdigit() and len(code) == 6):
            raise InvalidRequest(self.connection.name, "the two-factor code is six digits")
        with self._lock:
            db.session.rollback()
            self._sign_in(self._row(), reason="two-factor code", code=code)
        return self.info()

    def info(self) -> TokenInfo:
        row = self._row()
        waiting = row.last_outcome == NEEDS_CODE
        rejected = row.last_outcome == "rejected"
        missing = not self.username or not self.connection.secret("password")
        keycloak = self.major() >= 5
        return TokenInfo(
            connection=self.connection.name,
            kind=f"{'Keycloak' if keycloak else 'vantage6'} JWT of {self.username or 'no account'}",
            expires_at=row.expires_at, refreshed_at=row.refreshed_at, last_outcome=row.last_outcome,
            last_error=row.last_error, needs_new_token=rejected or missing,
            how_to_fix=self.how_to_fix if (rejected or missing) else "", accepts_code=waiting and not keycloak,
            note=("This account has two-factor authentication: enter the current six-digit code below to sign in. "
                  if waiting else "")
            + "The access token is refreshed with the refresh token shortly before it expires and after a 401; "
              "when the refresh token has run out, Flightdeck signs in again with the password"
            + (" at the connection's Keycloak token endpoint." if keycloak else "."))

    @property
    def waiting_for_code(self) -> bool:
        return self._row().last_outcome == NEEDS_CODE

    # --- internals ----------------------------------------------------------------------------------
    def _row(self) -> StoredToken:
        return stored_token_row(self.connection.name)

    def _renew(self, seen_generation: int | None, *, reason: str) -> str:
        """Refresh the pair, or sign in again when there is no refresh token or it is refused."""
        with self._lock:
            db.session.rollback()  # read what other workers committed while we waited
            row = self._row()
            if seen_generation is not None and row.generation != seen_generation and row.access_token:
                return decrypt(row.access_token) or ""
            if decrypt(row.refresh_token):
                try:
                    return self._refresh(row, reason=reason)
                except (AuthError, InvalidRequest):  # expired (401), or signed with a key the server lost (422)
                    log.info("refresh token of %s refused; signing in again", self.connection.name)
            return self._sign_in(row, reason=reason)

    def _refresh(self, row: StoredToken, *, reason: str) -> str:
        refresh_token = decrypt(row.refresh_token) or ""
        if self.major() >= 5:
            token = self._keycloak(row, lambda client, url, timeout: client.refresh_token(
                url, refresh_token=refresh_token, timeout=timeout))
        else:
            token = self._token_answer(self.http.request(
                "POST", f"{self.api}/token/refresh", headers={"Authorization": f"Bearer {refresh_token}"}).json())
        return self._store(row, token, f"refresh ({reason})")

    def _sign_in(self, row: StoredToken, *, reason: str, code: str | None = None) -> str:
        password = self.connection.secret("password")
        if not self.username or not password:
            self._refused(row, "no username or password is configured", reason)
        if self.major() >= 5:
            token = self._keycloak(row, lambda client, url, timeout: client.fetch_token(
                url, grant_type="password", username=self.username, password=password, timeout=timeout))
            return self._store(row, token, f"sign-in ({reason})")
        body: dict[str, Any] = {"username": self.username, "password": password}
        if code:
            body["mfa_code"] = code
        try:
            answer = self.http.request("POST", f"{self.api}/token/user", json=body).json()
        except AuthError:
            self._refused(row, "the username, password or code was refused", reason)
        if isinstance(answer, dict) and "access_token" not in answer and "two-factor" in str(answer.get("msg", "")):
            record_token_outcome(row, NEEDS_CODE, "the account has two-factor authentication: a code is needed")
            self._audit("failed", reason, "a two-factor code is needed")
            raise TokenRejected(self.connection.name, "this account has two-factor authentication: enter the "
                                                      "current six-digit code on the token panel")
        return self._store(row, self._token_answer(answer), f"sign-in ({reason})")

    def _keycloak(self, row: StoredToken, call: Callable[[OAuth2Session, str, tuple[float, float]], Any]) -> dict:
        """One call to the connection's Keycloak token endpoint (authlib), failures mapped and recorded."""
        url = str(self.connection.option("oidc_token_url", ""))
        if not url:
            self._refused(row, "the server is version 5 and signs in through Keycloak: set oidc_token_url "
                               "(and client_id) in connections.toml", "configuration")
        client = build_session(OAuth2Session, client_id=str(self.connection.option("client_id", "")),
                               token_endpoint_auth_method="none")
        timeout = (self.settings.http.connect_timeout, self.settings.http.read_timeout)
        try:
            return call_token_endpoint(
                self.connection.name, lambda: call(client, url, timeout),
                lambda outcome, message: record_token_outcome(row, outcome, message),
                refused="Keycloak refused the credentials", how_to_fix=self.how_to_fix)
        finally:
            client.close()

    def _token_answer(self, answer: Any) -> dict:
        if not isinstance(answer, dict) or not answer.get("access_token"):
            raise BadResponse(self.connection.name, "the sign-in answer had no access token")
        return answer

    def _store(self, row: StoredToken, token: dict, what: str) -> str:
        """Keep the new pair (encrypted) before anyone uses it; audited as token_refresh."""
        row = db.session.merge(row)
        access = str(token["access_token"])
        row.access_token = encrypt(access)
        if token.get("refresh_token"):
            row.refresh_token = encrypt(str(token["refresh_token"]))
        exp = jwt_claims(access).get("exp")
        row.expires_at = (datetime.fromtimestamp(exp, timezone.utc) if isinstance(exp, (int, float))
                          else utcnow() + timedelta(seconds=float(token.get("expires_in") or 300)))
        row.refreshed_at = utcnow()
        row.last_outcome, row.last_error = "ok", None
        row.generation = (row.generation or 0) + 1
        db.session.commit()
        log.info("%s of %s as %s", what, self.connection.name, self.username)
        self._audit("ok", what, None)
        return access

    def _refused(self, row: StoredToken, message: str, reason: str) -> None:
        record_token_outcome(row, "rejected", message)
        self._audit("failed", reason, message)
        raise TokenRejected(self.connection.name, f"{message}. {self.how_to_fix}")

    def _audit(self, outcome: str, reason: str, error: str | None) -> None:
        record_action("token_refresh", outcome=outcome, connection=self.connection.name, platform="vantage6",
                      object_type="token", object_id=self.username, params={"reason": reason}, error=error)


class Vantage6Authenticator:
    """app.http's Authenticator: the bearer header on every call, one renewal after the token is refused."""

    def __init__(self, credentials: Vantage6Credentials) -> None:
        self.credentials = credentials

    def apply(self, headers: dict[str, str]) -> None:
        headers["Authorization"] = f"Bearer {self.credentials.access_token()}"

    @staticmethod
    def refuses(response: requests.Response) -> bool:
        """A 422 from the JWT layer means the token itself is unusable, most often because the server restarted
        with a new random signing key: sign in again as after a 401."""
        return response.status_code == 422 and _jwt_refusal(response)

    def recover(self) -> bool:
        try:
            return self.credentials.recover_after_unauthorized()
        except PlatformError:
            return False


def _jwt_refusal(response: requests.Response) -> bool:
    try:
        said = str(response.json().get("msg", "")).lower()
    except (ValueError, AttributeError):
        return False
    return any(words in said for words in JWT_REFUSALS)
