"""Alooma's scheduled query page: its facts, Run now followed live until the query's next state, and Remove."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, jsonify, redirect, render_template, url_for
from flask_login import login_required

from app.auth.roles import role_required
from app.connections import service_or_404
from app.errors import NotFound, PlatformError
from app.platforms.alooma import bp
from app.platforms.alooma.queries import AloomaQueries, QueryDetail
from app.platforms.forms import ConfirmForm
from app.platforms.records import RunStatus
from app.platforms.views import confirmed_action
from app.templating import duration_text

PLATFORM = "alooma"


def _queries(connection: str) -> tuple[Any, AloomaQueries]:
    svc = service_or_404(connection, PLATFORM)
    return svc, AloomaQueries(svc)


def _took(detail: QueryDetail) -> timedelta | None:
    """Time so far while it runs, the run's length once it succeeded; none for a failed one (Alooma gives no end)."""
    run = detail.latest
    if run is None or run.elapsed is None or not (detail.running or run.finished):
        return None
    return max(run.elapsed, timedelta(0))  # Alooma's clock a little ahead of ours is not a negative time


def _status_body(detail: QueryDetail) -> dict[str, Any]:
    """The keys static/js/live.js reads of a run (status, platform_status, final, started, finished, duration),
    plus the query's own; `final` once the query no longer runs, whatever it then says."""
    run = detail.latest

    def iso(moment: Any) -> str | None:
        return moment.isoformat() if moment else None

    return {"id": detail.id, "status": (detail.status or RunStatus.UNKNOWN).value,
            "platform_status": detail.status_word, "final": not detail.running,
            "started": iso(detail.last_processing), "finished": iso(run.finished if run else None),
            "duration": duration_text(_took(detail)), "last_success": iso(detail.last_success),
            "next_run": iso(detail.schedule.next_run), "error_count": detail.error_count,
            "errors": [detail.error_message] if detail.error_message else []}


@bp.route("/<connection>/queries/<query_id>")
@login_required
def query(connection: str, query_id: str):
    """The query read live: timing, last processing and success, errors with the stack, its SQL; while it runs the
    page follows it (status.json) until it succeeds or fails."""
    svc, queries = _queries(connection)
    try:
        detail = queries.detail(query_id)
    except NotFound as error:
        abort(404, description=error.describe())
    except PlatformError as error:  # a banner, and the page still offers its way back
        return render_template("alooma/query.html", svc=svc, query=None, query_id=query_id, errors=[error],
                               took=None)
    return render_template("alooma/query.html", svc=svc, query=detail, query_id=query_id, errors=[],
                           took=_took(detail))


@bp.route("/<connection>/queries/<query_id>/status.json")
@login_required
def query_status(connection: str, query_id: str):
    """The query's status and times for the page's follower; failures are JSON error bodies (app.errors)."""
    _, queries = _queries(connection)
    return jsonify(_status_body(queries.detail(query_id)))


@bp.route("/<connection>/queries/<query_id>/remove", methods=["GET", "POST"])
@role_required("operator")
def query_remove(connection: str, query_id: str):
    """Remove the query after a confirm step; audited whatever Alooma answers. Removed: back to the schedules;
    refused: back to the query, which Alooma kept."""
    svc, queries = _queries(connection)
    try:
        found = queries.summary(query_id)
    except NotFound as error:
        abort(404, description=error.describe())
    form = ConfirmForm()
    if form.validate_on_submit():
        removed: list[bool] = []
        confirmed_action(
            "schedule_delete", lambda: (queries.remove(query_id), removed.append(True)),
            audit=dict(connection=connection, platform=PLATFORM, object_type="schedule", object_id=query_id),
            params={"name": found.name}, done=f"Removed the scheduled query {found.name}.",
            failed=f"Could not remove {found.name}")
        if removed:
            return redirect(url_for("alooma.schedules", connection=connection))
        return redirect(url_for("alooma.query", connection=connection, query_id=query_id))
    return render_template("alooma/query_remove.html", svc=svc, schedule=found, form=form)
