"""Builds the deterministic vantage6 world from (seed, size, now): organisations, collaborations, nodes,
rules and roles, users and (for v5 mode) sessions; the task history comes from seed_tasks.py.

Small world: root (1) plus four organisations (2-5); collaboration 1 (unencrypted, orgs 2-5) and 2
(encrypted, orgs 2, 3, 5); a node per organisation per collaboration: in collaboration 1 org 2's is fast,
org 3's slow (3x), org 4's flaky (glm crashes, kaplan-meier fails), org 5's offline for 3 days; in
collaboration 2 org 3's (2x slow) has been offline for 2 days and org 5 never registered one. Users take
ids 1-7, nodes 8-13 (one sequence).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sandbox.common.ids import seeded_uuid4
from sandbox.vantage6 import rules
from sandbox.vantage6.seed_tasks import build_history
from sandbox.vantage6.totp import new_secret
from sandbox.vantage6.world import Collaboration, Node, Organization, Session, User, World

SIZES = {"small": {"orgs": 0, "collabs": 0, "users": 0, "tasks": 150},
         "large": {"orgs": 16, "collabs": 4, "users": 60, "tasks": 1500}}
ORGS = (
    ("Leiden Health Lab", "leidenhealth.example.org", "Albinusdreef 2", "Leiden", "2333 ZA", "Netherlands"),
    ("Maas Clinic", "maasclinic.example.org", "Dr. Tanslaan 12", "Maastricht", "6229 ET", "Netherlands"),
    ("Berlin Cohort Centre", "bcc.example.de", "Luisenstrasse 7", "Berlin", "10117", "Germany"),
    ("Uppsala Registry", "uppsala-registry.example.se", "Dag Hammarskjolds vag 14", "Uppsala", "752 37", "Sweden"),
)
COLLABS = (("Cancer Registry Federation", False, (2, 3, 4, 5)), ("Cardiology Pilot", True, (2, 3, 5)))
# (collaboration, organisation) -> (speed, offline days ago or None, flaky days ago or None); None: no node
NODE_TRAITS: dict[tuple[int, int], tuple[float, int | None, int | None] | None] = {
    (1, 3): (3.0, None, None), (1, 4): (1.5, None, 10), (1, 5): (1.0, 3, None), (2, 3): (2.0, 2, None), (2, 5): None}
SERVICE_USER, TWO_FACTOR_USER = "flightdeck-svc", "dvries"
# (username, first, last, organisation, role, password, two-factor)
USERS = (
    ("root", "Root", "User", 1, "Root", "Root!pw2026", False),
    (SERVICE_USER, "Flightdeck", "Service", 2, rules.SERVICE_ROLE[0], "Flightdeck!svc1", False),
    ("researcher", "Rosa", "Janssen", 3, "Researcher", "Research3r!pw", False),
    ("orgadmin", "Olaf", "de Wit", 2, "Organization Admin", "OrgAdm1n!pw", False),
    ("collabadmin", "Carla", "Becker", 4, "Collaboration Admin", "CollabAdm1n!pw", False),
    (TWO_FACTOR_USER, "Daan", "de Vries", 3, "Researcher", "TwoFact0r!pw", True),
    ("viewer", "Vera", "Lindberg", 5, "Viewer", "V1ewer!pw", False),
)
FIRST = ("Anna", "Bram", "Chen", "Dana", "Emil", "Fleur", "Gita", "Hugo", "Ines", "Jonas", "Kim", "Lars")
LAST = ("Meijer", "Novak", "Okafor", "Peters", "Quist", "Rossi", "Smit", "Tanaka", "Ulrich", "Visser")
CITIES = (("Rotterdam", "Netherlands"), ("Gent", "Belgium"), ("Porto", "Portugal"), ("Lyon", "France"),
          ("Aarhus", "Denmark"), ("Graz", "Austria"), ("Turku", "Finland"), ("Bologna", "Italy"))


def _organizations(world: World, extra: int) -> None:
    root = Organization(world.new_id("organization"), "root", None, None, None, None, None)
    world.organizations[root.id] = root
    rows = list(ORGS) + [(f"{city} Medical Data Hub {n}", f"hub{n}.example.org", f"Science Park {n}", city,
                          f"{1000 + 37 * n}", country) for n, (city, country) in
                         ((n, CITIES[n % len(CITIES)]) for n in range(extra))]
    for name, domain, street, city, zipcode, country in rows:
        org = Organization(world.new_id("organization"), name, domain, street, city, zipcode, country)
        world.organizations[org.id] = org


def _collaborations(world: World, rng: random.Random, extra: int) -> None:
    rows = [(n, e, list(o)) for n, e, o in COLLABS]
    pool = [o for o in world.organizations if o > 5]
    for n in range(extra):
        rows.append((f"Federated Study {chr(65 + n)}", n % 2 == 1, sorted(rng.sample(pool, rng.randint(3, 8)) + [2])))
    for name, encrypted, orgs in rows:
        collab = Collaboration(world.new_id("collaboration"), name, encrypted, orgs)
        world.collaborations[collab.id] = collab


def _nodes(world: World, rng: random.Random, now: datetime) -> None:
    for collab in world.collaborations.values():
        for org_id in collab.organization_ids:
            if (collab.id, org_id) in NODE_TRAITS and NODE_TRAITS[(collab.id, org_id)] is None:
                continue  # a member that never registered a node: tasks for it are refused (400)
            speed, offline, flaky = NODE_TRAITS.get((collab.id, org_id)) or (1.0, None, None)
            if collab.id > 2 and rng.random() < 0.12:
                offline = rng.randint(1, 25)
            if collab.id > 2:
                speed = rng.choice((1.0, 1.0, 1.5, 2.0))
            node_id = world.new_id("authenticatable")
            config = [{"key": "encryption", "value": str(collab.encrypted).lower()},
                      {"key": "allowed_algorithms", "value": r"^harbor2\.vantage6\.ai/demo/.*"},
                      {"key": "database_labels", "value": "default"}, {"key": "database_types", "value": "csv"}]
            world.nodes[node_id] = Node(
                node_id, f"{world.organizations[org_id].name} - {collab.name} Node", org_id, collab.id,
                "offline" if offline else "online", f"10.76.{collab.id}.{org_id}", config, speed,
                (now - timedelta(days=offline, minutes=rng.randint(1, 600))) if offline else None,
                (now - timedelta(days=flaky)) if flaky else None)


def _roles(world: World) -> None:
    rules.build_rules(world)
    for name, description, wanted in rules.DEFAULT_ROLES:
        rules.add_role(world, name, description, wanted)
    name, description, wanted = rules.SERVICE_ROLE
    rules.add_role(world, name, description, wanted, organization_id=2)


def _add_user(world: World, rng: random.Random, row: tuple, now: datetime) -> User:
    username, first, last, org_id, role_name, password, two_factor = row
    role_id = next(r.id for r in world.roles.values() if r.name == role_name)
    user = User(world.new_id("authenticatable"), username, password, first, last, f"{username}@example.org", org_id,
                [role_id], otp_secret=new_secret(rng) if two_factor else None, two_factor=two_factor,
                keycloak_id=seeded_uuid4(rng), last_seen=now - timedelta(hours=rng.randint(1, 400)))
    world.users[user.id] = user
    return user


def build_world(seed: int, size: str, now: datetime) -> World:
    """The whole world for (seed, size); the same ids, names and outcomes for the same seed, times relative to now."""
    spec = SIZES[size]
    world = World(seed, size, now)
    rng = random.Random(f"{seed}:vantage6")
    _organizations(world, spec["orgs"])
    _collaborations(world, rng, spec["collabs"])
    _roles(world)
    for row in USERS:
        _add_user(world, rng, row, now)
    world.service_user_id = world.user_by_name(SERVICE_USER).id  # type: ignore[union-attr]
    world.two_factor_user_id = world.user_by_name(TWO_FACTOR_USER).id  # type: ignore[union-attr]
    _nodes(world, rng, now)
    for n in range(spec["users"]):
        first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
        role = rng.choice(("Viewer", "Researcher", "Researcher", "Organization Admin", "Collaboration Admin"))
        _add_user(world, rng, (f"{first}.{last}{n}".lower(), first, last, rng.choice(list(world.organizations)[1:]),
                               role, f"Gen3rated!{n:03d}", False), now)
    for collab in world.collaborations.values():
        session = Session(world.new_id("session"), f"{collab.name} session", collab.id, world.service_user_id,
                          now - timedelta(days=30))
        world.sessions[session.id] = session
    build_history(world, random.Random(f"{seed}:history"), spec["tasks"], now)
    return world
