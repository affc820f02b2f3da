"""Creating tasks with their runs, and spawning a central run's subtasks, for the seed and the API alike.

Checks live in taskops.py; this module only builds. Runs created through the API are `assigned_at` the
emulated server's start (the quirk in the notes: the column default is computed once per process);
seeded runs use the last daily restart (03:00 UTC) before their task, as if the server restarted nightly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sandbox.vantage6.algorithms import ALGORITHMS, decode_input, encode_input
from sandbox.vantage6.engine import Engine
from sandbox.vantage6.plans import plan_run
from sandbox.vantage6.world import Database, Node, Run, Task, World

SUBTASK_NAME = "subtask"


@dataclass(slots=True)
class NewTask:
    """What a task is made of, checked already."""

    name: str
    description: str
    image: str
    collaboration_id: int
    init_org_id: int
    init_user_id: int
    inputs: list[tuple[int, str]]  # (organization id, base64 input)
    databases: list[Database] = field(default_factory=lambda: [Database("default")])
    method: str = ""
    parent_id: int | None = None
    job_id: int | None = None
    session_id: int | None = None


def online_at(node: Node, moment: datetime) -> bool:
    """Whether the node was online at that moment (seeded nodes went offline at `offline_since`)."""
    return node.status == "online" or (node.offline_since is not None and moment < node.offline_since)


def nightly_restart(moment: datetime) -> datetime:
    """The last 03:00 UTC at or before moment."""
    restart = moment.replace(hour=3, minute=0, second=0, microsecond=0)
    return restart if restart <= moment else restart - timedelta(days=1)


def method_of(spec: NewTask) -> str:
    """The task's method: given (v5, subtasks) or read from the first input (v4)."""
    if spec.method or not spec.inputs:
        return spec.method
    payload, _ = decode_input(spec.inputs[0][1])
    return str(payload.get("method") or "") if payload else ""


def add_task(world: World, spec: NewTask, created_at: datetime) -> Task:
    """Create the task and one run per target organisation, each planned from the seed."""
    historic = created_at < world.started_at
    job_id = spec.job_id if spec.job_id is not None else world.new_id("job")
    task = Task(world.new_id("task"), job_id, spec.name, spec.description, spec.image, spec.collaboration_id,
                spec.init_org_id, spec.init_user_id, created_at, list(spec.databases), method_of(spec),
                spec.parent_id, spec.session_id)
    world.tasks[task.id] = task
    encrypted = world.collaborations[spec.collaboration_id].encrypted
    for org_id, text in spec.inputs:
        node = world.node_for(org_id, spec.collaboration_id)
        assert node is not None, "checked by the caller"
        run_id = world.new_id("run")
        plan = plan_run(world.seed, run_id, spec.image, task.method, text, node, encrypted, created_at, historic)
        run = Run(run_id, task.id, org_id, node.id, text, nightly_restart(created_at) if historic else world.started_at,
                  created_at if online_at(node, created_at) else None, plan.pending_s, plan.init_s, plan.active_s,
                  plan.outcome, central=plan.central)
        world.runs[run.id] = run
        task.run_ids.append(run.id)
        if run.central:
            world.unspawned.add(run.id)
    return task


def _subtask_inputs(world: World, run: Run, task: Task) -> list[tuple[int, str]]:
    """One partial input per organisation: those named in kwargs.organizations_to_include, else all."""
    payload, _ = decode_input(run.input)
    kwargs = dict((payload or {}).get("kwargs") or {})
    wanted = kwargs.pop("organizations_to_include", None)
    members = world.collaborations[task.collaboration_id].organization_ids
    orgs = [o for o in wanted if o in members] if isinstance(wanted, list) else list(members)
    partial = ALGORITHMS[task.image].partial
    return [(org, encode_input(partial, [], kwargs)) for org in orgs if world.node_for(org, task.collaboration_id)]


def spawn_due(world: World, until: datetime) -> int:
    """Create the subtasks of every central run that became active by `until` (oldest first); returns how many
    central runs spawned. A run killed before it became active never spawns."""
    engine = Engine(world, until)
    due = []
    for run_id in list(world.unspawned):
        run = world.runs.get(run_id)
        active_at = engine.natural(run).active_at if run else None
        if run is None or (run.killed_at is not None and (active_at is None or run.killed_at <= active_at)):
            world.unspawned.discard(run_id)
        elif active_at is not None and active_at <= until:
            due.append((active_at, run_id))
    for active_at, run_id in sorted(due):
        run = world.runs[run_id]
        parent = world.tasks[run.task_id]
        for org, text in _subtask_inputs(world, run, parent):
            spec = NewTask(SUBTASK_NAME, f"Partial computation of task {parent.id} at organization {org}",
                           parent.image, parent.collaboration_id, run.organization_id, parent.init_user_id,
                           [(org, text)], list(parent.databases), ALGORITHMS[parent.image].partial, parent.id,
                           parent.job_id, parent.session_id)
            run.child_task_ids.append(add_task(world, spec, active_at).id)
        run.spawned = True
        world.unspawned.discard(run_id)
    return len(due)
