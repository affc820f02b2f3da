"""User and collection operations of the Server backend (/v3/users is for Curators only)."""
from __future__ import annotations

import threading
from typing import Any

from sandbox.server import serialize as out
from sandbox.server.errors import BadRequest, Forbidden, NotFound
from sandbox.server.query import Params, boolean, choice, instant, one
from sandbox.server.world import ROLES, User, World

VIEWS = ("Default", "Full")


def _same(wanted: str | None, value: str) -> bool:
    """Case-insensitive equality; no filter matches everything."""
    return wanted in (None, "") or wanted.lower() == value.lower()  # type: ignore[union-attr]


class PeopleMixin:
    """Users and collections of ServerBackend."""

    world: World
    lock: threading.RLock

    def _curator(self, user: User) -> None:
        if not user.is_curator:
            raise Forbidden("Only Curators may manage users.")

    def list_users(self, user: User, params: Params) -> list[dict[str, Any]]:
        """GET /v3/users: filters view, active, email, role, firstName, lastName, createdAfter, createdBefore."""
        with self.lock:
            self._curator(user)
            view = choice(params, "view", VIEWS, "Default")
            role = choice(params, "role", ROLES)
            active = boolean(params, "active", True) if one(params, "active") else None
            after, before = instant(params, "createdAfter"), instant(params, "createdBefore")
            rows = [u for u in self.world.users.values()
                    if (active is None or u.active == active) and (role is None or u.role == role)
                    and _same(one(params, "email"), u.email) and _same(one(params, "firstName"), u.first_name)
                    and _same(one(params, "lastName"), u.last_name)
                    and (after is None or u.created_at >= after) and (before is None or u.created_at < before)]
            return [out.user_full(u) if view == "Full" else out.user_default(u) for u in rows]

    def get_user(self, user: User, user_id: str) -> dict[str, Any]:
        """GET /v3/users/{id}."""
        with self.lock:
            self._curator(user)
            found = self.world.users.get(user_id)
            if found is None:
                raise NotFound(f"User with id '{user_id}' was not found.")
            return out.user_full(found)

    def deactivate_user(self, user: User, user_id: str) -> dict[str, Any]:
        """POST /v3/users/{id}/deactivate: the account stays, with its schedules and workflows, marked inactive;
        Curators only, never oneself. Answers the user as it now is (Assumed: the notes give no reply body)."""
        with self.lock:
            self._curator(user)
            found = self.world.users.get(user_id)
            if found is None:
                raise NotFound(f"User with id '{user_id}' was not found.")
            if found.id == user.id:
                raise BadRequest("You cannot deactivate your own account.")
            found.active = False
            return out.user_full(found)

    def list_collections(self, user: User, params: Params) -> list[dict[str, Any]]:
        """GET /v3/collections: Curators see all, others the ones they belong to."""
        with self.lock:
            view = choice(params, "view", VIEWS, "Default")
            rows = [c for c in self.world.collections.values() if user.is_curator or user.id in c.user_ids]
            return [out.collection_full(c) if view == "Full" else out.collection_reduced(c) for c in rows]

    def get_collection(self, user: User, collection_id: str) -> dict[str, Any]:
        """GET /v3/collections/{id}: 403 for a non-member who is not a Curator."""
        with self.lock:
            found = self.world.collections.get(collection_id)
            if found is None:
                raise NotFound(f"Collection with id '{collection_id}' was not found.")
            if not (user.is_curator or user.id in found.user_ids):
                raise Forbidden("You do not have permission to view this collection.")
            return out.collection_full(found)
