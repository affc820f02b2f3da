"""Login sessions of the emulators that have them (Team Studio's Chorus, Alooma): opaque random tokens with a
lifetime on the emulator clock, ended by logout, by the user's deletion or by a control route."""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

@dataclass(slots=True)
class Session:
    """One login: whose it is (the platform's user key) and until when it is valid; `ended` once logged out or
    expired by control."""

    token: str
    owner: Any
    created_at: datetime
    expires_at: datetime
    ended: bool = False

    def live_at(self, now: datetime) -> bool:
        """Valid at now: not ended and not past its lifetime."""
        return not self.ended and now < self.expires_at


class SessionStore:
    """Every session issued since the last reset; tokens are random so none survives a reset by accident."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}

    def reset(self) -> None:
        """Forget every session."""
        with self._lock:
            self._sessions = {}

    def open(self, owner: Any, now: datetime, lifetime: int) -> Session:
        """A new session for owner, valid for lifetime seconds of emulator time."""
        session = Session(secrets.token_hex(20), owner, now, now + timedelta(seconds=lifetime))
        with self._lock:
            self._sessions[session.token] = session
        return session

    def live(self, token: str | None, now: datetime) -> Session | None:
        """The session behind token if it is still valid at now."""
        if not token:
            return None
        with self._lock:
            session = self._sessions.get(token)
        return session if session is not None and session.live_at(now) else None

    def end(self, token: str) -> None:
        """Log one session out."""
        with self._lock:
            if token in self._sessions:
                self._sessions[token].ended = True

    def end_all(self, now: datetime) -> int:
        """End every session still valid at now (the control route); answers how many ended."""
        with self._lock:
            live = [s for s in self._sessions.values() if s.live_at(now)]
            for session in live:
                session.ended = True
        return len(live)

    def end_for_user(self, owner: Any) -> None:
        """End a deleted user's sessions."""
        with self._lock:
            for session in self._sessions.values():
                if session.owner == owner:
                    session.ended = True

    def counts(self, now: datetime) -> tuple[int, int]:
        """(issued, still valid at now)."""
        with self._lock:
            return len(self._sessions), sum(1 for s in self._sessions.values() if s.live_at(now))
