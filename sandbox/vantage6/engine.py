"""A run's state at a moment, computed from its plan and the clock (no timers, no stored status).

Phases: `pending` from assignment until the node takes it (`picked_at`, None while the node is offline)
plus the pickup delay, `initializing`, `active`, then the planned outcome. A central run stays active
until every subtask it spawned has ended and then aggregates their results (failed if any subtask did).
Two things cut a run short: a kill (`killed by user` at `killed_at`) and, as the server does on a
node's PATCH, a sibling that fails while this run has not started yet (`failed` at that moment, with a
log note). Whichever comes first wins. One Engine is built per request; it memoises per run.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sandbox.vantage6 import statuses as st
from sandbox.vantage6.algorithms import central_result
from sandbox.vantage6.world import Outcome, Run, Task, World

KILLED_LOG = "warning > The algorithm container was killed on request of a user\n"
SIBLING_LOG = "error > Not started: another algorithm run of task {task} failed ({status})\n"


@dataclass(frozen=True, slots=True)
class Natural:
    """A run's course if nobody interferes: phase starts, end (None: not foreseeable) and outcome."""

    init_at: datetime | None
    active_at: datetime | None
    end_at: datetime | None
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class RunState:
    """What a read of the run shows at `now`."""

    status: str
    started_at: datetime | None
    finished_at: datetime | None
    log: str | None
    result: Any


def _secs(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


class Engine:
    """Run states of one world at one moment."""

    def __init__(self, world: World, now: datetime) -> None:
        self.world, self.now = world, now
        self._natural: dict[int, Natural] = {}
        self._states: dict[int, RunState] = {}

    def natural(self, run: Run) -> Natural:
        """The run's course ignoring kills and failing siblings."""
        if run.id not in self._natural:
            self._natural[run.id] = self._compute_natural(run)
        return self._natural[run.id]

    def _compute_natural(self, run: Run) -> Natural:
        if run.picked_at is None:
            return Natural(None, None, None, run.outcome)
        init_at = run.picked_at + _secs(run.pending_s)
        active_at = init_at + _secs(run.init_s)
        own_end = active_at + _secs(run.active_s)
        if not run.central:
            return Natural(init_at, active_at, own_end, run.outcome)
        if not run.spawned:
            return Natural(init_at, active_at, None, run.outcome)
        children = [self.world.runs[rid] for tid in run.child_task_ids if tid in self.world.tasks
                    for rid in self.world.tasks[tid].run_ids]
        ends = [self.finish_time(child) for child in children]
        if any(end is None for end in ends):
            return Natural(init_at, active_at, None, run.outcome)
        end = max([own_end] + [e + _secs(1) for e in ends if e is not None])
        return Natural(init_at, active_at, end, self._central_outcome(run, children))

    def _central_outcome(self, run: Run, children: list[Run]) -> Outcome:
        task = self.world.tasks[run.task_id]
        finals = [(child, self.state_at_end(child)) for child in children]
        failed = [(child, state) for child, state in finals if st.is_failed(state.status)]
        if failed:
            child, state = failed[0]
            log = f"info > Waiting for {len(children)} subtasks\nerror > Subtask {child.task_id} ended with " \
                  f"status '{state.status}'\n"
            return Outcome(st.FAILED, log)
        result = central_result(task.image, [state.result for _, state in finals])
        log = f"info > Running method '{task.method}'\ninfo > Created {len(children)} subtasks\n" \
              f"info > Aggregated {len(children)} partial results\ninfo > Algorithm finished successfully\n"
        return Outcome(st.COMPLETED, log, result)

    def finish_time(self, run: Run) -> datetime | None:
        """When the run ends (kill included); None if that is not foreseeable."""
        end = self.natural(run).end_at
        if run.killed_at is not None and (end is None or run.killed_at < end):
            return run.killed_at
        return end

    def state_at_end(self, run: Run) -> RunState:
        """The run's final state (for runs whose finish time is known)."""
        finish = self.finish_time(run)
        return Engine(self.world, finish).state(run) if finish is not None else self.state(run)

    def _sibling_failure(self, run: Run) -> tuple[datetime, str] | None:
        """The earliest moment a sibling failed on its own, with its status."""
        found: tuple[datetime, str] | None = None
        for rid in self.world.tasks[run.task_id].run_ids:
            other = self.world.runs.get(rid)
            if other is None or other.id == run.id:
                continue
            nat = self.natural(other)
            if nat.end_at is None or not st.is_failed(nat.outcome.status):
                continue
            if other.killed_at is not None and other.killed_at <= nat.end_at:
                continue
            if found is None or nat.end_at < found[0]:
                found = (nat.end_at, nat.outcome.status)
        return found

    def state(self, run: Run) -> RunState:
        """The run as read at now."""
        if run.id not in self._states:
            self._states[run.id] = self._compute_state(run)
        return self._states[run.id]

    def _compute_state(self, run: Run) -> RunState:
        nat, now = self.natural(run), self.now
        endings: list[tuple[datetime, str, str | None, Any]] = []
        if nat.end_at is not None:
            endings.append((nat.end_at, nat.outcome.status, nat.outcome.log, nat.outcome.result))
        if run.killed_at is not None:
            endings.append((run.killed_at, st.KILLED, KILLED_LOG, None))
        sibling = self._sibling_failure(run)
        if sibling is not None and (nat.init_at is None or sibling[0] < nat.init_at):
            endings.append((sibling[0], st.FAILED, SIBLING_LOG.format(task=run.task_id, status=sibling[1]), None))
        due = sorted((e for e in endings if e[0] <= now), key=lambda e: e[0])
        if due:
            at, status, log, result = due[0]
            started = nat.init_at if nat.init_at is not None and nat.init_at <= at else None
            return RunState(status, started, at, log, result if status == st.COMPLETED else None)
        if nat.init_at is None or now < nat.init_at:
            return RunState(st.PENDING, None, None, None, None)
        status = st.INITIALIZING if nat.active_at is None or now < nat.active_at else st.ACTIVE
        return RunState(status, nat.init_at, None, None, None)

    def task_states(self, task: Task) -> list[RunState]:
        """The states of a task's runs, in run id order."""
        return [self.state(self.world.runs[rid]) for rid in task.run_ids if rid in self.world.runs]

    def task_status(self, task: Task, v5: bool = False) -> str:
        """The task's status derived from its runs (v4 rule, or v5's awaiting/completed/failed)."""
        statuses = [s.status for s in self.task_states(task)]
        return st.task_status_v5(statuses) if v5 else st.task_status(statuses)

    def task_finished_at(self, task: Task) -> datetime | None:
        """The latest run finish, only when the task is completed."""
        states = self.task_states(task)
        if st.task_status(s.status for s in states) != st.COMPLETED:
            return None
        finishes = [s.finished_at for s in states if s.finished_at is not None]
        return max(finishes) if finishes else None
