"""A Team Studio job as its pages show it: the common Schedule record plus what only a job has (workspace,
interval, end date, notifications, its tasks in order with the process each last started).

Pure functions of the Chorus job object; the job page and the workspace page both read jobs this way.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.platforms.records import Schedule, TargetRef
from app.platforms.teamstudio import normalize as norm
from app.platforms.teamstudio.service import run_id_of

ACTION_WORDS = {"run_work_flow": "run workflow", "run_sql_workfile": "run SQL", "notebook": "run notebook"}


@dataclass(frozen=True)
class TaskDetail:
    """One task of a job, in its place; `last_run_id` names the process its latest run started (workflows)."""

    id: str
    index: int
    action: str
    workfile: TargetRef  # kind is workflow, sql or notebook
    last_run_id: str | None = None

    @property
    def action_words(self) -> str:
        return ACTION_WORDS.get(self.action, self.action or "—")


@dataclass(frozen=True)
class JobDetail:
    """A job as its page shows it: the Schedule record (name, words, zone, runs) plus what only the job has."""

    schedule: Schedule
    workspace: TargetRef
    interval_unit: str
    interval_value: int
    end_run: date | None
    success_notify: str
    failure_notify: str
    running: bool
    tasks: tuple[TaskDetail, ...]

    @property
    def id(self) -> str:
        return self.schedule.id

    @property
    def name(self) -> str:
        return self.schedule.name

    @property
    def interval_text(self) -> str:
        """'every 2 weeks', 'on demand': the words the schedules page uses."""
        return norm.interval_words(self.interval_unit, self.interval_value)

    def in_own_zone(self, moment: datetime | None) -> datetime | None:
        """A moment on the job's own wall clock (its schedule is kept in that zone)."""
        if moment is None:
            return None
        try:
            return moment.astimezone(ZoneInfo(self.schedule.timezone))
        except (ZoneInfoNotFoundError, ValueError):
            return moment

    @property
    def next_run_local(self) -> datetime | None:
        return self.in_own_zone(self.schedule.next_run)

    @property
    def last_run_local(self) -> datetime | None:
        return self.in_own_zone(self.schedule.last_run)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _count(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def normalize_task(raw: dict, position: int) -> TaskDetail:
    workfile = raw.get("workfile") if isinstance(raw.get("workfile"), dict) else {}
    file_type = str(workfile.get("file_type") or "workfile")
    kind = "workflow" if file_type == "work_flow" else file_type
    workfile_id, process = str(workfile.get("id") or ""), raw.get("last_process_id")
    return TaskDetail(
        id=str(raw.get("id") or ""), index=_count(raw.get("index", position)), action=str(raw.get("action") or ""),
        workfile=TargetRef(kind, workfile_id, str(workfile.get("file_name") or workfile_id or "—")),
        last_run_id=run_id_of(workfile_id, str(process)) if process and workfile_id and kind == "workflow" else None)


def normalize_job_detail(raw: dict, connection: str, ui: str) -> JobDetail:
    """A Chorus job object (with its tasks) as a JobDetail; the schedule part is normalize_job's record."""
    workspace = raw.get("workspace") if isinstance(raw.get("workspace"), dict) else {}
    tasks = [normalize_task(t, i) for i, t in enumerate(raw.get("tasks") or []) if isinstance(t, dict)]
    return JobDetail(
        schedule=norm.normalize_job(raw, connection, ui),
        workspace=TargetRef("workspace", str(workspace.get("id") or ""),
                            str(workspace.get("name") or workspace.get("id") or "—")),
        interval_unit=str(raw.get("interval_unit") or "on_demand"), interval_value=_count(raw.get("interval_value")),
        end_run=_day(raw.get("end_run")), success_notify=str(raw.get("success_notify") or "nobody"),
        failure_notify=str(raw.get("failure_notify") or "nobody"), running=raw.get("status") == "running",
        tasks=tuple(sorted(tasks, key=lambda t: t.index)))
