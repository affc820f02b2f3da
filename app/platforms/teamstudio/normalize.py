"""Team Studio objects (workfiles, jobs, flow results) as the common records.

Statuses: a running process's `meta.state` (IN_PROGRESS, NODE_STARTED, STARTED, NODE_FINISHED) is
running; once over, the results' `flowMetaInfo.status` says SUCCESS, FAILURE or STOPPED.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from app.platforms.records import Parameter, Run, RunMessage, RunStatus, Schedule, TargetRef, Trigger, Workflow
from app.platforms.timestamps import parse_time

PLATFORM = "teamstudio"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
RUNNING_STATES = frozenset({"IN_PROGRESS", "NODE_STARTED", "STARTED", "NODE_FINISHED"})
FINAL_STATUSES = {"SUCCESS": RunStatus.SUCCEEDED, "FAILURE": RunStatus.FAILED, "FAILED": RunStatus.FAILED,
                  "STOPPED": RunStatus.CANCELED}
INTERVAL_UNITS = {"months": "month", "weeks": "week", "days": "day", "hours": "hour"}
LOG_LEVELS = {"ERROR": "error", "FATAL": "error", "WARN": "warning", "WARNING": "warning"}


def person(user: Any) -> str:
    """A user object as a name: first and last name, else the username."""
    if not isinstance(user, dict):
        return "—"
    name = f"{user.get('first_name') or ''} {user.get('last_name') or ''}".strip()
    return name or str(user.get("username") or f"user {user.get('id')}")


def workfile_link(ui: str, raw: dict) -> str:
    workspace = raw.get("workspace") if isinstance(raw.get("workspace"), dict) else {}
    return f"{ui}/#/workspaces/{workspace.get('id')}/workfiles/{raw.get('id')}"


def variables_of(raw: dict) -> tuple[Parameter, ...]:
    """The workflow's variables with their default values (`workflow_variables`, see CONNECTORS.md)."""
    found = raw.get("workflow_variables")
    if not isinstance(found, list):
        return ()
    return tuple(Parameter(name=str(v["name"]), default=str(v.get("value") or ""), required=False,
                           description="workflow variable")
                 for v in found if isinstance(v, dict) and str(v.get("name", "")).startswith("@"))


def normalize_workflow(raw: dict, connection: str, ui: str) -> Workflow:
    """A workfile; only `work_flow` workfiles run on the engine."""
    is_workflow = raw.get("file_type") == "work_flow"
    return Workflow(
        connection=connection, platform=PLATFORM, id=str(raw["id"]), name=str(raw.get("file_name") or raw["id"]),
        kind="workflow" if is_workflow else str(raw.get("file_type") or "workfile"), owner=person(raw.get("owner")),
        parameters=variables_of(raw), description=str(raw.get("description") or ""),
        updated_at=parse_time(raw.get("user_modified_at")), link=workfile_link(ui, raw),
        version=str((raw.get("version_info") or {}).get("version_num") or ""), runnable=is_workflow)


def interval_words(unit: Any, value: Any) -> str:
    """'every 2 weeks', 'every day', 'on demand'."""
    noun = INTERVAL_UNITS.get(str(unit))
    if noun is None:
        return "on demand"
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = 1
    return f"every {noun}" if count == 1 else f"every {count} {noun}s"


def normalize_job(raw: dict, connection: str, ui: str) -> Schedule:
    """A job as a Schedule: its first workflow task is the target; on_demand jobs are manual."""
    tasks = [t for t in raw.get("tasks") or [] if isinstance(t, dict)]
    first = next((t for t in tasks if isinstance(t.get("workfile"), dict)), None)
    target = None
    if first is not None:
        workfile = first["workfile"]
        target = TargetRef(kind="workflow" if workfile.get("file_type") == "work_flow" else "workfile",
                           id=str(workfile.get("id")), name=str(workfile.get("file_name") or workfile.get("id")))
    unit = str(raw.get("interval_unit") or "on_demand")
    zone = str(raw.get("time_zone") or "UTC")
    words = interval_words(unit, raw.get("interval_value"))
    manual = unit not in INTERVAL_UNITS
    enabled = bool(raw.get("enabled", True))
    workspace = raw.get("workspace") if isinstance(raw.get("workspace"), dict) else {}
    last_status = None
    if raw.get("last_run"):
        last_status = RunStatus.FAILED if raw.get("last_run_failed") else (
            RunStatus.RUNNING if raw.get("status") == "running" else RunStatus.SUCCEEDED)
    return Schedule(
        connection=connection, platform=PLATFORM, id=str(raw["id"]), name=str(raw.get("name") or raw["id"]),
        target=target, owner=person(raw.get("owner")),
        trigger=Trigger(kind="manual" if manual else "interval", text=words if manual else f"{words} ({zone})",
                        timezone=zone),
        timezone=zone, enabled=enabled, next_run=parse_time(raw.get("next_run")) if enabled else None,
        last_run=parse_time(raw.get("last_run")), last_status=last_status, updated_at=parse_time(raw.get("created_at")),
        link=f"{ui}/#/workspaces/{workspace.get('id')}/jobs/{raw['id']}", comment=str(raw.get("description") or ""),
        owner_id=str(raw["owner"].get("id") or "") if isinstance(raw.get("owner"), dict) else "")


def running_run(run_id: str, target: TargetRef, meta: dict, connection: str, triggered_by: str,
                started: datetime | None = None) -> Run:
    """A process the engine still reports on (its query answers JSON); the engine gives its start only in the
    results, so `started` is when Flightdeck started it, where it did."""
    state = str(meta.get("state") or "")
    return Run(connection=connection, platform=PLATFORM, id=run_id, target=target,
               status=RunStatus.RUNNING if state in RUNNING_STATES else RunStatus.UNKNOWN,
               platform_status=state or "unknown", started=started, finished=None, created=started,
               triggered_by=triggered_by or "—")


def normalize_results(results: dict, run_id: str, connection: str, ui: str, triggered_by: str = "") -> Run:
    """A finished process from its results: status, times, who ran it, the log and the failing operator."""
    meta = results.get("flowMetaInfo") if isinstance(results.get("flowMetaInfo"), dict) else {}
    status = str(meta.get("status") or "")
    started, finished = parse_time(meta.get("startTime")), parse_time(meta.get("endTime"))
    logs = [entry for entry in results.get("logs") or [] if isinstance(entry, dict)]
    messages = tuple(RunMessage(level=LOG_LEVELS.get(str(e.get("level", "")).upper(), "info"),
                                text=str(e.get("message") or ""), source=str(e.get("nodeName") or ""))
                     for e in logs)
    errors = tuple(f"{m.source}: {m.text}" if m.source else m.text for m in messages if m.level == "error")
    workflow_id = str(meta.get("workflowId") or "")
    details = (("Operators processed", str(meta.get("noOfNodesProcessed", "—"))),
               ("Errors", str(meta.get("noOfError", "—"))))
    return Run(
        connection=connection, platform=PLATFORM, id=run_id,
        target=TargetRef("workflow", workflow_id, str(meta.get("workflowName") or workflow_id)),
        status=FINAL_STATUSES.get(status, RunStatus.UNKNOWN), platform_status=status or "unknown",
        started=started, finished=finished, triggered_by=triggered_by or f"user {meta.get('executeUser', '—')}",
        created=started, details=details, errors=errors, messages=messages,
        link=f"{ui}/#/workfiles/{workflow_id}" if workflow_id else None)
