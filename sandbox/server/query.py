"""Query-parameter helpers of the Server emulator; a bad value is a 400 {"message"} naming the parameter."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence, TypeVar

from sandbox.common.clock import parse_iso
from sandbox.server.errors import BadRequest

T = TypeVar("T")
Params = dict[str, list[str]]


def one(params: Params, name: str) -> str | None:
    """The first value of a parameter (names match case-insensitively, as ASP.NET binds them), or None."""
    for key, values in params.items():
        if key.lower() == name.lower() and values:
            return values[0]
    return None


def integer(params: Params, name: str) -> int | None:
    """A non-negative integer parameter, or None when absent."""
    raw = one(params, name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise BadRequest(f"The value '{raw}' is not valid for {name}.")
    return int(raw)


def boolean(params: Params, name: str, default: bool) -> bool:
    """true/false (any case)."""
    raw = one(params, name)
    if raw is None or raw == "":
        return default
    if raw.lower() not in ("true", "false"):
        raise BadRequest(f"The value '{raw}' is not valid for {name}.")
    return raw.lower() == "true"


def choice(params: Params, name: str, allowed: Sequence[str], default: str | None = None) -> str | None:
    """One of allowed (matched case-insensitively, answered in its canonical spelling)."""
    raw = one(params, name)
    if raw is None or raw == "":
        return default
    for value in allowed:
        if value.lower() == raw.lower():
            return value
    raise BadRequest(f"The value '{raw}' is not valid for {name}; expected one of {', '.join(allowed)}.")


def instant(params: Params, name: str) -> datetime | None:
    """An ISO-8601 date-time parameter (UTC when no offset is given)."""
    raw = one(params, name)
    if raw is None or raw == "":
        return None
    try:
        return parse_iso(raw)
    except ValueError:
        raise BadRequest(f"The value '{raw}' is not a valid date-time for {name}.") from None


def window(items: list[T], params: Params) -> list[T]:
    """The offset/limit slice; without limit, everything from offset on."""
    offset = integer(params, "offset") or 0
    limit = integer(params, "limit")
    return items[offset:] if limit is None else items[offset:offset + limit]


def contains(needle: str | None, text: str) -> bool:
    """Case-insensitive substring match (no needle matches everything)."""
    return not needle or needle.lower() in text.lower()
