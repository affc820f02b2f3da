"""The routes every platform blueprint shares: schedules, runs, workflows, run buttons, toggles, tokens."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, stream_with_context, url_for
from flask_login import login_required

from app.audit import record_action
from app.auth.roles import role_required
from app.cache import Fetched, cached_read, derived, invalidate_after_action
from app.charts import count_by, duration_trend, runs_per_day_by_outcome, runs_per_day_by_status, upcoming_per_hour
from app.connections import service_or_404
from app.errors import InvalidRequest, NotFound, NotSupported, PlatformError, TokenRejected
from app.downloads import attachment_headers, safe_content_type
from app.extensions import db
from app.listing import ScheduleFilters, chosen_filters, distinct
from app.models import RunRecord
from app.pagination import clamp_page, page_of, requested_per_page
from app.platforms.forms import ConfirmForm, RunForm, TwoFactorForm
from app.platforms.parameters import (VariableRow, initial_rows, submitted_rows, submitted_values, validate_parameters,
                                      validate_rows)
from app.platforms.run_memory import last_used
from app.platforms.starting import start_recorded_run
from app.platforms.records import RunStatus
from app.templating import duration_text

RUN_STATUSES = [s.value for s in RunStatus if s is not RunStatus.UNKNOWN]


def fetch_or_banner(call: Any, errors: list[PlatformError]) -> Any:
    """Run a read; a platform failure becomes a banner and an empty value, never an error page."""
    try:
        result = call()
    except PlatformError as error:
        errors.append(error)
        return None
    if isinstance(result, Fetched) and result.stale is not None:
        errors.append(result.stale)
    return result


def confirmed_action(action: str, call: Any, *, audit: dict[str, Any], params: dict[str, Any] | None,
                      done: str, failed: str) -> None:
    """Carry out an operator's confirmed action: audited and flashed whatever the platform answers, and the
    connection's overview figures dropped when it worked."""
    try:
        call()
    except PlatformError as error:
        record_action(action, outcome="failed", error=error.describe(), **audit)
        flash(f"{failed}: {error.describe()}", "error")
    else:
        invalidate_after_action(audit["connection"])
        record_action(action, outcome="ok", params=params, **audit)
        flash(done, "success")


def add_standard_routes(bp: Blueprint, platform: str) -> None:
    """Register the shared pages on a platform blueprint whose url_prefix is /<platform>."""

    def service(connection: str) -> Any:
        return service_or_404(connection, platform)

    @bp.route("/<connection>/")
    @login_required
    def index(connection: str):
        first_page = "schedules" if service(connection).has_schedules else "workflows"
        return redirect(url_for(f"{platform}.{first_page}", connection=connection))

    @bp.route("/<connection>/schedules")
    @login_required
    def schedules(connection: str):
        svc = service(connection)
        errors: list[PlatformError] = []
        fetched = fetch_or_banner(svc.schedules, errors)
        everything = fetched.value if fetched else []
        filters = ScheduleFilters.from_args(request.args)
        version = fetched.fetched_at if fetched else None
        shown = derived(f"{svc.name}:schedules:{filters!r}", version, lambda: filters.apply(everything))
        page = page_of(shown, clamp_page(request.args.get("page")), requested_per_page())
        charts = _schedule_charts(svc.name, fetched) if everything else {}
        choices = derived(f"{svc.name}:schedule-choices", version, lambda: (
            distinct(s.owner for s in everything), distinct(s.target.kind if s.target else None for s in everything)))
        return render_template(
            "platform/schedules.html", svc=svc, page=page, filters=filters, errors=errors, fetched=fetched,
            owners=choices[0], target_kinds=choices[1], charts=charts)

    @bp.route("/<connection>/schedules/<schedule_id>/toggle", methods=["GET", "POST"])
    @role_required("operator")
    def schedule_toggle(connection: str, schedule_id: str):
        svc = service(connection)
        if not svc.supports_schedule_toggle:
            abort(404)
        schedule = svc.schedule(schedule_id)
        form = ConfirmForm()
        enable = not schedule.enabled
        if form.validate_on_submit():
            confirmed_action(
                "schedule_enable" if enable else "schedule_disable", lambda: svc.set_schedule_enabled(schedule_id, enable),
                audit=dict(connection=connection, platform=platform, object_type="schedule", object_id=schedule_id),
                params={"name": schedule.name}, done=f"{schedule.name} is now {'enabled' if enable else 'disabled'}.",
                failed=f"Could not {'enable' if enable else 'disable'} {schedule.name}")
            return redirect(url_for(f"{platform}.schedules", connection=connection))
        return render_template("platform/confirm_toggle.html", svc=svc, schedule=schedule, enable=enable, form=form)

    @bp.route("/<connection>/schedules/<schedule_id>/run-now", methods=["GET", "POST"])
    @role_required("operator")
    def schedule_run_now(connection: str, schedule_id: str):
        """Fire a schedule now, after a confirm step; audited whatever the platform answers."""
        svc = service(connection)
        if not svc.supports_schedule_run_now:
            abort(404)
        schedule = svc.schedule(schedule_id)
        form = ConfirmForm()
        if form.validate_on_submit():
            confirmed_action(
                "schedule_run_now", lambda: svc.run_schedule_now(schedule_id),
                audit=dict(connection=connection, platform=platform, object_type="schedule", object_id=schedule_id),
                params={"name": schedule.name}, failed=f"Could not run {schedule.name}",
                done=f"{schedule.name} is running now; its runs appear under {svc.runs_heading}.")
            if svc.schedule_page:  # the schedule's own page shows what Run now started (Alooma's follows it)
                return redirect(url_for(f"{platform}.{svc.schedule_page}", connection=connection,
                                        **{svc.schedule_page_arg: schedule_id}))
            return redirect(url_for(f"{platform}.schedules", connection=connection))
        return render_template("platform/confirm_run_now.html", svc=svc, schedule=schedule, form=form)

    @bp.route("/<connection>/runs")
    @login_required
    def runs(connection: str):
        svc = service(connection)
        errors: list[PlatformError] = []
        status = request.args.get("status", "")
        status = status if status in RUN_STATUSES else ""
        target = request.args.get("target", "").strip()[:200]
        kind = request.args.get("kind", "")
        offered = fetch_or_banner(svc.run_filters, errors) or ()
        chosen = chosen_filters(offered, request.args)
        page = fetch_or_banner(lambda: svc.runs(page=clamp_page(request.args.get("page")), per_page=requested_per_page(),
                                                status=status or None, target=target or None, kind=kind or None,
                                                filters=chosen), errors)
        charts = fetch_or_banner(lambda: _run_charts(svc), errors)
        return render_template("platform/runs.html", svc=svc, page=page, errors=unique_errors(errors), status=status,
                               target=target, kind=kind, statuses=RUN_STATUSES, charts=charts, offered=offered,
                               chosen=chosen)

    @bp.route("/<connection>/runs/<run_id>")
    @login_required
    def run_detail(connection: str, run_id: str):
        svc = service(connection)
        try:
            run, extras = svc.run_page(run_id)
        except NotFound:
            abort(404, description=f"{connection} has no {svc.run_noun.lower()} {run_id!r}.")
        return render_template(svc.run_detail_template, svc=svc, run=run, **extras)

    @bp.route("/<connection>/runs/<run_id>/stop", methods=["GET", "POST"])
    @role_required("operator")
    def run_stop(connection: str, run_id: str):
        """Stop a running run, after a confirm step; audited whatever the platform answers."""
        svc = service(connection)
        if not svc.supports_cancel:
            abort(404)
        try:
            run = svc.run(run_id)
        except NotFound:
            abort(404, description=f"{connection} has no run {run_id!r}.")
        back = redirect(url_for(f"{platform}.run_detail", connection=connection, run_id=run_id))
        if run.status.is_final:
            flash(f"{svc.run_noun} {run_id} has already ended ({run.status.value}).", "info")
            return back
        form = ConfirmForm()
        if form.validate_on_submit():
            confirmed_action(
                "run_stop", lambda: svc.cancel_run(run_id),
                audit=dict(connection=connection, platform=platform, object_type="run", object_id=run_id),
                params={"target": run.target.name if run.target else ""},
                done=f"Asked {svc.display_name} to stop {svc.run_noun.lower()} {run_id}.",
                failed=f"Could not stop {svc.run_noun.lower()} {run_id}")
            return back
        return render_template("platform/confirm_stop.html", svc=svc, run=run, form=form)

    @bp.route("/<connection>/runs/<run_id>/status.json")
    @login_required
    def run_status(connection: str, run_id: str):
        svc = service(connection)
        run = svc.run(run_id)  # PlatformError -> JSON error body via the error handler
        return jsonify({"id": run.id, "status": run.status.value, "platform_status": run.platform_status,
                        "final": run.status.is_final,
                        "started": run.started.isoformat() if run.started else None,
                        "finished": run.finished.isoformat() if run.finished else None,
                        "duration": duration_text(run.elapsed),
                        "errors": list(run.errors)})

    @bp.route("/<connection>/runs/<run_id>/outputs/<output_id>")
    @login_required
    def run_output(connection: str, run_id: str, output_id: str):
        svc = service(connection)
        if not svc.supports_output_download:
            abort(404)
        file_format = request.args.get("format", "")[:40]
        audit = dict(connection=connection, platform=platform, object_type="run", object_id=run_id)
        try:
            download = svc.open_output(run_id, output_id, file_format)
        except NotFound as error:
            abort(404, description=error.describe())
        except InvalidRequest as error:
            abort(400, description=error.describe())
        record_action("output_download", outcome="ok", params={"output": output_id, "format": file_format,
                                                               "file": download.filename}, **audit)
        return Response(stream_with_context(download.chunks()), content_type=safe_content_type(download.content_type),
                        headers=attachment_headers(download.filename, download.length))

    @bp.route("/<connection>/workflows")
    @login_required
    def workflows(connection: str):
        svc = service(connection)
        errors: list[PlatformError] = []
        q = request.args.get("q", "").strip()[:200]
        kind = request.args.get("kind", "")
        kind = kind if kind in svc.workflow_kinds else ""
        page = fetch_or_banner(lambda: svc.search_workflows(q, kind, clamp_page(request.args.get("page")), requested_per_page()),
                      errors)
        return render_template("platform/workflows.html", svc=svc, page=page, errors=errors, q=q, kind=kind,
                               kinds=svc.workflow_kinds)

    @bp.route("/<connection>/run/<kind>/<target_id>", methods=["GET", "POST"])
    @role_required("operator")
    def start_run(connection: str, kind: str, target_id: str):
        svc = service(connection)
        if not svc.supports_run:
            abort(404)
        if svc.own_run_form:  # the platform's runs take a form of its own, started from this one's values
            return redirect(url_for(f"{platform}.{svc.own_run_form}", connection=connection, source=target_id))
        try:
            workflow = svc.workflow(kind, target_id)
        except NotFound:
            abort(404, description=f"{connection} has no {kind} {target_id!r}.")
        if not workflow.runnable:
            abort(409, description=f"{workflow.name} is disabled for running on {connection}.")
        form = RunForm()
        posted = request.method == "POST"
        last = last_used(connection, workflow.kind, workflow.id)
        remembered = last.params if last and not posted else None
        values = submitted_values(workflow.parameters, request.form, "param", posted, remembered)
        rows = (submitted_rows(request.form, "var") if posted else initial_rows(workflow.parameters, remembered)) \
            if svc.variables_as_pairs else []
        options = submitted_values(workflow.run_options, request.form, "option", posted,
                                   last.options if last and not posted else None)
        field_errors: dict[str, str] = {}
        option_errors: dict[str, str] = {}
        form_error = ""
        if form.validate_on_submit():
            execution_id = form.execution_id.data
            repeat = show_if_already_started(platform, connection, execution_id)
            if repeat is not None:
                return repeat
            if svc.variables_as_pairs:  # each bad row carries its own error
                paired = validate_rows(workflow.parameters, rows)
                values, params_ok = (paired, True) if paired is not None else (values, False)
            else:
                field_errors = validate_parameters(workflow.parameters, values)
                params_ok = not field_errors
            option_errors = validate_parameters(workflow.run_options, options)
            if params_ok and not option_errors:
                started = start_and_follow(svc, platform, connection, workflow, values, options, execution_id)
                if not isinstance(started, PlatformError):
                    return started
                form_error = started.describe()
                form = RunForm(formdata=None)  # nothing ran: a fresh execution id for the next try
        elif posted:
            flash("The form was not accepted; reload and try again.", "error")
        if svc.variables_as_pairs and posted:
            rows = rows + [VariableRow() for _ in range(max(0, 1 - sum(r.blank for r in rows)))]
        return render_template("platform/start_run.html", svc=svc, workflow=workflow, form=form, values=values,
                               rows=rows, options=options, field_errors=field_errors, option_errors=option_errors,
                               form_error=form_error, last=last), 400 if posted else 200

    @bp.route("/<connection>/token")
    @login_required
    def token(connection: str):
        svc = service(connection)
        if not svc.supports_token_refresh:
            abort(404)
        errors: list[PlatformError] = []
        infos = fetch_or_banner(svc.token_info, errors) or ()
        facts = fetch_or_banner(svc.instance_facts, errors) or ()
        return render_template("platform/token.html", svc=svc, infos=infos, facts=facts, errors=unique_errors(errors),
                               form=ConfirmForm(), code_form=TwoFactorForm())

    @bp.route("/<connection>/token/refresh", methods=["POST"])
    @role_required("operator")
    def token_refresh(connection: str):
        svc = service(connection)
        if not svc.supports_token_refresh:
            abort(404)
        form = ConfirmForm()
        if not form.validate_on_submit():
            abort(400)
        try:
            info = svc.refresh_token()
        except TokenRejected as error:
            record_action("token_refresh", outcome="failed", connection=connection, platform=platform,
                          object_type="token", error=error.message)
            fixes = " ".join(info.how_to_fix for info in svc.token_info() if info.how_to_fix)
            flash(f"The platform refused the credentials. {fixes}", "error")
        except PlatformError as error:
            record_action("token_refresh", outcome="failed", connection=connection, platform=platform,
                          object_type="token", error=error.describe())
            flash(f"Refresh failed: {error.describe()}", "error")
        else:
            record_action("token_refresh", outcome="ok", connection=connection, platform=platform,
                          object_type="token", params={"expires_at": info.expires_at})
            flash("Token refreshed.", "success")
        return redirect(url_for(f"{platform}.token", connection=connection))

    @bp.route("/<connection>/token/code", methods=["POST"])
    @role_required("operator")
    def token_code(connection: str):
        """Sign in with a two-factor code typed on the panel; audited by the service whatever the outcome."""
        svc = service(connection)
        form = TwoFactorForm()
        if not form.validate_on_submit():
            flash(" ".join(e for errors in form.errors.values() for e in errors) or "The form was not accepted.",
                  "error")
            return redirect(url_for(f"{platform}.token", connection=connection))
        try:
            svc.sign_in_with_code(form.code.data)
        except NotSupported:
            abort(404)
        except PlatformError as error:
            flash(f"Sign-in failed: {error.describe()}", "error")
        else:
            invalidate_after_action(connection)
            flash("Signed in with the two-factor code.", "success")
        return redirect(url_for(f"{platform}.token", connection=connection))


def show_if_already_started(platform: str, connection: str, execution_id: str) -> Any:
    """A second submit of one run form: the run the first one started, or None when this is the first."""
    existing = db.session.execute(db.select(RunRecord).filter_by(execution_id=execution_id)).scalar_one_or_none()
    if existing is None:
        return None
    flash("This run was already started; showing it.", "info")
    return _after_start(platform, connection, existing)


def start_and_follow(svc: Any, platform: str, connection: str, workflow: Any, values: dict[str, str],
                     options: dict[str, str], execution_id: str) -> Any:
    """Start the run and go to it; a refusal of the values (InvalidRequest) is returned for the form to show."""
    started = start_recorded_run(svc, workflow, values, options, execution_id)
    error = started.error
    if error is None:
        flash(f"Started {workflow.name}.", "success")
        return _after_start(platform, connection, started.record)
    if started.ambiguous:
        flash(f"{workflow.name}: the platform did not confirm the start ({error.describe()}). It may still "
              "have started; check Runs before starting it again.", "error")
        return redirect(url_for(f"{platform}.runs", connection=connection))
    if isinstance(error, InvalidRequest):
        return error
    flash(f"{workflow.name} was not started: {error.describe()}", "error")
    return redirect(url_for(f"{platform}.workflows", connection=connection))


def _after_start(platform: str, connection: str, record: RunRecord):
    if record.run_id:
        return redirect(url_for(f"{platform}.run_detail", connection=connection, run_id=record.run_id, live=1))
    return redirect(url_for(f"{platform}.runs", connection=connection))


def _schedule_charts(connection: str, fetched: Fetched) -> dict[str, Any]:
    """The schedules page's charts, computed once per fetched copy of the schedules."""
    def build() -> dict[str, Any]:
        everything = fetched.value
        kinds = [s.target.kind if s.target else "none" for s in everything]
        owners = [s.owner for s in everything]
        charts = {"upcoming": upcoming_per_hour(everything, datetime.now(timezone.utc))}
        # one bar saying "all of them" tells nobody anything (Alooma's queries all belong to the deployment)
        if len(set(owners)) > 1:
            charts["by_owner"] = count_by(owners, "schedules")
        if len(set(kinds)) > 1:
            charts["by_target"] = count_by(kinds, "schedules")
        return charts
    return derived(f"{connection}:schedule-charts", fetched.fetched_at, build)


def _run_charts(svc: Any) -> dict[str, Any]:
    """The runs page's charts, cached as long as the run history they summarise."""
    def build() -> dict[str, Any]:
        history = svc.recent_runs().value
        now = datetime.now(timezone.utc)
        if not history:
            return {}
        by_outcome = any(run.outcome for run in history)
        per_day = runs_per_day_by_outcome(history, now) if by_outcome else runs_per_day_by_status(history, now)
        return {"per_day": per_day, "per_day_by": "result" if by_outcome else "status",
                "durations": duration_trend(history, now)}
    return cached_read(svc.name, "run-charts", build, timeout=60).value


def unique_errors(errors: list[PlatformError]) -> list[PlatformError]:
    seen: set[str] = set()
    return [e for e in errors if not (e.describe() in seen or seen.add(e.describe()))]
