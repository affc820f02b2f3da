"""Seeds 30 days of run history (plan runs, flow runs, single recipe and workflow runs) plus a few live runs."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sandbox.aac.factory import Fate, add_flow_run, add_job_group, add_plan_run, historic_fate
from sandbox.aac.world import World

HISTORY_DAYS = 30
KINDS = ("plan", "flow", "recipe", "workflow")
KIND_WEIGHTS = (0.2, 0.35, 0.25, 0.2)
# (seconds ago, start delay, duration): two runs still going, one still queued.
LIVE_RUNS = ((420.0, 6.0, 1500.0), (150.0, 4.0, 900.0), (20.0, 120.0, 600.0))


def _schedule_owners(world: World) -> dict[tuple[str, object], int]:
    """Which person's schedule fires each asset, so schedule-fired runs are created by the schedule owner."""
    owners: dict[tuple[str, object], int] = {}
    for schedule in world.schedules.values():
        owners.setdefault((schedule.task_type, schedule.asset_id), schedule.creator_id)
    return owners


def _plan_events(world: World, rng: random.Random, target: int, now: datetime) -> list[tuple]:
    """(created, kind, asset) tuples whose job groups add up to exactly target, spread over the window."""
    plans, flows, workflows = list(world.plans.values()), list(world.flows.values()), list(world.workflows)
    recipes = list(world.recipes)
    window = HISTORY_DAYS * 86400 - 3 * 3600
    events: list[tuple] = []
    remaining = target
    while remaining > 0:
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        asset: object
        if kind == "plan":
            asset = rng.choice(plans)
            cost = len(asset.flow_ids)
        elif kind == "flow":
            asset = rng.choice(flows)
            cost = len(asset.recipe_ids)
        else:
            asset, cost = (rng.choice(recipes) if kind == "recipe" else rng.choice(workflows)), 1
        if cost > remaining:
            kind, asset, cost = "recipe", rng.choice(recipes), 1
        created = now - timedelta(seconds=3 * 3600 + rng.random() * window)
        events.append((created, kind, asset))
        remaining -= cost
    events.sort(key=lambda event: event[0])
    return events


def _ranfrom(rng: random.Random, scheduled: bool) -> str:
    if scheduled and rng.random() < 0.7:
        return "schedule"
    return "ui" if rng.random() < 0.7 else "api"


def build_history(world: World, rng: random.Random, target: int, now: datetime) -> None:
    """Fill world with exactly target job groups, ids increasing with creation time."""
    world.next_ids.update(job_group=rng.randint(3000, 3999), plan_run=rng.randint(9000, 9500),
                          flow_run=rng.randint(5000, 5500), schedule_history=rng.randint(3000, 3500),
                          schedule_execution=rng.randint(700, 999))
    owners = _schedule_owners(world)
    people = list(world.people)
    def who(task: str, asset_id: object) -> tuple[str, int]:
        """How a run of this asset was started, and by whom (the schedule owner when a schedule fired it)."""
        ranfrom = _ranfrom(rng, (task, asset_id) in owners)
        anyone = rng.choice(people)
        return ranfrom, owners.get((task, asset_id), anyone) if ranfrom == "schedule" else anyone

    for created, kind, asset in _plan_events(world, rng, target - len(LIVE_RUNS), now):
        if kind == "plan":
            ranfrom, creator = who("runPlan", asset.id)
            history = world.take_id("schedule_history") if ranfrom == "schedule" else None
            add_plan_run(world, asset, created, historic_fate(rng), ranfrom=ranfrom, creator_id=creator,
                         schedule_history_id=history)
        elif kind == "flow":
            ranfrom, creator = who("runFlow", asset.id)
            execution = world.take_id("schedule_execution") if ranfrom == "schedule" else None
            add_flow_run(world, asset, asset.recipe_ids, created, [historic_fate(rng) for _ in asset.recipe_ids],
                         ranfrom=ranfrom, creator_id=creator, rng=rng, schedule_execution_id=execution)
        elif kind == "workflow":
            ranfrom, creator = who("runWorkflow", asset)
            add_job_group(world, created, historic_fate(rng), name=world.workflows[asset].name, ranfrom=ranfrom,
                          ranfor="workflow", creator_id=creator, workflow_id=asset)
        else:
            add_job_group(world, created, historic_fate(rng), name=world.recipes[asset].name,
                          ranfrom="ui" if rng.random() < 0.7 else "api", ranfor="recipe",
                          creator_id=rng.choice(people), recipe_id=asset)
    for ago, delay, duration in LIVE_RUNS:
        recipe = world.recipes[rng.choice(list(world.recipes))]
        add_job_group(world, now - timedelta(seconds=ago), Fate(delay, duration), name=recipe.name, ranfrom="ui",
                      ranfor="recipe", creator_id=rng.choice(people), recipe_id=recipe.id)
