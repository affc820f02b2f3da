"""OidcBackend: the sandbox OpenID Connect provider's state and operations (no Flask; provider.py and routes.py are
the HTTP layer).

Besides the shared control surface (`reset`, `clock`, `faults`, `mint_token`, `state_summary`) it offers
`set_person` (POST /_sandbox/oidc/users: change a person's groups, or add a person). The signing key and the
registered client live as long as the process, so a reset never invalidates what `make run` was configured with.
"""
from __future__ import annotations

import hmac
import secrets
import threading
from datetime import datetime, timedelta
from typing import Any, Mapping

from joserfc.jwk import RSAKey

from sandbox.common.clock import Clock
from sandbox.common.faults import FaultState
from sandbox.common.locking import locked
from sandbox.common.reset import settle_seed_and_size
from sandbox.oidc import errors
from sandbox.oidc.records import AccessToken, AuthorizationCode, Client
from sandbox.oidc.seed import EMAIL_DOMAIN, ROLE_RULES, SIZES, Person, build_people

CLIENT_ID = "flightdeck"
ACCESS_SECONDS = 3600  # access token (for /userinfo) lifetime when no token_lifetime knob is set
CODE_SECONDS = 600  # RFC 6749 §4.1.2: "a maximum authorization code lifetime of 10 minutes is RECOMMENDED"
ID_TOKEN_SECONDS = 3600


class OidcBackend:
    """One sandbox identity provider: seeded people, one client, codes, tokens, an RS256 key, clock and knobs."""

    def __init__(self, seed: int = 1, size: str = "small") -> None:
        self.clock = Clock()
        self.faults = FaultState(seed, default_token_lifetime=ACCESS_SECONDS)
        self.lock = threading.RLock()
        # RS256 key made at start; its public half is at /jwks and its kid (a thumbprint) names it in ID tokens.
        self.key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True, auto_kid=True)
        self.client: Client | None = None
        self.seed, self.size = seed, size
        self.reset(seed, size)

    # -- control -------------------------------------------------------------------------------------------
    def reset(self, seed: int | None = None, size: str | None = None) -> None:
        """Rebuild the people (groups back to the seed's); codes, tokens, seen nonces and counts are dropped."""
        with self.lock:
            settle_seed_and_size(self, seed, size, SIZES)
            self.people: dict[str, Person] = build_people(self.seed, self.size)
            self.codes: dict[str, AuthorizationCode] = {}
            self.tokens: dict[str, AccessToken] = {}
            self.nonces: set[tuple[str, str]] = set()
            self.codes_issued = 0
            self.tokens_issued = 0

    @locked
    def mint_token(self, base_url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The registered client's credentials, as an IdP admin hands them out (the same on every call)."""
        if self.client is None:
            self.client = Client(CLIENT_ID, secrets.token_urlsafe(32))
        return {"client_id": self.client.client_id, "client_secret": self.client.client_secret,
                "issuer": base_url, "discovery_url": f"{base_url}/.well-known/openid-configuration",
                "redirect_uris": "any http://127.0.0.1:*/... or http://localhost:*/... callback (sandbox leniency)",
                "role_rules": ROLE_RULES}

    @locked
    def state_summary(self) -> dict[str, Any]:
        """Counts and who is who (no passwords) for /_sandbox/state."""
        return {"seed": self.seed, "size": self.size, "users": len(self.people),
                "people": [{"username": p.username, "sub": p.sub, "groups": list(p.groups)}
                           for p in list(self.people.values())[:20]],
                "client_id": self.client.client_id if self.client else None, "kid": self.key.kid,
                "codes_pending": len(self.codes), "codes_issued": self.codes_issued,
                "tokens_issued": self.tokens_issued}

    @locked
    def set_person(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Change a person's groups (and name or password), or add a person when a password is given."""
        username = body.get("username")
        if not isinstance(username, str) or not username.strip():
            raise ValueError("username is required")
        groups = body.get("groups")
        if groups is not None and (not isinstance(groups, list) or not all(isinstance(g, str) for g in groups)):
            raise ValueError("groups must be a list of strings")
        person = self.people.get(username)
        if person is None:
            password = body.get("password")
            if not isinstance(password, str) or not password:
                raise LookupError(f"no user {username!r}; give a password to add one")
            person = Person(secrets.token_hex(16), username, password, str(body.get("name") or username),
                            f"{username}@{EMAIL_DOMAIN}")
            self.people[username] = person
        elif isinstance(body.get("password"), str) and body["password"]:
            person.password = body["password"]
        if groups is not None:
            person.groups = list(groups)
        if isinstance(body.get("name"), str) and body["name"]:
            person.name = body["name"]
        return {"username": person.username, "sub": person.sub, "groups": list(person.groups)}

    def error_payload(self, status: int, path: str, retry_after: int | None = None) -> tuple[Any, dict[str, str]]:
        """The provider's body for an injected failure (used by the shared fault hooks)."""
        return errors.error_payload(status, path, retry_after)

    # -- what the authorization server asks ----------------------------------------------------------------
    def now(self) -> datetime:
        """The emulator clock's now."""
        return self.clock.now()

    @locked
    def query_client(self, client_id: str | None) -> Client | None:
        """The client with that id, once minted."""
        return self.client if self.client is not None and client_id == self.client.client_id else None

    @locked
    def authenticate(self, username: str, password: str) -> Person | None:
        """The person whose password this is, else None (compared in constant time)."""
        person = self.people.get(username)
        if person is None or not hmac.compare_digest(password.encode(), person.password.encode()):
            return None
        return person

    @locked
    def person(self, username: str) -> Person | None:
        """A person by username."""
        return self.people.get(username)

    @locked
    def nonce_seen(self, client_id: str, nonce: str) -> bool:
        """Whether this client already sent this nonce (a replayed authentication request)."""
        return (client_id, nonce) in self.nonces

    @locked
    def save_code(self, code: str, *, client_id: str, redirect_uri: str, scope: str, username: str,
                  nonce: str | None, code_challenge: str | None, code_challenge_method: str | None) -> None:
        """Keep a freshly issued code (and its nonce, so a replay of the request is refused)."""
        now = self.now()
        self.codes[code] = AuthorizationCode(code, client_id, redirect_uri, scope, username, nonce,
                                             int(now.timestamp()), code_challenge, code_challenge_method,
                                             now + timedelta(seconds=CODE_SECONDS))
        if nonce:
            self.nonces.add((client_id, nonce))
        self.codes_issued += 1

    @locked
    def find_code(self, code: str, client_id: str) -> AuthorizationCode | None:
        """An unexpired code issued to this client."""
        found = self.codes.get(code)
        if found is None or found.client_id != client_id or self.now() >= found.expires_at:
            return None
        return found

    @locked
    def delete_code(self, code: str) -> None:
        """Spend a code: it cannot be used twice."""
        self.codes.pop(code, None)

    @locked
    def save_token(self, token: Mapping[str, Any], client: Client, person: Person) -> None:
        """Keep an issued access token for /userinfo."""
        self.tokens[token["access_token"]] = AccessToken(
            token["access_token"], client, person, str(token.get("scope", "")),
            self.now() + timedelta(seconds=int(token.get("expires_in", ACCESS_SECONDS))), self.now)
        self.tokens_issued += 1

    @locked
    def find_token(self, access_token: str) -> AccessToken | None:
        """The access token with that value."""
        return self.tokens.get(access_token)
