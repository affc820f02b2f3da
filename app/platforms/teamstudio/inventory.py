"""Team Studio's places and people: workspaces with their members, workfiles and jobs; users; data sources.

The normalisers are pure functions of the Chorus JSON (tested on recorded objects); TeamStudioInventory reads
through the service's client, each read cached per connection.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from app.cache import Fetched, cached_read, derived
from app.concurrency import parallel_map
from app.errors import NotFound, PlatformError
from app.platforms.records import Workflow
from app.platforms.teamstudio import normalize as norm
from app.platforms.teamstudio.job_records import JobDetail, normalize_job_detail
from app.platforms.teamstudio.service import NUMERIC_ID, TeamStudioService
from app.platforms.timestamps import parse_time

INVENTORY_TTL = 300  # people, places and sources change by hand, rarely
# Workspace.Stage ids by name (as sandbox/teamstudio/world.py has them), for a workspace that sends only the id
STAGES = {1: "Define", 2: "Transform", 3: "Model", 4: "Deploy", 5: "Act"}


@dataclass(frozen=True)
class WorkspaceInfo:
    """A workspace as the list and the workspace page show it."""

    id: str
    name: str
    summary: str
    owner: str
    public: bool
    active: bool  # not archived
    archived_at: datetime | None
    stage: str
    members_count: int | None
    created_at: datetime | None
    updated_at: datetime | None
    link: str


@dataclass(frozen=True)
class Member:
    """One entry of a workspace's member list, with the member's role there."""

    user_id: str
    name: str
    username: str
    role: str


@dataclass(frozen=True)
class Membership:
    """A member of one workspace, for the inventory's members table."""

    workspace_id: str
    workspace_name: str
    member: Member


@dataclass(frozen=True)
class UserInfo:
    """A Team Studio user; `user_type` is the application role, admin and data admin come from admin/roles."""

    id: str
    name: str
    username: str
    email: str
    user_type: str
    admin: bool
    data_admin: bool


@dataclass(frozen=True)
class DatabaseInfo:
    id: str
    name: str
    entity_type: str


@dataclass(frozen=True)
class DataSourceInfo:
    """A data source; `databases` is None for Hadoop sources and where the listing failed (`databases_error`)."""

    id: str
    name: str
    entity_type: str
    category: str  # "Database" or "Hadoop"
    state: str
    host: str
    port: str
    databases: tuple[DatabaseInfo, ...] | None = None
    databases_error: str = ""


# --- pure normalisers ----------------------------------------------------------------------------------
def _id(raw: dict) -> str:
    return str(raw.get("id", ""))


def stage_name(raw: dict) -> str:
    """The workspace's stage by name: the nested workspace_stage's name, else Workspace.Stage's name for the id."""
    stage = raw.get("workspace_stage")
    if isinstance(stage, dict) and stage.get("name"):
        return str(stage["name"])
    ident = stage.get("id") if isinstance(stage, dict) else raw.get("workspace_stage_id", stage)
    try:
        return STAGES.get(int(ident), f"stage {ident}")
    except (TypeError, ValueError):
        return "—"


def normalize_workspace(raw: dict, ui: str) -> WorkspaceInfo:
    """A workspace object (list entry or single read); archived ones carry archived_at."""
    count = raw.get("members_count")
    return WorkspaceInfo(
        id=_id(raw), name=str(raw.get("name") or _id(raw)), summary=str(raw.get("summary") or ""),
        owner=norm.person(raw.get("owner")), public=bool(raw.get("public", raw.get("is_public", False))),
        active=not raw.get("archived_at"), archived_at=parse_time(raw.get("archived_at")), stage=stage_name(raw),
        members_count=count if isinstance(count, int) else None, created_at=parse_time(raw.get("created_at")),
        updated_at=parse_time(raw.get("updated_at")), link=f"{ui}/#/workspaces/{_id(raw)}")


def normalize_member(raw: dict) -> Member:
    return Member(user_id=_id(raw), name=norm.person(raw), username=str(raw.get("username") or ""),
                  role=str(raw.get("role") or "—"))


def _roles(raw: dict) -> set[str]:
    """`roles` as a list or one string ("data_admin")."""
    roles = raw.get("roles")
    return {roles} if isinstance(roles, str) else {str(r) for r in roles or []}


def normalize_user(raw: dict) -> UserInfo:
    roles = _roles(raw)
    return UserInfo(id=_id(raw), name=norm.person(raw), username=str(raw.get("username") or ""),
                    email=str(raw.get("email") or ""), user_type=str(raw.get("user_type") or "—"),
                    admin=raw.get("admin") is True or "admin" in roles, data_admin="data_admin" in roles)


def is_hadoop(entity_type: str) -> bool:
    """Hadoop sources (hdfs_data_source, hdfs_hive_data_source, the client's HadoopCluster) have no databases."""
    kind = entity_type.lower()
    return kind.startswith("hdfs") or "hadoop" in kind


def normalize_data_source(raw: dict) -> DataSourceInfo:
    kind = str(raw.get("entity_type") or "")
    state = raw.get("state")
    if not state and isinstance(raw.get("online"), bool):
        state = "online" if raw["online"] else "offline"
    return DataSourceInfo(id=_id(raw), name=str(raw.get("name") or _id(raw)), entity_type=kind or "—",
                          category="Hadoop" if is_hadoop(kind) else "Database", state=str(state or "unknown"),
                          host=str(raw.get("host") or ""), port=str(raw.get("port") or ""))


def normalize_database(raw: dict) -> DatabaseInfo:
    return DatabaseInfo(id=_id(raw), name=str(raw.get("name") or _id(raw)), entity_type=str(raw.get("entity_type") or ""))


# --- reads -----------------------------------------------------------------------------------------------
class TeamStudioInventory:
    """Reads for the workspaces and inventory pages; each returns records and raises PlatformError."""

    def __init__(self, service: TeamStudioService) -> None:
        self.svc = service
        self.name = service.name
        self.client = service.client

    def workspaces(self) -> Fetched[list[WorkspaceInfo]]:
        """Every workspace the service account sees, by name (as Team Studio sorts them)."""
        # the same cache entry as TeamStudioService.raw_workspaces, so the two never disagree
        fetched = cached_read(self.name, "workspaces", self.client.workspaces, timeout=INVENTORY_TTL)
        spaces = derived(f"{self.name}:workspace-infos", fetched.fetched_at, lambda: [
            normalize_workspace(w, self.svc.ui_url) for w in fetched.value if "id" in w])
        return Fetched(spaces, fetched.fetched_at, fetched.stale)

    def workspace(self, workspace_id: str) -> Fetched[WorkspaceInfo]:
        """One workspace; NotFound for an unknown or non-numeric id."""
        self._require_numeric(workspace_id)
        return cached_read(self.name, f"workspace:{workspace_id}", lambda: normalize_workspace(
            self.client.workspace(workspace_id), self.svc.ui_url), timeout=INVENTORY_TTL)

    def members(self, workspace_id: str) -> Fetched[list[Member]]:
        """The workspace's members with their roles, by name."""
        self._require_numeric(workspace_id)
        return cached_read(self.name, f"members:{workspace_id}", lambda: sorted(
            (normalize_member(m) for m in self.client.members(workspace_id)), key=lambda m: m.name.lower()),
            timeout=INVENTORY_TTL)

    def workfiles(self, workspace_id: str) -> Fetched[list[Workflow]]:
        """The workspace's workfiles as Workflows (runnable when they are work_flow files), by name."""
        self._require_numeric(workspace_id)
        return cached_read(self.name, f"workfiles:{workspace_id}", lambda: sorted(
            (norm.normalize_workflow(w, self.name, self.svc.ui_url) for w in self.client.workfiles(workspace_id)
             if "id" in w), key=lambda w: w.name.lower()), timeout=INVENTORY_TTL)

    def jobs(self, workspace_id: str) -> Fetched[list[JobDetail]]:
        """The workspace's jobs with their tasks, from the service's job read (what job actions invalidate)."""
        self._require_numeric(workspace_id)
        fetched = self.svc.raw_jobs()
        jobs = derived(f"{self.name}:job-details", fetched.fetched_at, lambda: sorted(
            (normalize_job_detail(j, self.name, self.svc.ui_url) for j in fetched.value if "id" in j),
            key=lambda j: j.name.lower()))
        return Fetched([j for j in jobs if j.workspace.id == workspace_id], fetched.fetched_at, fetched.stale)

    def users(self) -> Fetched[list[UserInfo]]:
        """Every user, by name."""
        return cached_read(self.name, "users", lambda: sorted(
            (normalize_user(u) for u in self.client.users() if "id" in u), key=lambda u: u.name.lower()),
            timeout=INVENTORY_TTL)

    def memberships(self) -> Fetched[list[Membership]]:
        """Every member of every workspace, workspace by workspace; member lists are read in parallel."""
        def fetch() -> list[Membership]:
            spaces = self.workspaces().value
            lists = parallel_map(lambda space: self.members(space.id).value, spaces)
            return [Membership(space.id, space.name, member) for space, members in zip(spaces, lists)
                    for member in members]
        return cached_read(self.name, "memberships", fetch, timeout=INVENTORY_TTL)

    def data_sources(self) -> Fetched[list[DataSourceInfo]]:
        """Database and Hadoop data sources, database ones with their databases (read in parallel); a source
        whose databases cannot be listed (say it is offline) says why instead of failing the rest."""
        def databases(source: DataSourceInfo) -> DataSourceInfo:
            if source.category != "Database":
                return source
            try:
                found = tuple(normalize_database(d) for d in self.client.databases(source.id))
            except PlatformError as error:
                return replace(source, databases_error=error.message)
            return replace(source, databases=found)

        def fetch() -> list[DataSourceInfo]:
            sources = [normalize_data_source(s) for s in self.client.data_sources() if "id" in s]
            return parallel_map(databases, sources)
        return cached_read(self.name, "data-sources", fetch, timeout=INVENTORY_TTL)

    def _require_numeric(self, workspace_id: str) -> None:
        if not NUMERIC_ID.match(workspace_id):
            raise NotFound(self.name, f"no workspace {workspace_id!r}")
