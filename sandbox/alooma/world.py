"""Alooma's entities as plain dataclasses; what changes with time is computed from the clock when read."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sandbox.alooma.restream import RestreamQueue
from sandbox.alooma.schedule import Segments

MAPPING_MODES = ("AUTO_MAP", "STRICT", "FLEXIBLE")


@dataclass(slots=True)
class User:
    """Someone with access to the account; pending users were invited and cannot log in yet."""

    email: str
    first_name: str | None
    last_name: str | None
    password: str
    api_key: str
    pending: bool = False


@dataclass(slots=True)
class Input:
    """A data source feeding the pipeline. `fires` holds its pull schedule (sleep time stretches, pauses);
    an input in error keeps failing on every pull from `error_since` on."""

    id: str
    state_id: str
    name: str
    type: str
    module_name: str
    configuration: dict[str, Any]
    created_at: datetime
    sleep_time: float  # seconds between pulls
    fires: Segments
    weight: float  # share of the incoming events
    event_types: list[str]
    task_state: dict[str, Any]
    error_message: str = ""
    error_stack: str = ""
    error_since: datetime | None = None
    error_count_base: int = 0
    last_success: datetime | None = None  # fixed for an input in error


@dataclass(slots=True)
class Node:
    """A fixed node of the pipeline graph: the Code Engine (TRANSFORMER), the Mapper, or the output."""

    id: str
    name: str
    type: str
    category: str
    configuration: dict[str, Any] = field(default_factory=dict)
    connected: bool = True
    failure: str = ""


@dataclass(slots=True)
class FieldMapping:
    """One field of an event type and the column it maps to (column None: not mapped)."""

    name: str
    column: str | None
    column_type: str
    length: int | None = None


@dataclass(slots=True)
class EventType:
    """A kind of event coming from one input, its mapping to a table and its sample counts per status."""

    name: str
    input_id: str
    input_label: str
    state: str  # MAPPED | UNMAPPED
    mapping_mode: str
    using_default_mode: bool
    schema: str
    table: str
    discarded: bool
    fields: list[FieldMapping]
    samples: dict[str, int]


@dataclass(slots=True)
class ManualRun:
    """A run started with POST v2/consolidation/{id}/run: running until started + duration, then ok or not."""

    started: datetime
    duration: timedelta
    ok: bool

    @property
    def ends(self) -> datetime:
        """When the run finishes."""
        return self.started + self.duration


@dataclass(slots=True)
class ScheduledQuery:
    """A consolidation (query_type "default") or custom scheduled query. `failing` queries fail every
    scheduled run from `failing_since`; a manual run of a `fixable` one succeeds and ends the failure."""

    state_id: str
    event_type: str
    query_type: str  # default | custom
    sql: str
    frequency: int | None  # hours between runs
    run_at: str | None  # cron
    module_name: str
    anchor: datetime
    created_at: datetime
    failing: bool = False
    fixable: bool = False
    failing_since: datetime | None = None
    error_message: str = ""
    error_stack: str = ""
    error_count_base: int = 0
    last_success_base: datetime | None = None
    runs: list[ManualRun] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Notice:
    """A notification written by an action (restream, manual query run, custom); periodic ones are computed."""

    number: int
    at: datetime
    type: str
    severity: str
    message: str
    params: list[str]
    description: str | None = None


@dataclass(slots=True)
class World:
    """Everything one seeded Alooma account holds."""

    account: str
    deployment: str
    company: str
    origin: datetime
    users: list[User]
    inputs: dict[str, Input]
    restream: RestreamQueue
    transformer: Node
    mapper: Node
    output: Node
    event_types: dict[str, EventType]
    queries: dict[str, ScheduledQuery]
    modules: dict[str, str]
    requirements: list[dict[str, str]]
    secrets: dict[str, str]
    settings: dict[str, Any]
    deploy_info: dict[str, Any]
    credits: dict[str, Any]
    scale: float  # incoming events per minute at the daily mean
    mapping_mode: str = "AUTO_MAP"
    notices: list[Notice] = field(default_factory=list)
    notice_seq: int = 0
    other_instances: list[str] = field(default_factory=list)

    def user_by_email(self, email: str) -> User | None:
        """The user with that email (case-insensitive)."""
        wanted = email.strip().lower()
        return next((u for u in self.users if u.email.lower() == wanted), None)

    def add_notice(self, at: datetime, type_: str, severity: str, message: str, params: list[str]) -> Notice:
        """Append an action's notification (its id is the next offset of partition 1)."""
        self.notice_seq += 1
        notice = Notice(self.notice_seq, at, type_, severity, message, params)
        self.notices.append(notice)
        return notice

    def drop_notices_after(self, moment: datetime, type_: str) -> None:
        """Forget announced notifications of a kind still in the future (a restream stopped before draining)."""
        self.notices = [n for n in self.notices if not (n.type == type_ and n.at > moment)]


# What an Alooma user can type, for the hostile seed (sandbox/common/hostile.py); emails, event-type names (they
# are the ids), node names and types stay as seeded.
HOSTILE_FIELDS: dict[type, tuple[str, ...]] = {
    User: ("first_name", "last_name"), Input: ("name", "error_message", "error_stack"),
    EventType: ("input_label",), ScheduledQuery: ("sql", "error_message", "error_stack"),
    Notice: ("message", "description"),
}
