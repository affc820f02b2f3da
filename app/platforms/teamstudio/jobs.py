"""Team Studio job reads for the job pages and the actions that change jobs: create, add and remove tasks, delete.

Reads build on TeamStudioService.raw_jobs (the same cached read the schedules page uses) and the inventory's
workspace and workfile reads; every action drops the job reads it makes stale. The job record itself is in
job_records.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from app.cache import Fetched, invalidate
from app.errors import BadResponse, InvalidRequest, NotFound
from app.platforms.records import TargetRef, Workflow
from app.platforms.teamstudio.inventory import TeamStudioInventory
from app.platforms.teamstudio.job_records import JobDetail, TaskDetail, normalize_job_detail, normalize_task
from app.platforms.teamstudio.service import NUMERIC_ID

if TYPE_CHECKING:
    from app.platforms.teamstudio.service import TeamStudioService

# Schedule types (the notes' interval_unit) in the order a form offers them.
INTERVAL_UNITS = ("on_demand", "hours", "days", "weeks", "months")
# The task action that runs each kind of workfile (Workflow.kind; the platform refuses any other pairing).
TASK_ACTIONS = {"workflow": "run_work_flow", "sql": "run_sql_workfile", "notebook": "notebook"}
CHANGED_BY_JOB_ACTIONS = ("jobs", "schedules", "recent_runs")  # a job's tasks name the processes runs come from


@dataclass(frozen=True)
class JobSpec:
    """A new job as a form gives it; `first_run` is aware, in `time_zone`. On-demand jobs have no timing."""

    name: str
    interval_unit: str
    interval_value: int
    first_run: datetime | None
    time_zone: str
    end_date: date | None = None
    description: str = ""

    def fields(self) -> dict[str, str]:
        """The form fields POST /api/workspaces/{ws}/jobs takes, as the alpine client sends them."""
        scheduled = self.interval_unit != "on_demand"
        return {"name": self.name, "interval_unit": self.interval_unit,
                "interval_value": str(self.interval_value if scheduled else 0),
                "next_run": str(self.first_run) if scheduled and self.first_run else "",
                "time_zone": self.time_zone, "description": self.description,
                "endrun": self.end_date.isoformat() if scheduled and self.end_date else "False",
                "success_notify": "nobody"}


class TeamStudioJobs:
    """Job reads and actions for the job pages; reads raise PlatformError, unknown ids NotFound."""

    def __init__(self, service: TeamStudioService) -> None:
        self.svc = service
        self.name = service.name
        self.client = service.client
        self.inventory = TeamStudioInventory(service)

    # --- reads -------------------------------------------------------------------------------------------
    def job(self, job_id: str) -> Fetched[JobDetail]:
        """One job with its tasks, from the cached job read (stale when that copy is)."""
        if not NUMERIC_ID.match(job_id):
            raise NotFound(self.name, f"no job {job_id!r}")
        fetched = self.svc.raw_jobs()
        raw = next((j for j in fetched.value if str(j.get("id")) == job_id), None)
        if raw is None:
            raise NotFound(self.name, f"no job {job_id}")
        return Fetched(normalize_job_detail(raw, self.name, self.svc.ui_url), fetched.fetched_at, fetched.stale)

    def workspaces(self) -> list[TargetRef]:
        """The active workspaces a job can be made in, by name."""
        return [TargetRef("workspace", w.id, w.name) for w in self.inventory.workspaces().value if w.active]

    def workspace(self, workspace_id: str) -> TargetRef:
        """One workspace by id; NotFound for an unknown one."""
        found = self.inventory.workspace(workspace_id).value
        return TargetRef("workspace", found.id, found.name)

    def workflows(self, workspace_id: str) -> list[Workflow]:
        """The workspace's workflows, the workfiles a new job can start with."""
        return [w for w in self.inventory.workfiles(workspace_id).value if w.runnable]

    def task_workfiles(self, workspace_id: str) -> list[Workflow]:
        """The workspace's workfiles a task can run (workflows, SQL files, notebooks)."""
        return [w for w in self.inventory.workfiles(workspace_id).value if w.kind in TASK_ACTIONS]

    # --- actions -----------------------------------------------------------------------------------------
    def create(self, workspace_id: str, spec: JobSpec) -> str:
        """Create the job; its new id. InvalidRequest carries the platform's own refusal (a taken name …)."""
        created = self.client.create_job(workspace_id, spec.fields())
        invalidate(self.name, *CHANGED_BY_JOB_ACTIONS)
        if not isinstance(created, dict) or "id" not in created:
            raise BadResponse(self.name, "the job was created but the answer did not name it")
        return str(created["id"])

    def add_task(self, workspace_id: str, job_id: str, workfile_id: str) -> TaskDetail:
        """Add a task running the workfile with the action its type needs; InvalidRequest for a workfile that
        is not in the workspace or cannot be a task. Returns the task as the platform made it."""
        workfile = next((w for w in self.task_workfiles(workspace_id) if w.id == workfile_id), None)
        if workfile is None:
            raise InvalidRequest(self.name, f"workspace {workspace_id} has no workflow, SQL file or notebook "
                                            f"{workfile_id!r}")
        created = self.client.add_task(workspace_id, job_id, workfile.id, TASK_ACTIONS[workfile.kind])
        invalidate(self.name, *CHANGED_BY_JOB_ACTIONS)
        return normalize_task(created if isinstance(created, dict) else {}, -1)

    def delete_task(self, job: JobDetail, task_id: str) -> None:
        """Remove one task of the job; NotFound when the job has no such task."""
        if not any(t.id == task_id for t in job.tasks):
            raise NotFound(self.name, f"job {job.id} has no task {task_id!r}")
        self.client.delete_task(job.workspace.id, job.id, task_id)
        invalidate(self.name, *CHANGED_BY_JOB_ACTIONS)

    def delete(self, job: JobDetail) -> None:
        """Delete the job and its tasks; processes it started keep running."""
        self.client.delete_job(job.workspace.id, job.id)
        invalidate(self.name, *CHANGED_BY_JOB_ACTIONS)
