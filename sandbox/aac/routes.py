"""The AAC emulator's HTTP layer: the real paths, parsed into backend calls and answered as AAC's JSON."""
from __future__ import annotations

import json
import uuid
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from sandbox.aac.errors import STATUS_NAMES, AacError, NotModified, OAuthError, exception_body
from sandbox.aac.models import AacBackend

SCHEDULE_PREFIXES = ("/v4/schedules", "/scheduling/v1/schedules")
WORKFLOWS = "/svc-workflow/api/v1/workflows"
PUBLIC_ENDPOINTS = {"aac.token"}


def _params() -> dict[str, list[str]]:
    return {key: request.args.getlist(key) for key in request.args.keys()}


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def _bare(value: str) -> Response:
    """A bare JSON string, as the /status endpoints answer."""
    return Response(json.dumps(value), mimetype="application/json")


def _execution_id() -> str | None:
    return request.headers.get("x-execution-id") or None


def aac_blueprint(backend: AacBackend) -> Blueprint:
    """All AAC paths at the root, bound to one backend."""
    bp = Blueprint("aac", __name__)

    @bp.before_request
    def _authenticate() -> None:
        if request.endpoint in PUBLIC_ENDPOINTS:
            return
        g.user = backend.authenticate(request.headers.get("Authorization"),
                                      request.headers.get("x-trifacta-workspace-id"))

    @bp.after_app_request
    def _request_id(response: Response) -> Response:
        response.headers.setdefault("x-trifacta-request-id", uuid.uuid4().hex)
        return response

    @bp.app_errorhandler(AacError)
    def _aac_error(exc: AacError) -> ResponseReturnValue:
        if isinstance(exc, NotModified):
            return Response(status=304)
        headers = dict(exc.headers)
        if exc.status == 401:
            headers.setdefault("WWW-Authenticate", 'Bearer error="invalid_token"')
        return jsonify(exc.body()), exc.status, headers

    @bp.app_errorhandler(OAuthError)
    def _oauth_error(exc: OAuthError) -> ResponseReturnValue:
        return jsonify(exc.body()), exc.status, {"Cache-Control": "no-store"}

    @bp.app_errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500
        return jsonify(exception_body(STATUS_NAMES.get(status, "Error"), exc.description or exc.name)), status

    # -- auth, workspace, people ---------------------------------------------------------------------
    @bp.post("/as/token", endpoint="token")
    def token() -> ResponseReturnValue:
        result = backend.token_grant(request.form, request.host_url.rstrip("/"))
        return jsonify(result), 200, {"Cache-Control": "no-store"}

    @bp.get("/v4/workspaces/current")
    def workspace_current() -> ResponseReturnValue:
        return jsonify(backend.current_workspace())

    @bp.get("/v4/people/current")
    def person_current() -> ResponseReturnValue:
        return jsonify(backend.get_person(g.user.id))

    @bp.get("/v4/people/<int:person_id>")
    def person(person_id: int) -> ResponseReturnValue:
        return jsonify(backend.get_person(person_id))

    @bp.get("/v4/people")
    def people() -> ResponseReturnValue:
        return jsonify(backend.list_people(_params()))

    # -- schedules (same views under /v4 and /scheduling/v1) ----------------------------------------
    def list_schedules() -> ResponseReturnValue:
        return jsonify(backend.list_schedules(g.user, _params()))

    def count_schedules() -> ResponseReturnValue:
        return jsonify(backend.count_schedules(g.user, _params()))

    def get_schedule(schedule_id: int) -> ResponseReturnValue:
        return jsonify(backend.get_schedule(g.user, schedule_id))

    def enable_schedule(schedule_id: int) -> ResponseReturnValue:
        return jsonify(backend.set_schedule_enabled(g.user, schedule_id, True))

    def disable_schedule(schedule_id: int) -> ResponseReturnValue:
        return jsonify(backend.set_schedule_enabled(g.user, schedule_id, False))

    for index, prefix in enumerate(SCHEDULE_PREFIXES):
        bp.add_url_rule(prefix, f"schedules_{index}", list_schedules, methods=["GET"])
        bp.add_url_rule(f"{prefix}/count", f"schedules_count_{index}", count_schedules, methods=["GET"])
        bp.add_url_rule(f"{prefix}/<int:schedule_id>", f"schedule_{index}", get_schedule, methods=["GET"])
        bp.add_url_rule(f"{prefix}/<int:schedule_id>/enable", f"schedule_enable_{index}", enable_schedule,
                        methods=["POST"])
        bp.add_url_rule(f"{prefix}/<int:schedule_id>/disable", f"schedule_disable_{index}", disable_schedule,
                        methods=["POST"])

    # -- plans and plan runs -------------------------------------------------------------------------
    @bp.get("/v4/plans")
    def plans() -> ResponseReturnValue:
        return jsonify(backend.list_plans(g.user, _params()))

    @bp.get("/v4/plans/count")
    def plans_count() -> ResponseReturnValue:
        return jsonify(backend.count_plans(g.user, _params()))

    @bp.get("/v4/plans/<int:plan_id>")
    def plan(plan_id: int) -> ResponseReturnValue:
        return jsonify(backend.get_plan(plan_id))

    @bp.get("/v4/plans/<int:plan_id>/full")
    def plan_full(plan_id: int) -> ResponseReturnValue:
        return jsonify(backend.get_plan(plan_id, full=True))

    @bp.get("/v4/plans/<int:plan_id>/schedules")
    def plan_schedules(plan_id: int) -> ResponseReturnValue:
        return jsonify(backend.plan_schedules(g.user, plan_id, _params()))

    @bp.post("/v4/plans/<int:plan_id>/run")
    def run_plan(plan_id: int) -> ResponseReturnValue:
        return jsonify(backend.run_plan(g.user, plan_id, _execution_id())), 201

    @bp.get("/v4/planSnapshotRuns")
    def plan_runs() -> ResponseReturnValue:
        return jsonify(backend.list_plan_runs(g.user, _params()))

    @bp.get("/v4/planSnapshotRuns/count")
    def plan_runs_count() -> ResponseReturnValue:
        return jsonify(backend.count_plan_runs(g.user, _params()))

    @bp.get("/v4/planSnapshotRuns/<int:run_id>")
    def plan_run(run_id: int) -> ResponseReturnValue:
        return jsonify(backend.get_plan_run(run_id, _params()))

    @bp.post("/v4/planSnapshotRuns/<int:run_id>/cancel")
    def cancel_plan_run(run_id: int) -> ResponseReturnValue:
        return jsonify(backend.cancel_plan_run(run_id))

    # -- flows, flow runs, recipes -------------------------------------------------------------------
    @bp.get("/v4/flows")
    def flows() -> ResponseReturnValue:
        return jsonify(backend.list_flows(g.user, _params()))

    @bp.get("/v4/flows/<int:flow_id>")
    def flow(flow_id: int) -> ResponseReturnValue:
        return jsonify(backend.get_flow(flow_id))

    @bp.get("/v4/flows/<int:flow_id>/runParameters")
    def flow_run_parameters(flow_id: int) -> ResponseReturnValue:
        return jsonify(backend.flow_run_parameters(flow_id))

    @bp.post("/v4/flows/<int:flow_id>/run")
    def run_flow(flow_id: int) -> ResponseReturnValue:
        return jsonify(backend.run_flow(g.user, flow_id, _body(), _execution_id())), 201

    @bp.get("/v4/flowRuns/<int:run_id>")
    def flow_run(run_id: int) -> ResponseReturnValue:
        return jsonify(backend.get_flow_run(run_id))

    @bp.get("/v4/flowRuns/<int:run_id>/status")
    def flow_run_status(run_id: int) -> ResponseReturnValue:
        return _bare(backend.flow_run_status(run_id))

    @bp.get("/v4/flowRuns/<int:run_id>/jobGroups")
    def flow_run_job_groups(run_id: int) -> ResponseReturnValue:
        return jsonify(backend.flow_run_job_groups(run_id))

    @bp.get("/v4/wrangledDatasets")
    def recipes() -> ResponseReturnValue:
        return jsonify(backend.list_recipes(_params()))

    @bp.get("/v4/wrangledDatasets/<int:recipe_id>")
    def recipe(recipe_id: int) -> ResponseReturnValue:
        return jsonify(backend.get_recipe(recipe_id, _params()))

    # -- job groups ----------------------------------------------------------------------------------
    @bp.post("/v4/jobGroups")
    def create_job_group() -> ResponseReturnValue:
        return jsonify(backend.create_job_group(g.user, _body(), _execution_id())), 201

    @bp.get("/v4/jobGroups/<int:group_id>")
    def job_group(group_id: int) -> ResponseReturnValue:
        return jsonify(backend.get_job_group(group_id, _params()))

    @bp.get("/v4/jobGroups/<int:group_id>/status")
    def job_group_status(group_id: int) -> ResponseReturnValue:
        return _bare(backend.job_group_status(group_id))

    @bp.get("/v4/jobGroups/<int:group_id>/jobs")
    def job_group_jobs(group_id: int) -> ResponseReturnValue:
        return jsonify(backend.job_group_jobs(group_id))

    @bp.post("/v4/jobGroups/<int:group_id>/cancel")
    def cancel_job_group(group_id: int) -> ResponseReturnValue:
        return jsonify(backend.cancel_job_group(group_id))

    @bp.get("/v4/jobLibrary")
    def job_library() -> ResponseReturnValue:
        return jsonify(backend.job_library(g.user, _params()))

    @bp.get("/v4/jobLibrary/count")
    def job_library_count() -> ResponseReturnValue:
        return jsonify(backend.job_library_count(g.user, _params()))

    # -- Designer Cloud workflows --------------------------------------------------------------------
    @bp.get(WORKFLOWS)
    def workflows() -> ResponseReturnValue:
        return jsonify(backend.list_workflows(_params()))

    @bp.get(f"{WORKFLOWS}/<workflow_id>")
    def workflow(workflow_id: str) -> ResponseReturnValue:
        return jsonify(backend.get_workflow(workflow_id))

    @bp.post(f"{WORKFLOWS}/<workflow_id>/run")
    def run_workflow(workflow_id: str) -> ResponseReturnValue:
        return jsonify(backend.run_workflow(g.user, workflow_id, _execution_id())), 201

    return bp
