"""Run and task statuses, and how a task's status follows from its runs (the rule in vantage6.md §4 and §7).

Kept as pure functions of the run status strings so tests can check every combination without a server.
"""
from __future__ import annotations

from typing import Iterable

PENDING, INITIALIZING, ACTIVE, COMPLETED = "pending", "initializing", "active", "completed"
FAILED, START_FAILED, NO_IMAGE, CRASHED = "failed", "start failed", "non-existing Docker image", "crashed"
KILLED, NOT_ALLOWED, UNKNOWN_ERROR = "killed by user", "not allowed", "unknown error"
# v5 adds three run statuses; the emulator's nodes never produce them, but they are valid values.
V5_ADDED = ("dataframe not found", "depended on failed task", "unexpected output")
RUN_STATUSES = (PENDING, INITIALIZING, ACTIVE, COMPLETED, FAILED, START_FAILED, NO_IMAGE, CRASHED, KILLED,
                NOT_ALLOWED, UNKNOWN_ERROR)
ALIVE = (PENDING, INITIALIZING, ACTIVE)
AWAITING = "awaiting"  # v5 task status while any run is unfinished


def is_failed(status: str) -> bool:
    """Whether a run status counts as failed: anything but pending, initializing, active and completed."""
    return status not in ALIVE and status != COMPLETED


def is_finished(status: str) -> bool:
    """Whether a run (or a v4 task) status is final."""
    return status not in ALIVE


def task_status(run_statuses: Iterable[str]) -> str:
    """v4: the failed status if every failed run shares it (else "failed"), then active, initializing,
    pending if any run is so, else completed (a task without runs is "completed")."""
    statuses = list(run_statuses)
    failed = {s for s in statuses if is_failed(s)}
    if failed:
        return failed.pop() if len(failed) == 1 else FAILED
    for alive in (ACTIVE, INITIALIZING, PENDING):
        if alive in statuses:
            return alive
    return COMPLETED


def task_status_v5(run_statuses: Iterable[str]) -> str:
    """v5: "failed" as soon as any run failed, "completed" when every run completed, else "awaiting"."""
    statuses = list(run_statuses)
    if any(is_failed(s) for s in statuses):
        return FAILED
    if all(s == COMPLETED for s in statuses):
        return COMPLETED
    return AWAITING
