"""When inputs and scheduled queries fire, computed from the clock when read (no timers run anywhere).

A Periodic fires at anchor + k * period for every integer k; an input's Segments chain periodic stretches,
since changing its sleep time or pausing it starts a new stretch at that moment; a CronFires wraps a cron.
Every schedule answers prev(t) (last fire at or before t), next(t) (first fire after t) and count(a, b)
(fires in (a, b]); query schedules also list them with between(a, b).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sandbox.alooma.cron import Cron

TINY = timedelta(microseconds=1)
COUNT_LIMIT = 100_000


class Fires(Protocol):
    """What the serializers need from any schedule."""

    def prev(self, moment: datetime) -> datetime | None:
        """Last fire at or before moment."""

    def next(self, moment: datetime) -> datetime | None:
        """First fire after moment."""

    def count(self, start: datetime, end: datetime) -> int:
        """Fires in (start, end]."""

    def between(self, start: datetime, end: datetime) -> list[datetime]:
        """Every fire in (start, end] (at most COUNT_LIMIT)."""


@dataclass(frozen=True)
class Periodic:
    """Fires every `period` on the grid through `anchor`."""

    anchor: datetime
    period: timedelta

    def prev(self, moment: datetime) -> datetime:
        return self.anchor + ((moment - self.anchor) // self.period) * self.period

    def next(self, moment: datetime) -> datetime:
        return self.prev(moment) + self.period

    def count(self, start: datetime, end: datetime) -> int:
        if end <= start:
            return 0
        return (end - self.anchor) // self.period - (start - self.anchor) // self.period

    def between(self, start: datetime, end: datetime) -> list[datetime]:
        found, stamp = [], self.next(start)
        while stamp <= end and len(found) < COUNT_LIMIT:
            found.append(stamp)
            stamp += self.period
        return found


@dataclass(frozen=True)
class CronFires:
    """A cron expression seen as a schedule (counting walks fire by fire, up to COUNT_LIMIT)."""

    cron: Cron

    def prev(self, moment: datetime) -> datetime | None:
        return self.cron.prev_at_or_before(moment)

    def next(self, moment: datetime) -> datetime | None:
        return self.cron.next_after(moment)

    def count(self, start: datetime, end: datetime) -> int:
        return len(self.between(start, end))

    def between(self, start: datetime, end: datetime) -> list[datetime]:
        found: list[datetime] = []
        stamp = self.cron.next_after(start)
        while stamp is not None and stamp <= end and len(found) < COUNT_LIMIT:
            found.append(stamp)
            stamp = self.cron.next_after(stamp)
        return found


@dataclass
class Segments:
    """An input's fires: stretch i starts at starts[i] with period periods[i] (None: paused) and ends where
    the next begins. A stretch fires at start + k * period for k >= 1, so a change fires one period later."""

    starts: list[datetime] = field(default_factory=list)
    periods: list[timedelta | None] = field(default_factory=list)

    def begin(self, moment: datetime, period: timedelta | None) -> None:
        """Start a new stretch at moment (dropping stretches that would start later, if the clock went back)."""
        while self.starts and self.starts[-1] >= moment:
            self.starts.pop()
            self.periods.pop()
        self.starts.append(moment)
        self.periods.append(period)

    def _stretches(self) -> list[tuple[datetime, datetime | None, Periodic | None]]:
        ends: list[datetime | None] = [*self.starts[1:], None]
        return [(s, e, Periodic(s, p) if p else None) for s, e, p in zip(self.starts, ends, self.periods)]

    def prev(self, moment: datetime) -> datetime | None:
        for start, end, grid in reversed(self._stretches()):
            if grid is None or start >= moment:
                continue
            stamp = grid.prev(moment if end is None else min(moment, end - TINY))
            if stamp > start:
                return stamp
        return None

    def next(self, moment: datetime) -> datetime | None:
        for start, end, grid in self._stretches():
            if grid is None or (end is not None and end <= moment):
                continue
            stamp = grid.next(max(moment, start))
            if end is None or stamp < end:
                return stamp
        return None

    def count(self, start: datetime, end: datetime) -> int:
        total = 0
        for s, e, grid in self._stretches():
            low, high = max(start, s), end if e is None else min(end, e - TINY)
            if grid is not None and high > low:
                total += grid.count(low, high)
        return total

    def paused(self) -> bool:
        """Whether the current stretch is a pause."""
        return bool(self.periods) and self.periods[-1] is None
