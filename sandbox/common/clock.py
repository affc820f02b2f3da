"""A settable, freezable UTC clock so tests move emulator time instead of sleeping."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone


def utc_now() -> datetime:
    """Real wall-clock time, timezone-aware, in one place so the Clock is the only reader."""
    return datetime.now(timezone.utc)


def to_iso(moment: datetime) -> str:
    """ISO-8601 with milliseconds and a Z suffix, the form AAC and most platforms answer with."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> datetime:
    """Read an ISO-8601 instant (Z or offset); naive input is taken as UTC."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class Clock:
    """Real UTC time plus an offset; frozen, it stands still until advanced or set."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen_at: datetime | None = None

    def now(self) -> datetime:
        """The emulator's idea of now (timezone-aware UTC)."""
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return utc_now() + self._offset

    @property
    def frozen(self) -> bool:
        """Whether the clock ignores real time."""
        return self._frozen_at is not None

    def advance(self, seconds: float) -> datetime:
        """Jump forward (or back, if negative) without sleeping; returns the new now."""
        with self._lock:
            step = timedelta(seconds=seconds)
            if self._frozen_at is not None:
                self._frozen_at += step
                return self._frozen_at
            self._offset += step
            return utc_now() + self._offset

    def set(self, moment: datetime) -> datetime:
        """Make now equal to moment; a running clock keeps ticking from there."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = moment
            else:
                self._offset = moment - utc_now()
            return moment

    def freeze(self) -> None:
        """Stop following real time, so that run states cannot change between two reads."""
        with self._lock:
            if self._frozen_at is None:
                self._frozen_at = utc_now() + self._offset

    def unfreeze(self) -> None:
        """Follow real time again from the frozen instant."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - utc_now()
                self._frozen_at = None

    def reset(self) -> None:
        """Back to real time: no offset, not frozen."""
        with self._lock:
            self._offset = timedelta(0)
            self._frozen_at = None

    def as_dict(self) -> dict:
        """The control endpoint's view of the clock."""
        return {"now": to_iso(self.now()), "frozen": self.frozen}
