"""Team Studio's own pages beyond the shared four: the workspaces list, one workspace, the admin inventory."""
from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from flask_login import login_required

from app.api.serialize import to_json
from app.auth.roles import role_required
from app.cache import stale_notes
from app.concurrency import parallel_calls
from app.connections import service_or_404
from app.errors import NotFound, PlatformError
from app.exports import json_response
from app.listing import matching, search_text
from app.pagination import clamp_page, page_of, requested_per_page
from app.platforms.inventory_pages import Section, render_inventory
from app.platforms.teamstudio import bp
from app.platforms.teamstudio.inventory import TeamStudioInventory, WorkspaceInfo
from app.platforms.views import fetch_or_banner, unique_errors

STATES = ("active", "archived")
SECTIONS = (Section("users", "Users", "name, username or email"),
            Section("members", "Workspace members", "workspace, member or role"),
            Section("sources", "Data sources", "name, type, host or database"))


def _inventory(connection: str) -> tuple[Any, TeamStudioInventory]:
    svc = service_or_404(connection, "teamstudio")
    return svc, TeamStudioInventory(svc)




def _workspaces_shown(spaces: list[WorkspaceInfo], q: str, state: str) -> list[WorkspaceInfo]:
    return [s for s in matching(spaces, q, lambda s: (s.name,))
            if not state or s.active == (state == "active")]


def _state() -> str:
    state = request.args.get("state", "")
    return state if state in STATES else ""


@bp.route("/<connection>/workspaces")
@login_required
def workspaces(connection: str):
    """Every workspace the service account sees: owner, visibility, state, stage, members; search and state."""
    svc, inventory = _inventory(connection)
    errors: list[PlatformError] = []
    fetched = fetch_or_banner(inventory.workspaces, errors)
    q, state = search_text(request.args), _state()
    shown = _workspaces_shown(fetched.value if fetched else [], q, state)
    page = page_of(shown, clamp_page(request.args.get("page")), requested_per_page())
    return render_template("teamstudio/workspaces.html", svc=svc, page=page, errors=errors, fetched=fetched, q=q,
                           state=state, states=STATES)


@bp.route("/<connection>/workspaces.json")
@login_required
def workspaces_json(connection: str):
    """The workspaces page's filtered table, whole; a platform failure is a JSON error body."""
    _, inventory = _inventory(connection)
    fetched = inventory.workspaces()
    shown = _workspaces_shown(fetched.value, search_text(request.args), _state())
    return json_response(f"teamstudio-{connection}-workspaces", {
        "items": to_json(shown), "total": len(shown), "stale": fetched.stale.describe() if fetched.stale else None})


@bp.route("/<connection>/workspaces/<workspace_id>")
@login_required
def workspace(connection: str, workspace_id: str):
    """A workspace's facts, members with their roles, workfiles (workflows runnable) and jobs with their tasks."""
    svc, inventory = _inventory(connection)
    errors: list[PlatformError] = []
    try:
        fetched = inventory.workspace(workspace_id)
    except NotFound as error:
        abort(404, description=error.describe())
    except PlatformError as error:  # the rest would fail the same way: one banner says it
        return render_template("teamstudio/workspace.html", svc=svc, space=None, errors=[error], members=None,
                               workfiles=None, jobs=None)
    if fetched.stale is not None:
        errors.append(fetched.stale)
    members, workfiles, jobs = parallel_calls(
        lambda: fetch_or_banner(lambda: inventory.members(workspace_id), errors),
        lambda: fetch_or_banner(lambda: inventory.workfiles(workspace_id), errors),
        lambda: fetch_or_banner(lambda: inventory.jobs(workspace_id), errors))
    return render_template("teamstudio/workspace.html", svc=svc, space=fetched.value, errors=unique_errors(errors),
                           members=members, workfiles=workfiles, jobs=jobs)


def _section_rows(inventory: TeamStudioInventory, section: str, q: str, errors: list[PlatformError]):
    """The fetched copy behind a section and its rows matching q."""
    if section == "members":
        fetched = fetch_or_banner(inventory.memberships, errors)
        return fetched, matching(fetched.value if fetched else [], q, lambda m: (
            m.workspace_name, m.member.name, m.member.username, m.member.role))
    if section == "sources":
        fetched = fetch_or_banner(inventory.data_sources, errors)
        return fetched, matching(fetched.value if fetched else [], q, lambda s: (
            s.name, s.entity_type, s.host, *(d.name for d in s.databases or ())))
    fetched = fetch_or_banner(inventory.users, errors)
    return fetched, matching(fetched.value if fetched else [], q, lambda u: (u.name, u.username, u.email))


@bp.route("/<connection>/inventory")
@role_required("admin")
def inventory(connection: str):
    """Read-only admin inventory, a section at a time: users, workspace members, data sources and databases."""
    svc, reads = _inventory(connection)
    return render_inventory(svc, SECTIONS, "teamstudio/inventory.html",
                            lambda section, q, errors: _section_rows(reads, section, q, errors))


@bp.route("/<connection>/inventory.json")
@role_required("admin")
def inventory_json(connection: str):
    """The whole inventory: users, memberships, data sources with their databases; failures are JSON errors."""
    _, reads = _inventory(connection)
    users, memberships, sources = parallel_calls(reads.users, reads.memberships, reads.data_sources)
    stale = stale_notes(users, memberships, sources)
    return json_response(f"teamstudio-{connection}-inventory", {
        "users": to_json(users.value), "memberships": to_json(memberships.value),
        "data_sources": to_json(sources.value), "stale": stale})
