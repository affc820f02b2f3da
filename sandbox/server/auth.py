"""Server auth: OAuth 1.0a one-legged HMAC-SHA1 for the Gallery v1 API, OAuth2 client credentials for /webapi."""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Mapping
from urllib.parse import quote_plus, unquote
from urllib.request import parse_http_list, parse_keqv_list

from authlib.oauth1.rfc5849.signature import construct_base_string, hmac_sha1_signature
from authlib.oauth1.rfc5849.util import escape

from sandbox.server.errors import DENIED, OAuthError, Unauthorized

TIMESTAMP_WINDOW = 300  # seconds either side of the host's wall clock
REQUIRED_OAUTH = ("oauth_consumer_key", "oauth_signature_method", "oauth_timestamp", "oauth_nonce",
                  "oauth_signature")
MISSING = "OAuth authentication failed: missing OAuth parameter(s): {}."
UNSUPPORTED_METHOD = "OAuth authentication failed: unsupported signature method '{}'; use HMAC-SHA1."
UNKNOWN_KEY = "OAuth authentication failed: unknown consumer key."
STALE = "OAuth authentication failed: timestamp is outside the 300-second window around the server time."
BAD_SIGNATURE = "OAuth authentication failed: invalid signature."
REPLAYED = "OAuth authentication failed: nonce has already been used."
BAD_HEADER = "OAuth authentication failed: malformed Authorization header."


def _oauth_header(header: str | None) -> list[tuple[str, str]]:
    """The parameters of an `Authorization: OAuth k="v", ...` header (realm dropped), or []."""
    if not header or not header.lower().startswith("oauth "):
        return []
    try:
        pairs = parse_keqv_list(parse_http_list(header[len("oauth "):]))
    except (IndexError, ValueError):
        raise Unauthorized(BAD_HEADER, {"WWW-Authenticate": "OAuth"}) from None
    return [(unquote(k), unquote(v)) for k, v in pairs.items() if k != "realm"]


def _plus_variant(method: str, url: str, params: list[tuple[str, str]]) -> str:
    """The base string as clients that build it with urlencode() do ('+' for a space)."""
    pairs = sorted((quote_plus(k, safe="~"), quote_plus(v, safe="~")) for k, v in params if k != "oauth_signature")
    normalized = "&".join(f"{k}={v}" for k, v in pairs)
    return "&".join((escape(method.upper()), escape(url), escape(normalized)))


class OAuth1Verifier:
    """Checks one-legged OAuth1 requests as Server's Gallery did: query or header params, HMAC-SHA1, nonce window."""

    def __init__(self, wall_clock: Callable[[], float] = time.time) -> None:
        # Real time on purpose: clients stamp requests with the host's clock, which /_sandbox/clock does not move.
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._nonces: dict[tuple[str, str], float] = {}

    def reset(self) -> None:
        """Forget every nonce seen."""
        with self._lock:
            self._nonces.clear()

    def verify(self, method: str, url: str, query: list[tuple[str, str]], authorization: str | None,
               secret_of: Callable[[str], str | None]) -> str:
        """The consumer key of a correctly signed, fresh, first-use request; Unauthorized otherwise.

        url is scheme://host/path as the request arrived (no query); query holds the decoded query pairs.
        """
        header = _oauth_header(authorization)
        oauth = dict(header) if header else {k: v for k, v in query if k.startswith("oauth_")}
        challenge = {"WWW-Authenticate": "OAuth"}
        missing = [name for name in REQUIRED_OAUTH if not oauth.get(name)]
        if missing:
            raise Unauthorized(MISSING.format(", ".join(missing)), challenge)
        if oauth["oauth_signature_method"] != "HMAC-SHA1":
            raise Unauthorized(UNSUPPORTED_METHOD.format(oauth["oauth_signature_method"]), challenge)
        key = oauth["oauth_consumer_key"]
        secret = secret_of(key)
        if secret is None:
            raise Unauthorized(UNKNOWN_KEY, challenge)
        now = self._wall_clock()
        try:
            stamp = int(oauth["oauth_timestamp"])
        except ValueError:
            raise Unauthorized(STALE, challenge) from None
        if abs(now - stamp) > TIMESTAMP_WINDOW:
            raise Unauthorized(STALE, challenge)
        params = list(query) + header
        expected = hmac_sha1_signature(construct_base_string(method, url, params), secret, None)
        given = oauth["oauth_signature"]
        if not hmac.compare_digest(expected, given):
            lenient = hmac_sha1_signature(_plus_variant(method, url, params), secret, None)
            if not hmac.compare_digest(lenient, given):
                raise Unauthorized(BAD_SIGNATURE, challenge)
        with self._lock:
            for seen, expires in list(self._nonces.items()):
                if expires < now:
                    del self._nonces[seen]
            marker = (key, oauth["oauth_nonce"])
            if marker in self._nonces:
                raise Unauthorized(REPLAYED, challenge)
            self._nonces[marker] = now + 2 * TIMESTAMP_WINDOW
        return key


@dataclass(slots=True)
class AccessToken:
    """An opaque v3 bearer token and whom it speaks for."""

    user_id: str
    expires_at: datetime


class TokenAuthority:
    """Client-credentials tokens for /webapi: opaque, stored, expiring on the emulator clock; no refresh tokens."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, AccessToken] = {}
        self.issued = 0

    def reset(self) -> None:
        """Forget every token."""
        with self._lock:
            self._tokens.clear()
            self.issued = 0

    def grant(self, form: Mapping[str, str], basic: tuple[str, str] | None,
              user_of: Callable[[str, str], str | None], now: datetime, lifetime: int) -> dict[str, object]:
        """POST /webapi/oauth2/token: a bearer token for valid client credentials, else OAuthError."""
        client_id, client_secret = basic if basic else (form.get("client_id", ""), form.get("client_secret", ""))
        user_id = user_of(client_id, client_secret) if client_id and client_secret else None
        if user_id is None:
            raise OAuthError("invalid_client")
        if form.get("grant_type") != "client_credentials":
            raise OAuthError("unsupported_grant_type")
        token = secrets.token_urlsafe(48)
        with self._lock:
            self._tokens[token] = AccessToken(user_id, now + timedelta(seconds=lifetime))
            self.issued += 1
        # One second of margin, as Server's own answer (3599 for a 60-minute token) shows.
        return {"access_token": token, "token_type": "bearer", "expires_in": max(0, lifetime - 1)}

    def verify(self, authorization: str | None, now: datetime) -> str:
        """The user id behind a live bearer token, else Unauthorized (one message for every cause, as Server)."""
        challenge = {"WWW-Authenticate": "Bearer"}
        if not authorization or not authorization.lower().startswith("bearer "):
            raise Unauthorized(DENIED, challenge)
        with self._lock:
            found = self._tokens.get(authorization[len("bearer "):].strip())
        if found is None or found.expires_at <= now:
            raise Unauthorized(DENIED, challenge)
        return found.user_id

    def live(self, now: datetime) -> int:
        """How many tokens still work."""
        with self._lock:
            return sum(1 for t in self._tokens.values() if t.expires_at > now)
