"""Team Studio's users (GET /api/users) as PlatformUsers, with the workspaces whose workflows each may run.

Run rights (platforms/teamstudio.md: `admin: true` is the application admin; the engine runs a workfile for the
members of its workspace, which is what the emulator enforces too):

| account | can run | where |
| --- | --- | --- |
| application admin (`admin`) | yes | workflows of every workspace |
| member of workspaces | yes | workflows of those workspaces (read from each workspace's member list) |
| member of none | no | nothing |
| member lists unreadable | unknown | |

The application role (`user_type`: analytics_developer, data_analyst, collaborator, business_user) and data admin
are shown as roles; the notes do not say that they change who may run. Chorus lists no sign-in times, so last
seen is unknown.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from app.cache import Fetched, derived
from app.errors import PlatformError
from app.platforms.records import PlatformUser

if TYPE_CHECKING:
    from app.platforms.teamstudio.inventory import Membership, UserInfo
    from app.platforms.teamstudio.service import TeamStudioService

PLATFORM = "teamstudio"
SHOWN_WORKSPACES = 5  # named in run_scope; the rest are counted


def run_rights(user: "UserInfo", workspaces: list[str] | None) -> tuple[bool | None, str]:
    """Whether the user may run workflows and in which workspaces; `workspaces` None when unknown."""
    if user.admin:
        return True, "workflows of every workspace (application admin)"
    if workspaces is None:
        return None, "unknown: the workspaces' member lists could not be read"
    if not workspaces:
        return False, "nothing: a member of no workspace"
    names = sorted(set(workspaces), key=str.lower)
    more = f" and {len(names) - SHOWN_WORKSPACES} more" if len(names) > SHOWN_WORKSPACES else ""
    return True, f"workflows of workspaces {', '.join(names[:SHOWN_WORKSPACES])}{more}"


def platform_user(user: "UserInfo", connection: str, workspaces: list[str] | None) -> PlatformUser:
    """One user with the names of the workspaces they are a member of (None when those could not be read)."""
    roles = tuple(r for r in (user.user_type if user.user_type != "—" else "",
                              "application admin" if user.admin else "", "data admin" if user.data_admin else "") if r)
    can_run, scope = run_rights(user, workspaces)
    return PlatformUser(connection=connection, platform=PLATFORM, id=user.id, username=user.username, name=user.name,
                        email=user.email, roles=roles, active=True, last_seen=None, can_run=can_run, run_scope=scope)


def platform_users(users: list["UserInfo"], connection: str, memberships: list["Membership"] | None
                   ) -> list[PlatformUser]:
    """Every user, by name, each with the workspaces the memberships name them in."""
    by_user: dict[str, list[str]] = {}
    for entry in memberships or []:
        by_user.setdefault(entry.member.user_id, []).append(entry.workspace_name)
    return [platform_user(u, connection, by_user.get(u.id, []) if memberships is not None else None) for u in users]


def read_platform_users(svc: "TeamStudioService") -> Fetched[list[PlatformUser]]:
    """The inventory's user and membership reads (cached there) combined; members failing leaves run rights
    unknown rather than failing the list."""
    from app.platforms.teamstudio.inventory import TeamStudioInventory
    inventory = TeamStudioInventory(svc)
    users = inventory.users()
    try:
        memberships: Fetched | None = inventory.memberships()
    except PlatformError:
        memberships = None
    version = (users.fetched_at, memberships.fetched_at if memberships else None)
    value = derived(f"{svc.name}:platform-users", version, lambda: platform_users(
        users.value, svc.name, memberships.value if memberships else None))
    return Fetched(value, users.fetched_at, users.stale or (memberships.stale if memberships else None))
