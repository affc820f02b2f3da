"""The vantage6 world as plain dataclasses: organisations, collaborations, nodes, users, roles, rules, tasks, runs.

Nothing here knows about HTTP or the clock; the run's state at a moment is computed in engine.py from the
fields below, so nothing needs a timer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class Organization:
    """An organisation; id 1 is always "root", the home of the root user."""

    id: int
    name: str
    domain: str | None
    address1: str | None
    address2: str | None
    zipcode: str | None
    country: str | None
    public_key: str = ""


@dataclass(slots=True)
class Collaboration:
    """A collaboration of organisations; encrypted ones take only input that does not decode to text."""

    id: int
    name: str
    encrypted: bool
    organization_ids: list[int]


@dataclass(slots=True)
class Node:
    """One node per organisation per collaboration; `flaky_since` marks the node whose runs of some images fail."""

    id: int
    name: str
    organization_id: int
    collaboration_id: int
    status: str  # online | offline
    ip: str | None
    config: list[dict[str, str]]
    speed: float = 1.0  # multiplies every run duration on this node (3.0 = slow)
    offline_since: datetime | None = None  # also its last_seen while offline
    flaky_since: datetime | None = None


@dataclass(slots=True, frozen=True)
class Rule:
    """A permission: resource name, scope (GLOBAL|COLLABORATION|ORGANIZATION|OWN), operation (VIEW|CREATE|...)."""

    id: int
    name: str
    scope: str
    operation: str
    description: str


@dataclass(slots=True)
class Role:
    """A named set of rules; organization_id None for the default roles."""

    id: int
    name: str
    description: str
    rule_ids: list[int]
    organization_id: int | None = None


@dataclass(slots=True)
class User:
    """A user account; ids share one sequence with nodes (the authenticatable table)."""

    id: int
    username: str
    password: str
    firstname: str
    lastname: str
    email: str
    organization_id: int
    role_ids: list[int]
    rule_ids: list[int] = field(default_factory=list)  # extra rules given directly
    otp_secret: str | None = None
    two_factor: bool = False
    keycloak_id: str = ""
    last_seen: datetime | None = None
    ip: str | None = None
    failed_logins: int = 0
    last_failed_login: datetime | None = None


@dataclass(slots=True)
class Database:
    """A database entry of a task: its label and the other keys as a JSON string."""

    label: str
    parameters: str = "{}"


@dataclass(slots=True)
class Task:
    """A task; its status is derived from its runs (statuses.py)."""

    id: int
    job_id: int
    name: str
    description: str
    image: str
    collaboration_id: int
    init_org_id: int
    init_user_id: int
    created_at: datetime
    databases: list[Database]
    method: str = ""
    parent_id: int | None = None
    session_id: int | None = None
    run_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Outcome:
    """How a run ends when nothing interferes: final status, log and result (None: computed from subtasks)."""

    status: str
    log: str
    result: Any = None  # a JSON-able value, or bytes for encrypted collaborations


@dataclass(slots=True)
class Run:
    """One organisation's execution of a task; `picked_at` is when its node took it (None while offline)."""

    id: int
    task_id: int
    organization_id: int
    node_id: int
    input: str
    assigned_at: datetime
    picked_at: datetime | None
    pending_s: float
    init_s: float
    active_s: float
    outcome: Outcome
    central: bool = False
    spawned: bool = False
    child_task_ids: list[int] = field(default_factory=list)
    killed_at: datetime | None = None


@dataclass(slots=True)
class Session:
    """A v5 session (tasks in v5 name one)."""

    id: int
    name: str
    collaboration_id: int
    user_id: int
    created_at: datetime


@dataclass
class World:
    """Everything the emulator holds; dicts keep insertion order (ids ascending)."""

    seed: int
    size: str
    started_at: datetime  # the "server process" start: every run created through the API is assigned then
    organizations: dict[int, Organization] = field(default_factory=dict)
    collaborations: dict[int, Collaboration] = field(default_factory=dict)
    nodes: dict[int, Node] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    roles: dict[int, Role] = field(default_factory=dict)
    rules: dict[int, Rule] = field(default_factory=dict)
    tasks: dict[int, Task] = field(default_factory=dict)
    runs: dict[int, Run] = field(default_factory=dict)
    sessions: dict[int, Session] = field(default_factory=dict)
    next_ids: dict[str, int] = field(default_factory=lambda: {
        "authenticatable": 1, "organization": 1, "collaboration": 1, "task": 1, "run": 1, "job": 1, "role": 1,
        "rule": 1, "session": 1})
    service_user_id: int = 0
    two_factor_user_id: int = 0
    unspawned: set[int] = field(default_factory=set)  # central runs whose subtasks are not created yet

    def new_id(self, kind: str) -> int:
        """The next id of a sequence (users and nodes share "authenticatable")."""
        value = self.next_ids[kind]
        self.next_ids[kind] = value + 1
        return value

    def user_by_name(self, username: str) -> User | None:
        """The user with that username, if any."""
        return next((u for u in self.users.values() if u.username == username), None)

    def node_for(self, organization_id: int, collaboration_id: int) -> Node | None:
        """The node an organisation registered in a collaboration, if any."""
        return next((n for n in self.nodes.values()
                     if n.organization_id == organization_id and n.collaboration_id == collaboration_id), None)

    def collaborations_of(self, organization_id: int) -> list[int]:
        """Ids of the collaborations an organisation is a member of."""
        return [c.id for c in self.collaborations.values() if organization_id in c.organization_ids]


# What a vantage6 user can type, for the hostile seed (sandbox/common/hostile.py); usernames, rules, images and
# database labels stay as seeded.
HOSTILE_FIELDS: dict[type, tuple[str, ...]] = {
    Organization: ("name",), Collaboration: ("name",), Node: ("name",), Role: ("description",),
    User: ("firstname", "lastname"), Task: ("name", "description"), Outcome: ("log", "result"),
    Session: ("name",),
}
