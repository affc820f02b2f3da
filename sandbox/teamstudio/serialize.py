"""JSON shapes of the Chorus API objects (users, workspaces, workfiles, jobs, tasks, data sources, license).

Field names follow the seed's user and workfile objects; `complete_json: true` marks a single-object read
(the alpine client pops it before a PUT, so those reads must carry it). `workflow_variables` on workfiles is
the emulator's own addition (see sandbox/README.md, "Assumed").
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sandbox.teamstudio.world import STAGES, DataSource, Database, Job, Task, User, Workfile, Workspace, World

VERSION = "6.3.0.0.5410-4ef43d3c9"
DATABASE_ENTITY = {"gpdb_data_source": "gpdb_database", "hawq_data_source": "gpdb_database",
                   "pg_data_source": "pg_database"}


def iso(moment: datetime | None) -> str | None:
    """Chorus timestamps: UTC to the second with a Z, e.g. 2017-02-28T21:35:54Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _image(kind: str, ident: int, stamp: datetime) -> dict[str, Any]:
    epoch = int(stamp.timestamp())
    return {"complete_json": True, "entity_type": "image", "icon": f"/{kind}/{ident}/image?style=icon&{epoch}",
            "original": f"/{kind}/{ident}/image?style=original&{epoch}"}


def roles(user: User) -> list[str]:
    """["admin"] for an application admin, ["data_admin"] for a data admin, [] for everyone else."""
    return (["admin"] if user.admin else []) + (["data_admin"] if user.data_admin else [])


def user_json(user: User, complete: bool = False, deleted: bool = False) -> dict[str, Any]:
    """The user object of the seed (get_status); a single read adds complete_json, a deleted owner is_deleted."""
    body: dict[str, Any] = {
        "id": user.id, "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "title": user.title, "dept": user.dept, "notes": user.notes, "admin": user.admin,
        "roles": roles(user), "user_type": user.user_type, "subscribed_to_emails": user.subscribed_to_emails,
        "auth_method": "internal", "ldap_group_id": None, "entity_type": "user",
        "image": _image("users", user.id, user.created_at), "is_deleted": True if deleted else None, "tags": [],
        "using_default_image": True}
    if complete:
        body["complete_json"] = True
    return body


def owner_json(world: World, user_id: int) -> dict[str, Any] | None:
    """The owner embedded in a job, workfile or data source: a live user, or a deleted one marked is_deleted."""
    if user_id in world.users:
        return user_json(world.users[user_id])
    gone = world.deleted_users.get(user_id)
    return user_json(gone, deleted=True) if gone else None


def member_json(user: User, role: str) -> dict[str, Any]:
    """A member list entry: the user object plus the workspace role."""
    return {**user_json(user), "role": role}


def workspace_summary(space: Workspace) -> dict[str, Any]:
    """The compact workspace nested in workfiles and jobs."""
    return {"id": space.id, "name": space.name, "entity_type": "workspace", "public": space.public,
            "archived_at": iso(space.archived_at), "is_deleted": None}


def workspace_json(world: World, space: Workspace, complete: bool = False) -> dict[str, Any]:
    """A workspace; `archived_at` is null for active ones; the stage is one of Workspace.Stage's ids."""
    archiver = world.users.get(space.archiver_id) if space.archiver_id else None
    owner = world.users.get(space.owner_id)
    body: dict[str, Any] = {
        "id": space.id, "name": space.name, "summary": space.summary, "entity_type": "workspace",
        "public": space.public, "owner": user_json(owner) if owner else None, "archived_at": iso(space.archived_at),
        "archiver": user_json(archiver) if archiver else None,
        "workspace_stage": {"id": space.stage_id, "name": STAGES[space.stage_id], "entity_type": "workspace_stage"},
        "members_count": len(space.members), "image": _image("workspaces", space.id, space.created_at),
        "is_deleted": None, "tags": [], "created_at": iso(space.created_at), "updated_at": iso(space.updated_at)}
    if complete:
        body["complete_json"] = True
    return body


def workfile_json(world: World, workfile: Workfile, status: str, complete: bool = False) -> dict[str, Any]:
    """A workfile as in the seed's hyperparameter notebook, plus `workflow_variables` (assumed)."""
    space = world.workspaces[workfile.workspace_id]
    workflow = workfile.file_type == "work_flow"
    locations = []
    if workfile.location is not None:
        kind, ident = workfile.location
        locations.append({"entity_type": kind, "id": ident})
    body: dict[str, Any] = {
        "id": workfile.id, "file_name": workfile.file_name, "file_type": workfile.file_type,
        "entity_type": "workfile", "entity_subtype": "alpine" if workflow else "chorus_workfile",
        "description": workfile.description, "status": status, "workspace": workspace_summary(space),
        "owner": owner_json(world, workfile.owner_id),
        "version_info": {"version_num": workfile.version_num, "created_at": iso(workfile.created_at),
                         "updated_at": iso(workfile.modified_at)},
        "latest_version_id": None if workflow else workfile.id * 10 + workfile.version_num,
        "execution_locations": locations, "associated_worklets": [], "comment_count": 0, "recent_comments": [],
        "dataset_ids": [], "link_url": None, "tags": [], "is_deleted": None,
        "user_modified_at": iso(workfile.modified_at),
        "workflow_variables": [{"name": v.name, "value": v.default} for v in workfile.variables]}
    if complete:
        body["complete_json"] = True
    return body


def task_json(world: World, job: Job, task: Task, index: int) -> dict[str, Any]:
    """A job task: "Run <file name>", its action, its workfile, and the process its last run started."""
    workfile = world.workfiles[task.workfile_id]
    return {"id": task.id, "entity_type": "job_task", "job": {"id": job.id, "name": job.name}, "index": index,
            "name": f"Run {workfile.file_name}", "action": task.action,
            "workfile": {"id": workfile.id, "file_name": workfile.file_name, "file_type": workfile.file_type,
                         "entity_type": "workfile"},
            "last_process_id": task.last_process_id}


def job_json(world: World, job: Job, status: str, last_run_failed: bool) -> dict[str, Any]:
    """A job with its tasks in order; next_run is null for on_demand jobs and once past end_run."""
    return {
        "id": job.id, "name": job.name, "entity_type": "job", "description": job.description,
        "workspace": workspace_summary(world.workspaces[job.workspace_id]),
        "owner": owner_json(world, job.owner_id), "interval_unit": job.interval_unit,
        "interval_value": job.interval_value, "next_run": iso(job.next_run), "last_run": iso(job.last_run),
        "end_run": _day(job.end_run), "time_zone": job.time_zone, "enabled": job.enabled, "status": status,
        "last_run_failed": last_run_failed, "success_notify": job.success_notify,
        "failure_notify": job.failure_notify, "created_at": iso(job.created_at),
        "tasks": [task_json(world, job, task, index) for index, task in enumerate(job.tasks)]}


def data_source_json(world: World, source: DataSource, complete: bool = False) -> dict[str, Any]:
    """A data source; entity_type is one of the client's DataSource.DSType strings."""
    body: dict[str, Any] = {
        "id": source.id, "name": source.name, "entity_type": source.entity_type, "host": source.host,
        "port": source.port, "description": source.description, "version": source.version,
        "online": source.online, "state": "online" if source.online else "offline", "shared": source.shared,
        "owner": owner_json(world, source.owner_id), "is_deleted": None, "created_at": iso(source.created_at)}
    if complete:
        body["complete_json"] = True
    return body


def database_json(source: DataSource, database: Database) -> dict[str, Any]:
    """A database of a data source."""
    return {"id": database.id, "name": database.name,
            "entity_type": DATABASE_ENTITY.get(source.entity_type, "database"),
            "data_source": {"id": source.id, "name": source.name, "entity_type": source.entity_type}}


def license_json(world: World) -> dict[str, Any]:
    """The license fields of the seed's get_license(), for a licence that never expires."""
    return {
        "admins": 400, "advisor_now_enabled": True, "analytics_developer": 100,
        "analytics_developer_limit_reached": False, "branding": "alpine", "business_user": 100,
        "business_user_limit_reached": False, "client_name": None, "collaborator": 100,
        "collaborator_limit_reached": False, "correct_mac_address": True, "data_analyst": 100,
        "data_analyst_limit_reached": False, "expired": False, "expires": "2099-12-31", "is_enabled_api": True,
        "is_enabled_custom": True, "is_enabled_jobs": True, "is_enabled_milestones": True,
        "is_enabled_modeling": True, "is_enabled_touchpoints": True, "level": None, "limit_api": False,
        "limit_custom": False, "limit_jobs": False, "limit_milestones": False, "limit_modeling": False,
        "limit_touchpoints": False, "mac_address": "!!!!!!!!!!", "organization_uuid": None,
        "users_license_limit_reached": len(world.users) >= 400, "vendor": "alpine", "version": VERSION + "\n",
        "workflow_enabled": True}
