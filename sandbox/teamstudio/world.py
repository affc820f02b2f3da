"""Team Studio's entities as plain dataclasses; processes compute their state from the clock, never from timers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# Values the alpine client names (User.ApplicationRole, Workspace.MemberRole, Workspace.Stage, Job.ScheduleType,
# Job.TaskType, DataSource.DSType); the emulator refuses anything else.
USER_TYPES = ("analytics_developer", "data_analyst", "collaborator", "business_user")
MEMBER_ROLES = ("Project Member", "Business Owner", "Business Analyst", "Data Science Manager", "Data Scientist",
                "Data Engineer", "Application Engineer", "Project Manager")
STAGES = {1: "Define", 2: "Transform", 3: "Model", 4: "Deploy", 5: "Act"}
INTERVAL_UNITS = ("on_demand", "months", "weeks", "days", "hours")
TASK_ACTIONS = {"run_work_flow": "work_flow", "run_sql_workfile": "sql", "notebook": "notebook"}
DATABASE_TYPES = ("gpdb_data_source", "pg_data_source", "oracle_data_source", "hawq_data_source",
                  "jdbc_data_source", "jdbc_hive_data_source")
HADOOP_TYPES = ("hdfs_data_source", "hdfs_hive_data_source")
FINAL_STATUSES = ("SUCCESS", "FAILURE", "STOPPED")


@dataclass(slots=True)
class User:
    """A Chorus user: `admin` is the application admin, `data_admin` the data admin role."""

    id: int
    username: str
    password: str
    first_name: str
    last_name: str
    email: str
    title: str
    dept: str
    notes: str
    admin: bool
    data_admin: bool
    user_type: str
    subscribed_to_emails: bool
    created_at: datetime


@dataclass(slots=True)
class Member:
    """One entry of a workspace's member list."""

    user_id: int
    role: str


@dataclass(slots=True)
class Workspace:
    """A workspace; archived_at is set for archived (inactive) ones."""

    id: int
    name: str
    summary: str
    public: bool
    owner_id: int
    stage_id: int
    created_at: datetime
    updated_at: datetime
    members: list[Member]
    archived_at: datetime | None = None
    archiver_id: int | None = None


@dataclass(slots=True, frozen=True)
class Variable:
    """A workflow variable: its default, the kind of value the operator using it needs, and that operator."""

    name: str
    default: str
    kind: str  # "int" | "float" | "text"
    used_by: str


@dataclass(slots=True, frozen=True)
class Operator:
    """One node of a workflow; `fails` is the error it always ends with (empty for a healthy operator)."""

    name: str
    kind: str  # dataset | sampling | table | forest | confusion | model | export | sql
    seconds: float
    fails: str = ""


@dataclass(slots=True)
class Workfile:
    """A workfile; workflows (file_type work_flow) carry operators and declared variables."""

    id: int
    workspace_id: int
    owner_id: int
    file_name: str
    file_type: str  # work_flow | sql | notebook | text
    description: str
    created_at: datetime
    modified_at: datetime
    version_num: int = 1
    location: tuple[str, int] | None = None  # (data source entity type, id) a workflow executes on
    operators: tuple[Operator, ...] = ()
    variables: tuple[Variable, ...] = ()
    content: str = ""


@dataclass(slots=True)
class Task:
    """A job task; last_process_id names the engine process its latest run started (workflow tasks only)."""

    id: int
    job_id: int
    action: str
    workfile_id: int
    last_process_id: str | None = None


@dataclass(slots=True)
class Job:
    """A job (schedule) of a workspace; next_run is None for on_demand jobs and once past end_run."""

    id: int
    workspace_id: int
    owner_id: int
    name: str
    description: str
    interval_unit: str
    interval_value: int
    next_run: datetime | None
    time_zone: str
    created_at: datetime
    tasks: list[Task] = field(default_factory=list)
    end_run: date | None = None
    success_notify: str = "nobody"
    failure_notify: str = "nobody"
    enabled: bool = True
    last_run: datetime | None = None


@dataclass(slots=True)
class Database:
    """A database inside a database data source."""

    id: int
    name: str


@dataclass(slots=True)
class DataSource:
    """A data source; database ones live under /api/data_sources, Hadoop ones under /api/hdfs_data_sources."""

    id: int
    name: str
    entity_type: str
    host: str
    port: int
    description: str
    version: str
    owner_id: int
    created_at: datetime
    shared: bool = True
    online: bool = True
    databases: list[Database] = field(default_factory=list)

    @property
    def is_hadoop(self) -> bool:
        """Hadoop sources are listed and fetched under their own path."""
        return self.entity_type in HADOOP_TYPES


@dataclass(slots=True, frozen=True)
class Step:
    """One operator of a run: when it starts (seconds after the run's start) and how long it takes."""

    name: str
    kind: str
    offset: float
    seconds: float


@dataclass(slots=True)
class Process:
    """One engine run of a workflow; its state at any moment follows from these fields and the clock."""

    id: str
    workflow_id: int
    user_id: int
    started_at: datetime
    values: dict[str, str]
    steps: tuple[Step, ...]
    save_result: bool = True
    fail_index: int | None = None
    fail_message: str = ""
    stopped_at: datetime | None = None
    stopped_by: int | None = None
    job_id: int | None = None


@dataclass
class World:
    """Everything the emulator holds; dicts keep insertion order (ids ascending)."""

    seed: int
    size: str
    seeded_at: datetime
    users: dict[int, User] = field(default_factory=dict)
    # Chorus deletes users softly: a deleted user leaves the lists but still shows, `is_deleted` set, as the
    # owner of the jobs, workfiles and data sources they owned (the user JSON carries is_deleted for this)
    deleted_users: dict[int, User] = field(default_factory=dict)
    workspaces: dict[int, Workspace] = field(default_factory=dict)
    workfiles: dict[int, Workfile] = field(default_factory=dict)
    jobs: dict[int, Job] = field(default_factory=dict)
    data_sources: dict[int, DataSource] = field(default_factory=dict)
    hdfs_sources: dict[int, DataSource] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    next_ids: dict[str, int] = field(default_factory=dict)
    service_user_id: int = 0

    def new_id(self, kind: str) -> int:
        """The next id of a kind (users, workspaces, workfiles, jobs, tasks, ...), each kind its own sequence."""
        value = self.next_ids[kind]
        self.next_ids[kind] = value + 1
        return value

    def user_by_name(self, username: str) -> User | None:
        """The user with that login name, if any."""
        return next((u for u in self.users.values() if u.username == username), None)


# What a Team Studio user can type, for the hostile seed (sandbox/common/hostile.py); usernames, variables, types
# and operators (frozen templates shared by every world; their names pick the result tables) stay as seeded.
HOSTILE_FIELDS: dict[type, tuple[str, ...]] = {
    User: ("first_name", "last_name", "title", "dept", "notes"), Workspace: ("name", "summary"),
    Workfile: ("file_name", "description"), Job: ("name", "description"),
    DataSource: ("name", "description"), Process: ("fail_message",),
}
