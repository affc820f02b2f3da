"""Seeded job history: recent fires of each schedule, manual and API runs over 30 days, a few live runs."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sandbox.server.iteration import previous_fires
from sandbox.server.jobs import hex_id, new_job, run_detail
from sandbox.server.templates import BIG_OUTPUT
from sandbox.server.world import Schedule, World

HISTORY_DAYS = 30
FIRES_KEPT = 6  # recent fires per schedule kept as jobs (older history is purged, as on a real server)
CANCEL_SHARE = 0.02
# (seconds ago, how it stands at seed time): two running, one queued
LIVE_RUNS = (150, 70, 2)


def _schedule_fires(world: World, rng: random.Random, schedule: Schedule, now: datetime) -> int:
    """Jobs for the schedule's last fires within the history window; sets lastRunTime, runCount, lastError."""
    until = now if schedule.enabled else schedule.modified_at
    fires = previous_fires(schedule.iteration, schedule.time_zone, until, FIRES_KEPT)
    once = schedule.iteration["iterationType"] == "Once"
    if fires and fires[-1] >= schedule.created_at:  # it fired before; its runs may be older than the history
        schedule.last_run = fires[-1]
        schedule.run_count = 1 if once else rng.randint(10, 300)
    recent = [f for f in fires if f >= now - timedelta(days=HISTORY_DAYS)]
    jobs = [new_job(world, rng, schedule.workflow_id, fire, schedule.owner_id, priority=schedule.priority,
                    worker_tag=schedule.worker_tag, schedule_id=schedule.id, answers=list(schedule.questions))
            for fire in recent]
    if jobs:
        schedule.last_job_id = jobs[-1].id
        schedule.run_count = max(schedule.run_count, len(jobs))
        if len(jobs) > 1 and jobs[-2].outcome == "Error":
            workflow = world.workflows[schedule.workflow_id]
            schedule.last_error = run_detail(world.seed, jobs[-2], workflow).error_text
    return len(jobs)


def build_history(world: World, target: int, now: datetime) -> None:
    """About `target` jobs over the last 30 days (schedule fires, manual runs, live ones); one ~5 MB output.

    Each part draws from its own seeded source: which fires fall in the window depends on the time of day,
    and must not reshuffle the manual runs, whose ids and fates stay the same for the same seed.
    """
    fires_rng = random.Random(f"{world.seed}:schedule-history")
    made = sum(_schedule_fires(world, fires_rng, s, now) for s in world.schedules.values())
    rng = random.Random(f"{world.seed}:history")
    members: dict[str, list[str]] = {}
    for user in world.users.values():
        members.setdefault(user.subscription_id, []).append(user.id)
    workflows = list(world.workflows.values())
    window = HISTORY_DAYS * 86400 - 3600
    draws = []
    for _ in range(max(0, target - made - len(LIVE_RUNS) - 1)):
        created = now - timedelta(seconds=3600 + rng.random() * window)
        workflow = rng.choice(workflows)
        while workflow.run_disabled and created > now - timedelta(days=20):
            workflow = rng.choice(workflows)  # disabled for running three weeks ago; only older runs exist
        creator = rng.choice(members.get(workflow.subscription_id) or [world.admin_id])
        priority = rng.choice(("Default",) * 8 + ("Low", "Medium", "High", "Critical"))
        draws.append((created, workflow.id, creator, priority, hex_id(rng)))
    for created, workflow_id, creator, priority, job_id in sorted(draws):
        new_job(world, None, workflow_id, created, creator, cancel_share=CANCEL_SHARE, priority=priority,
                job_id=job_id)
    rng = random.Random(f"{world.seed}:export")
    big = next(w for w in workflows if w.name == BIG_OUTPUT)
    export = new_job(world, rng, big.id, now - timedelta(days=2, hours=3), world.admin_id, big_output=True)
    export.outcome = "Success"  # the large download must exist whatever the draw said
    world.big_output = (export.id, run_detail(world.seed, export, big).outputs[0].id)
    runnable = [w for w in workflows if not w.run_disabled and w.outcome == "random" and w.duration >= 300]
    for ago in LIVE_RUNS:
        workflow = rng.choice(runnable)
        new_job(world, rng, workflow.id, now - timedelta(seconds=ago), world.admin_id)
