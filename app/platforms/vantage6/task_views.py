"""The vantage6 task form: pick a collaboration, then its organisations (all or some), the image, the algorithm
input as JSON and the databases; started like every run here (one execution id per form, audited, remembered)."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_login import login_required

from app.auth.roles import role_required
from app.connections import service_or_404
from app.errors import NotFound, PlatformError
from app.exports import json_response
from app.platforms.forms import RunForm
from app.platforms.records import Workflow
from app.platforms.run_memory import last_used
from app.platforms.vantage6 import bp
from app.platforms.vantage6.normalize import short_image
from app.platforms.vantage6.tasks import spec_problems
from app.platforms.views import fetch_or_banner, show_if_already_started, start_and_follow, unique_errors

FIELDS = ("collaboration", "organizations", "image", "name", "description", "input", "databases")
BLANK = {"databases": "default", "input": '{\n  "method": "",\n  "args": [],\n  "kwargs": {}\n}'}


def _submitted() -> dict[str, str]:
    values = {field: request.form.get(field, "") for field in FIELDS}
    values["organizations"] = ",".join(o for o in request.form.getlist("organizations") if o.strip())
    return values


def _opening(svc, source: str) -> dict[str, str]:
    """A new form starts from the task it repeats, else from the last task started here, else blank."""
    if source.isdigit():
        found = svc.source_task(source)
        if not found:
            abort(404, description=f"{svc.name} has no task {source!r} to start again.")
        return found
    last = last_used(svc.name, "image", "new")
    return dict(last.params) if last else dict(BLANK)


@bp.route("/<connection>/tasks/new", methods=["GET", "POST"])
@role_required("operator")
def task_new(connection: str):
    """Create a task; a double click creates one (the form's execution id is claimed first)."""
    svc = service_or_404(connection, "vantage6")
    errors: list[PlatformError] = []
    members = fetch_or_banner(svc.collaboration_members, errors) or {}
    source = request.values.get("source", "").strip()
    posted = request.method == "POST"
    values = _submitted() if posted else _opening(svc, source)
    if not posted and request.args.get("collaboration", "").isdigit():
        values["collaboration"] = request.args["collaboration"]
    chosen = int(values["collaboration"]) if str(values.get("collaboration", "")).isdigit() else None
    if chosen not in members:
        encrypted = fetch_or_banner(svc.encrypted_collaborations, errors) or []
        return render_template("vantage6/task_pick.html", svc=svc, members=members, errors=unique_errors(errors),
                               source=source, encrypted=encrypted)
    if not posted and not values.get("organizations"):
        values["organizations"] = ",".join(str(o) for o, _ in members[chosen][1])  # all, unless told otherwise
    form = RunForm()
    field_errors: dict[str, str] = {}
    form_error = ""
    if form.validate_on_submit():
        repeat = show_if_already_started("vantage6", svc.name, form.execution_id.data)
        if repeat is not None:
            return repeat
        field_errors = spec_problems(values, {cid: {o for o, _ in orgs} for cid, (_, orgs) in members.items()})
        if not field_errors:
            image = values["image"].strip()
            workflow = Workflow(svc.name, "vantage6", "new", short_image(image), "image", "")
            started = start_and_follow(svc, "vantage6", svc.name, workflow, values, {}, form.execution_id.data)
            if not isinstance(started, PlatformError):
                return started
            form_error = started.describe()
            form = RunForm(formdata=None)  # nothing was created: a fresh execution id for the next try
    elif posted:
        form_error = "The form was not accepted (it may have expired); check the values and send it again."
    checked = {int(o) for o in values.get("organizations", "").split(",") if o.strip().isdigit()}
    return render_template("vantage6/task_new.html", svc=svc, form=form, values=values, members=members,
                           chosen=chosen, checked=checked, field_errors=field_errors, form_error=form_error,
                           errors=errors, source=source), 400 if posted else 200


@bp.route("/<connection>/tasks/<task_id>/runs/<run_id>/result.json")
@login_required
def run_result(connection: str, task_id: str, run_id: str):
    """One organisation's decoded result, as a download."""
    svc = service_or_404(connection, "vantage6")
    try:
        result = svc.run_result(task_id, run_id)
    except NotFound as error:
        abort(404, description=error.describe())
    return json_response(f"vantage6-task-{task_id}-run-{run_id}-result", result)
