"""A platform login session (Team Studio's, Alooma's): a username and password exchanged for a session credential.

The credential (a session id, a cookie) is kept encrypted in the connection's StoredToken row, so every worker
shares one session and the token panel shows the same account and outcome whichever worker serves it. The
platform says when a session has ended by answering 401: one worker signs in again (a file lock, and the row's
generation tells a stale session from one another worker already renewed) and the call is retried once. Every
sign-in is audited as `session_renewal` with its reason.
"""
from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod

from filelock import FileLock

from app.audit import record_action
from app.connections import Connection
from app.crypto import decrypt, encrypt
from app.errors import AuthError, PlatformError, TokenRejected
from app.extensions import db
from app.http import PlatformHttp
from app.models import StoredToken, utcnow
from app.platforms.records import TokenInfo
from app.tokens import TokenSettings, record_token_outcome, stored_token_row

log = logging.getLogger(__name__)


class LoginSession(ABC):
    """One connection's login session. A platform says how to sign in (`sign_in`) and what to call things."""

    platform: str = ""
    platform_name: str = ""
    session_kind: str = "session"  # what the panel calls it: "session", "login session"
    how_to_fix_text: str = "Check the connection's `username` and the password in {env}."

    def __init__(self, connection: Connection, login_http: PlatformHttp, settings: TokenSettings) -> None:
        self.connection = connection
        self.http = login_http  # unauthenticated: the login carries its own credentials
        self.username = str(connection.option("username", ""))
        self.how_to_fix = self.how_to_fix_text.format(
            env=connection.secret_place("password"),
            account=str(connection.option("account_name", "")) or "none set")
        settings.lock_dir.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(str(settings.lock_dir / f"token-{connection.name}.lock"), timeout=60)

    @abstractmethod
    def sign_in(self, username: str, password: str) -> str:
        """Exchange the credentials for the session credential to store; AuthError when they are refused."""

    # --- what callers use ----------------------------------------------------------------------------
    def credential(self) -> tuple[str, int]:
        """The stored session credential and the row's generation; signs in first when there is none."""
        row = self._row()
        stored = decrypt(row.access_token)
        if stored:
            return stored, row.generation
        with self._lock:
            db.session.rollback()  # another worker may have signed in while we waited
            row = self._row()
            stored = decrypt(row.access_token)
            return (stored, row.generation) if stored else self._login(row, reason="first use")

    def recover_after_unauthorized(self, seen_generation: int | None) -> bool:
        """A 401 means the session ended: sign in again unless another call already did; the call is retried."""
        with self._lock:
            db.session.rollback()
            row = self._row()
            if seen_generation is not None and row.generation != seen_generation and row.access_token:
                return True
            self._login(row, reason="session ended")
        return True

    def refresh_now(self) -> TokenInfo:
        """The panel's button: sign in afresh now."""
        with self._lock:
            db.session.rollback()
            self._login(self._row(), reason="button")
        return self.info()

    def info(self) -> TokenInfo:
        row = self._row()
        rejected = row.last_outcome == "rejected"
        missing = not self.username or not self.connection.secret("password")
        return TokenInfo(
            connection=self.connection.name, kind=f"{self.platform_name} {self.session_kind} of {self.username or 'no account'}",
            expires_at=None, refreshed_at=row.refreshed_at, last_outcome=row.last_outcome,
            last_error=row.last_error, needs_new_token=rejected or missing,
            how_to_fix=self.how_to_fix if (rejected or missing) else "",
            expiry_label="Session ends", refreshed_label="Last sign-in",
            unknown_expiry=f"when {self.platform_name} ends it" if row.access_token else "not signed in yet",
            note=f"Signed in with {self.username or 'the account'} when first needed and again whenever "
                 f"{self.platform_name} ends the session (it answers 401); it does not say in advance when that will be.")

    # --- internals -----------------------------------------------------------------------------------
    def _row(self) -> StoredToken:
        return stored_token_row(self.connection.name)

    def _login(self, row: StoredToken, *, reason: str) -> tuple[str, int]:
        name = self.connection.name
        password = self.connection.secret("password")
        if not self.username or not password:
            self._failed(row, "rejected", "no username or password is configured", reason)
            raise TokenRejected(name, f"no username or password is configured. {self.how_to_fix}")
        try:
            credential = self.sign_in(self.username, password)
        except AuthError as error:
            said = "the username or password was refused"
            self._failed(row, "rejected", said, reason)
            raise TokenRejected(name, f"{said} ({error.message}). {self.how_to_fix}") from None
        except PlatformError as error:
            self._failed(row, "failed", error.message, reason)
            raise
        row = db.session.merge(row)
        row.access_token = encrypt(credential)
        row.refreshed_at = utcnow()
        row.expires_at = None
        row.last_outcome, row.last_error = "ok", None
        row.generation = (row.generation or 0) + 1
        db.session.commit()
        log.info("signed in to %s as %s (%s)", name, self.username, reason)
        self._audit("ok", reason, None)
        return credential, row.generation

    def _failed(self, row: StoredToken, outcome: str, message: str, reason: str) -> None:
        record_token_outcome(row, outcome, message)
        self._audit("failed", reason, message)

    def _audit(self, outcome: str, reason: str, error: str | None) -> None:
        record_action("session_renewal", outcome=outcome, connection=self.connection.name, platform=self.platform,
                      object_type="session", object_id=self.username, params={"reason": reason}, error=error)


class SessionGenerations:
    """Remembers, per thread, the generation of the session a call went out with, so that the recovery after its
    401 can tell a stale session from one another call has already renewed."""

    def __init__(self, session: LoginSession) -> None:
        self.session = session
        self._seen = threading.local()

    def current(self) -> str:
        credential, generation = self.session.credential()
        self._seen.generation = generation
        return credential

    def recover(self) -> bool:
        return self.session.recover_after_unauthorized(getattr(self._seen, "generation", None))

