"""Chorus list paging: `page`/`per_page` from the query string or from a JSON body sent with the GET.

The alpine client pages users and data sources with query parameters but workfiles, jobs and members with a
JSON body on the GET; both are accepted everywhere (the query string wins when both carry a value). Every
list answers `{"response": [...], "pagination": {"page", "per_page", "total"}}` where `total` counts PAGES
(at least 1, so a client looping until `page == total` stops on an empty list too).
"""
from __future__ import annotations

import json
import math
from typing import Any, Callable, Iterable, Mapping, Sequence, TypeVar

from sandbox.teamstudio.errors import BadRequest, Unprocessable

DEFAULT_PER_PAGE = 50
T = TypeVar("T")


def get_body(raw: bytes, mimetype: str) -> dict[str, Any]:
    """The JSON object sent with a GET ({} for none); a body that is not a JSON object is a 400."""
    if not raw.strip() or mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return {}
    try:
        found = json.loads(raw)
    except ValueError:
        raise BadRequest("The request body is not valid JSON.") from None
    if not isinstance(found, dict):
        raise BadRequest("The request body must be a JSON object.")
    return found


def lookup(name: str, query: Mapping[str, str], body: Mapping[str, Any]) -> str | None:
    """A parameter's value as text from the query string, else the body (JSON true -> "true", null -> None)."""
    if name in query:
        return query[name]
    value = body.get(name)
    if value is None:
        return None
    return str(value).lower() if isinstance(value, bool) else str(value)


def paging(query: Mapping[str, str], body: Mapping[str, Any]) -> tuple[int, int]:
    """(page, per_page): positive integers, defaults 1 and 50; anything else is a 422 naming the field."""
    values = []
    for name, default in (("page", 1), ("per_page", DEFAULT_PER_PAGE)):
        text = lookup(name, query, body)
        try:
            number = default if text in (None, "") else int(str(text))
        except ValueError:
            number = 0
        if number < 1:
            raise Unprocessable(f"{name} must be a positive integer.", {name: "INVALID"})
        values.append(number)
    return values[0], values[1]


def paginate(items: Sequence[T], page: int, per_page: int, render: Callable[[T], Any]) -> dict[str, Any]:
    """The envelope for one page of items, rendering only the items on that page."""
    total_pages = max(1, math.ceil(len(items) / per_page))
    chosen: Iterable[T] = items[(page - 1) * per_page: page * per_page]
    return {"response": [render(item) for item in chosen],
            "pagination": {"page": page, "per_page": per_page, "total": total_pages}}


def flag(text: str | None, name: str) -> bool | None:
    """A true/false parameter (None when absent); anything else is a 422."""
    if text is None or text == "":
        return None
    lowered = text.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise Unprocessable(f"{name} must be true or false.", {name: "INVALID"})
