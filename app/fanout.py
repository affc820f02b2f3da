"""Ask every connection at once, each with a deadline: a slow or broken one never holds up or breaks a page."""
from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

from flask import current_app

from app.concurrency import in_app_context
from app.errors import PlatformError

T = TypeVar("T")

# Threads outlive a request when a connection misses its deadline (a thread cannot be stopped);
# one shared pool keeps their number bounded, and a late answer still warms the cache.
_POOL = ThreadPoolExecutor(max_workers=32, thread_name_prefix="fanout")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What one connection answered within the deadline, or why it did not."""

    connection: str
    value: T | None
    error: str | None
    latency_ms: float | None
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def gather(connections: list[str], call: Callable[[str], T], deadline: float | None = None) -> dict[str, Outcome[T]]:
    """call(name) for every connection in parallel; answers after `deadline` seconds count as timed out.

    A PlatformError becomes the outcome's error (its safe message); anything else propagates, as a
    bug should. The whole call returns within about `deadline` seconds whatever the connections do.
    """
    if deadline is None:
        deadline = float(current_app.config["FANOUT_DEADLINE"])
    started = time.perf_counter()

    def timed(name: str) -> tuple[T, float]:
        value = call(name)
        return value, (time.perf_counter() - started) * 1000

    run = in_app_context(current_app._get_current_object(), timed)
    futures: dict[str, Future] = {name: _POOL.submit(run, name) for name in connections}
    wait(futures.values(), timeout=deadline)
    outcomes: dict[str, Outcome[T]] = {}
    for name, future in futures.items():
        if not future.done():
            outcomes[name] = Outcome(name, None, f"no answer within {deadline:g} s", None, timed_out=True)
            continue
        error = future.exception()
        if isinstance(error, PlatformError):
            outcomes[name] = Outcome(name, None, error.describe(), None)
        elif error is not None:
            raise error
        else:
            value, latency = future.result()
            outcomes[name] = Outcome(name, value, None, latency)
    return outcomes

