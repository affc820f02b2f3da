"""authlib's authorization server wired to an OidcBackend: the code grant with OpenID Connect and required S256 PKCE,
the userinfo endpoint and a bearer-token check. The issuer is the address the request came to, so one emulator
answers correctly on whatever port it was started."""
from __future__ import annotations

from typing import Any

from authlib.common.security import generate_token
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import InvalidRequestError, OAuth2Request
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant as _AuthorizationCodeGrant
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import OpenIDCode, UserInfo, UserInfoEndpoint
from flask import request

from sandbox.oidc.models import ID_TOKEN_SECONDS, OidcBackend
from sandbox.oidc.records import SCOPES, TOKEN_AUTH_METHODS, AccessToken, AuthorizationCode, Client
from sandbox.oidc.seed import Person


def issuer() -> str:
    """This provider's issuer identifier: its own base URL, without a trailing slash."""
    return request.host_url.rstrip("/")


def user_info(person: Person, scope: str) -> UserInfo:
    """The claims about a person: `sub` and `groups` always (Flightdeck maps groups to roles), the rest by scope."""
    scopes = set((scope or "").split())
    info = UserInfo(sub=person.sub, groups=list(person.groups))
    if "profile" in scopes:
        info.update(name=person.name, preferred_username=person.username)
    if "email" in scopes:
        info.update(email=person.email, email_verified=True)
    return info


class S256Required(CodeChallenge):
    """PKCE for every client, confidential ones included, and only S256: a request without a challenge is refused
    (authlib's CodeChallenge(required=True) alone insists only for public clients)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': this provider requires PKCE with S256.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Unsupported 'code_challenge_method': use S256.")
        super().validate_code_challenge(grant, redirect_uri)


def build_server(backend: OidcBackend) -> AuthorizationServer:
    """An authorization server whose every decision reads or writes `backend`."""

    class AuthorizationCodeGrant(_AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = list(TOKEN_AUTH_METHODS)

        def save_authorization_code(self, code: str, req: OAuth2Request) -> None:
            data = req.payload.data
            backend.save_code(code, client_id=req.client.client_id, redirect_uri=req.payload.redirect_uri,
                              scope=req.scope, username=req.user.username, nonce=data.get("nonce"),
                              code_challenge=data.get("code_challenge"),
                              code_challenge_method=data.get("code_challenge_method"))

        def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
            return backend.find_code(code, client.client_id)

        def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
            backend.delete_code(authorization_code.code)

        def authenticate_user(self, authorization_code: AuthorizationCode) -> Person | None:
            return backend.person(authorization_code.username)

    class SandboxOpenIDCode(OpenIDCode):
        def exists_nonce(self, nonce: str, req: OAuth2Request) -> bool:
            return backend.nonce_seen(req.payload.client_id, nonce)

        def resolve_client_private_key(self, client: Client) -> Any:
            return backend.key

        def get_client_algorithm(self, client: Client) -> str:
            return "RS256"

        def get_encode_header(self, client: Client) -> dict[str, str]:
            return {"alg": "RS256", "kid": backend.key.kid, "typ": "JWT"}

        def get_client_claims(self, client: Client) -> dict[str, Any]:
            now = int(backend.now().timestamp())  # the emulator clock, so tests can age an ID token
            return {"iss": issuer(), "aud": [client.client_id], "azp": client.client_id, "iat": now,
                    "exp": now + ID_TOKEN_SECONDS}

        def generate_user_info(self, user: Person, scope: str) -> UserInfo:
            return user_info(user, scope)

    class SandboxUserInfo(UserInfoEndpoint):
        def get_issuer(self) -> str:
            return issuer()

        def generate_user_info(self, user: Person, scope: str) -> UserInfo:
            return user_info(user, scope)

        def resolve_private_key(self) -> Any:
            return backend.key

    class TokenValidator(BearerTokenValidator):
        def authenticate_token(self, token_string: str) -> AccessToken | None:
            return backend.find_token(token_string)

    def save_token(token: dict[str, Any], req: OAuth2Request) -> None:
        backend.save_token(token, req.client, req.user)

    server = AuthorizationServer(query_client=backend.query_client, save_token=save_token)
    server.scopes_supported = list(SCOPES)
    server.register_token_generator("default", BearerTokenGenerator(
        lambda **_: generate_token(42), None, lambda client, grant_type: backend.faults.token_lifetime))
    server.register_grant(AuthorizationCodeGrant, [SandboxOpenIDCode(require_nonce=True), S256Required(required=True)])
    protector = ResourceProtector()
    protector.register_token_validator(TokenValidator())
    server.register_endpoint(SandboxUserInfo(resource_protector=protector))
    return server
