"""Alteryx Server's users (GET /v3/users?view=Full, Curators only) as PlatformUsers, with what their role runs.

Run rights by role (platforms/server.md §2.4 and §2.2: only app workflows can be run by non-admins, shared
through collections or the public gallery):

| role | can run | where |
| --- | --- | --- |
| `Curator` | yes | every workflow on the server |
| `Artisan`, `Member`, `Viewer` | yes | workflows shared with them (collections, public gallery) |
| `NoAccess` | no | nothing |
| `Evaluated` | unknown | the server's default role decides, which the API does not say |

"and may schedule them" is added where `canScheduleJobs` is true. A deactivated user (`isActive` false) runs
nothing; a locked one (`isAccountLocked`) is shown as locked.
"""
from __future__ import annotations

from typing import Any

from app.platforms.records import PlatformUser
from app.platforms.timestamps import parse_time

PLATFORM = "server"
SHARED = "workflows shared with them (collections, public gallery)"
RUN_RIGHTS: dict[str, tuple[bool | None, str]] = {
    "Curator": (True, "every workflow on the server"),
    "Artisan": (True, SHARED), "Member": (True, SHARED), "Viewer": (True, SHARED),
    "NoAccess": (False, "nothing: the role is NoAccess"),
    "Evaluated": (None, "unknown: the server's default role decides"),
}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def run_rights(role: str, active: bool, can_schedule: Any) -> tuple[bool | None, str]:
    """Whether a user of this role may run workflows, and which."""
    if not active:
        return False, "nothing: the account is deactivated"
    can_run, scope = RUN_RIGHTS.get(role, (None, f"unknown: the role {role or '(none)'} is not documented"))
    if can_run and can_schedule is True:
        scope += ", and may schedule them"
    return can_run, scope


def normalize_user(raw: dict, connection: str) -> PlatformUser:
    """One v3 User (Full view: lastLoginDateTime, canScheduleJobs, isAccountLocked; the Default view lacks them)."""
    role = _text(raw.get("role"))
    active = raw.get("isActive", True) is not False
    locked = raw.get("isAccountLocked") is True
    email = _text(raw.get("email"))
    name = f"{_text(raw.get('firstName'))} {_text(raw.get('lastName'))}".strip()
    can_run, scope = run_rights(role, active, raw.get("canScheduleJobs"))
    return PlatformUser(
        connection=connection, platform=PLATFORM, id=_text(raw.get("id")), username=email,
        name=name or email or _text(raw.get("id")), email=email, roles=(role,) if role else (), active=active,
        last_seen=parse_time(raw.get("lastLoginDateTime")), can_run=can_run, run_scope=scope,
        status="" if active and not locked else ("deactivated" if not active else "locked"))


def normalize_users(raw: list[dict], connection: str) -> list[PlatformUser]:
    """Every user, by name."""
    return sorted((normalize_user(u, connection) for u in raw if "id" in u), key=lambda u: u.name.lower())
