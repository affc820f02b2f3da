"""Team Studio job pages: one job with its tasks (and its JSON), a new job, add and remove tasks, delete a job."""
from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import login_required

from app.api.serialize import to_json
from app.audit import record_action
from app.auth.roles import role_required
from app.cache import invalidate_after_action
from app.connections import service_or_404
from app.errors import NotFound, PlatformError, RateLimited, Unavailable
from app.platforms.forms import ConfirmForm
from app.platforms.teamstudio import bp
from app.platforms.teamstudio.job_forms import JobForm, TaskForm
from app.platforms.teamstudio.job_records import JobDetail
from app.platforms.teamstudio.jobs import TeamStudioJobs
from app.platforms.views import fetch_or_banner, confirmed_action
from app.preferences import viewer_timezone

PLATFORM = "teamstudio"


def _jobs(connection: str) -> tuple[Any, TeamStudioJobs]:
    svc = service_or_404(connection, PLATFORM)
    return svc, TeamStudioJobs(svc)


def _job_or_404(jobs: TeamStudioJobs, job_id: str) -> JobDetail:
    """The job for an action page; an unknown one is a 404, an unreachable platform the error page."""
    try:
        return jobs.job(job_id).value
    except NotFound as error:
        abort(404, description=error.describe())


def _audit(connection: str, job_id: str | None) -> dict[str, Any]:
    return dict(connection=connection, platform=PLATFORM, object_type="job", object_id=job_id)


def _to_job(connection: str, job_id: str) -> Response:
    return redirect(url_for("teamstudio.job", connection=connection, job_id=job_id))


def _uncertain(error: PlatformError) -> bool:
    """The platform may have done it without saying so (a timeout or a 5xx), unlike a refusal."""
    return isinstance(error, Unavailable) and not isinstance(error, RateLimited)


@bp.route("/<connection>/jobs/<job_id>")
@login_required
def job(connection: str, job_id: str):
    """The job: its timing in its own zone, last run, notifications and its tasks in order."""
    svc, jobs = _jobs(connection)
    errors: list[PlatformError] = []
    fetched = fetch_or_banner(lambda: jobs.job(job_id), errors)
    unknown = next((e for e in errors if isinstance(e, NotFound)), None)
    if unknown is not None:
        abort(404, description=unknown.describe())
    return render_template("teamstudio/job.html", svc=svc, job=fetched.value if fetched else None, fetched=fetched,
                           errors=errors)


@bp.route("/<connection>/jobs/<job_id>.json")
@login_required
def job_json(connection: str, job_id: str):
    """The job page as JSON; a platform failure is a JSON error body (app.errors)."""
    _, jobs = _jobs(connection)
    fetched = jobs.job(job_id)
    found = fetched.value
    body = to_json(found)
    body.update(id=found.id, name=found.name, interval=found.interval_text,
                end_run=found.end_run.isoformat() if found.end_run else None,
                next_run_in_job_zone=to_json(found.next_run_local), last_run_in_job_zone=to_json(found.last_run_local),
                stale=fetched.stale is not None)
    for task, shown in zip(found.tasks, body["tasks"]):
        shown["action_words"] = task.action_words
        shown["run_url"] = url_for("teamstudio.run_detail", connection=connection, run_id=task.last_run_id,
                                   _external=True) if task.last_run_id else None
    return jsonify(body)


@bp.route("/<connection>/jobs/new")
@role_required("operator")
def job_pick_workspace(connection: str):
    """Which workspace the new job goes in; the job form itself belongs to one workspace (its workflows)."""
    svc, jobs = _jobs(connection)
    errors: list[PlatformError] = []
    spaces = fetch_or_banner(jobs.workspaces, errors) or []
    chosen = request.args.get("workspace_id", "")
    if any(s.id == chosen for s in spaces) or (len(spaces) == 1 and not errors):
        return redirect(url_for("teamstudio.job_new", connection=connection, workspace_id=chosen or spaces[0].id))
    return render_template("teamstudio/job_pick_workspace.html", svc=svc, spaces=spaces, errors=errors,
                           chosen=chosen)


@bp.route("/<connection>/workspaces/<workspace_id>/jobs/new", methods=["GET", "POST"])
@role_required("operator")
def job_new(connection: str, workspace_id: str):
    """A new job of the workspace, optionally with one of its workflows as the first task."""
    svc, jobs = _jobs(connection)
    try:
        workspace = jobs.workspace(workspace_id)
    except NotFound as error:
        abort(404, description=error.describe())
    except PlatformError as error:
        flash(f"The workspace could not be read, so no job can be made now: {error.describe()}", "error")
        return redirect(url_for("teamstudio.schedules", connection=connection))
    errors: list[PlatformError] = []
    workflows = fetch_or_banner(lambda: jobs.workflows(workspace_id), errors) or []
    form = JobForm(workflows, viewer_timezone() or "UTC")
    refusal = ""
    if form.validate_on_submit():
        created = _create(connection, jobs, workspace_id, form, {w.id: w.name for w in workflows})
        if isinstance(created, Response):
            return created
        refusal = created
    posted = request.method == "POST"
    return render_template("teamstudio/job_form.html", svc=svc, workspace=workspace, form=form, errors=errors,
                           refusal=refusal), 400 if posted else 200


def _create(connection: str, jobs: TeamStudioJobs, workspace_id: str, form: JobForm,
            workflow_names: dict[str, str]) -> Response | str:
    """Create the job, then its first task; the job page, or why the platform refused the job."""
    spec = form.spec()
    params = {"name": spec.name, "workspace": workspace_id, "interval_unit": spec.interval_unit,
              "interval_value": spec.interval_value, "first_run": spec.first_run, "time_zone": spec.time_zone,
              "end_date": spec.end_date}
    try:
        job_id = jobs.create(workspace_id, spec)
    except PlatformError as error:
        record_action("job_create", outcome="unknown" if _uncertain(error) else "failed", params=params,
                      error=error.describe(), **_audit(connection, None))
        if _uncertain(error):
            return (f"Team Studio did not confirm the job ({error.describe()}). It may have been made all the same: "
                    "check the schedules before trying again.")
        return f"Team Studio refused the job: {error.message}"
    invalidate_after_action(connection)
    record_action("job_create", outcome="ok", params=params, **_audit(connection, job_id))
    workflow_id = form.workflow.data
    if not workflow_id:
        flash(f"Created the job {spec.name}. It has no tasks yet: add one below.", "success")
        return _to_job(connection, job_id)
    task_params = {"workfile": workflow_id, "name": workflow_names.get(workflow_id, workflow_id)}
    try:
        jobs.add_task(workspace_id, job_id, workflow_id)
    except PlatformError as error:
        record_action("job_task_add", outcome="unknown" if _uncertain(error) else "failed", params=task_params,
                      error=error.describe(), **_audit(connection, job_id))
        flash(f"The job {spec.name} was created, but its task {task_params['name']} was not added: "
              f"{error.describe()}. The job below exists without that task; check its tasks and add it again.",
              "error")
        return _to_job(connection, job_id)
    record_action("job_task_add", outcome="ok", params=task_params, **_audit(connection, job_id))
    flash(f"Created the job {spec.name} with the task {task_params['name']}.", "success")
    return _to_job(connection, job_id)


@bp.route("/<connection>/jobs/<job_id>/tasks/new", methods=["GET", "POST"])
@role_required("operator")
def job_task_new(connection: str, job_id: str):
    """Add a task: a workfile of the job's workspace, run with the action its type needs."""
    svc, jobs = _jobs(connection)
    found = _job_or_404(jobs, job_id)
    errors: list[PlatformError] = []
    workfiles = fetch_or_banner(lambda: jobs.task_workfiles(found.workspace.id), errors) or []
    form = TaskForm(workfiles)
    refusal = ""
    if form.validate_on_submit():
        chosen = next(w for w in workfiles if w.id == form.workfile.data)
        params = {"workfile": chosen.id, "name": chosen.name, "kind": chosen.kind}
        try:
            task = jobs.add_task(found.workspace.id, found.id, chosen.id)
        except PlatformError as error:
            record_action("job_task_add", outcome="unknown" if _uncertain(error) else "failed", params=params,
                          error=error.describe(), **_audit(connection, found.id))
            refusal = f"The task was not added: {error.message}"
        else:
            invalidate_after_action(connection)
            record_action("job_task_add", outcome="ok", params={**params, "action": task.action, "task": task.id},
                          **_audit(connection, found.id))
            flash(f"Added the task {chosen.name} ({task.action_words}) to {found.name}.", "success")
            return _to_job(connection, found.id)
    posted = request.method == "POST"
    return render_template("teamstudio/task_form.html", svc=svc, job=found, form=form, errors=errors,
                           refusal=refusal), 400 if posted else 200


@bp.route("/<connection>/jobs/<job_id>/tasks/<task_id>/delete", methods=["GET", "POST"])
@role_required("operator")
def job_task_delete(connection: str, job_id: str, task_id: str):
    """Remove one task after a confirm step; audited whatever the platform answers."""
    svc, jobs = _jobs(connection)
    found = _job_or_404(jobs, job_id)
    task = next((t for t in found.tasks if t.id == task_id), None)
    if task is None:
        abort(404, description=f"{found.name} has no task {task_id!r}.")
    form = ConfirmForm()
    if form.validate_on_submit():
        confirmed_action("job_task_delete", lambda: jobs.delete_task(found, task_id),
                         audit=_audit(connection, found.id),
                         params={"task": task_id, "workfile": task.workfile.id, "name": task.workfile.name},
                         done=f"Removed the task {task.workfile.name} from {found.name}.",
                         failed=f"Could not remove the task {task.workfile.name}")
        return _to_job(connection, found.id)
    return render_template("teamstudio/job_confirm.html", svc=svc, job=found, form=form, tasks=(task,),
                           heading="Remove task", button="Remove task",
                           question=f"Remove task {task.index + 1}, {task.action_words} {task.workfile.name}, "
                                    f"from {found.name}? The workfile itself stays.")


@bp.route("/<connection>/jobs/<job_id>/delete", methods=["GET", "POST"])
@role_required("operator")
def job_delete(connection: str, job_id: str):
    """Delete the job and its tasks after a confirm step; audited whatever the platform answers."""
    svc, jobs = _jobs(connection)
    found = _job_or_404(jobs, job_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        confirmed_action("job_delete", lambda: jobs.delete(found), audit=_audit(connection, found.id),
                         params={"name": found.name, "workspace": found.workspace.id, "tasks": len(found.tasks)},
                         done=f"Deleted the job {found.name}.", failed=f"Could not delete {found.name}")
        return redirect(url_for("teamstudio.schedules", connection=connection))
    return render_template("teamstudio/job_confirm.html", svc=svc, job=found, form=form, tasks=found.tasks,
                           heading="Delete job", button="Delete job",
                           question=f"Delete the job {found.name} of {found.workspace.name}"
                                    f"{' and its tasks' if found.tasks else ''}? Workfiles stay; runs already "
                                    "started keep running.")
