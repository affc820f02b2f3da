"""The Team Studio emulator's HTTP layer: session auth for both API roots, error bodies, login and logout,
and the platform's own control route POST /_sandbox/teamstudio/expire-sessions.

Chorus calls (/api/...) carry the session as `?session_id=<token>` (else the session cookie set at login);
engine calls (/alpinedatalabs/...) carry it in the `x-token` header; POST /api/jobs/{id}/run takes either,
since the alpine client sends it there with x-token and its cookie but no session_id. VERSION is public.
"""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from sandbox.teamstudio.errors import STATUS_MESSAGES, TeamStudioError, errors_body
from sandbox.teamstudio.models import TeamStudioBackend
from sandbox.teamstudio.routes_chorus import API, register_chorus
from sandbox.teamstudio.routes_engine import ENGINE, register_engine
from sandbox.teamstudio.base import COOKIE_NAME
from sandbox.teamstudio.web import chorus_token, engine_token, ok_empty

PUBLIC = {"teamstudio.version", "teamstudio.login", "teamstudio.expire_sessions"}


def _token() -> str | None:
    """The token this request authenticates with, by which API root it is on."""
    if request.path.startswith(ENGINE + "/"):
        return engine_token()
    if request.endpoint == "teamstudio.run_job":
        return engine_token() or chorus_token()
    return chorus_token()


def teamstudio_blueprint(backend: TeamStudioBackend) -> Blueprint:
    """All Team Studio paths (Chorus /api and engine /alpinedatalabs) bound to one backend."""
    bp = Blueprint("teamstudio", __name__)

    @bp.before_request
    def _authenticate() -> None:
        backend.tick()  # due jobs run before anything reads them
        if request.endpoint in PUBLIC:
            return
        g.user, g.session = backend.authenticate(_token())

    @bp.app_errorhandler(TeamStudioError)
    def _platform_error(exc: TeamStudioError) -> ResponseReturnValue:
        return jsonify(exc.body()), exc.status

    @bp.app_errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500
        message = f"No route matches {request.method} {request.path}." if status == 404 else \
            STATUS_MESSAGES.get(status, exc.description or exc.name)
        return jsonify(errors_body(message)), status

    @bp.post(f"{API}/sessions", endpoint="login")
    def login() -> ResponseReturnValue:
        session, reply = backend.login(request.form.get("username"), request.form.get("password"))
        response = jsonify({"response": reply})
        response.set_cookie(COOKIE_NAME, session.token, httponly=True, path="/")
        return response, 201

    @bp.get(f"{API}/sessions", endpoint="whoami")
    def whoami() -> ResponseReturnValue:
        return jsonify({"response": backend.whoami(g.user, g.session)})

    @bp.delete(f"{API}/sessions", endpoint="logout")
    def logout() -> ResponseReturnValue:
        backend.logout(g.session)
        response, status = ok_empty()
        response.delete_cookie(COOKIE_NAME, path="/")
        return response, status

    @bp.post("/_sandbox/teamstudio/expire-sessions", endpoint="expire_sessions")
    def expire_sessions() -> ResponseReturnValue:
        return jsonify({"ok": True, "expired": backend.expire_sessions()})

    register_chorus(bp, backend)
    register_engine(bp, backend)
    return bp
