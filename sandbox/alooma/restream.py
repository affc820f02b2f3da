"""The Restream Queue: events the Mapper could not load wait here until someone starts a restream.

Events flow in at `in_rate` per minute all the time; a restream sends them back through the pipeline at
`out_rate` per minute until the queue is empty, then stops by itself. Everything is computed from the clock
when read: `held` is the count at `anchor`, and every action (start, stop, purge) re-anchors at now.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sandbox.alooma.times import MINUTE


@dataclass(slots=True)
class RestreamRun:
    """One restream: from `start` with `held` events until the queue drains (or `stopped`)."""

    start: datetime
    held: float
    drains_at: datetime
    stopped: datetime | None = None

    @property
    def ends(self) -> datetime:
        """When events stop flowing out."""
        return min(self.drains_at, self.stopped) if self.stopped else self.drains_at


@dataclass(slots=True)
class RestreamQueue:
    """The queue's state; sizes are in bytes (`avg_size` per event)."""

    node_id: str
    held: float
    anchor: datetime
    in_rate: float
    out_rate: float
    avg_size: int
    max_size: int
    runs: list[RestreamRun] = field(default_factory=list)

    def current(self, now: datetime) -> RestreamRun | None:
        """The run in progress at now, if any."""
        run = self.runs[-1] if self.runs else None
        return run if run is not None and run.start <= now < run.ends else None

    def held_at(self, now: datetime) -> float:
        """Events in the queue at now."""
        run = self.runs[-1] if self.runs else None
        if run is None or run.start < self.anchor or now < run.start:
            return self.held + self.in_rate * max(0.0, (now - self.anchor) / MINUTE)
        if now < run.ends:
            return max(0.0, run.held - (self.out_rate - self.in_rate) * ((now - run.start) / MINUTE))
        left = 0.0 if run.ends == run.drains_at else run.held - (self.out_rate - self.in_rate) * (
            (run.ends - run.start) / MINUTE)
        return left + self.in_rate * ((now - run.ends) / MINUTE)

    def start(self, now: datetime) -> RestreamRun | None:
        """Begin restreaming now; None when there is nothing to send or a restream is already running."""
        if self.current(now) is not None:
            return None
        held = self.held_at(now)
        if held < 1:
            return None
        self.held, self.anchor = held, now
        drains = now + timedelta(minutes=held / (self.out_rate - self.in_rate))
        run = RestreamRun(now, held, drains)
        self.runs.append(run)
        return run

    def stop(self, now: datetime) -> RestreamRun | None:
        """Stop the running restream (streaming "false"); answers the stopped run, if one was running."""
        run = self.current(now)
        if run is None:
            return None
        self.held = self.held_at(now)
        run.stopped, self.anchor = now, now
        return run

    def purge(self, now: datetime) -> None:
        """Drop every held event (and stop a running restream)."""
        self.stop(now)
        self.held, self.anchor = 0.0, now

    def outflow(self, start: datetime, end: datetime) -> float:
        """Events restreamed during [start, end) (the RESTREAMED_EVENTS metric)."""
        total = 0.0
        for run in self.runs:
            overlap = (min(end, run.ends) - max(start, run.start)) / MINUTE
            if overlap > 0:
                total += overlap * self.out_rate
        return total
