"""Turns world objects into AAC's JSON shapes; run statuses are read from the clock at serialisation time."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sandbox.aac.world import (TERMINAL, FlowRun, JobGroup, Lifecycle, Person, Plan, PlanRun, Schedule, Trigger,
                               World, aggregate_status)
from sandbox.common.clock import to_iso

JOB_TYPES = ("wrangle", "filewriter")


def iso(moment: datetime | None) -> str | None:
    """AAC's timestamp form, passing None through."""
    return to_iso(moment) if moment is not None else None


def person(p: Person) -> dict[str, Any]:
    """A Person as /v4/people answers."""
    return {"id": p.id, "email": p.email, "name": p.name, "state": "active", "isDisabled": False,
            "lastLoginTime": iso(p.last_login), "lastStateChange": iso(p.created_at),
            "outputHomeDir": f"/uploads/{p.id}/jobrun", "uploadDir": f"/uploads/{p.id}",
            "maximalPrivileges": [{"resourceType": "workspace", "role": "admin" if p.is_admin else "member"}],
            "createdAt": iso(p.created_at), "updatedAt": iso(p.last_login)}


def creator(p: Person) -> dict[str, Any]:
    """The embedded creator object of schedules and tasks."""
    return {"id": p.id, "email": p.email, "name": p.name, "isDisabled": False, "state": "active",
            "createdAt": iso(p.created_at), "updatedAt": iso(p.last_login)}


def workspace(world: World) -> dict[str, Any]:
    """/v4/workspaces/current."""
    ws = world.workspace
    return {"id": ws.id, "name": ws.name, "tier": "enterprise", "state": "active", "custom_url": ws.name.lower(),
            "max_user_number": 50, "userCount": len(world.people), "gid": ws.gid,
            "createdAt": iso(ws.created_at), "updatedAt": iso(ws.created_at)}


def _trigger(t: Trigger, last: datetime | None) -> dict[str, Any]:
    if t.kind == "fileWatcher":
        return {"id": t.id, "fileWatcher": dict(t.spec)}
    body: dict[str, Any] = {"id": t.id, "timeBased": {t.kind: dict(t.spec), "timezone": t.timezone}}
    if last is not None:
        # Real executions land a moment after the tick; a fixed per-trigger jitter keeps it deterministic.
        body["lastExecutionTime"] = iso(last + timedelta(milliseconds=100 + (t.id * 7919) % 2900))
    return body


def _task(world: World, task_type: str, asset_id: Any) -> dict[str, Any]:
    if task_type == "runPlan":
        plan = world.plans[asset_id]
        return {"planId": plan.id, "id": plan.id, "name": plan.name, "description": plan.description,
                "deleted_at": None, "workspaceId": world.workspace.id, "createdAt": iso(plan.created_at),
                "updatedAt": iso(plan.updated_at), "createdBy": plan.creator_id,
                "creator": creator(world.people[plan.creator_id]), "updatedBy": plan.creator_id}
    if task_type == "runFlow":
        flow = world.flows[asset_id]
        return {"flowId": flow.id, "id": flow.id, "name": flow.name, "description": flow.description,
                "deleted_at": None, "cpProject": None, "workspaceId": world.workspace.id, "folderId": flow.folder_id,
                "createdAt": iso(flow.created_at), "updatedAt": iso(flow.updated_at), "createdBy": flow.creator_id,
                "creator": creator(world.people[flow.creator_id]), "updatedBy": flow.creator_id}
    wf = world.workflows[asset_id]
    return {"workflowId": wf.id, "type": wf.type.upper(), "id": wf.id, "name": wf.name, "description": wf.description,
            "workflowType": wf.type.upper(), "workspaceId": world.workspace.id, "createdAt": iso(wf.created_at),
            "updatedAt": iso(wf.updated_at), "createdBy": wf.creator_id}


def schedule(world: World, s: Schedule, last_fires: list[datetime | None]) -> dict[str, Any]:
    """ScheduleResponseWithTask: triggers (with lastExecutionTime when fired) and the task with its asset."""
    return {"id": s.id, "name": s.name, "enabled": s.enabled, "disableReason": s.disable_reason,
            "triggers": [_trigger(t, last) for t, last in zip(s.triggers, last_fires)],
            "tasks": [{s.task_type: _task(world, s.task_type, s.asset_id)}],
            "createdAt": iso(s.created_at), "updatedAt": iso(s.updated_at), "createdBy": s.creator_id,
            "updatedBy": s.updater_id, "creator": creator(world.people[s.creator_id])}


def plan(world: World, p: Plan, now: datetime, full: bool = False) -> dict[str, Any]:
    """A Plan; full adds its nodes (one flow task each, run in order) and the creator's details."""
    latest = world.plan_runs[p.run_ids[-1]] if p.run_ids else None
    body: dict[str, Any] = {
        "id": p.id, "name": p.name, "description": p.description, "createdAt": iso(p.created_at),
        "updatedAt": iso(p.updated_at), "creator": {"id": p.creator_id}, "updater": {"id": p.creator_id},
        "workspace": {"id": world.workspace.id}, "snapshotted": False, "originalPlanId": None,
        "planSnapshotRunCount": len(p.run_ids), "notificationsEnabled": False,
        "latestPlanSnapshot": {"id": p.id * 1000 + len(p.run_ids)} if latest else None,
        "latestPlanSnapshotRun": {"id": latest.id, "status": latest.status_at(now)} if latest else None}
    if full:
        body["creator"] = creator(world.people[p.creator_id])
        body["planNodes"] = {"data": [
            {"id": p.id * 100 + index, "name": world.flows[fid].name, "taskType": "flow",
             "task": {"flow": {"id": fid, "name": world.flows[fid].name}}, "order": index}
            for index, fid in enumerate(p.flow_ids)]}
    return body


def flow(world: World, f: Any) -> dict[str, Any]:
    """A Flow as /v4/flows answers."""
    return {"id": f.id, "name": f.name, "description": f.description, "folder": {"id": f.folder_id},
            "defaultOutputDir": f"/outputs/flows/{f.id}", "settings": {}, "workspace": {"id": world.workspace.id},
            "flowState": None, "creator": {"id": f.creator_id}, "updater": {"id": f.creator_id},
            "createdAt": iso(f.created_at), "updatedAt": iso(f.updated_at)}


def recipe(world: World, r: Any, embed_flow: bool = False) -> dict[str, Any]:
    """A wrangled dataset (recipe) with its flow; embed=flow expands the flow."""
    owner = world.flows[r.flow_id]
    return {"id": r.id, "name": r.name, "wrangled": True, "recipe": {"id": r.id * 10},
            "flow": flow(world, owner) if embed_flow else {"id": owner.id, "name": owner.name},
            "createdAt": iso(r.created_at), "updatedAt": iso(r.updated_at)}


def workflow(world: World, w: Any) -> dict[str, Any]:
    """A Designer Cloud workflow."""
    return {"id": w.id, "name": w.name, "description": w.description, "type": w.type,
            "workspaceId": world.workspace.id, "createdBy": w.creator_id,
            "createdAt": iso(w.created_at), "updatedAt": iso(w.updated_at)}


def _job_lifecycles(g: JobGroup) -> list[Lifecycle]:
    """A wrangle job then a file writer; when the wrangle fails the writer never starts and ends Canceled."""
    split = g.started_at + (g.finished_at - g.started_at) * 0.8
    failed = g.outcome == "Failed"
    if failed and g.failing_job == 0:
        return [Lifecycle(g.created_at, g.started_at, g.finished_at, "Failed", g.canceled_at),
                Lifecycle(g.created_at, g.finished_at, g.finished_at, "Canceled", g.canceled_at)]
    return [Lifecycle(g.created_at, g.started_at, split, "Complete", g.canceled_at),
            Lifecycle(g.created_at, split, g.finished_at, "Failed" if failed else "Complete", g.canceled_at)]


def jobs(g: JobGroup, now: datetime) -> list[dict[str, Any]]:
    """The jobs of a job group with progress and heartbeat as of now."""
    rows = []
    for index, life in enumerate(_job_lifecycles(g)):
        status = life.status_at(now)
        span = (life.finished_at - life.started_at).total_seconds() or 1.0
        upto = min(now, life.ended_at())
        progress = 0 if status == "Created" else 100 if status == "Complete" else \
            max(0, min(99, int(100 * (upto - life.started_at).total_seconds() / span)))
        heartbeat = None if status == "Created" else (now if status == "InProgress" else life.ended_at())
        rows.append({"id": g.id * 10 + index, "status": status, "jobType": JOB_TYPES[index],
                     "percentComplete": progress, "sampleSize": 100,
                     "errorMessage": g.error_message if status == "Failed" else None,
                     "lastHeartbeatAt": iso(heartbeat), "jobGroup": {"id": g.id},
                     "createdAt": iso(life.created_at), "updatedAt": iso(life.updated_at(now)),
                     "creator": {"id": g.creator_id}})
    return rows


def job_group(world: World, g: JobGroup, now: datetime, embed: set[str] = frozenset()) -> dict[str, Any]:
    """A JobGroup with the emulator's extras (workflow, planSnapshotRun); embed expands jobs or the recipe."""
    body: dict[str, Any] = {
        "id": g.id, "name": g.name, "description": None, "status": g.status_at(now), "ranfrom": g.ranfrom,
        "ranfor": g.ranfor, "profilingEnabled": False, "runParameterReferenceDate": iso(g.created_at),
        "wrangledDataset": {"id": g.recipe_id} if g.recipe_id is not None else None,
        "flowrun": {"id": g.flow_run_id} if g.flow_run_id is not None else None,
        "workflow": {"id": g.workflow_id} if g.workflow_id is not None else None,
        "planSnapshotRun": {"id": g.plan_run_id} if g.plan_run_id is not None else None,
        "createdAt": iso(g.created_at), "updatedAt": iso(g.updated_at(now)),
        "creator": {"id": g.creator_id}, "updater": {"id": g.creator_id}}
    if "jobs" in embed:
        body["jobs"] = {"data": jobs(g, now)}
    if "wrangledDataset" in embed and g.recipe_id is not None:
        body["wrangledDataset"] = recipe(world, world.recipes[g.recipe_id])
    return body


def plan_run(world: World, run: PlanRun, now: datetime, embed: set[str] = frozenset()) -> dict[str, Any]:
    """A planSnapshotRun: startedAt once running, finishedAt once terminal."""
    status = run.status_at(now)
    siblings = world.plans[run.plan_id].run_ids
    position = siblings.index(run.id)
    body: dict[str, Any] = {
        "id": run.id, "status": status, "createdAt": iso(run.created_at), "updatedAt": iso(run.updated_at(now)),
        "submittedAt": iso(run.created_at + timedelta(milliseconds=400)),
        "startedAt": iso(run.started_at) if status != "Created" and now >= run.started_at else None,
        "finishedAt": iso(run.ended_at()) if status in TERMINAL else None,
        "scheduleHistoryId": run.schedule_history_id, "failedToCancelSomeJobs": False,
        "plan": {"id": run.plan_id},
        "previousRun": {"id": siblings[position - 1]} if position > 0 else None,
        "nextRun": {"id": siblings[position + 1]} if position + 1 < len(siblings) else None}
    if "plan" in embed:
        body["plan"] = plan(world, world.plans[run.plan_id], now)
    return body


def flow_run(world: World, run: FlowRun, now: datetime) -> dict[str, Any]:
    """A flowRun; its status lives at /status."""
    updated = max((world.job_groups[i].updated_at(now) for i in run.job_group_ids), default=run.created_at)
    return {"id": run.id, "createdAt": iso(run.created_at), "updatedAt": iso(updated),
            "scheduleExecutionId": run.schedule_execution_id, "requestId": run.request_id, "flow": {"id": run.flow_id}}


def flow_run_status(world: World, run: FlowRun, now: datetime) -> str:
    """Aggregate of the run's job groups."""
    return aggregate_status([world.job_groups[i].status_at(now) for i in run.job_group_ids])
