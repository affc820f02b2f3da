"""The provider's HTTP layer: discovery, JWKS, the authorization endpoint with its sign-in form, token, userinfo,
and the control `POST /_sandbox/oidc/users {"username", "groups"?, "password"?, "name"?}`.

/authorize answers GET with a small sign-in form (no script) and takes the form's POST; a request naming an
unknown client or a callback off this machine gets an error page, any other bad request goes back to the client's
callback with `error=...` (RFC 6749 §4.1.2.1). The Cancel button answers `error=access_denied`.
"""
from __future__ import annotations

from typing import Any

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from sandbox.oidc.models import OidcBackend
from sandbox.oidc.provider import build_server, issuer
from sandbox.oidc.records import SCOPES, TOKEN_AUTH_METHODS
from sandbox.oidc.seed import NAMED_USERS

# The form page may style itself inline but run nothing; its form posts back here and is redirected to the
# client's callback, so form-action stays open.
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"


def discovery(base: str) -> dict[str, Any]:
    """OpenID Provider Metadata (OpenID Connect Discovery 1.0 §3) for this address."""
    return {
        "issuer": base, "authorization_endpoint": f"{base}/authorize", "token_endpoint": f"{base}/token",
        "userinfo_endpoint": f"{base}/userinfo", "jwks_uri": f"{base}/jwks",
        "response_types_supported": ["code"], "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"], "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"], "scopes_supported": list(SCOPES),
        "token_endpoint_auth_methods_supported": list(TOKEN_AUTH_METHODS),
        "code_challenge_methods_supported": ["S256"], "claims_parameter_supported": False,
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "preferred_username",
                             "email", "email_verified", "groups"],
    }


def _page(status: int = 200, **context: Any) -> Response:
    hints = [(name, password, ", ".join(groups)) for name, password, _, groups in NAMED_USERS]
    response = Response(render_template("oidc/login.html", hints=hints, action=request.full_path, **context),
                        status=status, mimetype="text/html")
    response.headers.update({"Content-Security-Policy": PAGE_CSP, "X-Frame-Options": "DENY",
                             "Cache-Control": "no-store"})
    return response


def _bad_request(error: OAuth2Error) -> Response:
    """Back to the client's callback when it is known to be safe, else an error page for the person."""
    status, _, headers = error()
    if status == 302:
        return Response("", status=302, headers=headers)
    return _page(status, error=error.error, description=error.description)


def oidc_blueprint(backend: OidcBackend) -> Blueprint:
    """Every provider path bound to one backend."""
    bp = Blueprint("oidc", __name__, template_folder="templates")
    server = build_server(backend)

    @bp.get("/.well-known/openid-configuration")
    def configuration() -> ResponseReturnValue:
        return jsonify(discovery(issuer()))

    @bp.get("/jwks")
    def jwks() -> ResponseReturnValue:
        return jsonify({"keys": [backend.key.as_dict(private=False)]})

    @bp.route("/authorize", methods=["GET", "POST"])
    def authorize() -> ResponseReturnValue:
        try:
            grant = server.get_consent_grant(end_user=None)
        except OAuth2Error as error:
            return _bad_request(error)
        client_id = grant.client.client_id
        if request.method == "GET":
            return _page(client_id=client_id)
        if "cancel" in request.form:
            return server.create_authorization_response(grant_user=None, grant=grant)
        username = request.form.get("username", "")
        person = backend.authenticate(username, request.form.get("password", ""))
        if person is None:
            return _page(401, client_id=client_id, username=username, message="Wrong username or password.")
        return server.create_authorization_response(grant_user=person, grant=grant)

    @bp.post("/token")
    def token() -> ResponseReturnValue:
        return server.create_token_response()

    @bp.route("/userinfo", methods=["GET", "POST"])
    def userinfo() -> ResponseReturnValue:
        return server.create_endpoint_response("userinfo")

    @bp.post("/_sandbox/oidc/users")
    def control_users() -> ResponseReturnValue:
        body = request.get_json(silent=True)
        try:
            person = backend.set_person(body if isinstance(body, dict) else {})
        except (LookupError, ValueError) as exc:
            return jsonify({"ok": False, "error": str(exc)}), 400
        return jsonify({"ok": True, "user": person})

    return bp
