"""Creates job groups, flow runs and plan runs with their fates; shared by the seeded history and the run endpoints."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sandbox.aac.world import Flow, FlowRun, JobGroup, Plan, PlanRun, World
from sandbox.common.ids import run_rng, seeded_uuid4

API_START_DELAY = 3.0
API_DURATION = (20.0, 90.0)
FAILURE_SHARE = 0.1
ERROR_MESSAGES = (
    "java.lang.OutOfMemoryError: GC overhead limit exceeded (executor 3 lost)",
    "Unable to read input s3://analytics-landing/sales/orders_2025.csv: Access Denied (Status Code: 403)",
    "Column 'customer_id' was not found in dataset 'Customers master'",
    "Photon execution failed at recipe step 14: Division by zero in column revenue_per_unit",
    "Publishing to Snowflake failed: Table ANALYTICS.PUBLIC.ORDERS is locked by another transaction",
    "Connection to database 'warehouse-prod' timed out after 300 seconds",
)


@dataclass(slots=True)
class Fate:
    """How one run will go: when it starts, how long it takes, and how it ends."""

    start_delay: float
    duration: float
    outcome: str = "Complete"
    cancel_after: float | None = None
    failing_job: int = 0
    error_message: str = ""


def historic_fate(rng: random.Random) -> Fate:
    """A past run: 1-40 minutes, about 1 in 10 failed and a few canceled."""
    fate = Fate(rng.uniform(2, 20), rng.uniform(60, 2400))
    roll = rng.random()
    if roll < FAILURE_SHARE:
        fate.outcome, fate.failing_job, fate.error_message = "Failed", rng.randint(0, 1), rng.choice(ERROR_MESSAGES)
    elif roll < FAILURE_SHARE + 0.03:
        fate.cancel_after = fate.start_delay + fate.duration * rng.uniform(0.1, 0.9)
    return fate


def api_fate(seed: int, kind: str, run_id: int) -> Fate:
    """A run started through the API: Created for 3 s, then 20-90 s of work; fate fixed by seed and id alone."""
    rng = run_rng(seed, kind, run_id)
    fate = Fate(API_START_DELAY, rng.uniform(*API_DURATION))
    if rng.random() < FAILURE_SHARE:
        fate.outcome, fate.failing_job, fate.error_message = "Failed", rng.randint(0, 1), rng.choice(ERROR_MESSAGES)
    return fate


def add_job_group(world: World, created: datetime, fate: Fate, *, name: str, ranfrom: str, ranfor: str,
                  creator_id: int, recipe_id: int | None = None, flow_run_id: int | None = None,
                  plan_run_id: int | None = None, workflow_id: str | None = None,
                  run_parameters: list[dict] | None = None, job_group_id: int | None = None) -> JobGroup:
    """Register one job group whose status follows fate along the clock."""
    started = created + timedelta(seconds=fate.start_delay)
    canceled = created + timedelta(seconds=fate.cancel_after) if fate.cancel_after is not None else None
    group = JobGroup(
        created, started, started + timedelta(seconds=fate.duration), fate.outcome, canceled,
        id=job_group_id if job_group_id is not None else world.take_id("job_group"), name=name, ranfrom=ranfrom,
        ranfor=ranfor, creator_id=creator_id, recipe_id=recipe_id, flow_run_id=flow_run_id, plan_run_id=plan_run_id,
        workflow_id=workflow_id, failing_job=fate.failing_job, error_message=fate.error_message,
        run_parameters=run_parameters)
    world.job_groups[group.id] = group
    return group


def add_flow_run(world: World, flow: Flow, recipe_ids: list[int], created: datetime, fates: list[Fate], *,
                 ranfrom: str, creator_id: int, rng: random.Random, run_parameters: list[dict] | None = None,
                 schedule_execution_id: int | None = None) -> FlowRun:
    """A flow run: one job group per recipe, started together, each with its own fate."""
    run = FlowRun(world.take_id("flow_run"), flow.id, creator_id, created, seeded_uuid4(rng), schedule_execution_id)
    for recipe_id, fate in zip(recipe_ids, fates):
        group = add_job_group(world, created, fate, name=world.recipes[recipe_id].name, ranfrom=ranfrom,
                              ranfor="recipe", creator_id=creator_id, recipe_id=recipe_id, flow_run_id=run.id,
                              run_parameters=run_parameters)
        run.job_group_ids.append(group.id)
    world.flow_runs[run.id] = run
    return run


def add_plan_run(world: World, plan: Plan, created: datetime, fate: Fate, *, ranfrom: str, creator_id: int,
                 schedule_history_id: int | None = None, run_id: int | None = None) -> PlanRun:
    """A plan run: its flows run one after another in equal slices of the fate; a failure stops at the last node."""
    run_id = run_id if run_id is not None else world.take_id("plan_run")
    started = created + timedelta(seconds=fate.start_delay)
    canceled = created + timedelta(seconds=fate.cancel_after) if fate.cancel_after is not None else None
    run = PlanRun(created, started, started + timedelta(seconds=fate.duration), fate.outcome, canceled,
                  id=run_id, plan_id=plan.id, ranfrom=ranfrom, creator_id=creator_id,
                  schedule_history_id=schedule_history_id)
    slice_seconds = fate.duration / max(1, len(plan.flow_ids))
    for index, flow_id in enumerate(plan.flow_ids):
        flow = world.flows[flow_id]
        last = index == len(plan.flow_ids) - 1
        node = Fate(fate.start_delay + index * slice_seconds, slice_seconds,
                    fate.outcome if last else "Complete", fate.cancel_after,
                    fate.failing_job if last else 0, fate.error_message if last else "")
        group = add_job_group(world, created, node, name=flow.name, ranfrom=ranfrom, ranfor="plan",
                              creator_id=creator_id, recipe_id=flow.recipe_ids[-1], plan_run_id=run.id)
        run.job_group_ids.append(group.id)
    world.plan_runs[run.id] = run
    plan.run_ids.append(run.id)
    return run
