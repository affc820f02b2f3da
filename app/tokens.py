"""Rotating OAuth2 refresh tokens: stored encrypted before use, spent by one process at a time."""
from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from filelock import FileLock
from sqlalchemy.exc import IntegrityError

from app.connections import Connection
from app.crypto import decrypt, encrypt, fingerprint
from app.errors import BadResponse, TokenRejected, Unavailable
from app.extensions import db
from app.http import HttpSettings, build_session
from app.models import StoredToken, utcnow
from app.platforms.records import TokenInfo

log = logging.getLogger(__name__)


def jwt_claims(token: str | None) -> dict:
    """The payload of a JWT, unverified: only used to find `iss` and `exp`, never to trust anything."""
    if not token or token.count(".") != 2:
        return {}
    payload = token.split(".")[1]
    try:
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, UnicodeDecodeError):
        return {}


@dataclass(frozen=True)
class TokenSettings:
    lock_dir: Path
    refresh_margin: int
    http: HttpSettings


def stored_token_row(connection: str, **defaults: Any) -> StoredToken:
    """The connection's StoredToken row, created (with `defaults`) when there is none; safe when two
    workers create it at once."""
    row = db.session.execute(db.select(StoredToken).filter_by(connection=connection)).scalar_one_or_none()
    if row is None:
        db.session.add(StoredToken(connection=connection, generation=0, **defaults))
        try:
            db.session.commit()
        except IntegrityError:  # another worker created it first
            db.session.rollback()
        row = db.session.execute(db.select(StoredToken).filter_by(connection=connection)).scalar_one()
    return row


def record_token_outcome(row: StoredToken, outcome: str, message: str | None) -> None:
    """Keep the last outcome of getting a credential, for the token panel."""
    row = db.session.merge(row)
    row.last_outcome, row.last_error = outcome, message
    db.session.commit()


def live_token(row: StoredToken, margin_seconds: int) -> str | None:
    """The stored access token while it lives longer than the margin, else None (time to get another)."""
    token = decrypt(row.access_token)
    if token and row.expires_at and row.expires_at - timedelta(seconds=margin_seconds) > utcnow():
        return token
    return None


REFUSED_ERRORS = frozenset({"invalid_grant", "invalid_client", "unauthorized_client", "access_denied"})


def call_token_endpoint(connection: str, call: Callable[[], Any], record: Callable[[str, str], None], *,
                        refused: str, how_to_fix: str) -> dict:
    """One call to an OAuth2 token endpoint, its failures mapped onto the error family and recorded.

    A refusal (invalid_grant, invalid_client …) is TokenRejected: a person must supply new
    credentials, and `how_to_fix` says how. Anything else is Unavailable or BadResponse.
    """
    try:
        token = call()
    except AuthlibBaseError as exc:
        error = getattr(exc, "error", "unknown")
        if error in REFUSED_ERRORS:
            record("rejected", f"{refused} ({error})")
            raise TokenRejected(connection, f"{refused} ({error}). {how_to_fix}") from None
        record("failed", f"token endpoint error ({error})")
        raise Unavailable(connection, f"token endpoint error ({error})") from None
    except requests.RequestException as exc:
        record("failed", f"token endpoint unreachable ({type(exc).__name__})")
        raise Unavailable(connection, f"token endpoint unreachable ({type(exc).__name__})") from None
    except ValueError:
        record("failed", "token endpoint answered with a body that is not JSON")
        raise BadResponse(connection, "token endpoint answered with a body that is not JSON") from None
    if not isinstance(token, dict) or not token.get("access_token"):
        record("failed", "token endpoint answered without an access token")
        raise BadResponse(connection, "token endpoint answered without an access token")
    return dict(token)


class RotatingTokenManager:
    """Keeps one connection's access token fresh with a single-use, rotating refresh token.

    The initial refresh token comes from the environment variable the connection names; once
    spent, the rotated pair lives only in the database (Fernet-encrypted). A new value in the
    environment variable (a different fingerprint) replaces the stored chain.
    """

    def __init__(self, connection: Connection, settings: TokenSettings, how_to_fix: str) -> None:
        self.connection = connection
        self.settings = settings
        self.how_to_fix = how_to_fix
        settings.lock_dir.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(str(settings.lock_dir / f"token-{connection.name}.lock"), timeout=60)

    # --- reading -------------------------------------------------------------------------------
    def access_token(self) -> str:
        """A usable access token, refreshed first when it expires within the margin."""
        row = self._row()
        return live_token(row, self.settings.refresh_margin) or self._refresh(seen_generation=row.generation,
                                                                              reason="expiry")

    def recover_after_unauthorized(self) -> bool:
        """After a 401: refresh unless another worker already did; True when a retry makes sense."""
        row = self._row()
        self._refresh(seen_generation=row.generation, reason="401")
        return True

    def refresh_now(self) -> TokenInfo:
        """The Refresh button: always spends the refresh token once."""
        self._row()  # seeds the stored chain from the environment on first use
        self._refresh(seen_generation=None, reason="button")
        return self.info()

    def info(self) -> TokenInfo:
        row = self._row()
        rejected = row.last_outcome == "rejected"
        missing = row.refresh_token is None
        return TokenInfo(
            connection=self.connection.name,
            kind="OAuth 2.0 access token with rotating refresh token",
            expires_at=row.expires_at,
            refreshed_at=row.refreshed_at,
            last_outcome=row.last_outcome,
            last_error=row.last_error,
            needs_new_token=rejected or missing,
            how_to_fix=self.how_to_fix if (rejected or missing) else "",
            note="Access tokens are refreshed automatically shortly before they expire and after a 401. Each "
                 "refresh spends the single-use refresh token and stores the new pair, encrypted, before it is used.",
        )

    # --- internals -----------------------------------------------------------------------------
    def _row(self) -> StoredToken:
        """The stored row, seeded or re-seeded from the environment under the lock."""
        seed = self.connection.secret("refresh_token")
        row = db.session.execute(db.select(StoredToken).filter_by(connection=self.connection.name)).scalar_one_or_none()
        if row is not None and (not seed or row.seed_fingerprint == fingerprint(seed)):
            return row
        with self._lock:
            db.session.rollback()
            row = db.session.execute(
                db.select(StoredToken).filter_by(connection=self.connection.name)).scalar_one_or_none()
            if row is None:
                row = StoredToken(connection=self.connection.name, generation=0)
                db.session.add(row)
            if seed and row.seed_fingerprint != fingerprint(seed):
                access = self.connection.secret("access_token")
                exp = jwt_claims(access).get("exp")
                row.refresh_token = encrypt(seed)
                row.access_token = encrypt(access) if access else None
                row.expires_at = datetime.fromtimestamp(exp, timezone.utc) if exp else None
                row.seed_fingerprint = fingerprint(seed)
                row.last_outcome = "supplied"
                row.last_error = None
                row.generation += 1
            db.session.commit()
            return row

    def _token_endpoint(self, row: StoredToken) -> str:
        issuer = jwt_claims(decrypt(row.access_token)).get("iss")
        if issuer:
            return f"{str(issuer).rstrip('/')}/token"
        endpoint = self.connection.option("token_endpoint") or row.token_endpoint
        if not endpoint:
            raise TokenRejected(self.connection.name, "no token endpoint: set token_endpoint in connections.toml")
        return endpoint

    def _refresh(self, *, seen_generation: int | None, reason: str) -> str:
        with self._lock:
            db.session.rollback()  # read what other workers committed while we waited
            row = db.session.execute(
                db.select(StoredToken).filter_by(connection=self.connection.name).with_for_update()
            ).scalar_one()
            if seen_generation is not None and row.generation != seen_generation and row.access_token:
                db.session.commit()
                return decrypt(row.access_token) or ""
            refresh_token = decrypt(row.refresh_token)
            if not refresh_token:
                record_token_outcome(row, "rejected", "no refresh token is stored")
                raise TokenRejected(self.connection.name, "no refresh token: " + self.how_to_fix)
            endpoint = self._token_endpoint(row)
            token = self._call_token_endpoint(row, endpoint, refresh_token)
            row.access_token = encrypt(token["access_token"])
            row.refresh_token = encrypt(token.get("refresh_token") or refresh_token)
            expires_in = float(token.get("expires_in") or 300)
            row.expires_at = utcnow() + timedelta(seconds=expires_in)
            row.token_endpoint = endpoint
            row.refreshed_at = utcnow()
            row.last_outcome = "ok"
            row.last_error = None
            row.generation += 1
            db.session.commit()  # stored before anyone uses the new pair
            log.info("refreshed token of %s (%s)", self.connection.name, reason)
            return token["access_token"]

    def _client_id(self, row: StoredToken) -> str:
        """AAC access tokens name their OAuth client; the configured client id is the fallback."""
        return str(jwt_claims(decrypt(row.access_token)).get("client_id") or self.connection.option("client_id", ""))

    def _call_token_endpoint(self, row: StoredToken, endpoint: str, refresh_token: str) -> dict:
        client = build_session(OAuth2Session, client_id=self._client_id(row), token_endpoint_auth_method="none")
        timeout = (self.settings.http.connect_timeout, self.settings.http.read_timeout)
        try:
            return call_token_endpoint(
                self.connection.name, lambda: client.refresh_token(endpoint, refresh_token=refresh_token,
                                                                   timeout=timeout),
                lambda outcome, message: record_token_outcome(row, outcome, message),
                refused="the refresh token was refused", how_to_fix=self.how_to_fix)
        finally:
            client.close()



class BearerAuthenticator:
    """Adapts a token manager to app.http's Authenticator: header per request, refresh on 401."""

    def __init__(self, manager: RotatingTokenManager, extra_headers: dict[str, str] | None = None) -> None:
        self.manager = manager
        self.extra_headers = extra_headers or {}

    def apply(self, headers: dict[str, str]) -> None:
        headers["Authorization"] = f"Bearer {self.manager.access_token()}"
        headers.update(self.extra_headers)

    def recover(self) -> bool:
        return self.manager.recover_after_unauthorized()
