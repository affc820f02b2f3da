"""RFC 6238 time-based one-time passwords (six digits, 30-second steps, HMAC-SHA1), as authenticator apps use.

Written out here rather than pulling in pyotp: it is twenty lines, and the emulator must compute codes on
its own clock (tests move time), so `at` is always passed in.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import random
import struct
from datetime import datetime

STEP_SECONDS = 30
DIGITS = 6


def new_secret(rng: random.Random) -> str:
    """A 32-character base32 secret (160 bits), drawn from rng so a seed repeats it."""
    return base64.b32encode(rng.randbytes(20)).decode("ascii")


def hotp(secret: str, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226 HOTP of a base32 secret at a counter, zero-padded."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(code % 10 ** digits).zfill(digits)


def totp(secret: str, at: datetime, digits: int = DIGITS) -> str:
    """The code for the 30-second step containing `at` (timezone-aware)."""
    return hotp(secret, int(at.timestamp()) // STEP_SECONDS, digits)


def verify(secret: str, code: object, at: datetime, window: int = 1) -> bool:
    """Whether code matches the step of `at` or one of the `window` steps either side (clock skew)."""
    text = str(code).strip()
    step = int(at.timestamp()) // STEP_SECONDS
    return any(hmac.compare_digest(hotp(secret, step + d), text) for d in range(-window, window + 1))
