"""vantage6's users (GET /user) with their roles (GET /role) and the roles' rules (GET /rule) as PlatformUsers.

Run rights (platforms/vantage6.md §4: a task is created under the `task` rule with operation CREATE; its scope
says where):

| rule `task` CREATE with scope | can run | where |
| --- | --- | --- |
| `GLOBAL` | yes | tasks in every collaboration |
| `COLLABORATION` | yes | tasks in the collaborations of their organisation |
| `ORGANIZATION` | yes | tasks of their own organisation |
| none among their roles' rules | no | nothing |
| the roles' rules unreadable | unknown | |

Rules given to a user directly (not through a role) are not read: a user with only such a rule shows "no".
vantage6 has no disabled state for a user, so every listed user is active; `last_seen` is the server's own.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from app.cache import Fetched, derived
from app.errors import PlatformError
from app.platforms.records import PlatformUser

if TYPE_CHECKING:
    from app.platforms.vantage6.inventory import RoleInfo, UserInfo
    from app.platforms.vantage6.service import Vantage6Service

PLATFORM = "vantage6"
SCOPES = {"global": "tasks in every collaboration", "collaboration": "tasks in the collaborations of their organisation",
          "organization": "tasks of their own organisation"}
WIDEST_FIRST = ("global", "collaboration", "organization")


def task_scopes(roles: "list[RoleInfo]") -> dict[str, set[str]]:
    """Role name -> the scopes (lower case) at which it may create tasks."""
    found: dict[str, set[str]] = {}
    for role in roles:
        found.setdefault(role.name, set()).update(
            r.scope.lower() for r in role.rules if r.name == "task" and r.operation.lower() == "create")
    return found


def run_rights(role_names: tuple[str, ...], scopes: dict[str, set[str]] | None) -> tuple[bool | None, str]:
    """The widest task-creation scope any of the user's roles gives, in words."""
    if scopes is None:
        return None, "unknown: the roles' rules could not be read"
    mine = set().union(*(scopes.get(name, set()) for name in role_names)) if role_names else set()
    widest = next((scope for scope in WIDEST_FIRST if scope in mine), None)
    if widest is None:
        return False, "nothing: no role lets them create tasks"
    return True, SCOPES[widest]


def platform_user(user: "UserInfo", connection: str, scopes: dict[str, set[str]] | None) -> PlatformUser:
    can_run, scope = run_rights(user.roles, scopes)
    roles = user.roles + ((f"organisation {user.organization}",) if user.organization != "—" else ())
    return PlatformUser(connection=connection, platform=PLATFORM, id=user.id, username=user.username, name=user.name,
                        email=user.email, roles=roles, active=True, last_seen=user.last_seen, can_run=can_run,
                        run_scope=scope)


def read_platform_users(svc: "Vantage6Service") -> Fetched[list[PlatformUser]]:
    """The inventory's users and roles (each cached there); roles failing leaves run rights unknown."""
    from app.platforms.vantage6.inventory import Vantage6Inventory
    inventory = Vantage6Inventory(svc)
    users = inventory.users()
    try:
        roles: Fetched | None = inventory.roles()
    except PlatformError:
        roles = None
    version = (users.fetched_at, roles.fetched_at if roles else None)
    value = derived(f"{svc.name}:platform-users", version, lambda: [
        platform_user(u, svc.name, task_scopes(roles.value) if roles else None) for u in users.value])
    return Fetched(value, users.fetched_at, users.stale or (roles.stale if roles else None))
