"""Sessions and users: log in and out, who am I, and the /api/users endpoints (paged list, get, create, put, delete)."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from sandbox.common.locking import locked
from sandbox.teamstudio.base import BackendBase
from sandbox.teamstudio.errors import Unauthorized, Unprocessable
from sandbox.teamstudio.paging import paginate
from sandbox.teamstudio.serialize import user_json
from sandbox.common.sessions import Session
from sandbox.teamstudio.world import USER_TYPES, User

BAD_LOGIN = "Username or password is incorrect."
NO_SESSION = "Your session has expired or does not exist. Please log in again."
ROLE_NAMES = ("admin", "data_admin")
TEXT_FIELDS = ("first_name", "last_name", "email", "title", "dept", "notes")


def _flag(body: Mapping[str, Any], name: str, current: bool) -> bool:
    """A boolean field sent as JSON true/false or "true"/"false"; absent keeps current."""
    if name not in body or body[name] is None:
        return current
    value = body[name]
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "false"):
        return str(value).lower() == "true"
    raise Unprocessable(f"{name} must be true or false.", {name: "INVALID"})


def _roles(value: Any) -> list[str]:
    """roles as the client sends them: "", "admin", "data_admin", or a list of those."""
    names = [value] if isinstance(value, str) else list(value or [])
    names = [str(n) for n in names if str(n)]
    unknown = [n for n in names if n not in ROLE_NAMES]
    if unknown:
        raise Unprocessable(f"Unknown role {unknown[0]!r}; roles are admin or data_admin.", {"roles": "INVALID"})
    return names


def _apply(user: User, body: Mapping[str, Any]) -> None:
    """Copy the writable fields of a POST/PUT body onto user (checked before anything changes)."""
    texts = {name: str(body[name]) for name in TEXT_FIELDS if name in body and body[name] is not None}
    user_type = body.get("user_type") or user.user_type
    if user_type not in USER_TYPES:
        raise Unprocessable(f"user_type must be one of {', '.join(USER_TYPES)}.", {"user_type": "INVALID"})
    admin, subscribed = _flag(body, "admin", user.admin), _flag(body, "subscribed_to_emails", user.subscribed_to_emails)
    data_admin = user.data_admin
    if "roles" in body:
        roles = _roles(body["roles"])
        admin, data_admin = admin or "admin" in roles, "data_admin" in roles
    for name, value in texts.items():
        setattr(user, name, value)
    user.user_type, user.admin, user.data_admin, user.subscribed_to_emails = user_type, admin, data_admin, subscribed


class PeopleMixin(BackendBase):
    """Login, sessions and user administration."""

    @locked
    def login(self, username: str | None, password: str | None) -> tuple[Session, dict[str, Any]]:
        """A new session for matching credentials (401 otherwise) and the login reply's `response`."""
        user = self.world.user_by_name(username or "")
        if user is None or not password or user.password != password:
            raise Unauthorized(BAD_LOGIN, {"username_or_password": "INVALID"})
        session = self.sessions.open(user.id, self.now(), self.faults.token_lifetime)
        return session, {"session_id": session.token, "user": user_json(user)}

    @locked
    def authenticate(self, token: str | None) -> tuple[User, Session]:
        """The user and session behind a token still valid on the emulator clock (401 otherwise)."""
        session = self.sessions.live(token, self.now())
        user = self.world.users.get(session.owner) if session else None
        if session is None or user is None:
            raise Unauthorized(NO_SESSION)
        return user, session

    def whoami(self, user: User, session: Session) -> dict[str, Any]:
        """GET /api/sessions: the session id and its user (the seed's get_status object)."""
        return {"session_id": session.token, "user": user_json(user)}

    def logout(self, session: Session) -> None:
        """End the session (DELETE /api/sessions)."""
        self.sessions.end(session.token)

    @locked
    def list_users(self, page: int, per_page: int) -> dict[str, Any]:
        """Every user by id, one page of them."""
        return paginate(list(self.world.users.values()), page, per_page, user_json)

    @locked
    def get_user(self, user_id: int) -> dict[str, Any]:
        """One user, complete."""
        return {"response": user_json(self.user_or_404(user_id), complete=True)}

    @locked
    def create_user(self, viewer: User, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST /api/users (admins only): username unique, password/first/last/email required."""
        self.require_admin(viewer)
        missing = [n for n in ("username", "password", "first_name", "last_name", "email") if not body.get(n)]
        if missing:
            raise Unprocessable(f"{', '.join(missing)} can't be blank.", {n: "BLANK" for n in missing})
        if self.world.user_by_name(str(body["username"])):
            raise Unprocessable(f"Username {body['username']!r} has already been taken.", {"username": "TAKEN"})
        user = User(0, str(body["username"]), str(body["password"]), "", "", "", "", "", "", False, False,
                    "business_user", False, self.now().replace(microsecond=0))
        _apply(user, body)
        user.id = self.world.new_id("users")
        self.world.users[user.id] = user
        return {"response": user_json(user, complete=True)}

    @locked
    def update_user(self, viewer: User, user_id: int, body: Mapping[str, Any]) -> dict[str, Any]:
        """PUT /api/users/{id}: admins change anyone; others only themselves and not their roles or type."""
        user = self.user_or_404(user_id)
        if viewer.id != user.id:
            self.require_admin(viewer)
        if not viewer.admin:
            probe = replace(user)
            _apply(probe, body)
            if (probe.admin, probe.data_admin, probe.user_type) != (user.admin, user.data_admin, user.user_type):
                self.require_admin(viewer)
        _apply(user, body)
        if body.get("password"):
            user.password = str(body["password"])
        return {"response": user_json(user, complete=True)}

    @locked
    def delete_user(self, viewer: User, user_id: int) -> None:
        """DELETE /api/users/{id} (admins only); not oneself, not a workspace owner. Their sessions end; the user
        leaves every list but stays the owner of their jobs, workfiles and data sources, marked is_deleted."""
        self.require_admin(viewer)
        user = self.user_or_404(user_id)
        if user.id == viewer.id:
            raise Unprocessable("You cannot delete yourself.", {"id": "INVALID"})
        owned = [s.id for s in self.world.workspaces.values() if s.owner_id == user.id]
        if owned:
            raise Unprocessable(f"User {user_id} owns workspaces {owned}; transfer them first.", {"id": "OWNER"})
        self.world.deleted_users[user.id] = self.world.users.pop(user.id)  # soft: still named as an owner
        for space in self.world.workspaces.values():
            space.members = [m for m in space.members if m.user_id != user.id]
        self.sessions.end_for_user(user.id)
