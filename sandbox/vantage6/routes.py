"""The vantage6 emulator's HTTP layer: authentication, errors, CORS, health/version and the token endpoints.

Every request first lets due central runs spawn their subtasks (backend.tick), then, unless the path is
public, turns the bearer token into `g.user`. Paths of the other major version answer the HTML 404 of an
unknown path (v4 has no /user/me or /session; v5 no /token/user or /token/refresh; the Keycloak realm
exists only in v5 mode). Unknown paths and wrong methods keep werkzeug's HTML answers, as the real server.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, g, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from sandbox.vantage6.errors import UNEXPECTED, V6Error
from sandbox.vantage6.models import Vantage6Backend
from sandbox.vantage6.routes_api import register_api
from sandbox.vantage6.routes_oidc import register_oidc
from sandbox.vantage6.web import API, client_ip, json_body

PUBLIC = {"health", "version", "token_user", "token_refresh", "oidc_config", "oidc_token", "oidc_certs",
          "control_version", "control_nodes"}
V4_ONLY = {"token_user", "token_refresh"}
V5_ONLY = {"user_me", "session_list", "session_get", "oidc_config", "oidc_token", "oidc_certs"}


def vantage6_blueprint(backend: Vantage6Backend) -> Blueprint:
    """All vantage6 paths bound to one backend."""
    bp = Blueprint("vantage6", __name__)

    @bp.before_request
    def _authenticate() -> None:
        endpoint = (request.endpoint or "").split(".")[-1]
        if (endpoint in V4_ONLY and backend.v5) or (endpoint in V5_ONLY and not backend.v5):
            abort(404)
        backend.tick()
        if request.method == "OPTIONS" or endpoint in PUBLIC:
            return
        g.user = backend.authenticate(request.headers.get("Authorization"), client_ip())

    @bp.after_app_request
    def _cors(response: Response) -> Response:
        if request.path.startswith(API + "/") or request.path.startswith("/realms/"):
            response.headers["Access-Control-Allow-Origin"] = "*"
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
                response.headers["Access-Control-Allow-Methods"] = "GET, POST, PATCH, DELETE, OPTIONS"
        return response

    @bp.app_errorhandler(V6Error)
    def _platform_error(exc: V6Error) -> ResponseReturnValue:
        return jsonify(exc.body()), exc.status

    @bp.app_errorhandler(Exception)
    def _uncaught(exc: Exception) -> ResponseReturnValue:
        if isinstance(exc, HTTPException):
            return exc  # werkzeug's own HTML page (unknown path, wrong method)
        return jsonify({"msg": UNEXPECTED}), 500

    @bp.get(f"{API}/health", endpoint="health")
    def health() -> ResponseReturnValue:
        return jsonify({"database": True})

    @bp.get(f"{API}/version", endpoint="version")
    def version() -> ResponseReturnValue:
        return jsonify({"version": backend.version})

    @bp.post(f"{API}/token/user", endpoint="token_user")
    def token_user() -> ResponseReturnValue:
        body, status, headers = backend.login(json_body())
        response = jsonify(body)
        response.headers.update(headers)
        return response, status

    @bp.post(f"{API}/token/refresh", endpoint="token_refresh")
    def token_refresh() -> ResponseReturnValue:
        return jsonify(backend.refresh(request.headers.get("Authorization")))

    register_api(bp, backend)
    register_oidc(bp, backend)
    return bp
