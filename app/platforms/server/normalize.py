"""Pure functions: Alteryx Server JSON (v1 and v3) -> common records.

Status table (a job has a `status` and, once it ends, a `disposition`; both count):

| status              | disposition        | RunStatus |
|---------------------|--------------------|-----------|
| Created, Queued     | —                  | queued    |
| Running             | —                  | running   |
| Completed           | Success, Warning   | succeeded |
| Completed           | Error              | failed    |
| Completed/Cancelled | Cancelled          | canceled  |
| Completed           | None, Unknown, ""  | unknown   |
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from app.platforms.records import (
    Run,
    RunMessage,
    RunOutput,
    RunStatus,
    Schedule,
    StatusChange,
    TargetRef,
    Trigger,
    Workflow,
)
from app.platforms.server.iteration import Iteration, iana_zone
from app.platforms.timestamps import parse_time

STATUS_MAP = {"created": RunStatus.QUEUED, "queued": RunStatus.QUEUED, "running": RunStatus.RUNNING,
              "cancelled": RunStatus.CANCELED, "canceled": RunStatus.CANCELED}
DISPOSITION_MAP = {"success": RunStatus.SUCCEEDED, "warning": RunStatus.SUCCEEDED, "error": RunStatus.FAILED,
                   "cancelled": RunStatus.CANCELED, "canceled": RunStatus.CANCELED}
# Engine message codes (platforms/server.md §1.3): 2 and 5 are warnings, 3 and 6 errors, the rest information.
MESSAGE_LEVELS = {2: "warning", 5: "warning", 3: "error", 6: "error"}
FINISHED = re.compile(r"Finished running .* in ([0-9][0-9,]*(?:\.[0-9]+)?) seconds", re.IGNORECASE)


@dataclass(frozen=True)
class Names:
    """Names the lists only reference by id: workflows by id, people by user id."""

    workflows: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)

    def user(self, user_id: Any) -> str:
        if not user_id:
            return "—"
        return self.users.get(str(user_id), str(user_id))


def user_names(users: list[dict]) -> dict[str, str]:
    names = {}
    for user in users:
        full = f"{user.get('firstName') or ''} {user.get('lastName') or ''}".strip()
        names[str(user.get("id"))] = full or str(user.get("email") or user.get("id"))
    return names


def run_status(status: Any, disposition: Any) -> RunStatus:
    state = str(status or "").lower()
    if state in STATUS_MAP:
        return STATUS_MAP[state]
    if state == "completed":
        return DISPOSITION_MAP.get(str(disposition or "").lower(), RunStatus.UNKNOWN)
    return RunStatus.UNKNOWN


def _platform_status(status: Any, disposition: Any) -> str:
    disposition = str(disposition or "")
    if str(status) == "Completed" and disposition and disposition not in ("None", "Unknown"):
        return f"Completed · {disposition}"
    return str(status or "unknown")


def _published_version(raw: dict) -> dict:
    versions = [v for v in raw.get("versions") or [] if isinstance(v, dict)]
    published = [v for v in versions if v.get("versionId") == raw.get("publishedVersionId") or v.get("published")]
    return (published or versions[-1:] or [{}])[0]


def app_link(ui_url: str, name: str, workflow_id: str) -> str:
    return f"{ui_url}/gallery/app/{quote(name or 'workflow', safe='')}/{workflow_id}"


def normalize_workflow_v3(raw: dict, connection: str, ui_url: str, names: Names) -> Workflow:
    """A v3 workflow (Full view: versions carry the details); ReducedWorkflow works too."""
    version = _published_version(raw)
    details = version.get("details") if isinstance(version.get("details"), dict) else {}
    number = raw.get("publishedVersionNumber") or version.get("versionNumber")
    name = str(raw.get("name") or details.get("name") or raw.get("id"))
    return Workflow(
        connection=connection, platform="server", id=str(raw["id"]), name=name, kind="workflow",
        owner=names.user(raw.get("ownerId")), description=str(details.get("description") or ""),
        updated_at=parse_time(version.get("uploadDate") or raw.get("dateCreated")),
        link=app_link(ui_url, name, str(raw["id"])), version=str(number) if number else "",
        runnable=not bool(version.get("runDisabled")))


def normalize_workflow_v1(raw: dict, connection: str, ui_url: str) -> Workflow:
    """A subscription workflow; the display name is metaInfo.name."""
    meta = raw.get("metaInfo") if isinstance(raw.get("metaInfo"), dict) else {}
    name = str(meta.get("name") or raw.get("fileName") or raw.get("id"))
    return Workflow(
        connection=connection, platform="server", id=str(raw["id"]), name=name, kind="workflow",
        owner=str(meta.get("author") or "—"), description=str(meta.get("description") or ""),
        updated_at=parse_time(raw.get("uploadDate")), link=app_link(ui_url, name, str(raw["id"])),
        version=str(raw.get("version") or ""), runnable=not bool(raw.get("runDisabled")))


def engine_seconds(messages: list[dict]) -> float | None:
    """How long the engine ran, from its closing "Finished running … in N seconds" line (jobs carry no end time)."""
    for message in reversed(messages):
        match = FINISHED.search(str(message.get("text") or ""))
        if match:
            return float(match.group(1).replace(",", ""))
    return None


def _messages(raw: list[Any]) -> tuple[RunMessage, ...]:
    result = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        code = item.get("status")
        level = MESSAGE_LEVELS.get(code if isinstance(code, int) else -1, "info")
        tool = item.get("toolId")
        source = f"tool {tool}" if isinstance(tool, int) and tool >= 0 else ""
        result.append(RunMessage(level=level, text=str(item.get("text") or ""), source=source))
    return tuple(result)


def _outputs(raw: list[Any]) -> tuple[RunOutput, ...]:
    """Current servers say {id, availableFormats, fileName}; older ones {id, formats, name}."""
    result = []
    for item in raw:
        if isinstance(item, dict) and item.get("id"):
            formats = item.get("availableFormats") or item.get("formats") or []
            result.append(RunOutput(id=str(item["id"]), name=str(item.get("fileName") or item.get("name") or item["id"]),
                                    formats=tuple(str(f) for f in formats)))
    return tuple(result)


def normalize_job(raw: dict, connection: str, ui_url: str, names: Names) -> Run:
    """A full job (v1 `createDate` or v3 `createDateTime`) with messages and outputs.

    Started is the creation time and finished adds the engine's own run time, since the API
    reports no start or end time; queue time is therefore not counted.
    """
    status = run_status(raw.get("status"), raw.get("disposition"))
    created = parse_time(raw.get("createDateTime") or raw.get("createDate"))
    raw_messages = [m for m in raw.get("messages") or [] if isinstance(m, dict)]
    seconds = engine_seconds(raw_messages) if status.is_final else None
    finished = created + timedelta(seconds=seconds) if created and seconds is not None else None
    messages = _messages(raw_messages)
    app_id = str(raw.get("appId") or "")
    target = TargetRef("workflow", app_id, names.workflows.get(app_id, app_id)) if app_id else None
    details = [("Job", str(raw["id"])), ("Priority", str(raw.get("priority") or "—"))]
    if raw.get("workerTag"):
        details.append(("Worker tag", str(raw["workerTag"])))
    history = [StatusChange(RunStatus.QUEUED, created, "Queued")]
    if status.is_final:
        history.append(StatusChange(status, finished, _platform_status(raw.get("status"), raw.get("disposition"))))
    elif status is RunStatus.RUNNING:
        history.append(StatusChange(status, None, "Running"))
    return Run(
        connection=connection, platform="server", id=str(raw["id"]), target=target, status=status,
        platform_status=_platform_status(raw.get("status"), raw.get("disposition")),
        started=created, finished=finished, created=created, triggered_by="—",
        link=f"{ui_url}/gallery/jobs/{raw['id']}" if ui_url else None, history=tuple(history),
        details=tuple(details), errors=tuple(m.text for m in messages if m.level == "error"),
        messages=messages, outputs=_outputs(raw.get("outputs") or []),
        outcome=str(raw.get("disposition") or "") if status.is_final else "")


def normalize_schedule(raw: dict, connection: str, ui_url: str, names: Names, now: datetime) -> Schedule:
    """A v3 schedule (ScheduleView): trigger words and cron from its iteration, in its own time zone."""
    tz = iana_zone(raw.get("timeZone"))
    iteration_raw = raw.get("iteration") if isinstance(raw.get("iteration"), dict) else {}
    iteration = Iteration(iteration_raw, parse_time(iteration_raw.get("startTime")), tz)
    enabled = bool(raw.get("enabled", True))
    next_run = parse_time(raw.get("runDateTime"))
    if next_run is not None and next_run < now - timedelta(minutes=1):
        next_run = None  # a past runDateTime is the last fire time of a finished schedule, not a next run
    last_run = parse_time(raw.get("lastRunTime"))
    last_error = str(raw.get("lastError") or "")
    last_status = (RunStatus.FAILED if last_error else RunStatus.SUCCEEDED) if last_run else None
    workflow_id = str(raw.get("workflowId") or "")
    target = TargetRef("workflow", workflow_id, names.workflows.get(workflow_id, workflow_id)) if workflow_id else None
    state = str(raw.get("state") or "")
    return Schedule(
        connection=connection, platform="server", id=str(raw["id"]), name=str(raw.get("name") or raw["id"]),
        target=target, owner=names.user(raw.get("ownerId")),
        trigger=Trigger(kind="interval" if iteration.kind == "Hourly" else "calendar",
                        text=f"{iteration.describe()} ({tz})", cron=iteration.cron(), timezone=tz),
        timezone=tz, enabled=enabled, next_run=next_run if enabled else None, last_run=last_run,
        last_status=last_status, updated_at=parse_time(raw.get("lastModifiedDate") or raw.get("creationTime")),
        link=f"{ui_url}/gallery/schedules" if ui_url else None,
        disable_reason=state if state and state not in ("Active", "Disabled") else None,
        comment=str(raw.get("comment") or ""), last_error=last_error, owner_id=str(raw.get("ownerId") or ""))
