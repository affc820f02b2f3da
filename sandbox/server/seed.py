"""Builds the deterministic Server world from (seed, size, now): users, studios, workflows, schedules, then history."""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from sandbox.common.ids import asset_name
from sandbox.server.jobs import hex_id
from sandbox.server.seed_history import build_history
from sandbox.server.seed_schedules import build_schedules
from sandbox.server.templates import QUESTION_SETS, TEMPLATES, WorkflowTemplate
from sandbox.server.world import Collection, Credentials, Subscription, User, Version, Workflow, World

SIZES = {
    "small": {"users": 6, "studios": 2, "workflows": len(TEMPLATES), "extra_schedules": 0, "jobs": 320,
              "collections": 4},
    "large": {"users": 40, "studios": 8, "workflows": 1000, "extra_schedules": 400, "jobs": 30_000,
              "collections": 20},
}
STUDIOS = ("Finance & Sales Studio", "Operations Studio", "Marketing Studio", "Supply Chain Studio",
           "Risk Studio", "HR Studio", "Data Engineering Studio", "Customer Studio")
COLLECTIONS = ("Finance Reporting", "Ops Monitoring", "Executive Dashboards", "Data Engineering")
FIRST = ("Jonas", "Kemi", "Lena", "Mateo", "Hana", "Farah", "Ivo", "Chloe", "Dmitri", "Elif", "Goran", "Ben")
LAST = ("Okafor", "Lindqvist", "Tanaka", "Moreau", "Novak", "Schmidt", "Costa", "Haddad", "Park", "Weber")
USER_ZONES = ("Eastern Standard Time", "W. Europe Standard Time", "GMT Standard Time", "Tokyo Standard Time", "UTC")
MODES = ("Standard",) * 6 + ("Safe", "SemiSafe")


def _ago(now: datetime, rng: random.Random, low_days: float, high_days: float) -> datetime:
    return now - timedelta(days=rng.uniform(low_days, high_days))


def _credentials(rng: random.Random) -> Credentials:
    return Credentials(f"{rng.getrandbits(128):032x}", f"{rng.getrandbits(256):064x}",
                       f"{rng.getrandbits(128):032x}", f"{rng.getrandbits(256):064x}")


def _users(rng: random.Random, count: int, studios: list[Subscription], now: datetime) -> list[User]:
    """The admin Curator first, then Artisans (a Member now and then in large worlds), a Viewer last."""
    pool = [(f, l) for f in FIRST for l in LAST]
    rng.shuffle(pool)
    users = []
    for index in range(count):
        if index == 0:
            first, last, role = "Server", "Admin", "Curator"
        else:
            first, last = pool[index % len(pool)]
            role = "Viewer" if index == count - 1 else ("Member" if index % 9 == 8 else "Artisan")
        suffix = "" if index < len(pool) else str(index)
        email = "admin@example.com" if index == 0 else f"{first}.{last}{suffix}@example.com".lower()
        # the first half of the people (admin included) share the first studio, so v1 keys see a busy studio
        studio = studios[0] if index < max(3, count // len(studios)) else studios[index % len(studios)]
        users.append(User(hex_id(rng), first, last, email, role, studio.id, _ago(now, rng, 200, 900),
                          _ago(now, rng, 0, 5), rng.choice(USER_ZONES), _credentials(rng)))
    return users


def _versions(rng: random.Random, created: datetime, now: datetime) -> list[Version]:
    versions, moment = [], created
    for number in range(1, rng.randint(1, 3) + 1):
        versions.append(Version(hex_id(rng), number, moment, "Initial upload" if number == 1 else "Fixes"))
        moment = moment + (now - moment) * rng.uniform(0.2, 0.6)
    return versions


def _workflow(rng: random.Random, template: WorkflowTemplate, name: str, owner: User, now: datetime) -> Workflow:
    created = _ago(now, rng, 60, 700)
    # copies, so that no world shares a question with the templates or another world (the hostile seed writes them)
    shared = QUESTION_SETS[template.questions] if template.questions else ()
    questions = [replace(q, items=list(q.items)) for q in shared]
    file_name = f"{name}.yxwz" if questions else f"{name}.yxmd"
    return Workflow(hex_id(rng), name, template.description, file_name, owner.id, owner.subscription_id, created,
                    questions, _versions(rng, created, now), list(template.outputs), template.minutes * 60,
                    outcome=template.outcome, run_disabled=template.run_disabled,
                    worker_tag="highmem" if template.minutes >= 15 else "", execution_mode=rng.choice(MODES),
                    is_public=rng.random() < 0.3, author=f"{owner.first_name} {owner.last_name}")


def _workflows(rng: random.Random, count: int, users: list[User], now: datetime) -> list[Workflow]:
    """The templates first (special ones owned by the admin), then generated ones for large worlds."""
    publishers = [u for u in users if u.role in ("Curator", "Artisan")]
    admin = users[0]
    special = {t.name for t in TEMPLATES if t.outcome != "random" or t.run_disabled or t.big_output}
    workflows = []
    for index, template in enumerate(TEMPLATES):
        owner = admin if template.name in special else publishers[index % len(publishers)]
        workflows.append(_workflow(rng, template, template.name, owner, now))
    seen = {w.name for w in workflows}
    plain = [t for t in TEMPLATES if t.outcome == "random" and not t.run_disabled and not t.big_output]
    for index in range(len(workflows), count):
        name = asset_name(rng)
        name = name if name not in seen else f"{name} {index}"
        seen.add(name)
        base = plain[index % len(plain)]
        template = WorkflowTemplate(name, base.description, base.questions, base.outputs, rng.uniform(0.3, 16))
        workflows.append(_workflow(rng, template, name, rng.choice(publishers), now))
    return workflows


def _collections(rng: random.Random, count: int, world: World, now: datetime) -> None:
    users = list(world.users.values())
    workflows = list(world.workflows)
    for index in range(count):
        name = COLLECTIONS[index] if index < len(COLLECTIONS) else f"{asset_name(rng)} collection"
        owner = users[0] if index % 2 == 0 else rng.choice(users[1:])
        chosen = rng.sample(workflows, min(len(workflows), rng.randint(3, 6)))
        schedules = [s.id for s in world.schedules.values() if s.workflow_id in chosen]
        members = [owner.id] + [u.id for u in rng.sample(users, min(len(users), rng.randint(1, 3))) if u is not owner]
        collection = Collection(hex_id(rng), name, owner.id, _ago(now, rng, 10, 300), chosen, schedules, members)
        world.collections[collection.id] = collection


def build_world(seed: int, size: str, now: datetime) -> World:
    """The whole world for (seed, size); identical ids and names for the same seed, times relative to now."""
    spec = SIZES[size]
    # People and the template workflows draw from sources of their own, so the admin, their keys and the
    # special workflows keep their ids in both sizes of world.
    places = random.Random(f"{seed}:studios")
    studios = [Subscription(hex_id(places), STUDIOS[i], _ago(now, places, 900, 1500))
               for i in range(spec["studios"])]
    users = _users(random.Random(f"{seed}:people"), spec["users"], studios, now)
    rng = random.Random(seed)
    workflows = _workflows(rng, spec["workflows"], users, now)
    world = World(seed, size, now, {u.id: u for u in users}, {s.id: s for s in studios},
                  {w.id: w for w in workflows}, {}, {}, admin_id=users[0].id)
    build_schedules(world, rng, spec["extra_schedules"], now)
    _collections(rng, spec["collections"], world, now)
    build_history(world, spec["jobs"], now)
    return world
