"""The Server emulator's entities as plain dataclasses; jobs compute their status from the clock, never from timers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

JOB_STATUSES = ("Created", "Queued", "Running", "Completed", "Cancelled")
DISPOSITIONS = ("None", "Success", "Warning", "Error", "Cancelled")
PRIORITIES = ("Default", "Low", "Medium", "High", "Critical")
ROLES = ("NoAccess", "Viewer", "Member", "Artisan", "Curator", "Evaluated")
QUESTION_TYPES = ("QuestionTextBox", "QuestionNumericUpDown", "QuestionListBox", "QuestionDropDown",
                  "QuestionCheckBox", "QuestionDate")
LIST_TYPES = ("QuestionListBox", "QuestionDropDown")


@dataclass(slots=True)
class Credentials:
    """A user's key pairs: v1 subscription key/secret (OAuth1) and v3 API access key/secret (OAuth2)."""

    api_key: str
    api_secret: str
    client_id: str
    client_secret: str


@dataclass(slots=True)
class User:
    """A Server user; role decides what the v3 admin endpoints allow."""

    id: str
    first_name: str
    last_name: str
    email: str
    role: str
    subscription_id: str
    created_at: datetime
    last_login: datetime
    time_zone: str
    credentials: Credentials
    active: bool = True

    @property
    def is_curator(self) -> bool:
        """Curators (Server admins) see and change everything."""
        return self.role == "Curator"

    @property
    def can_schedule(self) -> bool:
        """Viewers may run but not schedule."""
        return self.role in ("Member", "Artisan", "Curator")


@dataclass(slots=True)
class Subscription:
    """A studio: the unit of v1 visibility (a key sees its studio's workflows)."""

    id: str
    name: str
    created_at: datetime


@dataclass(slots=True)
class Question:
    """One analytic-app question; value is the default, always a string as the API answers it."""

    name: str
    type: str
    description: str
    value: str
    items: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Version:
    """One uploaded version of a workflow."""

    id: str
    number: int
    created_at: datetime
    comments: str


@dataclass(slots=True)
class OutputSpec:
    """A file a workflow writes: name, columns of its rows, and the formats it can be downloaded in."""

    file_name: str
    columns: tuple[str, ...]
    formats: tuple[str, ...]


@dataclass(slots=True)
class Workflow:
    """A published workflow (v1: an app); questions empty for plain .yxmd workflows."""

    id: str
    name: str
    description: str
    file_name: str
    owner_id: str
    subscription_id: str
    created_at: datetime
    questions: list[Question]
    versions: list[Version]
    outputs: list[OutputSpec]
    duration: float
    outcome: str = "random"  # "random", or a disposition every run ends with ("Error", "Warning")
    run_disabled: bool = False
    worker_tag: str = ""
    execution_mode: str = "Standard"
    is_public: bool = False
    comments: str = ""
    author: str = ""

    @property
    def published(self) -> Version:
        """The version that runs (always the latest here)."""
        return self.versions[-1]


@dataclass(slots=True)
class Job:
    """One run: Queued until started_at, Running until finished_at, then Completed (or Cancelled)."""

    id: str
    workflow_id: str
    created_at: datetime
    queue_seconds: float
    duration: float
    outcome: str  # Success | Warning | Error | Cancelled
    creator_id: str
    priority: str = "Default"
    worker_tag: str = ""
    schedule_id: str | None = None
    answers: list[dict[str, str]] = field(default_factory=list)
    big_output: bool = False

    @property
    def started_at(self) -> datetime:
        """When it leaves the queue."""
        return self.created_at + timedelta(seconds=self.queue_seconds)

    @property
    def finished_at(self) -> datetime:
        """When it reaches its terminal status."""
        return self.started_at + timedelta(seconds=self.duration)

    def status_at(self, now: datetime) -> str:
        """The status as seen at now."""
        if now < self.started_at:
            return "Queued"
        if now < self.finished_at:
            return "Running"
        return "Cancelled" if self.outcome == "Cancelled" else "Completed"

    def disposition_at(self, now: datetime) -> str:
        """None until terminal, then the outcome."""
        return self.outcome if now >= self.finished_at else "None"


@dataclass(slots=True)
class Schedule:
    """A schedule; run_at is the next fire (None once there is none), moved along as the clock passes it."""

    id: str
    name: str
    workflow_id: str
    owner_id: str
    iteration: dict[str, Any]
    time_zone: str
    enabled: bool
    created_at: datetime
    modified_at: datetime
    modified_by: str
    run_at: datetime | None
    comment: str = ""
    priority: str = "Default"
    worker_tag: str = ""
    credential_id: str | None = None
    questions: list[dict[str, str]] = field(default_factory=list)
    last_run: datetime | None = None
    run_count: int = 0
    last_job_id: str | None = None
    last_error: str = ""
    cpu_name: str = "AYXWORKER01"


@dataclass(slots=True)
class Collection:
    """A collection sharing workflows and schedules with its members."""

    id: str
    name: str
    owner_id: str
    created_at: datetime
    workflow_ids: list[str]
    schedule_ids: list[str]
    user_ids: list[str]


@dataclass
class World:
    """Everything the emulator holds; dicts keep insertion order (jobs oldest first)."""

    seed: int
    size: str
    seeded_at: datetime
    users: dict[str, User]
    subscriptions: dict[str, Subscription]
    workflows: dict[str, Workflow]
    schedules: dict[str, Schedule]
    collections: dict[str, Collection]
    jobs: dict[str, Job] = field(default_factory=dict)
    jobs_by_workflow: dict[str, list[str]] = field(default_factory=dict)
    admin_id: str = ""
    big_output: tuple[str, str] | None = None  # (job id, output id) of the ~5 MB output

    def add_job(self, job: Job) -> Job:
        """Register a job (callers add them in creation order, so lists stay oldest first)."""
        self.jobs[job.id] = job
        self.jobs_by_workflow.setdefault(job.workflow_id, []).append(job.id)
        return job


# What a Server user can type, for the hostile seed (sandbox/common/hostile.py); ids, roles, question names and
# defaults, file names and emails stay as seeded.
HOSTILE_FIELDS: dict[type, tuple[str, ...]] = {
    User: ("first_name", "last_name"), Subscription: ("name",), Question: ("description",),
    Version: ("comments",), Workflow: ("name", "description", "comments", "author"),
    Schedule: ("name", "comment", "last_error"), Collection: ("name",),
}
