"""The Server emulator's HTTP layer: auth hooks, error bodies, the token endpoint and the subscription (v1) paths."""
from __future__ import annotations

import base64
import binascii
from urllib.parse import quote, urlsplit

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from sandbox.server.errors import OAuthError, ServerError, no_method, no_route
from sandbox.server.models import ServerBackend
from sandbox.server.routes_v3 import register_v3
from sandbox.server.web import body, file_response, params

GALLERY = "/gallery/api/v1"
WEBAPI_V1 = "/webapi/v1"
TOKEN_PATH = "/webapi/oauth2/token"


def _signed_url() -> str:
    """scheme://host/path as the request arrived (path still percent-encoded, trailing slash kept)."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    path = urlsplit(raw).path if raw else quote(request.path)
    return f"{request.scheme}://{request.host}{path}"


def _basic() -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        client_id, _, secret = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client") from None
    return client_id, secret


def _register_v1(bp: Blueprint, backend: ServerBackend, prefix: str, tag: str, studio_jobs: bool) -> None:
    """The subscription endpoints under prefix; trailing slashes optional (no redirect, so signatures hold).

    studio_jobs: jobs are visible only for the key's studio (Gallery); else as in v3 (OAuth2 callers).
    """
    def workflows() -> ResponseReturnValue:
        return jsonify(backend.v1_workflows(g.user, params()))

    def questions(app_id: str) -> ResponseReturnValue:
        return jsonify(backend.v1_questions(g.user, app_id))

    def jobs(app_id: str) -> ResponseReturnValue:
        if request.method == "POST":
            return jsonify(backend.v1_submit(g.user, app_id, body()))
        return jsonify(backend.v1_workflow_jobs(g.user, app_id, params()))

    def job(job_id: str) -> ResponseReturnValue:
        return jsonify(backend.v1_job(g.user, job_id, studio_jobs))

    def output(job_id: str, output_id: str) -> ResponseReturnValue:
        return file_response(backend.job_output(g.user, job_id, output_id, request.args.get("format"), studio_jobs))

    rules = (("/workflows/subscription/", "workflows", workflows, ["GET"]),
             ("/workflows/<app_id>/questions/", "questions", questions, ["GET"]),
             ("/workflows/<app_id>/jobs/", "jobs", jobs, ["GET", "POST"]),
             ("/jobs/<job_id>/", "job", job, ["GET"]),
             ("/jobs/<job_id>/output/<output_id>/", "output", output, ["GET"]))
    for rule, name, view, methods in rules:
        bp.add_url_rule(prefix + rule, f"{tag}_{name}", view, methods=methods, strict_slashes=False)


def server_blueprint(backend: ServerBackend) -> Blueprint:
    """All Server paths at the root (Gallery v1, /webapi/v1, /webapi/v3, the token endpoint), bound to one backend."""
    bp = Blueprint("server", __name__)

    @bp.before_request
    def _authenticate() -> None:
        if request.endpoint == "server.token":
            return
        if request.path.startswith(GALLERY + "/"):
            g.user = backend.authenticate_oauth1(request.method, _signed_url(), list(request.args.items(multi=True)),
                                                 request.headers.get("Authorization"))
        else:
            g.user = backend.authenticate_bearer(request.headers.get("Authorization"))

    @bp.app_errorhandler(ServerError)
    def _server_error(exc: ServerError) -> ResponseReturnValue:
        return jsonify(exc.body()), exc.status, exc.headers

    @bp.app_errorhandler(OAuthError)
    def _oauth_error(exc: OAuthError) -> ResponseReturnValue:
        return jsonify(exc.body()), exc.status, {"Cache-Control": "no-store"}

    @bp.app_errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500
        if status == 404:
            message = no_route(request.url)
        elif status == 405:
            message = no_method(request.method)
        else:
            message = exc.description or exc.name
        return jsonify({"message": message}), status

    @bp.post(TOKEN_PATH, endpoint="token", strict_slashes=False)
    def token() -> ResponseReturnValue:
        return jsonify(backend.token_grant(request.form, _basic())), 200, {"Cache-Control": "no-store"}

    _register_v1(bp, backend, GALLERY, "gallery", studio_jobs=True)
    _register_v1(bp, backend, WEBAPI_V1, "webapi_v1", studio_jobs=False)
    register_v3(bp, backend)
    return bp
