"""v5's Keycloak stand-in on the emulator's own host (realm `vantage6`) and the emulator's own controls.

The realm answers only in v5 mode: discovery at `/realms/vantage6/.well-known/openid-configuration` and
the token endpoint (form-encoded `grant_type=password` with `client_id`, `username`, `password` and, for a
two-factor account, `totp`; `grant_type=refresh_token` with `client_id` and `refresh_token`). Controls:
`POST /_sandbox/vantage6/version {"version"}` and `POST /_sandbox/vantage6/nodes {"id", "status"}`.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from sandbox.vantage6.models import REALM_PATH, Vantage6Backend


def _issuer() -> str:
    return f"{request.host_url.rstrip('/')}{REALM_PATH}"


def _control_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def register_oidc(bp: Blueprint, backend: Vantage6Backend) -> None:
    """Add the realm and the control routes to the blueprint."""

    @bp.get(f"{REALM_PATH}/.well-known/openid-configuration", endpoint="oidc_config")
    def oidc_config() -> ResponseReturnValue:
        base = f"{_issuer()}/protocol/openid-connect"
        return jsonify({
            "issuer": _issuer(), "authorization_endpoint": f"{base}/auth", "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo", "end_session_endpoint": f"{base}/logout",
            "jwks_uri": f"{base}/certs", "grant_types_supported": ["authorization_code", "refresh_token", "password"],
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["HS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "scopes_supported": ["openid", "profile", "email"]})

    @bp.get(f"{REALM_PATH}/protocol/openid-connect/certs", endpoint="oidc_certs")
    def oidc_certs() -> ResponseReturnValue:
        return jsonify({"keys": []})  # tokens are HS256 with a private key: nothing to publish

    @bp.post(f"{REALM_PATH}/protocol/openid-connect/token", endpoint="oidc_token")
    def oidc_token() -> ResponseReturnValue:
        answer = backend.keycloak_token(request.form.to_dict(), _issuer())
        response = jsonify(answer)
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.post("/_sandbox/vantage6/version", endpoint="control_version")
    def control_version() -> ResponseReturnValue:
        try:
            version = backend.set_version(_control_body().get("version"))  # type: ignore[arg-type]
        except ValueError as exc:
            return jsonify({"ok": False, "error": str(exc)}), 400
        return jsonify({"ok": True, "version": version})

    @bp.post("/_sandbox/vantage6/nodes", endpoint="control_nodes")
    def control_nodes() -> ResponseReturnValue:
        body = _control_body()
        try:
            node = backend.set_node_status(body.get("id"), body.get("status"))
        except (LookupError, ValueError) as exc:
            return jsonify({"ok": False, "error": str(exc)}), 400
        return jsonify({"ok": True, "node": node})
