"""The front page: every connection's tile, headline figures and charts across all of them."""
from __future__ import annotations

from dataclasses import dataclass

from flask import jsonify, render_template, request
from flask_login import login_required
from markupsafe import Markup

from app.api.serialize import to_json
from app.auth.roles import can
from app.cache import Fetched, derived
from app.connections import registry
from app.exports import csv_response, json_response
from app.fanout import gather
from app.overview import bp, tables
from app.overview.failing import failing_schedules
from app.overview.summary import collect, collected_version, digest, headline, now_utc, overview_charts, tile
from app.overview.tables import CrossFilters
from app.pagination import clamp_page, page_of, requested_per_page
from app.platforms.records import RunStatus


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
    problems = [o.error for o in outcomes.values() if not o.ok]
    problems += [p for o in outcomes.values() if o.value for p in o.value.problems]
    found = derived("failing", collected_version(outcomes), lambda: failing_schedules(
        [s for o in outcomes.values() if o.value for s in o.value.schedules or []],
        [r for o in outcomes.values() if o.value for r in o.value.runs or []]))
    services = {c.name: registry().service(c.name) for c in connections}
    page = page_of(found, clamp_page(request.args.get("page")), requested_per_page())
    return render_template("overview/failing.html", page=page, problems=problems, now=now_utc(),
                           services=services, operator=can("operator"))


READS = {
    "schedules": lambda svc: svc.schedules() if svc.has_schedules else None,
    "runs": lambda svc: svc.recent_runs(),
    "workflows": lambda svc: svc.workflows(),
}
TITLES = {"schedules": "All schedules", "runs": "All runs", "workflows": "All workflows"}


@dataclass(frozen=True)
class Gathered:
    """One kind of record read from every connection: each connection's cached copy, and the problems met."""

    parts: tuple[tuple[str, Fetched], ...]
    problems: tuple[str, ...]

    @property
    def version(self) -> tuple[tuple[str, float], ...]:
        """Which copies these are: what a filtered list made from them is valid for."""
        return tuple((name, fetched.fetched_at) for name, fetched in self.parts)

    def records(self) -> list:
        return [record for _, fetched in self.parts for record in fetched.value]


def _everywhere(kind: str) -> Gathered:
    """Every connection's records of one kind, read in parallel; problems name the connections that failed."""
    def read(name: str) -> Fetched | None:
        return READS[kind](registry().service(name))
    outcomes = gather([c.name for c in registry().all()], read)
    parts: list[tuple[str, Fetched]] = []
    problems: list[str] = []
    for name, outcome in outcomes.items():
        if not outcome.ok:
            problems.append(outcome.error)
        elif outcome.value is not None:
            parts.append((name, outcome.value))
            if outcome.value.stale is not None:
                problems.append(f"{outcome.value.stale.describe()} (showing a copy "
                                f"{int(outcome.value.age_seconds)} s old)")
    return Gathered(tuple(parts), tuple(problems))


def _table(kind: str):
    gathered = _everywhere(kind)
    filters = CrossFilters.from_args(kind, request.args)
    shown = derived(f"all-{kind}:{filters!r}", gathered.version, lambda: filters.apply(gathered.records()))
    problems = list(gathered.problems)
    export = request.args.get("export", "")
    if export == "csv":
        return csv_response(f"flightdeck-{kind}", tables.header(kind), tables.rows(kind, shown))
    if export == "json":
        return json_response(f"flightdeck-{kind}", {"items": to_json(shown), "total": len(shown),
                                                    "problems": problems})
    page = page_of(shown, clamp_page(request.args.get("page")), requested_per_page())
    connections = registry().all()
    services = {c.name: registry().service(c.name) for c in connections}
    operator = can("operator")
    # The rows hold no per-viewer text beyond the Run buttons (times are turned into the viewer's zone
    # in the browser), so one rendering serves every request for this page of this copy of the data.
    # Markup only marks the finished fragment as HTML: _rows.html is autoescaped like every template, so
    # the platform's names in it are already escaped (test_names_with_markup_are_escaped).
    rows = derived(f"all-{kind}:rows:{filters!r}:{page.page}:{page.per_page}:{operator}:{bool(problems)}",
                   gathered.version, lambda: Markup(render_template(
                       "overview/_rows.html", kind=kind, page=page, services=services, operator=operator,
                       columns=tables.COLUMNS[kind], problems=problems)))
    return render_template(
        "overview/records.html", kind=kind, title=TITLES[kind], page=page, filters=filters, problems=problems,
        rows=rows, columns=tables.COLUMNS[kind], platforms=sorted({c.platform for c in connections}),
        connections=[c.name for c in connections],
        owners=derived(f"all-{kind}:owners", gathered.version, lambda: tables.owners(gathered.records())),
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
