"""Sweep pages: the sweeps of a connection, a new sweep (pick a workflow, a variable and its values), and one
sweep's runs followed until they end, then a chosen metric charted against the value."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import login_required

from app.auth.roles import role_required
from app.connections import service_or_404
from app.errors import NotFound, PlatformError
from app.extensions import db
from app.models import Sweep
from app.pagination import clamp_page, page_of, requested_per_page
from app.platforms.forms import RunForm
from app.platforms.teamstudio import bp
from app.platforms.teamstudio.sweep import find_sweep, parse_values, read_sweep, recent_sweeps, start_sweep
from app.platforms.views import fetch_or_banner


def _sweep_or_404(connection: str, sweep_id: str) -> Sweep:
    try:
        return find_sweep(connection, sweep_id)
    except NotFound as error:
        abort(404, description=error.describe())


@bp.route("/<connection>/sweeps")
@login_required
def sweeps(connection: str):
    """The sweeps started on this connection, newest first."""
    svc = service_or_404(connection, "teamstudio")
    page = page_of(recent_sweeps(svc.name), clamp_page(request.args.get("page")), requested_per_page())
    return render_template("teamstudio/sweeps.html", svc=svc, page=page)


@bp.route("/<connection>/sweeps/new", methods=["GET", "POST"])
@role_required("operator")
def sweep_new(connection: str):
    """Step one picks a workflow that declares variables; step two its variable and the values to run."""
    svc = service_or_404(connection, "teamstudio")
    errors: list[PlatformError] = []
    workflow_id = request.values.get("workflow", "").strip()
    if not workflow_id:
        everything = fetch_or_banner(svc.workflows, errors)
        choices = [w for w in (everything.value if everything else []) if w.runnable and w.parameters]
        return render_template("teamstudio/sweep_pick.html", svc=svc, choices=choices, errors=errors)
    try:
        workflow = svc.workflow("workflow", workflow_id)
    except NotFound as error:
        abort(404, description=error.describe())
    if not workflow.runnable or not workflow.parameters:
        abort(409, description=f"{workflow.name} declares no workflow variables to sweep.")
    form = RunForm()
    declared = [p.name for p in workflow.parameters]
    variable = request.form.get("variable", declared[0])
    text = request.form.get("values", "")
    field_errors: dict[str, str] = {}
    posted = request.method == "POST"
    if form.validate_on_submit():
        sweep_id = form.execution_id.data
        if db.session.get(Sweep, sweep_id) is not None:  # the same form sent twice: show the first sweep
            flash("This sweep was already started; showing it.", "info")
            return redirect(url_for("teamstudio.sweep", connection=svc.name, sweep_id=sweep_id))
        values, problem = parse_values(text)
        if variable not in declared:
            field_errors["variable"] = f"{workflow.name} has no variable {variable[:100]}; choose one from the list."
        if problem:
            field_errors["values"] = problem
        if not field_errors:
            sweep, failed = start_sweep(svc, workflow, variable, values, sweep_id)
            if failed:
                flash("Some runs did not start: " + "; ".join(failed), "error")
            else:
                flash(f"Started {len(values)} runs of {workflow.name}, one per value of {variable}.", "success")
            return redirect(url_for("teamstudio.sweep", connection=svc.name, sweep_id=sweep.id))
    elif posted:
        flash("The form was not accepted; reload and try again.", "error")
    return render_template("teamstudio/sweep_new.html", svc=svc, workflow=workflow, form=form, variable=variable,
                           text=text, field_errors=field_errors), 400 if posted else 200


@bp.route("/<connection>/sweeps/<sweep_id>")
@login_required
def sweep(connection: str, sweep_id: str):
    """The sweep's runs; once they have all ended, the chosen metric against the value."""
    svc = service_or_404(connection, "teamstudio")
    found = _sweep_or_404(svc.name, sweep_id)
    view = read_sweep(svc, found)
    names = view.metric_names
    metric = request.args.get("metric", "")
    metric = metric if metric in names else (names[0] if names else "")
    return render_template("teamstudio/sweep.html", svc=svc, view=view, metric=metric, names=names,
                           chart_spec=view.chart(metric) if metric else None)


@bp.route("/<connection>/sweeps/<sweep_id>/status.json")
@login_required
def sweep_status(connection: str, sweep_id: str):
    """What the sweep page polls: how many runs have not ended yet."""
    svc = service_or_404(connection, "teamstudio")
    view = read_sweep(svc, _sweep_or_404(svc.name, sweep_id))
    return jsonify({"id": view.sweep.id, "waiting": view.waiting, "done": view.waiting == 0,
                    "runs": [{"value": p.value, "run_id": p.run_id,
                              "status": p.run.status.value if p.run else None} for p in view.points]})
