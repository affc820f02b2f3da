"""Pure functions turning AAC JSON into Flightdeck records; the AAC status table lives here."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.platforms.aac.triggers import next_fire, trigger_rule
from app.platforms.timestamps import parse_time
from app.platforms.records import (
    Parameter, Run, RunStatus, Schedule, StatusChange, TargetRef, Trigger, Workflow,
)

PLATFORM = "aac"

# AAC job group / plan run status -> Flightdeck status (platforms/aac.md §6-7).
STATUS_MAP: dict[str, RunStatus] = {
    "Created": RunStatus.QUEUED,
    "Pending": RunStatus.QUEUED,
    "InProgress": RunStatus.RUNNING,
    "Complete": RunStatus.SUCCEEDED,
    "Failed": RunStatus.FAILED,
    "Canceled": RunStatus.CANCELED,
}
TASK_KINDS = {"runPlan": "plan", "runFlow": "flow", "runWorkflow": "workflow", "runReport": "report",
              "runAutoInsights": "auto insights", "runLocationIntelligence": "location intelligence"}


@dataclass(frozen=True)
class Lookups:
    """Names the run and schedule JSON only references by id."""

    people: dict[str, str] = field(default_factory=dict)
    recipes: dict[str, tuple[str, str]] = field(default_factory=dict)  # recipe id -> (flow id, flow name)
    workflows: dict[str, str] = field(default_factory=dict)
    plans: dict[str, str] = field(default_factory=dict)


def normalize_status(value: Any) -> RunStatus:
    return STATUS_MAP.get(str(value), RunStatus.UNKNOWN)


# --- schedules -----------------------------------------------------------------------------------
def task_target(task: dict) -> TargetRef | None:
    for key, kind in TASK_KINDS.items():
        if key in task and isinstance(task[key], dict):
            inner = task[key]
            ident = inner.get("id") or inner.get("planId") or inner.get("flowId") or inner.get("workflowId")
            return TargetRef(kind=kind, id=str(ident), name=str(inner.get("name") or f"{kind} {ident}"))
    return None


def normalize_schedule(raw: dict, connection: str, base_url: str, now: datetime,
                       lookups: Lookups | None = None) -> Schedule:
    """One AAC schedule as a Schedule; next run computed from its triggers (the API has none)."""
    triggers = [t for t in raw.get("triggers") or [] if isinstance(t, dict)]
    first = triggers[0] if triggers else {}
    cron, words, kind, tz = trigger_rule(first) if first else (None, "no trigger", "manual", "UTC")
    enabled = bool(raw.get("enabled"))
    upcoming = [t for t in (next_fire(t, now) for t in triggers) if t is not None] if enabled else []
    explicit_next = parse_time(first.get("nextExecutionTime")) if first else None
    executed = [t for t in (parse_time(t.get("lastExecutionTime")) for t in triggers) if t is not None]
    tasks = [t for t in raw.get("tasks") or [] if isinstance(t, dict)]
    creator = raw.get("creator") if isinstance(raw.get("creator"), dict) else {}
    owner = creator.get("name") or creator.get("email") or (lookups.people.get(str(raw.get("createdBy")))
                                                            if lookups else None) or f"person {raw.get('createdBy')}"
    text = f"{words} ({tz})" if kind in ("cron", "interval") else words
    return Schedule(
        connection=connection,
        platform=PLATFORM,
        id=str(raw["id"]),
        name=str(raw.get("name") or f"schedule {raw['id']}"),
        target=task_target(tasks[0]) if tasks else None,
        owner=str(owner),
        trigger=Trigger(kind=kind, text=text, cron=cron, timezone=tz),
        timezone=tz,
        enabled=enabled,
        next_run=explicit_next or (min(upcoming) if upcoming else None),
        last_run=max(executed) if executed else None,
        last_status=None,
        updated_at=parse_time(raw.get("updatedAt")),
        link=f"{base_url}/scheduling",
        disable_reason=raw.get("disableReason") or None,
        owner_id=str(creator.get("id") or raw.get("createdBy") or ""),
    )


# --- runs ----------------------------------------------------------------------------------------
def job_group_target(raw: dict, lookups: Lookups) -> TargetRef | None:
    workflow = raw.get("workflow") if isinstance(raw.get("workflow"), dict) else None
    if workflow and workflow.get("id"):
        wid = str(workflow["id"])
        return TargetRef("workflow", wid, lookups.workflows.get(wid) or raw.get("name") or f"workflow {wid}")
    recipe = raw.get("wrangledDataset") if isinstance(raw.get("wrangledDataset"), dict) else None
    if recipe and recipe.get("id") is not None:
        flow_id, flow_name = lookups.recipes.get(str(recipe["id"]), ("", ""))
        if flow_id:
            return TargetRef("flow", flow_id, flow_name)
        return TargetRef("recipe", str(recipe["id"]), raw.get("name") or f"recipe {recipe['id']}")
    if raw.get("name"):
        return TargetRef("job", str(raw["id"]), str(raw["name"]))
    return None


def normalize_job_group(raw: dict, connection: str, base_url: str, lookups: Lookups,
                        jobs: list[dict] | None = None) -> Run:
    """A job group as a Run; AAC has no finishedAt, so a final group's updatedAt is its end."""
    status = normalize_status(raw.get("status"))
    created = parse_time(raw.get("createdAt"))
    updated = parse_time(raw.get("updatedAt"))
    job_list = jobs or []
    job_starts = [t for t in (parse_time(j.get("createdAt")) for j in job_list) if t]
    started = None if status == RunStatus.QUEUED else (min(job_starts) if job_starts else created)
    finished = updated if status.is_final else None
    creator = raw.get("creator") if isinstance(raw.get("creator"), dict) else {}
    who = lookups.people.get(str(creator.get("id")), f"person {creator.get('id')}") if creator else "unknown"
    ranfrom = str(raw.get("ranfrom") or "")
    history = [StatusChange(RunStatus.QUEUED, created, "Created")]
    if started and status != RunStatus.QUEUED:
        history.append(StatusChange(RunStatus.RUNNING, started, "InProgress"))
    if status.is_final or status == RunStatus.UNKNOWN:
        history.append(StatusChange(status, finished, str(raw.get("status"))))
    errors = tuple(str(j["errorMessage"]) for j in job_list if j.get("errorMessage"))
    details = [("Job group", str(raw["id"])), ("Ran from", ranfrom or "—"), ("Ran for", str(raw.get("ranfor") or "—"))]
    details += [(f"Job {j.get('id')} ({j.get('jobType', 'job')})",
                 f"{j.get('status', '?')}, {j.get('percentComplete', 0)}% complete") for j in job_list]
    return Run(
        connection=connection,
        platform=PLATFORM,
        id=str(raw["id"]),
        target=job_group_target(raw, lookups),
        status=status,
        platform_status=str(raw.get("status")),
        started=started,
        finished=finished,
        triggered_by=f"{who} via {ranfrom}" if ranfrom else who,
        schedule_id=None,
        link=f"{base_url}/jobs/{raw['id']}",
        created=created,
        history=tuple(history),
        details=tuple(details),
        errors=errors,
    )


def normalize_plan_run(raw: dict, connection: str, base_url: str, lookups: Lookups) -> Run:
    """A plan snapshot run as a Run; its id is prefixed `plan-` to keep it apart from job groups."""
    status = normalize_status(raw.get("status"))
    plan = raw.get("plan") if isinstance(raw.get("plan"), dict) else {}
    plan_id = str(plan.get("id", ""))
    name = plan.get("name") or lookups.plans.get(plan_id) or f"plan {plan_id}"
    created = parse_time(raw.get("createdAt"))
    started = parse_time(raw.get("startedAt"))
    finished = parse_time(raw.get("finishedAt"))
    history = [StatusChange(RunStatus.QUEUED, created, "Created")]
    if started:
        history.append(StatusChange(RunStatus.RUNNING, started, "InProgress"))
    if status.is_final:
        history.append(StatusChange(status, finished, str(raw.get("status"))))
    return Run(
        connection=connection, platform=PLATFORM, id=f"plan-{raw['id']}",
        target=TargetRef("plan", plan_id, str(name)), status=status, platform_status=str(raw.get("status")),
        started=started, finished=finished, triggered_by="schedule" if raw.get("scheduleHistoryId") else "api",
        schedule_id=None, link=f"{base_url}/plans/{plan_id}", created=created, history=tuple(history),
        details=(("Plan run", str(raw["id"])), ("Submitted", str(raw.get("submittedAt") or "—"))),
        errors=("Some jobs could not be canceled",) if raw.get("failedToCancelSomeJobs") else (),
    )


# --- runnable things -----------------------------------------------------------------------------
def normalize_parameter(raw: dict) -> Parameter:
    data_type = str(raw.get("dataType") or "string")
    return Parameter(name=str(raw.get("key")), data_type=data_type if data_type in ("string", "number", "date")
                     else "string", default=str(raw.get("value") or ""), label=str(raw.get("key")))


def _owner(raw: dict, lookups: Lookups) -> str:
    creator = raw.get("creator")
    ident = creator.get("id") if isinstance(creator, dict) else raw.get("createdBy")
    return lookups.people.get(str(ident), f"person {ident}") if ident is not None else "unknown"


def normalize_plan(raw: dict, connection: str, base_url: str, lookups: Lookups) -> Workflow:
    return Workflow(connection, PLATFORM, str(raw["id"]), str(raw.get("name")), "plan", _owner(raw, lookups),
                    description=str(raw.get("description") or ""), updated_at=parse_time(raw.get("updatedAt")),
                    link=f"{base_url}/plans/{raw['id']}")


def normalize_flow(raw: dict, connection: str, base_url: str, lookups: Lookups,
                   parameters: list[dict] | None = None) -> Workflow:
    return Workflow(connection, PLATFORM, str(raw["id"]), str(raw.get("name")), "flow", _owner(raw, lookups),
                    parameters=tuple(normalize_parameter(p) for p in parameters or []),
                    description=str(raw.get("description") or ""), updated_at=parse_time(raw.get("updatedAt")),
                    link=f"{base_url}/flows/{raw['id']}")


def normalize_workflow(raw: dict, connection: str, base_url: str, lookups: Lookups) -> Workflow:
    return Workflow(connection, PLATFORM, str(raw["id"]), str(raw.get("name")), "workflow", _owner(raw, lookups),
                    description=str(raw.get("description") or ""), updated_at=parse_time(raw.get("updatedAt")),
                    link=f"{base_url}/designer/{raw['id']}")


def build_lookups(people: list[dict], recipes: list[dict], workflows: list[dict], plans: list[dict]) -> Lookups:
    def recipe_flow(recipe: dict) -> tuple[str, str]:
        flow = recipe.get("flow") if isinstance(recipe.get("flow"), dict) else {}
        return str(flow.get("id", "")), str(flow.get("name") or recipe.get("name") or "")
    return Lookups(
        people={str(p["id"]): str(p.get("name") or p.get("email")) for p in people if "id" in p},
        recipes={str(r["id"]): recipe_flow(r) for r in recipes if "id" in r},
        workflows={str(w["id"]): str(w.get("name")) for w in workflows if "id" in w},
        plans={str(p["id"]): str(p.get("name")) for p in plans if "id" in p},
    )
