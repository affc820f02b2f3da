"""The front page: every connection's tile, headline figures and charts across all of them."""
from __future__ import annotations

from flask import jsonify, render_template, request
from flask_login import login_required

from app.api.serialize import to_json
from app.cache import Fetched
from app.exports import csv_response, json_response
from app.overview import tables
from app.overview.failing import failing_schedules
from app.overview.tables import CrossFilters
from app.pagination import clamp_page, page_of, requested_per_page
from app.platforms.records import RunStatus

from app.connections import registry
from app.fanout import gather
from app.overview import bp
from app.overview.summary import collect, digest, headline, now_utc, overview_charts, tile


@bp.route("/")
@login_required
def index():
    connections = registry().all()
    outcomes = gather([c.name for c in connections], digest)
    tiles = [tile(c, outcomes[c.name]) for c in connections]
    return render_template("overview/index.html", tiles=tiles, totals=headline(tiles),
                           charts=overview_charts(tiles, now_utc()))


@bp.route("/failing")
@login_required
def failing():
    connections = registry().all()
    outcomes = gather([c.name for c in connections], collect)
    schedules = [s for o in outcomes.values() if o.value for s in o.value.schedules or []]
    runs = [r for o in outcomes.values() if o.value for r in o.value.runs or []]
    problems = [o.error for o in outcomes.values() if not o.ok]
    problems += [p for o in outcomes.values() if o.value for p in o.value.problems]
    found = failing_schedules(schedules, runs)
    services = {c.name: registry().service(c.name) for c in connections}
    return render_template("overview/failing.html", failing=found, problems=problems, now=now_utc(),
                           services=services)


READS = {
    "schedules": lambda svc: svc.schedules() if svc.has_schedules else None,
    "runs": lambda svc: svc.recent_runs(),
    "workflows": lambda svc: svc.workflows(),
}
TITLES = {"schedules": "All schedules", "runs": "All runs", "workflows": "All workflows"}


def _everywhere(kind: str) -> tuple[list, list[str]]:
    """Every connection's records of one kind, read in parallel; problems name the connections that failed."""
    def read(name: str) -> Fetched | None:
        return READS[kind](registry().service(name))
    outcomes = gather([c.name for c in registry().all()], read)
    records: list = []
    problems: list[str] = []
    for outcome in outcomes.values():
        if not outcome.ok:
            problems.append(outcome.error)
        elif outcome.value is not None:
            records.extend(outcome.value.value)
            if outcome.value.stale is not None:
                problems.append(f"{outcome.value.stale.describe()} (showing a copy "
                                f"{int(outcome.value.age_seconds)} s old)")
    return records, problems


def _table(kind: str):
    records, problems = _everywhere(kind)
    filters = CrossFilters.from_args(kind, request.args)
    shown = filters.apply(records)
    export = request.args.get("export", "")
    if export == "csv":
        return csv_response(f"flightdeck-{kind}", tables.header(kind), tables.rows(kind, shown))
    if export == "json":
        return json_response(f"flightdeck-{kind}", {"items": to_json(shown), "total": len(shown),
                                                    "problems": problems})
    page = page_of(shown, clamp_page(request.args.get("page")), requested_per_page())
    connections = registry().all()
    services = {c.name: registry().service(c.name) for c in connections}
    return render_template(
        "overview/records.html", kind=kind, title=TITLES[kind], page=page, filters=filters, problems=problems,
        columns=tables.COLUMNS[kind], services=services, platforms=sorted({c.platform for c in connections}),
        connections=[c.name for c in connections], owners=tables.owners(records),
        statuses=[s.value for s in RunStatus])


@bp.route("/schedules")
@login_required
def all_schedules():
    return _table("schedules")


@bp.route("/runs")
@login_required
def all_runs():
    return _table("runs")


@bp.route("/workflows")
@login_required
def all_workflows():
    return _table("workflows")


@bp.route("/healthz")
def healthz():
    """For load balancers: the process answers and the database is reachable."""
    from app.extensions import db
    db.session.execute(db.text("SELECT 1"))
    return jsonify({"status": "ok"})
