"""Alooma's users (GET user/) as PlatformUsers: email and names only, since Alooma's list gives no roles.

Run rights: unknown for everyone. Alooma's user list says nothing of permissions (platforms/alooma.md), and its
scheduled queries belong to the account's deployment, not to a user (so the schedule owners page does not look
for them among the users). An invited user who has not accepted yet (`isPending`) cannot sign in.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from app.cache import Fetched, derived
from app.platforms.records import PlatformUser

if TYPE_CHECKING:
    from app.platforms.alooma.inventory import AloomaUser

PLATFORM = "alooma"
NO_ROLES = "unknown: Alooma's user list gives no roles"


def platform_user(user: "AloomaUser", connection: str) -> PlatformUser:
    """The email is the account's only id and its login."""
    return PlatformUser(connection=connection, platform=PLATFORM, id=user.email, username=user.email,
                        name=user.name or user.email, email=user.email, roles=(), active=not user.pending,
                        last_seen=None, can_run=False if user.pending else None,
                        run_scope="nothing: the invitation is pending" if user.pending else NO_ROLES,
                        status="invitation pending" if user.pending else "")


def read_platform_users(svc: object) -> Fetched[list[PlatformUser]]:
    """The inventory's user read (cached there), as PlatformUsers."""
    from app.platforms.alooma.inventory import AloomaInventory
    fetched = AloomaInventory(svc).users()
    name = getattr(svc, "name")
    return Fetched(derived(f"{name}:platform-users", fetched.fetched_at,
                           lambda: [platform_user(u, name) for u in fetched.value]), fetched.fetched_at, fetched.stale)
