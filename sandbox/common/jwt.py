"""A tiny HS256 JWT encoder/decoder; the emulators only need to sign and check their own tokens."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json


class JwtError(ValueError):
    """The token is not a well-formed JWT signed with our key."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(payload: dict, key: bytes) -> str:
    """Sign payload as a compact HS256 JWT."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    signing_input = f"{header}.{body}".encode("ascii")
    return f"{header}.{body}.{_b64(hmac.new(key, signing_input, hashlib.sha256).digest())}"


def decode(token: str, key: bytes) -> dict:
    """Verify the signature and return the payload; expiry is the caller's business (it owns the clock)."""
    try:
        header, body, signature = token.split(".")
        expected = hmac.new(key, f"{header}.{body}".encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(signature)):
            raise JwtError("bad signature")
        if json.loads(_unb64(header)).get("alg") != "HS256":
            raise JwtError("unexpected algorithm")
        payload = json.loads(_unb64(body))
    except (ValueError, UnicodeError) as exc:
        raise JwtError(str(exc) or "malformed token") from exc
    if not isinstance(payload, dict):
        raise JwtError("payload is not an object")
    return payload
