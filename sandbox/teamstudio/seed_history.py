"""Seeded run history: each job's last run, yesterday's forest sweep, a stopped run and ad-hoc runs.

Every workflow task of a job that has run gets the process of that run (task.last_process_id); the sweep
runs "Random Forest Parameter Search" with @n_trees 5, 10, 25, 50, 75 one after another, so its results
can be fetched without running anything.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sandbox.common.ids import seeded_uuid4
from sandbox.teamstudio.engine import make_process, over_at, stop
from sandbox.teamstudio.flows import RANDOM_FOREST
from sandbox.teamstudio.world import Process, Workfile, World

SWEEP = (5, 10, 25, 50, 75)
STOPPED_FLOW = "Demand Forecast"


def _defaults(workfile: Workfile) -> dict[str, str]:
    return {v.name: v.default for v in workfile.variables}


def _add(world: World, rng: random.Random, workfile: Workfile, user_id: int, values: dict[str, str],
         at: datetime, job_id: int | None = None) -> Process:
    process = make_process(world.seed, seeded_uuid4(rng), workfile, user_id, values, at, job_id=job_id)
    world.processes[process.id] = process
    return process


def _job_runs(world: World, rng: random.Random) -> None:
    for job in world.jobs.values():
        if job.last_run is None:
            continue
        for task in job.tasks:
            workfile = world.workfiles.get(task.workfile_id)
            if task.action == "run_work_flow" and workfile is not None:
                task.last_process_id = _add(world, rng, workfile, job.owner_id, _defaults(workfile),
                                            job.last_run, job.id).id


def build_history(world: World, rng: random.Random, now: datetime) -> None:
    """Processes for the jobs' last runs, the sweep, one stopped run, and an ad-hoc run of every seeded flow."""
    _job_runs(world, rng)
    flows = {w.file_name: w for w in world.workfiles.values() if w.file_type == "work_flow"}
    forest, service = flows[RANDOM_FOREST], world.service_user_id
    start = (now - timedelta(days=1)).replace(microsecond=0)
    for trees in SWEEP:
        process = _add(world, rng, forest, service, {**_defaults(forest), "@n_trees": str(trees)}, start)
        start = over_at(process) + timedelta(seconds=60)
    stopped = _add(world, rng, flows[STOPPED_FLOW], service, _defaults(flows[STOPPED_FLOW]),
                   (now - timedelta(days=2)).replace(microsecond=0))
    stop(stopped, stopped.started_at + timedelta(seconds=45), service)
    for index, workfile in enumerate(list(flows.values())[:12]):
        space = world.workspaces[workfile.workspace_id]
        at = (now - timedelta(days=3 + index * 0.7, hours=rng.uniform(0, 5))).replace(microsecond=0)
        _add(world, rng, workfile, space.members[index % len(space.members)].user_id, _defaults(workfile), at)
