"""AAC's workspace members (GET /v4/people) as PlatformUsers, with what their workspace role lets them run.

Run rights by role (platforms/aac.md §10 gives each person `maximalPrivileges` [{resourceType, role}]):

| role on the workspace | can run | where |
| --- | --- | --- |
| `admin` | yes | every plan, flow and workflow of the workspace |
| `member` | yes | the plans, flows and workflows they own or that are shared with them |
| anything else, or none | unknown | the notes do not say |

A disabled person (`isDisabled`) or one whose `state` is not `active` (hidden: removed from the workspace) runs
nothing.
"""
from __future__ import annotations

from typing import Any

from app.platforms.records import PlatformUser
from app.platforms.timestamps import parse_time

PLATFORM = "aac"
RUN_SCOPES = {"admin": "every plan, flow and workflow of the workspace",
              "member": "plans, flows and workflows they own or that are shared with them"}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def workspace_roles(raw: dict) -> tuple[str, ...]:
    """The person's roles as "<resource> <role>" ("workspace admin"), from maximalPrivileges."""
    privileges = raw.get("maximalPrivileges") if isinstance(raw.get("maximalPrivileges"), list) else []
    return tuple(sorted({f"{_text(p.get('resourceType')) or 'workspace'} {_text(p.get('role'))}".strip()
                         for p in privileges if isinstance(p, dict) and _text(p.get("role"))}))


def normalize_person(raw: dict, connection: str) -> PlatformUser:
    """One Person object; `isDisabled` and `state` decide whether the account is active."""
    state = _text(raw.get("state")) or "active"
    disabled = raw.get("isDisabled") is True
    active = not disabled and state == "active"
    roles = workspace_roles(raw)
    role_words = {r.split(" ")[-1] for r in roles if r.startswith("workspace ")}
    role = "admin" if "admin" in role_words else "member" if "member" in role_words else ""
    if not active:
        can_run, scope = False, "nothing: the account is " + ("disabled" if disabled else state)
    elif role:
        can_run, scope = True, RUN_SCOPES[role]
    else:
        can_run, scope = None, "unknown: no workspace role is given"
    email = _text(raw.get("email"))
    return PlatformUser(
        connection=connection, platform=PLATFORM, id=_text(raw.get("id")), username=email,
        name=_text(raw.get("name")) or email or f"person {raw.get('id')}", email=email, roles=roles, active=active,
        last_seen=parse_time(raw.get("lastLoginTime")), can_run=can_run, run_scope=scope,
        status="disabled" if disabled else ("" if state == "active" else state))


def normalize_people(raw: list[dict], connection: str) -> list[PlatformUser]:
    """Every person, by name."""
    return sorted((normalize_person(p, connection) for p in raw if isinstance(p, dict) and "id" in p),
                  key=lambda u: u.name.lower())
