"""OAuth2 client-credentials access tokens: fetched when needed, stored encrypted, fetched again before expiry."""
from __future__ import annotations

import logging
from datetime import timedelta

from authlib.integrations.requests_client import OAuth2Session
from app.connections import Connection
from app.crypto import encrypt
from app.errors import TokenRejected
from app.extensions import db
from app.http import build_session
from app.models import StoredToken, utcnow
from app.platforms.records import TokenInfo
from app.tokens import TokenSettings, call_token_endpoint, live_token, record_token_outcome, stored_token_row

log = logging.getLogger(__name__)


class ClientCredentialsTokens:
    """Access tokens from `grant_type=client_credentials`; there is no refresh token to protect.

    The token is kept in the StoredToken row (encrypted) so every worker shares it and the token
    panel shows the same expiry and outcome whichever worker serves it.
    """

    def __init__(self, connection: Connection, settings: TokenSettings, *, token_endpoint: str, client_id: str,
                 secret_key: str, kind: str, how_to_fix: str) -> None:
        self.connection = connection
        self.settings = settings
        self.token_endpoint = token_endpoint
        self.client_id = client_id
        self.secret_key = secret_key
        self.kind = kind
        self.how_to_fix = how_to_fix

    def access_token(self) -> str:
        """The stored token while it lives past the refresh margin, else a newly fetched one."""
        row = self._row()
        return live_token(row, self.settings.refresh_margin) or self._fetch(row, reason="expiry")

    def recover_after_unauthorized(self) -> bool:
        """A 401 means the token died early (revoked, server restart): fetch a new one and retry once."""
        self._fetch(self._row(), reason="401")
        return True

    def refresh_now(self) -> TokenInfo:
        self._fetch(self._row(), reason="button")
        return self.info()

    def info(self) -> TokenInfo:
        row = self._row()
        rejected = row.last_outcome == "rejected"
        missing = not self.connection.secret(self.secret_key)
        return TokenInfo(
            connection=self.connection.name, kind=self.kind, expires_at=row.expires_at,
            refreshed_at=row.refreshed_at, last_outcome=row.last_outcome, last_error=row.last_error,
            needs_new_token=rejected or missing, how_to_fix=self.how_to_fix if (rejected or missing) else "",
            note="Fetched with the client-credentials grant when first needed, again shortly before it expires "
                 "and once after a 401. There is no refresh token: the key and secret are the credential.")

    # --- internals -----------------------------------------------------------------------------
    def _row(self) -> StoredToken:
        return stored_token_row(self.connection.name, token_endpoint=self.token_endpoint)

    def _fetch(self, row: StoredToken, *, reason: str) -> str:
        name = self.connection.name
        secret = self.connection.secret(self.secret_key)
        if not self.client_id or not secret:
            record_token_outcome(row, "rejected", "no client id or secret is configured")
            raise TokenRejected(name, f"no client id or secret is configured. {self.how_to_fix}")
        session = build_session(OAuth2Session, client_id=self.client_id, client_secret=secret,
                                token_endpoint_auth_method="client_secret_basic")
        timeout = (self.settings.http.connect_timeout, self.settings.http.read_timeout)
        try:
            token = call_token_endpoint(
                name, lambda: session.fetch_token(self.token_endpoint, grant_type="client_credentials",
                                                  timeout=timeout),
                lambda outcome, message: record_token_outcome(row, outcome, message),
                refused="the key and secret were refused", how_to_fix=self.how_to_fix)
        finally:
            session.close()
        row = db.session.merge(row)
        row.access_token = encrypt(token["access_token"])
        row.expires_at = utcnow() + timedelta(seconds=float(token.get("expires_in") or 3600))
        row.refreshed_at = utcnow()
        row.token_endpoint = self.token_endpoint
        row.last_outcome, row.last_error = "ok", None
        row.generation = (row.generation or 0) + 1
        db.session.commit()
        log.info("fetched a client-credentials token for %s (%s)", name, reason)
        return token["access_token"]
