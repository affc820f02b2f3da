"""The Alooma emulator's HTTP layer: both REST roots, API-key or session-cookie auth, login, error bodies,
and the platform's own control routes under /_sandbox/alooma/."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from sandbox.alooma.auth import COOKIE_NAME
from sandbox.alooma.errors import AloomaError, error_body
from sandbox.alooma.models import AloomaBackend
from sandbox.alooma.routes_admin import register_admin
from sandbox.alooma.routes_pipeline import register_pipeline
from sandbox.alooma.times import epoch_ms
from sandbox.alooma.web import body, rest

PUBLIC = {"alooma.login", "alooma.expire_sessions", "alooma.output_control"}


def alooma_blueprint(backend: AloomaBackend) -> Blueprint:
    """Every Alooma path bound to one backend."""
    bp = Blueprint("alooma", __name__)

    @bp.before_request
    def _authenticate() -> None:
        backend.check_account((request.view_args or {}).pop("account", None))
        if request.endpoint not in PUBLIC:
            g.user = backend.authenticate(request.headers.get("Authorization"), request.cookies.get(COOKIE_NAME))

    def _error(status: int, message: str) -> ResponseReturnValue:
        return jsonify(error_body(status, message, request.path, epoch_ms(backend.now()))), status

    @bp.app_errorhandler(AloomaError)
    def _platform_error(exc: AloomaError) -> ResponseReturnValue:
        return _error(exc.status, exc.message)

    @bp.app_errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500
        if status == 404:
            return _error(404, f"No handler found for {request.method} {request.path}")
        if status == 405:
            return _error(405, f"Request method '{request.method}' not supported")
        return _error(status, exc.description or exc.name)

    @rest(bp, "login", methods=("POST",))
    def login() -> ResponseReturnValue:
        token, user = backend.login(body())
        response = jsonify(user)
        response.set_cookie(COOKIE_NAME, token, httponly=True, path="/")
        return response

    @bp.post("/_sandbox/alooma/expire-sessions", endpoint="expire_sessions")
    def expire_sessions() -> ResponseReturnValue:
        return jsonify({"ok": True, "expired": backend.expire_sessions()})

    @bp.post("/_sandbox/alooma/output", endpoint="output_control")
    def output_control() -> ResponseReturnValue:
        wanted = request.get_json(silent=True, force=True)
        if not isinstance(wanted, dict) or not isinstance(wanted.get("connected"), bool):
            return jsonify({"ok": False, "error": 'send {"connected": true|false, "message"?: text}'}), 400
        message = wanted.get("message")
        return jsonify({"ok": True, "output": backend.set_output_connection(
            wanted["connected"], message if isinstance(message, str) else None)})

    register_pipeline(bp, backend)
    register_admin(bp, backend)
    return bp
