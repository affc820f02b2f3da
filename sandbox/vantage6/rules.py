"""Rules (a realistic subset of the 86 in 4.15.2), the 7 default roles plus the dashboard's own, and scope checks.

A rule is (resource, scope, operation). A user may do an operation on an object when one of the rules of
their roles (or given to them directly) names the resource and operation with a scope that covers the
object: GLOBAL everything, COLLABORATION objects of the collaborations their organisation is in,
ORGANIZATION objects of their organisation, OWN themselves (users) or their own tasks.
"""
from __future__ import annotations

from dataclasses import dataclass

from sandbox.vantage6.world import Role, Rule, User, World

G, C, O, OWN = "GLOBAL", "COLLABORATION", "ORGANIZATION", "OWN"
# resource -> operation -> scopes that exist for it (in rule id order)
RULE_TABLE: dict[str, dict[str, tuple[str, ...]]] = {
    "user": {"VIEW": (G, C, O, OWN), "CREATE": (G, O), "EDIT": (G, O, OWN), "DELETE": (G, O)},
    "organization": {"VIEW": (G, C, O), "CREATE": (G,), "EDIT": (G, C, O), "DELETE": (G,)},
    "collaboration": {"VIEW": (G, O), "CREATE": (G,), "EDIT": (G, C), "DELETE": (G,)},
    "role": {"VIEW": (G, C, O), "CREATE": (G, O), "EDIT": (G, O), "DELETE": (G, O)},
    "node": {"VIEW": (G, C, O), "CREATE": (G, O), "EDIT": (G, O), "DELETE": (G, O)},
    "task": {"VIEW": (G, C, O), "CREATE": (G, C, O), "DELETE": (G, C, O)},
    "run": {"VIEW": (G, C, O)},
    "event": {"SEND": (G, C, O), "RECEIVE": (G, C, O)},
}
SCOPE_WORDS = {G: "any", C: "in your collaborations", O: "in your organization", OWN: "your own"}
VIEWER = [("user", "VIEW", O), ("organization", "VIEW", C), ("collaboration", "VIEW", O), ("role", "VIEW", O),
          ("node", "VIEW", C), ("task", "VIEW", C), ("run", "VIEW", C), ("event", "RECEIVE", C)]
RESEARCHER = VIEWER + [("task", "CREATE", C), ("task", "DELETE", O)]
ORG_ADMIN = RESEARCHER + [("user", op, O) for op in ("CREATE", "EDIT", "DELETE")] + \
    [("role", op, O) for op in ("CREATE", "EDIT", "DELETE")] + [("node", op, O) for op in ("CREATE", "EDIT", "DELETE")] \
    + [("organization", "EDIT", O), ("event", "SEND", O)]
COLLAB_ADMIN = ORG_ADMIN + [("collaboration", "EDIT", C), ("organization", "EDIT", C), ("task", "DELETE", C),
                            ("event", "SEND", C), ("user", "VIEW", C), ("role", "VIEW", C)]
SERVICE = [(res, "VIEW", G) for res in ("user", "organization", "collaboration", "role", "node", "task", "run")] + \
    [("task", "CREATE", C), ("task", "DELETE", C), ("event", "SEND", G), ("event", "RECEIVE", G)]
# (name, description, rules or None for all, organization index or None) -> ids 1..7 then the dashboard's role
DEFAULT_ROLES = (
    ("Root", "Super role", None),
    ("container", "Algorithm container role", [("task", "VIEW", C), ("task", "CREATE", C), ("run", "VIEW", C),
                                                ("organization", "VIEW", C)]),
    ("node", "Node role", [("organization", "VIEW", C), ("collaboration", "VIEW", O), ("task", "VIEW", C),
                           ("run", "VIEW", C), ("event", "RECEIVE", C), ("event", "SEND", O)]),
    ("Viewer", "Can view all resources within the own organization and collaborations", VIEWER),
    ("Researcher", "Can view resources and create tasks, but not kill them", RESEARCHER),
    ("Organization Admin", "Can manage the own organization, its users and nodes", ORG_ADMIN),
    ("Collaboration Admin", "Can manage collaborations and kill their tasks", COLLAB_ADMIN),
)
SERVICE_ROLE = ("Flightdeck Service", "Dashboard service account: view everything, create and kill tasks", SERVICE)


def build_rules(world: World) -> None:
    """Every rule of RULE_TABLE, ids in table order."""
    for resource, operations in RULE_TABLE.items():
        for operation, scopes in operations.items():
            for scope in scopes:
                rule = Rule(world.new_id("rule"), resource, scope, operation,
                            f"{operation.lower()} {resource} ({SCOPE_WORDS[scope]})")
                world.rules[rule.id] = rule


def rule_ids(world: World, wanted: list[tuple[str, str, str]] | None) -> list[int]:
    """Ids of the (resource, operation, scope) triples; None means every rule."""
    if wanted is None:
        return list(world.rules)
    keys = set(wanted)
    return [r.id for r in world.rules.values() if (r.name, r.operation, r.scope) in keys]


def add_role(world: World, name: str, description: str, wanted: list[tuple[str, str, str]] | None,
             organization_id: int | None = None) -> Role:
    """Create a role with those rules."""
    role = Role(world.new_id("role"), name, description, rule_ids(world, wanted), organization_id)
    world.roles[role.id] = role
    return role


@dataclass(frozen=True, slots=True)
class Scope:
    """What an object belongs to, for scope checks: its organisations, collaborations and owner."""

    org_ids: frozenset[int] = frozenset()
    collab_ids: frozenset[int] = frozenset()
    owner_id: int | None = None


def user_rules(world: World, user: User) -> list[Rule]:
    """All rules a user has, through roles or directly."""
    ids = {rid for role_id in user.role_ids if role_id in world.roles for rid in world.roles[role_id].rule_ids}
    ids.update(user.rule_ids)
    return [world.rules[i] for i in sorted(ids) if i in world.rules]


@dataclass(frozen=True, slots=True)
class Grant:
    """The scopes at which one user may do one operation on one resource, ready to test many objects."""

    scopes: frozenset[str]
    user_id: int
    org_id: int
    collab_ids: frozenset[int]

    def covers(self, scope: Scope) -> bool:
        """Whether this grant reaches an object in that scope."""
        return G in self.scopes or (C in self.scopes and bool(self.collab_ids & scope.collab_ids)) or \
            (O in self.scopes and self.org_id in scope.org_ids) or (OWN in self.scopes and scope.owner_id == self.user_id)

    @property
    def any(self) -> bool:
        """Whether the user has the operation at some scope (lists answer 401 otherwise)."""
        return bool(self.scopes)


def grant(world: World, user: User, resource: str, operation: str) -> Grant:
    """The user's grant for (resource, operation)."""
    scopes = frozenset(r.scope for r in user_rules(world, user) if r.name == resource and r.operation == operation)
    return Grant(scopes, user.id, user.organization_id, frozenset(world.collaborations_of(user.organization_id)))


def permits(world: World, user: User, resource: str, operation: str, scope: Scope) -> bool:
    """Whether one of the user's rules for (resource, operation) covers an object in scope."""
    return grant(world, user, resource, operation).covers(scope)
