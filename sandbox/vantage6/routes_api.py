"""The resource paths under /api: lists and single objects of every resource, task create/delete/status,
the node-only run PATCH, kill, and v5's /user/me and /session."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from sandbox.vantage6.errors import unexpected
from sandbox.vantage6.models import Vantage6Backend
from sandbox.vantage6.web import API, json_body, page_response, query, query_pairs

LISTED = ("task", "run", "result", "organization", "collaboration", "node", "user", "role", "rule")


def _register_resource(bp: Blueprint, backend: Vantage6Backend, kind: str, endpoint: str | None = None) -> None:
    name = endpoint or kind

    def list_view() -> ResponseReturnValue:
        return page_response(backend.list_of(g.user, kind, query(), request.path, query_pairs()))

    def get_view(ident: int) -> ResponseReturnValue:
        return jsonify(backend.get_one(g.user, kind, ident, query()))

    bp.add_url_rule(f"{API}/{kind}", endpoint=f"{name}_list", view_func=list_view, methods=["GET"])
    bp.add_url_rule(f"{API}/{kind}/<int:ident>", endpoint=f"{name}_get", view_func=get_view, methods=["GET"])


def register_api(bp: Blueprint, backend: Vantage6Backend) -> None:
    """Add the resource routes to the blueprint."""
    for kind in LISTED:
        _register_resource(bp, backend, kind)
    _register_resource(bp, backend, "session")

    @bp.get(f"{API}/user/me", endpoint="user_me")
    def user_me() -> ResponseReturnValue:
        return jsonify(backend.me(g.user))

    @bp.post(f"{API}/task", endpoint="task_create")
    def task_create() -> ResponseReturnValue:
        body = json_body()
        return jsonify(backend.create_task(g.user, body)), 201

    @bp.delete(f"{API}/task/<int:ident>", endpoint="task_delete")
    def task_delete(ident: int) -> ResponseReturnValue:
        return jsonify(backend.delete_task(g.user, ident))

    @bp.get(f"{API}/task/<int:ident>/status", endpoint="task_status")
    def task_status(ident: int) -> ResponseReturnValue:
        return jsonify(backend.task_status(g.user, ident))

    @bp.patch(f"{API}/run/<int:ident>", endpoint="run_patch")
    def run_patch(ident: int) -> ResponseReturnValue:
        raise unexpected()  # node-only: a user token fails inside the resource (the real server's 500)

    @bp.post(f"{API}/kill/task", endpoint="kill_task")
    def kill_task() -> ResponseReturnValue:
        return jsonify(backend.kill_task(g.user, json_body()))
