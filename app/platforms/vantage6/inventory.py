"""vantage6's places and people: collaborations with their organisations and nodes; organisations, users with
their roles, roles with their rules, nodes; and the recent tasks counted per collaboration and status.

The normalisers are pure functions of the server's JSON (tested on objects recorded from the emulator);
Vantage6Inventory reads through the service's client, each list walked in id order and cached per connection.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Iterable

from app.cache import Fetched, cached_read, derived
from app.concurrency import parallel_calls, parallel_map
from app.errors import NotFound
from app.pagination import Page
from app.platforms.records import Run
from app.platforms.timestamps import parse_time
from app.platforms.vantage6 import normalize as norm
from app.platforms.vantage6.normalize import NUMERIC_ID

if TYPE_CHECKING:
    from app.platforms.vantage6.service import Vantage6Service

INVENTORY_TTL = 300  # organisations, people, roles and nodes change by hand, rarely
TASKS_TTL = 30  # a collaboration's newest tasks move with their nodes
COLLABORATION_TASKS = 20


@dataclass(frozen=True)
class NodeInfo:
    """A node: one organisation's station in one collaboration; online only while it holds its socket."""

    id: str
    name: str
    organization_id: str
    organization: str
    collaboration_id: str
    collaboration: str
    status: str  # the server's word: online | offline
    last_seen: datetime | None
    ip: str

    @property
    def online(self) -> bool:
        return self.status == "online"


@dataclass(frozen=True)
class Member:
    """An organisation of a collaboration and its node there (None when it registered none)."""

    organization_id: str
    organization: str
    node: NodeInfo | None


@dataclass(frozen=True)
class CollaborationInfo:
    id: str
    name: str
    encrypted: bool
    members: tuple[Member, ...]

    @property
    def nodes_online(self) -> int:
        return sum(1 for m in self.members if m.node is not None and m.node.online)

    @property
    def nodes(self) -> int:
        return sum(1 for m in self.members if m.node is not None)


@dataclass(frozen=True)
class OrganizationInfo:
    id: str
    name: str
    country: str
    domain: str
    nodes: int
    users: int


@dataclass(frozen=True)
class UserInfo:
    """A vantage6 user as an admin reviews it: who, where, which roles. Nothing secret is kept."""

    id: str
    name: str
    username: str
    email: str
    organization: str
    roles: tuple[str, ...]
    last_seen: datetime | None


@dataclass(frozen=True)
class RuleInfo:
    """A permission: the resource it names, the operation and the scope it reaches."""

    id: str
    name: str
    operation: str
    scope: str
    description: str


@dataclass(frozen=True)
class RoleInfo:
    id: str
    name: str
    description: str
    organization: str  # "—" for the default roles every organisation shares
    rules: tuple[RuleInfo, ...]


@dataclass(frozen=True)
class TaskTally:
    """Top-level tasks of the recent history counted per collaboration id and per status word."""

    by_collaboration: tuple[tuple[str, int], ...]
    by_status: tuple[tuple[str, int], ...]
    total: int


# --- pure normalisers ----------------------------------------------------------------------------------
def _id(raw: dict) -> str:
    return str(raw.get("id", ""))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def names_by_id(items: Iterable[dict]) -> dict[str, str]:
    return {_id(i): _text(i.get("name")) or _id(i) for i in items if "id" in i}


def normalize_node(raw: dict, orgs: dict[str, str], collabs: dict[str, str]) -> NodeInfo:
    """A node object; `orgs` and `collabs` name what it links to by id."""
    org, collab = norm.link_id(raw.get("organization")) or "", norm.link_id(raw.get("collaboration")) or ""
    return NodeInfo(id=_id(raw), name=_text(raw.get("name")) or f"node {_id(raw)}", organization_id=org,
                    organization=orgs.get(org, f"organisation {org}"), collaboration_id=collab,
                    collaboration=collabs.get(collab, f"collaboration {collab}"),
                    status=_text(raw.get("status")) or "unknown", last_seen=parse_time(raw.get("last_seen")),
                    ip=_text(raw.get("ip")))


def normalize_collaboration(raw: dict, nodes: Iterable[NodeInfo], orgs: dict[str, str]) -> CollaborationInfo:
    """A collaboration; its organisations embedded (`include=organizations`), else those its nodes belong to."""
    ident = _id(raw)
    mine = {n.organization_id: n for n in nodes if n.collaboration_id == ident}
    embedded = raw.get("organizations")
    if isinstance(embedded, list):
        members = [(_id(o), _text(o.get("name")) or orgs.get(_id(o), _id(o))) for o in embedded if isinstance(o, dict)]
    else:
        members = [(org, node.organization) for org, node in mine.items()]
    return CollaborationInfo(
        id=ident, name=_text(raw.get("name")) or f"collaboration {ident}", encrypted=raw.get("encrypted") is True,
        members=tuple(Member(org, name, mine.get(org)) for org, name in sorted(members, key=lambda m: m[1].lower())))


def normalize_organization(raw: dict, nodes: int = 0, users: int = 0) -> OrganizationInfo:
    return OrganizationInfo(id=_id(raw), name=_text(raw.get("name")) or _id(raw), country=_text(raw.get("country")),
                            domain=_text(raw.get("domain")), nodes=nodes, users=users)


def organizations(raw_orgs: Iterable[dict], nodes: Iterable[NodeInfo], raw_users: Iterable[dict]
                  ) -> list[OrganizationInfo]:
    """Every organisation with how many nodes and users it has, by name."""
    node_count = Counter(n.organization_id for n in nodes)
    user_count = Counter(norm.link_id(u.get("organization")) for u in raw_users)
    return sorted((normalize_organization(o, node_count[_id(o)], user_count[_id(o)]) for o in raw_orgs if "id" in o),
                  key=lambda o: o.name.lower())


def normalize_user(raw: dict, orgs: dict[str, str], roles: Iterable[str] = ()) -> UserInfo:
    """A user object; only the fields an admin reviews (never otp_secret or anything like it)."""
    org = norm.link_id(raw.get("organization")) or ""
    name = " ".join(_text(raw.get(k)) for k in ("firstname", "lastname")).strip()
    return UserInfo(id=_id(raw), name=name or _text(raw.get("username")) or _id(raw),
                    username=_text(raw.get("username")), email=_text(raw.get("email")),
                    organization=orgs.get(org, f"organisation {org}") if org else "—", roles=tuple(sorted(roles)),
                    last_seen=parse_time(raw.get("last_seen")))


def normalize_rule(raw: dict) -> RuleInfo:
    return RuleInfo(id=_id(raw), name=_text(raw.get("name")), operation=_text(raw.get("operation")),
                    scope=_text(raw.get("scope")), description=_text(raw.get("description")))


def normalize_role(raw: dict, orgs: dict[str, str], rules: Iterable[dict] = ()) -> RoleInfo:
    org = norm.link_id(raw.get("organization"))
    return RoleInfo(id=_id(raw), name=_text(raw.get("name")) or _id(raw), description=_text(raw.get("description")),
                    organization=orgs.get(org, f"organisation {org}") if org else "—",
                    rules=tuple(sorted((normalize_rule(r) for r in rules),
                                       key=lambda r: (r.name, r.operation, r.scope))))


def roles_by_user_from_users(users: list[dict], role_lists: list[list[dict]]) -> dict[str, tuple[str, ...]]:
    """User id -> role names, from one `GET /role?user_id=` answer per user (in the users' order)."""
    return {_id(u): tuple(sorted(_text(r.get("name")) for r in roles)) for u, roles in zip(users, role_lists)}


def roles_by_user_from_roles(roles: list[dict], user_lists: list[list[dict]]) -> dict[str, tuple[str, ...]]:
    """User id -> role names, from one `GET /user?role_id=` answer per role (in the roles' order)."""
    found: dict[str, list[str]] = {}
    for role, users in zip(roles, user_lists):
        for user in users:
            found.setdefault(_id(user), []).append(_text(role.get("name")))
    return {user: tuple(sorted(names)) for user, names in found.items()}


def tally_tasks(raw_tasks: Iterable[dict]) -> TaskTally:
    """Top-level tasks (subtasks belong to their parent's count) per collaboration id and per status word,
    most first; status words are vantage6's own ("killed by user", "non-existing Docker image")."""
    tops = [t for t in raw_tasks if not t.get("parent")]
    collabs = Counter(norm.link_id(t.get("collaboration")) or "?" for t in tops)
    statuses = Counter(_text(t.get("status")) or "unknown" for t in tops)
    return TaskTally(tuple(collabs.most_common()), tuple(statuses.most_common()), len(tops))


# --- reads -----------------------------------------------------------------------------------------------
class Vantage6Inventory:
    """Reads for the collaborations and inventory pages; each returns records and raises PlatformError."""

    def __init__(self, service: Vantage6Service) -> None:
        self.svc = service
        self.name = service.name
        self.client = service.client

    # raw lists, each walked whole and kept five minutes
    def _raw(self, resource: str, params: dict[str, Any] | None = None) -> Fetched[list[dict]]:
        key = "v6-inv:" + resource + "".join(f":{k}={v}" for k, v in sorted((params or {}).items()))
        return cached_read(self.name, key, lambda: self.client.every(resource, params), timeout=INVENTORY_TTL)

    def _combined(self, name: str, reads: list[Fetched], build: Callable[[], Any]) -> Fetched:
        """A value built from several reads, rebuilt only when one of them changed; stale when one is."""
        value = derived(f"{self.name}:v6-inv:{name}", tuple(r.fetched_at for r in reads), build)
        stale = next((r.stale for r in reads if r.stale is not None), None)
        return Fetched(value, min(r.fetched_at for r in reads), stale)

    def _base(self) -> tuple[Fetched[list[dict]], Fetched[list[dict]], Fetched[list[dict]]]:
        """Organisations, collaborations (with their organisations embedded) and nodes, read together."""
        return tuple(parallel_calls(lambda: self._raw("organization"),  # type: ignore[return-value]
                                    lambda: self._raw("collaboration", {"include": "organizations"}),
                                    lambda: self._raw("node")))

    def nodes(self) -> Fetched[list[NodeInfo]]:
        """Every node, by collaboration and organisation."""
        orgs, collabs, nodes = self._base()
        return self._combined("nodes", [orgs, collabs, nodes], lambda: sorted(
            (normalize_node(n, names_by_id(orgs.value), names_by_id(collabs.value)) for n in nodes.value if "id" in n),
            key=lambda n: (n.collaboration.lower(), n.organization.lower())))

    def collaborations(self) -> Fetched[list[CollaborationInfo]]:
        """Every collaboration with its organisations and each one's node, by name."""
        orgs, collabs, _ = self._base()
        nodes = self.nodes()
        return self._combined("collaborations", [orgs, collabs, nodes], lambda: sorted(
            (normalize_collaboration(c, nodes.value, names_by_id(orgs.value)) for c in collabs.value if "id" in c),
            key=lambda c: c.name.lower()))

    def collaboration(self, collaboration_id: str) -> Fetched[CollaborationInfo]:
        """One collaboration; NotFound for an unknown or non-numeric id."""
        self._require_numeric(collaboration_id)
        fetched = self.collaborations()
        found = next((c for c in fetched.value if c.id == collaboration_id), None)
        if found is None:
            raise NotFound(self.name, f"no collaboration {collaboration_id!r}")
        return Fetched(found, fetched.fetched_at, fetched.stale)

    def collaboration_tasks(self, collaboration_id: str) -> Fetched[Page[Run]]:
        """The collaboration's newest top-level tasks as Runs, with how many it has in all."""
        self._require_numeric(collaboration_id)

        def fetch() -> Page[Run]:
            items, total = self.client.tasks({"collaboration_id": collaboration_id, "is_user_created": 1,
                                              "include": "runs"}, 1, COLLABORATION_TASKS)
            names = self.svc.names()
            return Page([norm.normalize_task(t, self.name, names) for t in items], 1, COLLABORATION_TASKS, total)
        return cached_read(self.name, f"v6-inv:tasks:{collaboration_id}", fetch, timeout=TASKS_TTL)

    def task_tally(self) -> Fetched[TaskTally]:
        """The service's recent task history counted per collaboration and status, for the charts."""
        fetched = self.svc.raw_recent_tasks()
        return Fetched(derived(f"{self.name}:v6-inv:tally", fetched.fetched_at, lambda: tally_tasks(fetched.value)),
                       fetched.fetched_at, fetched.stale)

    def organizations(self) -> Fetched[list[OrganizationInfo]]:
        """Every organisation with its numbers of nodes and users, by name."""
        orgs, _, nodes = self._base()
        users = self._raw("user")
        infos = self.nodes()
        return self._combined("organizations", [orgs, nodes, users],
                              lambda: organizations(orgs.value, infos.value, users.value))

    def user_roles(self) -> Fetched[dict[str, tuple[str, ...]]]:
        """User id -> role names, by whichever costs fewer calls: one per role or one per user (in parallel)."""
        def fetch() -> dict[str, tuple[str, ...]]:
            users, roles = parallel_calls(lambda: self._raw("user").value, self._roles_raw)
            if len(roles) <= len(users):
                return roles_by_user_from_roles(roles, parallel_map(
                    lambda r: self.client.every("user", {"role_id": _id(r)}), roles))
            return roles_by_user_from_users(users, parallel_map(
                lambda u: self.client.every("role", {"user_id": _id(u), "include_root": 1}), users))
        return cached_read(self.name, "v6-inv:user-roles", fetch, timeout=INVENTORY_TTL)

    def users(self) -> Fetched[list[UserInfo]]:
        """Every user with organisation and roles, by name."""
        users = self._raw("user")  # first: the roles read below needs it too
        (orgs, _, _), roles = parallel_calls(self._base, self.user_roles)
        return self._combined("users", [orgs, users, roles], lambda: sorted(
            (normalize_user(u, names_by_id(orgs.value), roles.value.get(_id(u), ())) for u in users.value if "id" in u),
            key=lambda u: u.name.lower()))

    def roles(self) -> Fetched[list[RoleInfo]]:
        """Every role (Root included) with its rules, read per role in parallel, by name."""
        def fetch() -> list[RoleInfo]:
            orgs = names_by_id(self._raw("organization").value)
            roles = self._roles_raw()
            rules = parallel_map(lambda r: self.client.every("rule", {"role_id": _id(r)}), roles)
            return sorted((normalize_role(r, orgs, found) for r, found in zip(roles, rules)),
                          key=lambda r: r.name.lower())
        return cached_read(self.name, "v6-inv:roles", fetch, timeout=INVENTORY_TTL)

    def _roles_raw(self) -> list[dict]:
        # the server hides the Root role unless asked
        return [r for r in self._raw("role", {"include_root": 1}).value if "id" in r]

    def _require_numeric(self, collaboration_id: str) -> None:
        if not NUMERIC_ID.match(collaboration_id):
            raise NotFound(self.name, f"no collaboration {collaboration_id!r}")
