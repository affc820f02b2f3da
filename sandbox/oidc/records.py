"""The registered client, authorization codes and access tokens, as authlib's server mixins want them (no Flask)."""
from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin
from authlib.oidc.core import AuthorizationCodeMixin

from sandbox.oidc.seed import Person

SCOPES = ("openid", "profile", "email", "groups")
TOKEN_AUTH_METHODS = ("client_secret_basic", "client_secret_post")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def loopback_redirect(uri: str) -> bool:
    """The sandbox's leniency: any http(s) callback on this machine, whatever its port and path, is allowed.

    A real provider compares the redirect URI with the registered ones exactly; ports of a local dashboard vary
    (tests run it on the test client's `localhost`, `make run` on 127.0.0.1:8000), so the sandbox registers none.
    """
    try:
        parts = urlsplit(uri)
        host = parts.hostname
        parts.port  # noqa: B018  (a malformed port raises ValueError)
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and host in LOOPBACK_HOSTS and not parts.fragment
            and parts.username is None and parts.password is None)


@dataclass
class Client(ClientMixin):
    """The one confidential client `POST /_sandbox/tokens` registers (code flow, client secret, PKCE)."""

    client_id: str
    client_secret: str = field(repr=False)
    client_metadata: dict[str, Any] = field(default_factory=dict)

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None  # none registered: every request must name its callback

    def get_allowed_scope(self, scope: str | None) -> str:
        return " ".join(part for part in (scope or "").split() if part in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return loopback_redirect(redirect_uri)

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint != "token" or method in TOKEN_AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    """A code issued at /authorize, spent once at /token before it expires (emulator clock)."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    username: str
    nonce: str | None
    auth_time: int
    code_challenge: str | None
    code_challenge_method: str | None
    expires_at: datetime

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str | None:
        return None

    def get_amr(self) -> list[str]:
        return ["pwd"]


@dataclass
class AccessToken(TokenMixin):
    """A bearer token for /userinfo; it lives `token_lifetime` seconds on the emulator clock."""

    access_token: str = field(repr=False)
    client: Client
    person: Person
    scope: str
    expires_at: datetime
    now: Callable[[], datetime] = field(repr=False)

    def check_client(self, client: ClientMixin) -> bool:
        return client.get_client_id() == self.client.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return max(0, int((self.expires_at - self.now()).total_seconds()))

    def is_expired(self) -> bool:
        return self.now() >= self.expires_at

    def is_revoked(self) -> bool:
        return False

    def get_user(self) -> Person:
        return self.person

    def get_client(self) -> Client:
        return self.client
