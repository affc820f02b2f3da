"""Team Studio pages: the shared platform pages, plus a finished run's results (operator outputs and log)."""
from flask import abort, render_template
from flask_login import login_required

from app.connections import service_or_404
from app.errors import NotFound
from app.exports import json_response
from app.platforms.teamstudio import bp
from app.platforms.teamstudio.results import ROWS_SHOWN, operator_outputs
from app.platforms.views import add_standard_routes

add_standard_routes(bp, "teamstudio")


def _results_or_404(connection: str, run_id: str):
    svc = service_or_404(connection, "teamstudio")
    try:
        run, raw = svc.results(run_id)
    except NotFound as error:
        abort(404, description=error.describe())
    return svc, run, raw


@bp.route("/<connection>/runs/<run_id>/results")
@login_required
def results(connection: str, run_id: str):
    """Run metadata, the log, and every operator's output in order, tables as tables."""
    svc, run, raw = _results_or_404(connection, run_id)
    return render_template("teamstudio/results.html", svc=svc, run=run, meta=raw.get("flowMetaInfo") or {},
                           outputs=operator_outputs(raw), rows_shown=ROWS_SHOWN)


@bp.route("/<connection>/runs/<run_id>/results.json")
@login_required
def results_json(connection: str, run_id: str):
    """The raw results as Team Studio sent them (decoded once more than on the wire)."""
    _, run, raw = _results_or_404(connection, run_id)
    return json_response(f"teamstudio-results-{run.id}", raw)
