"""The AAC emulator's entities as plain dataclasses; runs compute their status from the clock, never from timers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

STATUSES = ("Created", "InProgress", "Complete", "Failed", "Canceled")
TERMINAL = ("Complete", "Failed", "Canceled")


@dataclass(slots=True)
class Person:
    """A workspace member; the admin sees every schedule, others only their own."""

    id: int
    name: str
    email: str
    is_admin: bool
    created_at: datetime
    last_login: datetime


@dataclass(slots=True)
class Workspace:
    """The one workspace every seeded token belongs to."""

    id: int
    name: str
    gid: str
    created_at: datetime


@dataclass(slots=True)
class Recipe:
    """A wrangled dataset: the unit a job group runs."""

    id: int
    name: str
    flow_id: int
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class Flow:
    """A flow of 1-3 recipes, optionally taking run parameters."""

    id: int
    name: str
    description: str
    creator_id: int
    folder_id: int
    created_at: datetime
    updated_at: datetime
    recipe_ids: list[int] = field(default_factory=list)
    parameters: list[dict[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Plan:
    """A plan whose nodes each run one flow, one after the other."""

    id: int
    name: str
    description: str
    creator_id: int
    created_at: datetime
    updated_at: datetime
    flow_ids: list[int] = field(default_factory=list)
    run_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Workflow:
    """A Designer Cloud workflow, addressed by uuid."""

    id: str
    name: str
    description: str
    type: str
    creator_id: int
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class Trigger:
    """One schedule trigger: kind is cron/hourly/daily/weekly/monthly or fileWatcher; spec is its inner object."""

    id: int
    kind: str
    spec: dict[str, Any]
    timezone: str | None


@dataclass(slots=True)
class Schedule:
    """A schedule running one asset; last_fire_ref bounds lastExecutionTime (None = never fired)."""

    id: int
    name: str
    enabled: bool
    disable_reason: str | None
    triggers: list[Trigger]
    task_type: str
    asset_id: Any
    creator_id: int
    updater_id: int
    created_at: datetime
    updated_at: datetime
    last_fire_ref: datetime | None


@dataclass(slots=True)
class Lifecycle:
    """Created until started_at, InProgress until finished_at, then outcome; a cancel before the end wins."""

    created_at: datetime
    started_at: datetime
    finished_at: datetime
    outcome: str
    canceled_at: datetime | None

    def status_at(self, now: datetime) -> str:
        """The status as seen at now."""
        if self.canceled_at is not None and self.canceled_at < self.finished_at and now >= self.canceled_at:
            return "Canceled"
        if now < self.started_at:
            return "Created"
        if now < self.finished_at:
            return "InProgress"
        return self.outcome

    def ended_at(self) -> datetime:
        """When the run reached (or will reach) its terminal status."""
        if self.canceled_at is not None and self.canceled_at < self.finished_at:
            return self.canceled_at
        return self.finished_at

    def updated_at(self, now: datetime) -> datetime:
        """The last transition at or before now."""
        moments = [self.created_at, self.started_at, self.ended_at()]
        return max((m for m in moments if m <= now), default=self.created_at)

    def cancel(self, now: datetime) -> bool:
        """Cancel if still running at now; a finished run is left alone (AAC's cancel is a no-op then)."""
        if self.status_at(now) in TERMINAL:
            return False
        self.canceled_at = now
        return True


@dataclass(slots=True)
class JobGroup(Lifecycle):
    """A run of one recipe or workflow; belongs to a flow run or a plan run when they started it."""

    id: int = 0
    name: str = ""
    ranfrom: str = "ui"
    ranfor: str = "recipe"
    creator_id: int = 0
    recipe_id: int | None = None
    flow_run_id: int | None = None
    plan_run_id: int | None = None
    workflow_id: str | None = None
    failing_job: int = 0
    error_message: str = ""
    run_parameters: list[dict[str, Any]] | None = None


@dataclass(slots=True)
class PlanRun(Lifecycle):
    """One execution of a plan (a planSnapshotRun)."""

    id: int = 0
    plan_id: int = 0
    ranfrom: str = "ui"
    creator_id: int = 0
    schedule_history_id: int | None = None
    job_group_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class FlowRun:
    """One run of a flow: a job group per recipe, all started together."""

    id: int
    flow_id: int
    creator_id: int
    created_at: datetime
    request_id: str
    schedule_execution_id: int | None = None
    job_group_ids: list[int] = field(default_factory=list)


def aggregate_status(statuses: list[str]) -> str:
    """A flow run's status from its job groups: any still running keeps it InProgress."""
    if not statuses or all(s == "Created" for s in statuses):
        return "Created"
    if any(s not in TERMINAL for s in statuses):
        return "InProgress"
    for status in ("Failed", "Canceled"):
        if status in statuses:
            return status
    return "Complete"


@dataclass
class World:
    """Everything the emulator holds; lists are kept in id order, dicts index them."""

    seed: int
    size: str
    seeded_at: datetime
    workspace: Workspace
    people: dict[int, Person]
    schedules: dict[int, Schedule]
    plans: dict[int, Plan]
    flows: dict[int, Flow]
    recipes: dict[int, Recipe]
    workflows: dict[str, Workflow]
    job_groups: dict[int, JobGroup]
    plan_runs: dict[int, PlanRun]
    flow_runs: dict[int, FlowRun]
    next_ids: dict[str, int] = field(default_factory=dict)

    def take_id(self, kind: str) -> int:
        """Next id for a new object of kind (job group, plan run, flow run, schedule history)."""
        value = self.next_ids[kind]
        self.next_ids[kind] = value + 1
        return value


# What a workspace member can type, for the hostile seed (sandbox/common/hostile.py); ids, statuses, kinds and
# emails stay as seeded.
HOSTILE_FIELDS: dict[type, tuple[str, ...]] = {
    Person: ("name",), Workspace: ("name",), Recipe: ("name",), Flow: ("name", "description"),
    Plan: ("name", "description"), Workflow: ("name", "description"), Schedule: ("name",),
    JobGroup: ("name", "error_message"),
}
