"""Seeded jobs: every interval unit, several time zones, tasks of all three actions, a retired and a disabled job.

next_run is the series' first fire after the seed time; last_run the fire before it (run history for it
comes from seed_history.py). Large worlds add generated jobs spread over every workspace.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sandbox.teamstudio.flows import FAILING, RANDOM_FOREST
from sandbox.teamstudio.schedules import next_after, shift, zone
from sandbox.teamstudio.world import INTERVAL_UNITS, Job, Task, Workfile, World

ZONES = ("America/Los_Angeles", "UTC", "Europe/Berlin", "Asia/Tokyo", "America/New_York", "Australia/Sydney")
NOTIFY = ("nobody", "everybody", "selected")
RETIRED = "Daily ETL (retired)"
DISABLED = "Quarterly Attribution"
# (workspace index, name, interval unit, interval value, time zone, local hour, tasks as (action, workfile name))
JOBS = (
    (0, "Nightly Forest Sweep", "days", 1, "America/Los_Angeles", 2, (("run_work_flow", RANDOM_FOREST),)),
    (0, "Hourly ETL", "hours", 1, "UTC", 0,
     (("run_work_flow", "Data ETL"), ("run_sql_workfile", "daily_rollup.sql"))),
    (0, "Ad hoc retrain", "on_demand", 0, "UTC", 0,
     (("run_work_flow", RANDOM_FOREST), ("notebook", "Exploration.ipynb"))),
    (0, RETIRED, "days", 1, "UTC", 5, (("run_work_flow", "Data ETL"),)),
    (1, "Weekly Churn Scoring", "weeks", 1, "Europe/Berlin", 6, (("run_work_flow", "Churn Scoring"),)),
    (1, "Nightly Fraud Features", "days", 1, "America/New_York", 1, (("run_work_flow", FAILING),)),
    (1, "Monthly Risk Report", "months", 1, "Europe/Berlin", 7, (("run_sql_workfile", "daily_rollup.sql"),)),
    (2, DISABLED, "months", 3, "UTC", 4, (("run_work_flow", "Campaign Attribution"),)),
    (3, "Fortnightly Demand Forecast", "weeks", 2, "Asia/Tokyo", 9, (("run_work_flow", "Demand Forecast"),)),
    (3, "Forecast on demand", "on_demand", 0, "Asia/Tokyo", 0,
     (("run_work_flow", "Demand Forecast"), ("run_sql_workfile", "daily_rollup.sql"))),
    (4, "Smoke test every 6 hours", "hours", 6, "Australia/Sydney", 0, (("run_work_flow", "Sandbox Smoke Test"),)),
    (4, "Empty job", "on_demand", 0, "UTC", 0, ()),
)


def first_fire(unit: str, value: int, time_zone: str, hour: int, now: datetime) -> datetime:
    """The first fire after now of a series firing at `hour` local time (hourly series: on the hour)."""
    local = now.astimezone(zone(time_zone))
    base = local.replace(minute=0, second=0, microsecond=0)
    if unit != "hours":
        base = base.replace(hour=hour)
    return next_after(shift(base, unit, -2 * value, time_zone), unit, value, time_zone, now)


def _add_job(world: World, rng: random.Random, space_id: int, spec: tuple, files: dict[str, int],
             now: datetime) -> Job:
    """One job from (_, name, unit, value, zone, hour, tasks); files maps the workspace's file names to ids."""
    _, name, unit, value, time_zone, hour, tasks = spec
    space = world.workspaces[space_id]
    job = Job(world.new_id("jobs"), space_id, space.owner_id, name, f"{name} ({unit}).", unit, value, None,
              time_zone, (now - timedelta(days=rng.uniform(100, 400))).replace(microsecond=0),
              success_notify=rng.choice(NOTIFY), failure_notify=rng.choice(NOTIFY[:2]))
    job.tasks = [Task(world.new_id("tasks"), job.id, action, files[file_name]) for action, file_name in tasks]
    if unit == "on_demand":
        job.last_run = (now - timedelta(days=rng.uniform(1, 20))).replace(microsecond=0) if tasks else None
    elif name == RETIRED:
        job.end_run = (now - timedelta(days=3)).astimezone(zone(time_zone)).date()
        job.last_run = first_fire(unit, value, time_zone, hour, now - timedelta(days=4))
    else:
        job.next_run = first_fire(unit, value, time_zone, hour, now)
        job.last_run = shift(job.next_run, unit, -value, time_zone)
    job.enabled = name != DISABLED and space.archived_at is None
    world.jobs[job.id] = job
    return job


def _generated(world: World, rng: random.Random, index: int, by_space: dict[int, list[Workfile]],
               now: datetime) -> None:
    """One job of a large world: a workspace in turn, a unit in turn, one or two of its workfiles as tasks."""
    space_id = list(world.workspaces)[index % len(world.workspaces)]
    flows = [w for w in by_space[space_id] if w.file_type == "work_flow"]
    sql = [w for w in by_space[space_id] if w.file_type == "sql"]
    unit = INTERVAL_UNITS[index % len(INTERVAL_UNITS)]
    tasks = [("run_work_flow", rng.choice(flows).file_name)] if flows else []
    if sql and index % 3 == 0:
        tasks.append(("run_sql_workfile", sql[0].file_name))
    value = 0 if unit == "on_demand" else rng.randint(1, 3)
    _add_job(world, rng, space_id, (0, f"Job {index:04d} {unit}", unit, value, rng.choice(ZONES),
                                    rng.randint(0, 23), tuple(tasks)),
             {w.file_name: w.id for w in by_space[space_id]}, now)


def build_jobs(world: World, rng: random.Random, total: int, now: datetime) -> None:
    """The named jobs, then generated ones up to `total` (large worlds)."""
    by_space: dict[int, list[Workfile]] = {space_id: [] for space_id in world.workspaces}
    for workfile in world.workfiles.values():
        by_space[workfile.workspace_id].append(workfile)
    spaces = list(world.workspaces)
    for spec in JOBS:
        _add_job(world, rng, spaces[spec[0]], spec, {w.file_name: w.id for w in by_space[spaces[spec[0]]]}, now)
    for index in range(len(JOBS), total):
        _generated(world, rng, index, by_space, now)
