"""The JSON routes; platform failures answer JSON errors with the failing connection named."""
from __future__ import annotations

from flask import abort, jsonify, request
from flask_login import login_required

from app.api import bp
from app.api.serialize import to_json
from app.cache import derived
from app.connections import service_or_404
from app.errors import NotFound
from app.listing import ScheduleFilters, chosen_filters
from app.pagination import clamp_page, page_of
from app.platforms.registry import PLATFORM_KEYS

MAX_PER_PAGE = 500


def _platform(platform: str) -> None:
    if platform not in PLATFORM_KEYS:
        abort(404, description=f"Unknown platform {platform!r}.")


def _per_page() -> int:
    return min(MAX_PER_PAGE, clamp_page(request.args.get("per_page"), default=50))


def _page_json(page) -> dict:
    return {"items": to_json(page.items), "page": page.page, "per_page": page.per_page, "total": page.total,
            "pages": page.pages}


@bp.route("/<platform>/<connection>/schedules")
@login_required
def schedules(platform: str, connection: str):
    _platform(platform)
    fetched = service_or_404(connection, platform).schedules()
    filters = ScheduleFilters.from_args(request.args)
    shown = derived(f"{connection}:schedules:{filters!r}", fetched.fetched_at, lambda: filters.apply(fetched.value))
    body = _page_json(page_of(shown, clamp_page(request.args.get("page")), _per_page()))
    body["stale"] = fetched.stale.describe() if fetched.stale else None
    return jsonify(body)


@bp.route("/<platform>/<connection>/runs")
@login_required
def runs(platform: str, connection: str):
    _platform(platform)
    svc = service_or_404(connection, platform)
    page = svc.runs(page=clamp_page(request.args.get("page")), per_page=_per_page(),
                    status=request.args.get("status") or None, target=request.args.get("target") or None,
                    filters=chosen_filters(svc.run_filters(), request.args))
    return jsonify(_page_json(page))


@bp.route("/<platform>/<connection>/runs/<run_id>")
@login_required
def run(platform: str, connection: str, run_id: str):
    _platform(platform)
    try:
        record = service_or_404(connection, platform).run(run_id)
    except NotFound:
        abort(404, description=f"{connection} has no run {run_id!r}.")
    return jsonify(to_json(record))
