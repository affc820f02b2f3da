"""Alooma's admin inventory: users, secret names, credits used per day and in the period, the deployment."""
from __future__ import annotations

from typing import Any

from app.api.serialize import to_json
from app.auth.roles import role_required
from app.cache import Fetched, stale_notes
from app.concurrency import parallel_calls
from app.connections import service_or_404
from app.errors import PlatformError
from app.exports import json_response
from app.listing import matching
from app.platforms.alooma import bp
from app.platforms.alooma.inventory import AccountOverview, AloomaInventory, CompanyCredits, credits_chart
from app.platforms.inventory_pages import Section, render_inventory
from app.platforms.views import fetch_or_banner

SECTIONS = (Section("users", "Users", "email or name"),
            Section("secrets", "Secrets", "secret name"),
            Section("account", "Credits and deployment", ""))


def _inventory(connection: str) -> tuple[Any, AloomaInventory]:
    svc = service_or_404(connection, "alooma")
    return svc, AloomaInventory(svc)


def _account(reads: AloomaInventory, errors: list[PlatformError]) -> Fetched[AccountOverview]:
    """Credits, the period and the deployment read together; a part that fails is a banner, the others still show.
    The section's copy is as old as its oldest part and stale when any part is."""
    days, company, deployment = parallel_calls(
        lambda: fetch_or_banner(reads.credits, errors), lambda: fetch_or_banner(reads.company, errors),
        lambda: fetch_or_banner(reads.deployment, errors))
    parts = [f for f in (days, company, deployment) if f is not None]
    overview = AccountOverview(days=days.value if days else None,
                               chart=credits_chart(days.value) if days else None,
                               company=company.value if company else None,
                               deployment=deployment.value if deployment else None)
    return Fetched(overview, min((f.fetched_at for f in parts), default=0.0),
                   next((f.stale for f in parts if f.stale is not None), None))


def _section_rows(reads: AloomaInventory, section: str, q: str, errors: list[PlatformError]):
    """The fetched copy behind a section and its rows matching q (the account section has no rows)."""
    if section == "account":
        return _account(reads, errors), []
    if section == "secrets":
        fetched = fetch_or_banner(reads.secret_names, errors)
        return fetched, matching(fetched.value if fetched else [], q, lambda name: (name,))
    fetched = fetch_or_banner(reads.users, errors)
    return fetched, matching(fetched.value if fetched else [], q, lambda u: (u.email, u.name))


@bp.route("/<connection>/inventory")
@role_required("admin")
def inventory(connection: str):
    """Read-only admin inventory, a section at a time: users, secret names, credits and the deployment."""
    svc, reads = _inventory(connection)
    return render_inventory(svc, SECTIONS, "alooma/inventory.html",
                            lambda section, q, errors: _section_rows(reads, section, q, errors))


@bp.route("/<connection>/inventory.json")
@role_required("admin")
def inventory_json(connection: str):
    """The whole inventory; secrets by name only. A platform failure is a JSON error body (app.errors)."""
    _, reads = _inventory(connection)
    users, secrets, days, company, deployment = parallel_calls(
        reads.users, reads.secret_names, reads.credits, reads.company, reads.deployment)
    stale = stale_notes(users, secrets, days, company, deployment)
    return json_response(f"alooma-{connection}-inventory", {
        "users": [dict(to_json(u), name=u.name, status=u.status) for u in users.value],
        "secret_names": secrets.value,
        "credits_per_day": [{"date": d.day.isoformat(), "credits": d.credits, "partial": d.partial}
                            for d in days.value],
        "company_credits": _company_json(company.value),
        "deployment": to_json(deployment.value), "stale": stale})


def _company_json(company: CompanyCredits) -> dict[str, Any]:
    """Days as ISO dates (Flask would write a date as an HTTP date), with the percent used."""
    return dict(to_json(company), start=company.start.isoformat() if company.start else None,
                end=company.end.isoformat() if company.end else None, percent_used=company.percent_used)
