"""Jobs and their tasks: list, read, create, delete, run now, and scheduled fires as the clock passes next_run.

A job run starts one engine process per run_work_flow task, all at once, with the workflow's default
variables; run_sql_workfile and notebook tasks start no engine process. Schedules fire lazily: whenever a
request reads the clock, every enabled job whose next_run has passed runs once (at its due time) and its
next_run moves to the first fire after now (missed fires are skipped, as a scheduler that was down would).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping

from sandbox.common.clock import parse_iso
from sandbox.common.locking import locked
from sandbox.teamstudio.engine import final_status, state_at
from sandbox.teamstudio.errors import Unprocessable, not_found
from sandbox.teamstudio.paging import paginate
from sandbox.teamstudio.runs import RunsMixin
from sandbox.teamstudio.schedules import next_after, past_end, zone
from sandbox.teamstudio.serialize import job_json, task_json
from sandbox.teamstudio.world import INTERVAL_UNITS, TASK_ACTIONS, Job, Task, User

NOTIFY = ("nobody", "everybody", "selected")


def _when(text: str, time_zone: str) -> datetime:
    """next_run as the client sends it (str(datetime), ISO with T or a space); naive means the job's zone."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=zone(time_zone))


def _end_run(text: str | None) -> date | None:
    """endrun: false/empty for none, else a date (or a timestamp whose date counts)."""
    if text is None or text.strip().lower() in ("", "false", "none", "null"):
        return None
    return parse_iso(text).date() if "T" in text or " " in text.strip() else date.fromisoformat(text.strip())


def _choice(form: Mapping[str, str], names: tuple[str, ...], allowed: tuple[str, ...]) -> str:
    value = next((form[n] for n in names if form.get(n)), "nobody")
    if value not in allowed:
        raise Unprocessable(f"{names[0]} must be one of {', '.join(allowed)}.", {names[0]: "INVALID"})
    return value


class JobsMixin(RunsMixin):
    """Job and task endpoints plus the lazy scheduler."""

    next_due: datetime | None = None

    # -- status ------------------------------------------------------------------------------------------
    def render_job(self, job: Job) -> dict[str, Any]:
        """The job object with status "running" while a process of its last run runs, and last_run_failed."""
        now = self.now()
        latest = [self.world.processes.get(t.last_process_id or "") for t in job.tasks]
        processes = [p for p in latest if p is not None]
        running = any(state_at(p, now) is not None for p in processes)
        failed = any(state_at(p, now) is None and final_status(p) != "SUCCESS" for p in processes)
        return job_json(self.world, job, "running" if running else "idle", failed)

    # -- scheduler ---------------------------------------------------------------------------------------
    def refresh_due(self) -> None:
        """Remember the earliest next_run of an enabled job, so most requests skip the scan."""
        self.next_due = min((j.next_run for j in self.world.jobs.values() if j.enabled and j.next_run), default=None)

    def launch(self, job: Job, at: datetime, user_id: int) -> None:
        """Run the job at `at`: one process per workflow task, last_run and the tasks' last_process_id set."""
        job.last_run = at
        for task in job.tasks:
            workfile = self.world.workfiles.get(task.workfile_id)
            if task.action == "run_work_flow" and workfile is not None:
                values = {v.name: v.default for v in workfile.variables}
                task.last_process_id = self.start_process(workfile, user_id, values, at, True, job.id).id

    @locked
    def tick(self) -> datetime:
        """Now, after running every job that came due."""
        now = self.now()
        if self.next_due is None or now < self.next_due:
            return now
        for job in self.world.jobs.values():
            if job.enabled and job.next_run is not None and job.next_run <= now:
                self.launch(job, job.next_run, job.owner_id)
                upcoming = next_after(job.next_run, job.interval_unit, job.interval_value, job.time_zone, now)
                job.next_run = None if past_end(upcoming, job.end_run, job.time_zone) else upcoming
        self.refresh_due()
        return now

    # -- endpoints ---------------------------------------------------------------------------------------
    @locked
    def list_jobs(self, viewer: User, workspace_id: int, page: int, per_page: int) -> dict[str, Any]:
        """A workspace's jobs by id."""
        self.workspace_for(viewer, workspace_id)
        jobs = [j for j in self.world.jobs.values() if j.workspace_id == workspace_id]
        return paginate(jobs, page, per_page, self.render_job)

    @locked
    def get_job(self, viewer: User, workspace_id: int, job_id: int) -> dict[str, Any]:
        """One job with its tasks."""
        return {"response": self.render_job(self.job_for(viewer, workspace_id, job_id))}

    @locked
    def create_job(self, viewer: User, workspace_id: int, form: Mapping[str, str]) -> dict[str, Any]:
        """POST .../jobs (form: name, interval_unit, interval_value, next_run, time_zone, description, endrun,
        success_notify): members only; scheduled units need next_run and an interval_value of at least 1."""
        space = self.workspace_for(viewer, workspace_id)
        self.require_member(viewer, space)
        name, unit = (form.get("name") or "").strip(), form.get("interval_unit") or ""
        if not name:
            raise Unprocessable("name can't be blank.", {"name": "BLANK"})
        if any(j.workspace_id == space.id and j.name.lower() == name.lower() for j in self.world.jobs.values()):
            raise Unprocessable(f"Job name {name!r} has already been taken.", {"name": "TAKEN"})
        if unit not in INTERVAL_UNITS:
            raise Unprocessable(f"interval_unit must be one of {', '.join(INTERVAL_UNITS)}.",
                                {"interval_unit": "INVALID"})
        time_zone = form.get("time_zone") or "UTC"
        try:
            zone(time_zone)
            value = int(form.get("interval_value") or 0)
            next_run = _when(form["next_run"], time_zone) if unit != "on_demand" and form.get("next_run") else None
            end_run = _end_run(form.get("endrun"))
        except (ValueError, KeyError) as exc:
            raise Unprocessable(f"Invalid job schedule: {exc}.", {"schedule": "INVALID"}) from None
        if unit != "on_demand" and (value < 1 or next_run is None):
            raise Unprocessable("A scheduled job needs interval_value >= 1 and next_run.",
                                {"interval_value": "INVALID"})
        job = Job(self.world.new_id("jobs"), space.id, viewer.id, name, form.get("description") or "", unit,
                  value if unit != "on_demand" else 0, next_run, time_zone, self.now().replace(microsecond=0),
                  end_run=end_run, success_notify=_choice(form, ("success_notify", "sucess_notify"), NOTIFY),
                  failure_notify=_choice(form, ("failure_notify",), NOTIFY))
        self.world.jobs[job.id] = job
        self.refresh_due()
        return {"response": self.render_job(job)}

    @locked
    def delete_job(self, viewer: User, workspace_id: int, job_id: int) -> None:
        """DELETE .../jobs/{id} (members); processes it started keep running."""
        job = self.job_for(viewer, workspace_id, job_id)
        self.require_member(viewer, self.world.workspaces[workspace_id])
        del self.world.jobs[job.id]
        self.refresh_due()

    @locked
    def create_task(self, viewer: User, workspace_id: int, job_id: int, form: Mapping[str, str]) -> dict[str, Any]:
        """POST .../job_tasks (form: action, workfile_id): the workfile must be in the job's workspace and of the
        action's type (run_work_flow -> work_flow, run_sql_workfile -> sql, notebook -> notebook)."""
        job = self.job_for(viewer, workspace_id, job_id)
        self.require_member(viewer, self.world.workspaces[workspace_id])
        action = form.get("action") or ""
        if action not in TASK_ACTIONS:
            raise Unprocessable(f"action must be one of {', '.join(TASK_ACTIONS)}.", {"action": "INVALID"})
        try:
            workfile = self.world.workfiles.get(int(form.get("workfile_id") or ""))
        except ValueError:
            workfile = None
        if workfile is None or workfile.workspace_id != workspace_id:
            raise Unprocessable(f"No workfile {form.get('workfile_id')!r} in workspace {workspace_id}.",
                                {"workfile_id": "INVALID"})
        if workfile.file_type != TASK_ACTIONS[action]:
            raise Unprocessable(f"Workfile {workfile.id} is a {workfile.file_type}; {action} needs a "
                                f"{TASK_ACTIONS[action]}.", {"action": "INVALID"})
        task = Task(self.world.new_id("tasks"), job.id, action, workfile.id)
        job.tasks.append(task)
        return {"response": task_json(self.world, job, task, len(job.tasks) - 1)}

    @locked
    def delete_task(self, viewer: User, workspace_id: int, job_id: int, task_id: int) -> None:
        """DELETE .../job_tasks/{id} (members)."""
        job = self.job_for(viewer, workspace_id, job_id)
        self.require_member(viewer, self.world.workspaces[workspace_id])
        if not any(t.id == task_id for t in job.tasks):
            raise not_found("Task", task_id)
        job.tasks = [t for t in job.tasks if t.id != task_id]

    @locked
    def run_job(self, viewer: User, job_id: int) -> dict[str, Any]:
        """POST /api/jobs/{id}/run: members run it now, whatever its schedule; answers the job (status running)."""
        job = self.world.jobs.get(job_id)
        if job is None:
            raise not_found("Job", job_id)
        space = self.workspace_for(viewer, job.workspace_id)
        self.require_member(viewer, space)
        self.launch(job, self.now(), viewer.id)
        return {"response": self.render_job(job)}
