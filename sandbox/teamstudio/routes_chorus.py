"""The Chorus API paths under /api: version, license, users, workspaces, members, workfiles, jobs, data sources."""
from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request
from flask.typing import ResponseReturnValue

from sandbox.teamstudio.models import TeamStudioBackend
from sandbox.teamstudio.paging import flag, lookup
from sandbox.teamstudio.serialize import VERSION, license_json
from sandbox.teamstudio.web import created, get_json_body, json_object, ok_empty, page_args, plain, query

API = "/api"


def _register_people(bp: Blueprint, backend: TeamStudioBackend) -> None:
    """VERSION (public, plain text), license and users."""
    @bp.get(f"{API}/VERSION", endpoint="version")
    def version() -> ResponseReturnValue:
        return plain(VERSION + "\n")

    @bp.get(f"{API}/license", endpoint="license")
    def license_info() -> ResponseReturnValue:
        return jsonify({"response": license_json(backend.world)})

    @bp.route(f"{API}/users", methods=["GET", "POST"], endpoint="users")
    def users() -> ResponseReturnValue:
        if request.method == "POST":
            return created(backend.create_user(g.user, json_object()))
        return jsonify(backend.list_users(*page_args()))

    @bp.route(f"{API}/users/<int:user_id>", methods=["GET", "PUT", "DELETE"], endpoint="user")
    def user(user_id: int) -> ResponseReturnValue:
        if request.method == "PUT":
            return jsonify(backend.update_user(g.user, user_id, json_object()))
        if request.method == "DELETE":
            backend.delete_user(g.user, user_id)
            return ok_empty()
        return jsonify(backend.get_user(user_id))


def _register_workspaces(bp: Blueprint, backend: TeamStudioBackend) -> None:
    """Workspaces, members and workfiles; list filters and paging may come in a JSON body on the GET."""
    @bp.route(f"{API}/workspaces", methods=["GET", "POST"], endpoint="workspaces")
    def workspaces() -> ResponseReturnValue:
        if request.method == "POST":
            return created(backend.create_workspace(g.user, request.form))
        args, body = query(), get_json_body()
        active = flag(lookup("active", args, body), "active")
        return jsonify(backend.list_workspaces(g.user, lookup("user_id", args, body), active, *page_args()))

    @bp.route(f"{API}/workspaces/<int:workspace_id>", methods=["GET", "PUT", "DELETE"], endpoint="workspace")
    def workspace(workspace_id: int) -> ResponseReturnValue:
        if request.method == "PUT":
            return jsonify(backend.update_workspace(g.user, workspace_id, json_object()))
        if request.method == "DELETE":
            backend.delete_workspace(g.user, workspace_id)
            return ok_empty()
        return jsonify(backend.get_workspace(g.user, workspace_id))

    @bp.route(f"{API}/workspaces/<int:workspace_id>/members", methods=["GET", "PUT", "POST"], endpoint="members")
    def members(workspace_id: int) -> ResponseReturnValue:
        if request.method in ("PUT", "POST"):  # the notes say PUT; the alpine client POSTs the same body
            return jsonify(backend.set_members(g.user, workspace_id, json_object()))
        return jsonify(backend.list_members(g.user, workspace_id, *page_args()))

    @bp.get(f"{API}/workspaces/<int:workspace_id>/workfiles", endpoint="workfiles")
    def workfiles(workspace_id: int) -> ResponseReturnValue:
        order = lookup("order", query(), get_json_body())
        return jsonify(backend.list_workfiles(g.user, workspace_id, order, *page_args()))

    @bp.route(f"{API}/workfiles/<int:workfile_id>", methods=["GET", "DELETE"], endpoint="workfile")
    def workfile(workfile_id: int) -> ResponseReturnValue:
        if request.method == "DELETE":
            backend.delete_workfile(g.user, workfile_id)
            return ok_empty()
        return jsonify(backend.get_workfile(g.user, workfile_id))

    @bp.get(f"{API}/workfiles/<int:workfile_id>/download", endpoint="download")
    def download(workfile_id: int) -> ResponseReturnValue:
        content, file_name, mimetype = backend.download_workfile(g.user, workfile_id)
        return Response(content, mimetype=mimetype,
                        headers={"Content-Disposition": f'attachment; filename="{file_name}"'})


def _register_jobs(bp: Blueprint, backend: TeamStudioBackend) -> None:
    """Jobs and tasks (form-encoded creates, as the client sends them) and run-now."""
    jobs_path = f"{API}/workspaces/<int:workspace_id>/jobs"

    @bp.route(jobs_path, methods=["GET", "POST"], endpoint="jobs")
    def jobs(workspace_id: int) -> ResponseReturnValue:
        if request.method == "POST":
            return created(backend.create_job(g.user, workspace_id, request.form))
        return jsonify(backend.list_jobs(g.user, workspace_id, *page_args()))

    @bp.route(f"{jobs_path}/<int:job_id>", methods=["GET", "DELETE"], endpoint="job")
    def job(workspace_id: int, job_id: int) -> ResponseReturnValue:
        if request.method == "DELETE":
            backend.delete_job(g.user, workspace_id, job_id)
            return ok_empty()
        return jsonify(backend.get_job(g.user, workspace_id, job_id))

    @bp.post(f"{jobs_path}/<int:job_id>/job_tasks", endpoint="job_tasks")
    def job_tasks(workspace_id: int, job_id: int) -> ResponseReturnValue:
        return created(backend.create_task(g.user, workspace_id, job_id, request.form))

    @bp.delete(f"{jobs_path}/<int:job_id>/job_tasks/<int:task_id>", endpoint="job_task")
    def job_task(workspace_id: int, job_id: int, task_id: int) -> ResponseReturnValue:
        backend.delete_task(g.user, workspace_id, job_id, task_id)
        return ok_empty()

    @bp.post(f"{API}/jobs/<int:job_id>/run", endpoint="run_job")
    def run_job(job_id: int) -> ResponseReturnValue:
        return jsonify(backend.run_job(g.user, job_id)), 202


def _register_sources(bp: Blueprint, backend: TeamStudioBackend) -> None:
    """Database and Hadoop data sources share one shape but not their paths or id sequences."""
    for path, hadoop in (("data_sources", False), ("hdfs_data_sources", True)):
        def listing(hadoop: bool = hadoop) -> ResponseReturnValue:
            return jsonify(backend.list_data_sources(hadoop, *page_args()))

        def one(source_id: int, hadoop: bool = hadoop) -> ResponseReturnValue:
            return jsonify(backend.get_data_source(hadoop, source_id))

        bp.add_url_rule(f"{API}/{path}", f"{path}_list", listing, methods=["GET"])
        bp.add_url_rule(f"{API}/{path}/<int:source_id>", f"{path}_one", one, methods=["GET"])

    @bp.get(f"{API}/data_sources/<int:source_id>/databases", endpoint="databases")
    def databases(source_id: int) -> ResponseReturnValue:
        return jsonify(backend.list_databases(source_id, *page_args()))


def register_chorus(bp: Blueprint, backend: TeamStudioBackend) -> None:
    """Every Chorus path but the session ones (routes.py owns login and logout)."""
    _register_people(bp, backend)
    _register_workspaces(bp, backend)
    _register_jobs(bp, backend)
    _register_sources(bp, backend)
