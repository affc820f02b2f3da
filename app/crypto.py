"""Fernet encryption of stored secrets, keyed from FLIGHTDECK_SECRET_KEY."""
from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


def fernet_for(secret_key: str) -> Fernet:
    """Derive a Fernet key with HKDF, so the session-signing key is never used raw for encryption."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"flightdeck-token-store", info=b"fernet").derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(plain: str | None) -> bytes | None:
    if plain is None:
        return None
    return fernet_for(current_app.config["SECRET_KEY"]).encrypt(plain.encode())


def decrypt(cipher: bytes | None) -> str | None:
    """Decrypt a stored value; a value from another key reads as absent, never as an exception page."""
    if cipher is None:
        return None
    try:
        return fernet_for(current_app.config["SECRET_KEY"]).decrypt(cipher).decode()
    except InvalidToken:
        return None


def fingerprint(secret: str) -> str:
    """A short one-way tag of a secret, to notice that a new one was supplied without storing it."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]
