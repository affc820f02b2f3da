"""The common records every platform service returns, so cross-platform pages need no platform code."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any


class RunStatus(str, Enum):
    """The one status vocabulary; each platform maps its own values onto it in its normalize module."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"
    UNKNOWN = "unknown"

    @property
    def is_final(self) -> bool:
        return self in (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELED)


@dataclass(frozen=True)
class TargetRef:
    """What a schedule runs or a run ran: kind is plan, flow, workflow, recipe …"""

    kind: str
    id: str
    name: str


@dataclass(frozen=True)
class Trigger:
    """When a schedule fires: kind is cron, interval, manual or event; `text` says it in words."""

    kind: str
    text: str
    cron: str | None = None
    timezone: str = "UTC"


@dataclass(frozen=True)
class Schedule:
    connection: str
    platform: str
    id: str
    name: str
    target: TargetRef | None
    owner: str
    trigger: Trigger
    timezone: str
    enabled: bool
    next_run: datetime | None
    last_run: datetime | None
    last_status: RunStatus | None
    updated_at: datetime | None
    link: str | None = None
    disable_reason: str | None = None
    comment: str = ""
    last_error: str = ""
    owner_id: str = ""  # the owner's user id where the platform gives one, to find the owner among its users


@dataclass(frozen=True)
class StatusChange:
    status: RunStatus
    at: datetime | None
    label: str


@dataclass(frozen=True)
class RunMessage:
    """One line of a run's log as the platform reports it; level is info, warning or error."""

    level: str
    text: str
    source: str = ""


@dataclass(frozen=True)
class RunOutput:
    """A file a run wrote, downloadable in the formats the platform offers."""

    id: str
    name: str
    formats: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunPart:
    """One part of a run with its own status (vantage6: one organisation's run of a task)."""

    label: str
    status: RunStatus
    platform_status: str


@dataclass(frozen=True)
class RunFilter:
    """A filter a platform's runs page offers beyond status and target: a query parameter and its choices
    as (value, label) pairs."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Run:
    connection: str
    platform: str
    id: str
    target: TargetRef | None
    status: RunStatus
    platform_status: str
    started: datetime | None
    finished: datetime | None
    triggered_by: str
    schedule_id: str | None = None
    link: str | None = None
    created: datetime | None = None
    history: tuple[StatusChange, ...] = ()
    details: tuple[tuple[str, str], ...] = ()
    errors: tuple[str, ...] = ()
    messages: tuple[RunMessage, ...] = ()
    outputs: tuple[RunOutput, ...] = ()
    outcome: str = ""  # the platform's own result word where it has one beside the status (Server: disposition)
    title: str = ""  # the run's own name where the platform gives runs names (vantage6 tasks)
    parts: tuple["RunPart", ...] = ()  # where one run is carried out in parts (vantage6: a run per organisation)

    @property
    def duration(self) -> timedelta | None:
        if self.started is None:
            return None
        if self.finished is None:
            return None
        return self.finished - self.started

    @property
    def elapsed(self) -> timedelta | None:
        """How long it has been going: its duration once finished, the time since it started while it runs."""
        if self.started is None:
            return None
        return (self.finished or datetime.now(timezone.utc)) - self.started


@dataclass(frozen=True)
class Parameter:
    """One input a workflow takes; data_type drives the form field and its validation.

    data_type is string, number, date, boolean ("True"/"False") or select (one of `choices`,
    given as (value, label) pairs).
    """

    name: str
    data_type: str = "string"
    default: str = ""
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    label: str = ""
    description: str = ""

    @property
    def title(self) -> str:
        return self.label or self.name


@dataclass(frozen=True)
class Workflow:
    """Something that can be run."""

    connection: str
    platform: str
    id: str
    name: str
    kind: str
    owner: str
    parameters: tuple[Parameter, ...] = ()
    description: str = ""
    updated_at: datetime | None = None
    link: str | None = None
    run_options: tuple[Parameter, ...] = ()  # settings of the run itself, e.g. priority
    version: str = ""
    last_run: "Run | None" = None
    runnable: bool = True


@dataclass(frozen=True)
class Asset:
    connection: str
    platform: str
    kind: str
    id: str
    name: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PlatformUser:
    """One account on one connection, for the cross-platform people pages; nothing secret is kept.

    `can_run` is True or False where the platform's roles say whether the account may start runs, None where they
    do not; `run_scope` says where, in the platform's words ("every workspace", "workspaces: Sales, Ops").
    """

    connection: str
    platform: str
    id: str
    username: str
    name: str
    email: str
    roles: tuple[str, ...]
    active: bool
    last_seen: datetime | None
    can_run: bool | None
    run_scope: str = ""
    status: str = ""  # the platform's word when not plainly active: disabled, invitation pending, locked

    @property
    def state(self) -> str:
        return self.status or ("active" if self.active else "disabled")


@dataclass(frozen=True)
class TokenInfo:
    """What the token panel shows; never the token itself."""

    connection: str
    kind: str
    expires_at: datetime | None
    refreshed_at: datetime | None
    last_outcome: str | None
    last_error: str | None
    needs_new_token: bool = False
    how_to_fix: str = ""
    refreshable: bool = True
    note: str = ""
    expiry_label: str = "Access token expires"
    refreshed_label: str = "Last refresh"
    unknown_expiry: str = "not fetched yet"  # what the panel says while expires_at is None
    accepts_code: bool = False  # the panel asks for a two-factor code (the platform's sign-in waits for one)


@dataclass(frozen=True)
class InstanceFact:
    """One line about the platform instance for the token panel (its version, licence, signed-in account);
    `warning` marks one an operator must act on, such as an expired licence."""

    label: str
    value: str
    warning: bool = False


@dataclass(frozen=True)
class Health:
    connection: str
    platform: str
    ok: bool
    latency_ms: float | None
    message: str = ""
