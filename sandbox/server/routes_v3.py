"""Server API v3 paths (workflows, jobs, schedules, users, collections) under /webapi/v3, bearer-authenticated."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response, g, jsonify, request
from flask.typing import ResponseReturnValue

from sandbox.server.web import body, params

if TYPE_CHECKING:
    from sandbox.server.models import ServerBackend

V3 = "/webapi/v3"


def register_v3(bp: Blueprint, backend: "ServerBackend") -> None:
    """Add the v3 rules to bp (there is deliberately no /v3/jobs list, as on a real Server)."""

    def workflows() -> ResponseReturnValue:
        return jsonify(backend.v3_workflows(g.user, params()))

    def workflow(workflow_id: str) -> ResponseReturnValue:
        return jsonify(backend.v3_workflow(g.user, workflow_id))

    def questions(workflow_id: str) -> ResponseReturnValue:
        return jsonify(backend.v3_questions(g.user, workflow_id))

    def workflow_jobs(workflow_id: str) -> ResponseReturnValue:
        if request.method == "POST":
            return jsonify(backend.v3_submit(g.user, workflow_id, body()))
        return jsonify(backend.v3_workflow_jobs(g.user, workflow_id, params()))

    def job(job_id: str) -> ResponseReturnValue:
        return jsonify(backend.v3_job(g.user, job_id, params()))

    def job_messages(job_id: str) -> ResponseReturnValue:
        return jsonify(backend.v3_job_messages(g.user, job_id))

    def schedules() -> ResponseReturnValue:
        if request.method == "POST":
            return jsonify(backend.create_schedule(g.user, body()))
        return jsonify(backend.list_schedules(g.user, params()))

    def schedule(schedule_id: str) -> ResponseReturnValue:
        if request.method == "PUT":
            return jsonify(backend.replace_schedule(g.user, schedule_id, body()))
        if request.method == "PATCH":
            return jsonify(backend.patch_schedule(g.user, schedule_id, body()))
        if request.method == "DELETE":
            backend.delete_schedule(g.user, schedule_id)
            return Response(status=200)
        return jsonify(backend.get_schedule(g.user, schedule_id))

    def users() -> ResponseReturnValue:
        return jsonify(backend.list_users(g.user, params()))

    def user(user_id: str) -> ResponseReturnValue:
        return jsonify(backend.get_user(g.user, user_id))

    def deactivate_user(user_id: str) -> ResponseReturnValue:
        return jsonify(backend.deactivate_user(g.user, user_id))

    def collections() -> ResponseReturnValue:
        return jsonify(backend.list_collections(g.user, params()))

    def collection(collection_id: str) -> ResponseReturnValue:
        return jsonify(backend.get_collection(g.user, collection_id))

    rules = (("/workflows", "v3_workflows", workflows, ["GET"]),
             ("/workflows/<workflow_id>", "v3_workflow", workflow, ["GET"]),
             ("/workflows/<workflow_id>/questions", "v3_questions", questions, ["GET"]),
             ("/workflows/<workflow_id>/jobs", "v3_workflow_jobs", workflow_jobs, ["GET", "POST"]),
             ("/jobs/<job_id>", "v3_job", job, ["GET"]),
             ("/jobs/<job_id>/messages", "v3_job_messages", job_messages, ["GET"]),
             ("/schedules", "v3_schedules", schedules, ["GET", "POST"]),
             ("/schedules/<schedule_id>", "v3_schedule", schedule, ["GET", "PUT", "PATCH", "DELETE"]),
             ("/users", "v3_users", users, ["GET"]),
             ("/users/<user_id>", "v3_user", user, ["GET"]),
             ("/users/<user_id>/deactivate", "v3_user_deactivate", deactivate_user, ["POST"]),
             ("/collections", "v3_collections", collections, ["GET"]),
             ("/collections/<collection_id>", "v3_collection", collection, ["GET"]))
    for rule, name, view, methods in rules:
        bp.add_url_rule(V3 + rule, name, view, methods=methods, strict_slashes=False)
