"""List-parameter handling shared by every AAC list endpoint: limit/offset, sort, includeCount, dateFilter."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Sequence, TypeVar

from sandbox.aac.errors import ValidationFailed

T = TypeVar("T")
Params = dict[str, list[str]]
DATE_FILTER = re.compile(r"^dateFilter\[(createdAt|updatedAt)\]\[(gte|gt|lte|lt)\]$")


def one(params: Params, name: str) -> str | None:
    """The first value of a query parameter, or None."""
    values = params.get(name)
    return values[0] if values else None


def many(params: Params, name: str) -> list[str]:
    """Values given as a repeated parameter, a comma list, or both."""
    return [part.strip() for value in params.get(name, []) for part in value.split(",") if part.strip()]


def integer(params: Params, name: str, default: int, low: int = 0, high: int | None = None) -> int:
    """An integer parameter within [low, high]; anything else is AAC's 400 ValidationFailed."""
    raw = one(params, name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationFailed("Input validation failed", f"{name} must be an integer, got {raw!r}") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValidationFailed("Input validation failed", f"{name} must be {bound}, got {value}")
    return value


def flag(params: Params, name: str) -> bool:
    """True only for an explicit true, as AAC treats includeCount."""
    return (one(params, name) or "").lower() == "true"


def choice(params: Params, name: str, allowed: Sequence[str]) -> str | None:
    """A parameter that must be one of allowed values when given."""
    value = one(params, name)
    if value is not None and value not in allowed:
        raise ValidationFailed("Input validation failed", f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def sort_items(items: list[T], params: Params, keys: dict[str, Callable[[T], Any]], default: str) -> list[T]:
    """Order by the `sort` field ('-' prefix for descending); an unknown field is a 400.

    items arrive in id order, so a stable sort breaks ties by id (descending sorts reverse first to keep
    ties newest-first); single-value keys keep a 100,000-row sort fast.
    """
    spec = one(params, "sort") or default
    field = spec.lstrip("-")
    if field not in keys:
        raise ValidationFailed("Input validation failed", f"cannot sort by {field!r}; use one of {', '.join(keys)}")
    descending = spec.startswith("-")
    return sorted(items[::-1] if descending else items, key=keys[field], reverse=descending)


def date_filters(params: Params) -> list[tuple[str, str, datetime]]:
    """dateFilter[createdAt|updatedAt][gte|gt|lte|lt]=<epoch ms> clauses."""
    clauses = []
    for name, values in params.items():
        match = DATE_FILTER.match(name)
        if not match or not values:
            continue
        try:
            moment = datetime.fromtimestamp(int(values[0]) / 1000.0, tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ValidationFailed("Input validation failed", f"{name} must be epoch milliseconds") from None
        clauses.append((match.group(1), match.group(2), moment))
    return clauses


def date_ok(clauses: list[tuple[str, str, datetime]], values: dict[str, datetime]) -> bool:
    """Whether an object's createdAt/updatedAt satisfy every clause."""
    for field, op, moment in clauses:
        value = values[field]
        if (op == "gte" and value < moment) or (op == "gt" and value <= moment) \
                or (op == "lte" and value > moment) or (op == "lt" and value >= moment):
            return False
    return True


def page(items: Sequence[T], params: Params, default_limit: int = 25, max_limit: int = 1000) -> list[T]:
    """The limit/offset slice of items."""
    limit = integer(params, "limit", default_limit, 1, max_limit)
    offset = integer(params, "offset", 0, 0)
    return list(items[offset:offset + limit])


def listing(rows: Iterable[dict[str, Any]], total: int, params: Params) -> dict[str, Any]:
    """{"data": [...]} plus "count" only when includeCount=true, AAC's list envelope."""
    body: dict[str, Any] = {"data": list(rows)}
    if flag(params, "includeCount"):
        body["count"] = total
    return body


def contains(needle: str | None, *haystacks: str) -> bool:
    """Case-insensitive substring match, the emulator's reading of AAC's default filter."""
    if not needle:
        return True
    lowered = needle.lower()
    return any(lowered in (text or "").lower() for text in haystacks)
