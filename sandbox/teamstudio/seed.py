"""Builds the deterministic Team Studio world from (seed, size, now): people, workspaces, data sources, workfiles.

Jobs come from seed_jobs.py and run history from seed_history.py. Ids are per-kind sequences starting at
different numbers (users 1, workspaces 1000, workfiles 3000, jobs 10000, tasks 30000) so that an id of one
kind passed where another is expected answers 404 instead of quietly finding something.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sandbox.common.ids import asset_name
from sandbox.teamstudio.flows import FLOWS, OTHER_WORKFILES, FlowTemplate, generated_flow
from sandbox.teamstudio.seed_history import build_history
from sandbox.teamstudio.seed_jobs import build_jobs
from sandbox.teamstudio.world import (MEMBER_ROLES, USER_TYPES, Database, DataSource, Member, User, Workfile,
                                      Workspace, World)

SIZES = {
    "small": {"users": 8, "workspaces": 5, "flows_per_workspace": 0, "jobs": 0},
    "large": {"users": 200, "workspaces": 50, "flows_per_workspace": 8, "jobs": 2000},
}
FIRST_IDS = {"users": 1, "workspaces": 1000, "workfiles": 3000, "jobs": 10000, "tasks": 30000,
             "data_sources": 1, "hdfs_sources": 1, "databases": 1}
SERVICE_USER = "flightdeck-svc"
# (username, first, last, admin, data_admin, user_type): the service account, then one of each kind of user.
PEOPLE = (
    (SERVICE_USER, "Flightdeck", "Service", True, False, "analytics_developer"),
    ("demoadmin", "Demo", "Admin", True, False, "analytics_developer"),
    ("praman", "Priya", "Raman", False, True, "data_analyst"),
    ("teriksen", "Tomas", "Eriksen", False, False, "analytics_developer"),
    ("mlin", "Mei", "Lin", False, False, "data_analyst"),
    ("jweber", "Jonas", "Weber", False, False, "collaborator"),
    ("aruiz", "Ana", "Ruiz", False, False, "business_user"),
    ("kokafor", "Kemi", "Okafor", False, True, "analytics_developer"),
)
FIRST = ("Lena", "Mateo", "Hana", "Farah", "Ivo", "Chloe", "Dmitri", "Elif", "Goran", "Ben", "Sofia", "Arjun")
LAST = ("Lindqvist", "Tanaka", "Moreau", "Novak", "Schmidt", "Costa", "Haddad", "Park", "Brandt", "Silva")
# (name, public, archived, stage id, index of the owner in PEOPLE, member indexes)
WORKSPACES = (
    ("Customer Analytics", True, False, 3, 1, (0, 3, 4, 5)),
    ("Risk & Fraud", False, False, 2, 2, (0, 3, 7)),
    ("Marketing Mix", True, True, 5, 3, (0, 4, 6)),
    ("Supply Chain Forecasting", False, False, 1, 4, (0, 2, 5)),
    ("Sandbox", True, False, 4, 0, (1, 3, 4, 5, 6)),
)
DATABASE_SOURCES = (
    ("Demo_GP", "gpdb_data_source", "gp-master.example.com", 5432, "4.3.8.1", ("analytics", "sales", "fraud")),
    ("Warehouse PG", "pg_data_source", "pg-warehouse.example.com", 5432, "9.6.3", ("warehouse", "staging")),
    ("Oracle ERP", "oracle_data_source", "erp-db.example.com", 1521, "12.1.0.2", ()),
    ("HAWQ Analytics", "hawq_data_source", "hawq-master.example.com", 5432, "2.1.0", ("hawq_db",)),
    ("Teradata JDBC", "jdbc_data_source", "td.example.com", 1025, "16.10", ()),
    ("Hive JDBC", "jdbc_hive_data_source", "hive.example.com", 10000, "1.2.1", ()),
)
HADOOP_SOURCES = (
    ("CDH5 Cluster", "hdfs_data_source", "cdh-nn.example.com", 8020, "Cloudera CDH5.8"),
    ("HDP Hive", "hdfs_hive_data_source", "hdp-nn.example.com", 8020, "Hortonworks HDP2.5"),
)


def _ago(now: datetime, rng: random.Random, low_days: float, high_days: float) -> datetime:
    return (now - timedelta(days=rng.uniform(low_days, high_days))).replace(microsecond=0)


def _people(world: World, rng: random.Random, count: int, now: datetime) -> None:
    for index in range(count):
        if index < len(PEOPLE):
            username, first, last, admin, data_admin, user_type = PEOPLE[index]
        else:
            first, last = FIRST[index % len(FIRST)], LAST[(index // len(FIRST)) % len(LAST)]
            admin, data_admin, user_type = False, index % 17 == 0, USER_TYPES[index % len(USER_TYPES)]
            username = f"{first[0]}{last}{index}".lower()
        title = "Service account" if index == 0 else rng.choice(("Data Scientist", "Analyst", "Engineer", "Manager"))
        user = User(world.new_id("users"), username, f"pw-{username}-{rng.getrandbits(48):012x}", first, last,
                    f"{username}@example.com", title, rng.choice(("Analytics", "Finance", "Operations", "Platform")),
                    "", admin, data_admin, user_type, index % 3 != 0, _ago(now, rng, 200, 900))
        world.users[user.id] = user
    world.service_user_id = 1


def _workspaces(world: World, rng: random.Random, count: int, now: datetime) -> None:
    user_ids = list(world.users)
    for index in range(count):
        if index < len(WORKSPACES):
            name, public, archived, stage, owner_at, member_at = WORKSPACES[index]
            owner, others = user_ids[owner_at], [user_ids[i] for i in member_at]
        else:
            name, public, archived, stage = f"{asset_name(rng)} Lab {index}", rng.random() < 0.5, index % 9 == 0, \
                rng.randint(1, 5)
            owner, others = rng.choice(user_ids), rng.sample(user_ids, 4)
        members = [Member(owner, "Project Manager")] + [
            Member(uid, MEMBER_ROLES[(index + n) % (len(MEMBER_ROLES) - 1)]) for n, uid in enumerate(others)
            if uid != owner]
        created = _ago(now, rng, 120, 700)
        space = Workspace(world.new_id("workspaces"), name, f"{name} projects.", public, owner, stage, created,
                          _ago(now, rng, 1, 90), members)
        if archived:
            space.archived_at, space.archiver_id = _ago(now, rng, 10, 60), owner
        world.workspaces[space.id] = space


def _data_sources(world: World, rng: random.Random, now: datetime) -> None:
    owner = world.service_user_id
    for name, kind, host, port, version, databases in DATABASE_SOURCES:
        source = DataSource(world.new_id("data_sources"), name, kind, host, port, f"{name} ({kind}).", version,
                            owner, _ago(now, rng, 300, 900),
                            databases=[Database(world.new_id("databases"), d) for d in databases])
        world.data_sources[source.id] = source
    for name, kind, host, port, version in HADOOP_SOURCES:
        source = DataSource(world.new_id("hdfs_sources"), name, kind, host, port, f"{name} ({kind}).", version,
                            owner, _ago(now, rng, 300, 900))
        world.hdfs_sources[source.id] = source


def _add_workflow(world: World, rng: random.Random, template: FlowTemplate, workspace_id: int, now: datetime) -> None:
    space = world.workspaces[workspace_id]
    created = _ago(now, rng, 30, 300)
    location = ("hdfs_data_source", 1) if template.on_hadoop else ("gpdb_database", 1)
    flow = Workfile(world.new_id("workfiles"), workspace_id, rng.choice(space.members).user_id, template.name,
                    "work_flow", template.description, created, _ago(now, rng, 0.5, 25), rng.randint(1, 6), location,
                    template.operators, template.variables)
    world.workfiles[flow.id] = flow


def _workfiles(world: World, rng: random.Random, per_workspace: int, now: datetime) -> None:
    spaces = list(world.workspaces)
    for template in FLOWS:
        _add_workflow(world, rng, template, spaces[template.workspace], now)
    for index, space_id in enumerate(spaces):
        for n in range(per_workspace if index >= len(WORKSPACES) else 0):
            _add_workflow(world, rng, generated_flow(f"{asset_name(rng)} flow {index}-{n}", index, n), space_id, now)
        for file_name, file_type, content in OTHER_WORKFILES:
            created = _ago(now, rng, 30, 300)
            other = Workfile(world.new_id("workfiles"), space_id, world.workspaces[space_id].owner_id, file_name,
                             file_type, f"{file_type} workfile", created, _ago(now, rng, 0.5, 25), rng.randint(1, 4),
                             content=content)
            world.workfiles[other.id] = other


def build_world(seed: int, size: str, now: datetime) -> World:
    """The whole world for (seed, size); the same ids and names for the same seed, times relative to now."""
    spec = SIZES[size]
    world = World(seed, size, now, next_ids=dict(FIRST_IDS))
    _people(world, random.Random(f"{seed}:people"), spec["users"], now)
    rng = random.Random(seed)
    _workspaces(world, rng, spec["workspaces"], now)
    _data_sources(world, random.Random(f"{seed}:sources"), now)
    _workfiles(world, rng, spec["flows_per_workspace"], now)
    build_jobs(world, random.Random(f"{seed}:jobs"), spec["jobs"], now)
    build_history(world, random.Random(f"{seed}:history"), now)
    return world
