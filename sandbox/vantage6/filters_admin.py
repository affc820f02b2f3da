"""List filters of the admin resources (organisation, collaboration, user, role, rule); see filters.py."""
from __future__ import annotations

from sandbox.vantage6 import rules
from sandbox.vantage6.filters import Params, Query, match_fields, keep, nothing_if
from sandbox.vantage6.world import Collaboration, Organization, Role, Rule, User, World


def organizations(world: World, items: list[Organization], query: Query) -> list[Organization]:
    """GET /organization filters."""
    p, checks = Params(query), []
    match_fields(p, checks, {}, {"name": lambda o: o.name})
    nothing_if(p, ("study_id",), checks)
    country = p.text("country")
    if country is not None:
        checks.append(lambda o: o.country == country)
    collab = p.int("collaboration_id")
    if collab is not None:
        members = world.collaborations[collab].organization_ids if collab in world.collaborations else []
        checks.append(lambda o: o.id in members)
    ids = p.ints("ids")
    if ids:
        checks.append(lambda o: o.id in ids)
    return keep(items, checks)


def collaborations(world: World, items: list[Collaboration], query: Query) -> list[Collaboration]:
    """GET /collaboration filters."""
    p, checks = Params(query), []
    match_fields(p, checks, {}, {"name": lambda c: c.name})
    nothing_if(p, ("algorithm_store_id",), checks)
    encrypted = p.flag("encrypted")
    if encrypted is not None:
        checks.append(lambda c: c.encrypted == encrypted)
    org = p.int("organization_id")
    if org is not None:
        checks.append(lambda c: org in c.organization_ids)
    return keep(items, checks)


def users(world: World, items: list[User], query: Query) -> list[User]:
    """GET /user filters."""
    p, checks = Params(query), []
    match_fields(p, checks, {"organization_id": lambda u: u.organization_id},
            {"username": lambda u: u.username, "firstname": lambda u: u.firstname, "lastname": lambda u: u.lastname,
             "email": lambda u: u.email})
    collab, role, rule = p.int("collaboration_id"), p.int("role_id"), p.int("rule_id")
    if collab is not None:
        checks.append(lambda u: collab in world.collaborations_of(u.organization_id))
    if role is not None:
        checks.append(lambda u: role in u.role_ids)
    if rule is not None:
        checks.append(lambda u: any(r.id == rule for r in rules.user_rules(world, u)))
    since, till = p.date("last_seen_from"), p.date("last_seen_till")
    if since is not None:
        checks.append(lambda u: u.last_seen is not None and u.last_seen >= since)
    if till is not None:
        checks.append(lambda u: u.last_seen is not None and u.last_seen <= till)
    return keep(items, checks)


def roles(world: World, items: list[Role], query: Query) -> list[Role]:
    """GET /role filters; the Root role only with include_root."""
    p, checks = Params(query), []
    match_fields(p, checks, {"organization_id": lambda r: r.organization_id},
            {"name": lambda r: r.name, "description": lambda r: r.description})
    collab, rule, user = p.int("collaboration_id"), p.int("rule_id"), p.int("user_id")
    if collab is not None:
        members = world.collaborations[collab].organization_ids if collab in world.collaborations else []
        checks.append(lambda r: r.organization_id in members)
    if rule is not None:
        checks.append(lambda r: rule in r.rule_ids)
    if user is not None:
        checks.append(lambda r: user in world.users and r.id in world.users[user].role_ids)
    if not p.flag("include_root"):
        checks.append(lambda r: r.name != "Root")
    return keep(items, checks)


def rule_list(world: World, items: list[Rule], query: Query) -> list[Rule]:
    """GET /rule filters (name, operation and scope compare case-insensitively)."""
    p, checks = Params(query), []
    for name in ("name", "operation", "scope"):
        value = p.text(name)
        if value is not None:
            checks.append(lambda r, name=name, value=value: str(getattr(r, name)).lower() == value.lower())
    role, user = p.int("role_id"), p.int("user_id")
    if role is not None:
        checks.append(lambda r: role in world.roles and r.id in world.roles[role].rule_ids)
    if user is not None:
        mine = {r.id for r in rules.user_rules(world, world.users[user])} if user in world.users else set()
        checks.append(lambda r: r.id in mine)
    return keep(items, checks)
