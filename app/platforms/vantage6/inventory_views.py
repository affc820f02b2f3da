"""vantage6's own pages beyond the shared ones: the collaborations with their nodes, one collaboration, and the
admin inventory (organisations, users, roles with their rules, nodes)."""
from __future__ import annotations

from typing import Any

from flask import abort, render_template
from flask_login import login_required

from app.api.serialize import to_json
from app.auth.roles import role_required
from app.cache import stale_notes
from app.charts import STATUS_COLOURS, bar
from app.concurrency import parallel_calls
from app.connections import service_or_404
from app.errors import NotFound, PlatformError
from app.exports import json_response
from app.listing import matching
from app.platforms.inventory_pages import Section, render_inventory
from app.platforms.vantage6 import bp
from app.platforms.vantage6.inventory import CollaborationInfo, TaskTally, Vantage6Inventory
from app.platforms.vantage6.normalize import to_status
from app.platforms.views import fetch_or_banner, unique_errors

SECTIONS = (Section("organizations", "Organisations", "name, country or domain"),
            Section("users", "Users", "name, username, email, organisation or role"),
            Section("roles", "Roles and rules", "role, organisation or rule"),
            Section("nodes", "Nodes", "node, organisation, collaboration, status or ip"))


def _inventory(connection: str) -> tuple[Any, Vantage6Inventory]:
    svc = service_or_404(connection, "vantage6")
    return svc, Vantage6Inventory(svc)




def _task_charts(tally: TaskTally | None, collaborations: list[CollaborationInfo]) -> dict[str, Any]:
    """Bars of the recent top-level tasks per collaboration (by name) and per vantage6 status word, each word
    coloured as the common status it counts as."""
    if tally is None or not tally.total:
        return {}
    names = {c.id: c.name for c in collaborations}
    per_collab = bar([names.get(ident, f"collaboration {ident}") for ident, _ in tally.by_collaboration],
                     [{"label": "tasks", "data": [n for _, n in tally.by_collaboration]}],
                     horizontal=len(tally.by_collaboration) > 6)
    per_status = bar([word for word, _ in tally.by_status],
                     [{"label": "tasks", "data": [n for _, n in tally.by_status],
                       "backgroundColor": [STATUS_COLOURS[to_status(word)] for word, _ in tally.by_status]}],
                     horizontal=len(tally.by_status) > 6)
    return {"per_collaboration": per_collab, "per_status": per_status, "total": tally.total}


@bp.route("/<connection>/collaborations")
@login_required
def collaborations(connection: str):
    """Every collaboration: encrypted or not, its organisations and each one's node (online or not, last seen),
    with charts of the recent tasks per collaboration and per status."""
    svc, inventory = _inventory(connection)
    errors: list[PlatformError] = []
    fetched, tally = parallel_calls(lambda: fetch_or_banner(inventory.collaborations, errors),
                                    lambda: fetch_or_banner(inventory.task_tally, errors))
    collabs = fetched.value if fetched else []
    return render_template("vantage6/collaborations.html", svc=svc, collaborations=collabs, fetched=fetched,
                           errors=unique_errors(errors), charts=_task_charts(tally.value if tally else None, collabs))


@bp.route("/<connection>/collaborations.json")
@login_required
def collaborations_json(connection: str):
    """The collaborations with their organisations and nodes, and the task counts; failures are JSON errors."""
    _, inventory = _inventory(connection)
    fetched, tally = parallel_calls(inventory.collaborations, inventory.task_tally)
    stale = stale_notes(fetched, tally)
    return json_response(f"vantage6-{connection}-collaborations", {
        "items": to_json(fetched.value), "total": len(fetched.value), "recent_tasks": to_json(tally.value),
        "stale": stale})


@bp.route("/<connection>/collaborations/<collaboration_id>")
@login_required
def collaboration(connection: str, collaboration_id: str):
    """One collaboration: its organisations and their nodes, and its newest tasks."""
    svc, inventory = _inventory(connection)
    errors: list[PlatformError] = []
    try:
        fetched = inventory.collaboration(collaboration_id)
    except NotFound as error:
        abort(404, description=error.describe())
    except PlatformError as error:  # the tasks would fail the same way: one banner says it
        return render_template("vantage6/collaboration.html", svc=svc, collab=None, errors=[error], tasks=None)
    if fetched.stale is not None:
        errors.append(fetched.stale)
    tasks = fetch_or_banner(lambda: inventory.collaboration_tasks(collaboration_id), errors)
    return render_template("vantage6/collaboration.html", svc=svc, collab=fetched.value, errors=unique_errors(errors),
                           tasks=tasks.value if tasks else None)


def _section_rows(inventory: Vantage6Inventory, section: str, q: str, errors: list[PlatformError]):
    """The fetched copy behind a section and its rows matching q."""
    if section == "users":
        fetched = fetch_or_banner(inventory.users, errors)
        return fetched, matching(fetched.value if fetched else [], q, lambda u: (
            u.name, u.username, u.email, u.organization, *u.roles))
    if section == "roles":
        fetched = fetch_or_banner(inventory.roles, errors)
        return fetched, matching(fetched.value if fetched else [], q, lambda r: (
            r.name, r.description, r.organization, *(f"{x.name} {x.operation} {x.scope}" for x in r.rules)))
    if section == "nodes":
        fetched = fetch_or_banner(inventory.nodes, errors)
        return fetched, matching(fetched.value if fetched else [], q, lambda n: (
            n.name, n.organization, n.collaboration, n.status, n.ip))
    fetched = fetch_or_banner(inventory.organizations, errors)
    return fetched, matching(fetched.value if fetched else [], q, lambda o: (o.name, o.country, o.domain))


@bp.route("/<connection>/inventory")
@role_required("admin")
def inventory(connection: str):
    """Read-only admin inventory, a section at a time: organisations, users, roles with their rules, nodes."""
    svc, reads = _inventory(connection)
    return render_inventory(svc, SECTIONS, "vantage6/inventory.html",
                            lambda section, q, errors: _section_rows(reads, section, q, errors))


@bp.route("/<connection>/inventory.json")
@role_required("admin")
def inventory_json(connection: str):
    """The whole inventory: organisations, users with their roles, roles with their rules, nodes."""
    _, reads = _inventory(connection)
    orgs, users, roles, nodes = parallel_calls(reads.organizations, reads.users, reads.roles, reads.nodes)
    stale = stale_notes(orgs, users, roles, nodes)
    return json_response(f"vantage6-{connection}-inventory", {
        "organizations": to_json(orgs.value), "users": to_json(users.value), "roles": to_json(roles.value),
        "nodes": to_json(nodes.value), "stale": stale})
