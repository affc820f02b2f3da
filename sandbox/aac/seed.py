"""Builds the deterministic AAC world from (seed, size, now): people, assets, schedules, then run history."""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Callable

from sandbox.aac.seed_history import build_history
from sandbox.aac.world import Flow, Person, Plan, Recipe, Schedule, Trigger, Workflow, Workspace, World
from sandbox.common.ids import asset_name, seeded_uuid4, ulid_like

WORKSPACE_ID = 12
ADMIN_ID = 5
SIZES = {
    "small": {"people": 5, "plans": 6, "flows": 8, "workflows": 5, "schedules": 25, "job_groups": 240},
    "large": {"people": 40, "plans": 60, "flows": 200, "workflows": 50, "schedules": 10_000, "job_groups": 100_000},
}
FIRST_NAMES = ("Ben", "Chloe", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ivo", "Jonas", "Kemi", "Lena", "Mateo")
LAST_NAMES = ("Okafor", "Lindqvist", "Tanaka", "Moreau", "Novak", "Schmidt", "Costa", "Haddad", "Park", "Weber")
RECIPE_VERBS = ("Clean", "Join", "Aggregate", "Enrich", "Dedupe", "Pivot", "Standardize")
RECIPE_OBJECTS = ("orders", "customers", "revenue", "stock", "leads", "events")
TIMEZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney")
QUARTZ = (
    "0 30 2 * * ?", "0 0 */4 ? * MON-FRI", "0 15 9 ? * MON#1", "0 0 12 L * ?",
    "0 0/30 8-18 ? * MON-FRI", "0 0 6 1,15 * ? *", "0 45 23 ? * SUN", "0 10 7 ? * 2-6",
)
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
DISABLE_REASONS = ("Disabled by user", "Owner left the workspace", "Too many consecutive failures", "Asset was deleted")
PARAMETER_SETS = (
    [{"key": "region", "type": "variable", "value": "EU", "dataType": "string"},
     {"key": "batchSize", "type": "variable", "value": "500", "dataType": "number"},
     {"key": "asOf", "type": "variable", "value": "2025-01-01", "dataType": "date"}],
    [{"key": "region", "type": "variable", "value": "US", "dataType": "string"}],
    [],
)
LABELS = {"cron": "cron", "hourly": "hourly", "daily": "daily", "weekly": "weekly", "monthly": "monthly"}
XSS_NAME = "Ops check <script>alert(1)</script>"


def _ago(now: datetime, rng: random.Random, low_days: float, high_days: float) -> datetime:
    return now - timedelta(days=rng.uniform(low_days, high_days))


def _recipe_name(rng: random.Random) -> str:
    return f"{rng.choice(RECIPE_VERBS)} {rng.choice(RECIPE_OBJECTS)}"


def _unique_names(rng: random.Random, count: int, make: Callable[[random.Random], str] = asset_name) -> list[str]:
    """Distinct names while the word lists allow it, numbered beyond that (large worlds)."""
    names: list[str] = []
    seen: set[str] = set()
    for index in range(count):
        name = make(rng)
        for _ in range(20):
            if name not in seen:
                break
            name = make(rng)
        if name in seen:
            name = f"{name} {index}"
        seen.add(name)
        names.append(name)
    return names


def _people(rng: random.Random, count: int, now: datetime) -> dict[int, Person]:
    people: dict[int, Person] = {}
    pool = [f"{f} {l}" for f in FIRST_NAMES for l in LAST_NAMES]
    rng.shuffle(pool)
    for pid in range(1, count + 1):
        name = "Ana Ruiz" if pid == ADMIN_ID else pool[pid % len(pool)]
        email = name.lower().replace(" ", ".") + ("" if pid < len(pool) else str(pid)) + "@example.com"
        people[pid] = Person(pid, name, email, pid == ADMIN_ID, _ago(now, rng, 200, 900), _ago(now, rng, 0, 3))
    return people


def _assets(rng: random.Random, spec: dict[str, int], now: datetime, owners: list[int], world: World) -> None:
    flow_base, recipe_id, plan_base = rng.randint(100, 180), rng.randint(200, 290), rng.randint(50, 90)
    recipe_names = _unique_names(rng, spec["flows"] * 3, _recipe_name)
    for index, name in enumerate(_unique_names(rng, spec["flows"])):
        created = _ago(now, rng, 60, 500)
        flow = Flow(flow_base + index, name, f"Prepares {name.lower()}", rng.choice(owners), rng.randint(1, 9),
                    created, _ago(now, rng, 1, 50), parameters=[dict(p) for p in PARAMETER_SETS[index % 3]])
        for _ in range(rng.randint(1, 3)):
            world.recipes[recipe_id] = Recipe(recipe_id, recipe_names.pop(), flow.id, created, flow.updated_at)
            flow.recipe_ids.append(recipe_id)
            recipe_id += 1
        world.flows[flow.id] = flow
    flow_ids = list(world.flows)
    for index, name in enumerate(_unique_names(rng, spec["plans"])):
        plan = Plan(plan_base + index, f"{name} plan", f"Runs the {name.lower()} flows in order",
                    rng.choice(owners), _ago(now, rng, 60, 400), _ago(now, rng, 1, 50),
                    rng.sample(flow_ids, min(len(flow_ids), rng.randint(1, 3))))
        world.plans[plan.id] = plan
    for name in _unique_names(rng, spec["workflows"]):
        wid = seeded_uuid4(rng)
        kind = "desktop" if rng.random() < 0.15 else "cloud"
        world.workflows[wid] = Workflow(wid, f"{name} workflow", f"Designer Cloud workflow for {name.lower()}",
                                        kind, rng.choice(owners), _ago(now, rng, 60, 400), _ago(now, rng, 1, 50))


def _time_trigger(rng: random.Random, trigger_id: int) -> Trigger:
    """One time-based trigger, a Quartz cron half the time and a structured variant otherwise."""
    zone = rng.choice(TIMEZONES)
    roll = rng.random()
    minute, hour = rng.choice((0, 0, 15, 30, 45)), rng.randint(0, 23)
    if roll < 0.45:
        return Trigger(trigger_id, "cron", {"expression": rng.choice(QUARTZ)}, zone)
    if roll < 0.6:
        return Trigger(trigger_id, "hourly", {"minuteOfHour": minute}, zone)
    if roll < 0.8:
        return Trigger(trigger_id, "daily", {"minuteOfHour": minute, "hourOfDay": hour,
                                              "onlyWorkingDays": rng.random() < 0.3}, zone)
    if roll < 0.92:
        days = sorted(rng.sample(range(7), rng.randint(1, 3)))
        return Trigger(trigger_id, "weekly", {"minuteOfHour": minute, "hourOfDay": hour,
                                               "daysOfWeek": [DAYS[d] for d in days]}, zone)
    return Trigger(trigger_id, "monthly", {"minuteOfHour": minute, "hourOfDay": hour,
                                            "daysOfMonth": sorted(rng.sample(range(1, 29), rng.randint(1, 2)))}, zone)


def _file_watcher(rng: random.Random, trigger_id: int) -> Trigger:
    folder = rng.choice(("sales", "finance", "inbound", "partners"))
    spec = {"path": f"/uploads/{folder}/", "interval": 60000, "eventType": "ONCHANGE",
            "storageType": rng.choice(("S3", "TFS"))}
    return Trigger(trigger_id, "fileWatcher", spec, None)


def _schedules(rng: random.Random, count: int, now: datetime, owners: list[int], world: World) -> None:
    schedule_id, trigger_id = rng.randint(300, 480), rng.randint(700, 900)
    plans, flows, workflows = list(world.plans), list(world.flows), list(world.workflows)
    assets = {"runPlan": plans, "runFlow": flows, "runWorkflow": workflows}
    names = {"runPlan": world.plans, "runFlow": world.flows, "runWorkflow": world.workflows}
    for index in range(count):
        task_type = ("runPlan", "runFlow", "runWorkflow")[index % 3 if index % 5 else 0]
        asset_id = rng.choice(assets[task_type])
        watcher = index % 8 == 4 and index % 12 != 10
        triggers = [_file_watcher(rng, trigger_id) if watcher else _time_trigger(rng, trigger_id)]
        trigger_id += 1
        if index % 8 == 6:
            triggers.append(_time_trigger(rng, trigger_id))
            trigger_id += 1
        created = _ago(now, rng, 20, 400)
        updated = _ago(now, rng, 0.5, 19)
        enabled = index % 7 != 3
        fire_ref: datetime | None = now if enabled else updated
        if index % 12 == 10:  # brand new: has never fired yet
            created = updated = now - timedelta(hours=rng.uniform(0.2, 2))
            month_end = {"minuteOfHour": 0, "hourOfDay": 5, "daysOfMonth": [28]}
            triggers = [Trigger(triggers[0].id, "monthly", month_end, "UTC")]
            fire_ref = None
        label = "on upload" if watcher else LABELS[triggers[0].kind]
        name = XSS_NAME if index == 7 else f"{names[task_type][asset_id].name} ({label})"
        others = [pid for pid in owners if pid != ADMIN_ID]
        owner = ADMIN_ID if index % 4 == 0 else others[index % len(others)]
        world.schedules[schedule_id] = Schedule(
            schedule_id, name, enabled, None if enabled else rng.choice(DISABLE_REASONS), triggers, task_type,
            asset_id, owner, owner, created, updated, fire_ref)
        schedule_id += 1


def build_world(seed: int, size: str, now: datetime) -> World:
    """The whole world for (seed, size); identical ids and names for the same seed, times relative to now."""
    spec = SIZES[size]
    rng = random.Random(seed)
    people = _people(rng, spec["people"], now)
    workspace = Workspace(WORKSPACE_ID, "Analytics", ulid_like(rng), _ago(now, rng, 900, 1200))
    world = World(seed, size, now, workspace, people, {}, {}, {}, {}, {}, {}, {}, {})
    owners = [pid for pid in people if pid in (1, 2, 3, ADMIN_ID)] if size == "small" else list(people)
    _assets(rng, spec, now, owners, world)
    _schedules(rng, spec["schedules"], now, owners, world)
    build_history(world, rng, spec["job_groups"], now)
    return world
