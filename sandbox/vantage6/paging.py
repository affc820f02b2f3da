"""List pagination and sorting as vantage6 4.15.2 does it (backend/common/resource/pagination.py).

`page` (default 1) and `per_page` (default 10) are read with int(), so `page=abc` answers 500 with Python's
message, and `page=0` 500 "page needs to be >= 1". `sort` is a comma list of fields, `-field` descending;
an unknown field is a 500 "Cannot sort a 'Task' by 'foo' because it does not exist". Tasks and runs are
always id-descending first (sort only adds a secondary key, which cannot matter since ids are unique);
other lists have no defined order: without `sort` they come in a fixed per-seed shuffle, as a database
returns rows in whatever order it likes (pass `sort=id`). Links keep the query string and set `page`.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Callable, Sequence, TypeVar
from urllib.parse import urlencode

from sandbox.vantage6.errors import server_error

T = TypeVar("T")
DEFAULT_PER_PAGE = 10
ID_DESCENDING = ("Task", "Run")


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list: the items, the links object and the headers to send."""

    items: list[Any]
    links: dict[str, str]
    headers: dict[str, str]


def _int(value: str | None, default: int, name: str) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise server_error(str(exc)) from None
    if number < 1:
        raise server_error(f"{name} needs to be >= 1")
    return number


def _sort_key(value: Any) -> tuple:
    """NULLs last ascending (first descending), as PostgreSQL orders them."""
    return (value is None, value if value is not None else 0)


def order(items: Sequence[T], model: str, sort: str | None, fields: Callable[[T], dict[str, Any]], seed: int) -> list[T]:
    """Items in the server's order: id-descending for tasks and runs, else `sort` over a per-seed shuffle."""
    keys = [k.strip() for k in (sort or "").split(",") if k.strip()]
    rows = list(items)
    if rows:
        known = fields(rows[0])
        for key in keys:
            if key.lstrip("-") not in known:
                raise server_error(f"Cannot sort a '{model}' by '{key.lstrip('-')}' because it does not exist")
    elif keys:
        return rows
    if model in ID_DESCENDING:
        return sorted(rows, key=lambda item: fields(item)["id"], reverse=True)
    rows.sort(key=lambda item: random.Random(f"{seed}:{model}:{fields(item)['id']}").random())
    for key in reversed(keys):
        name = key.lstrip("-")
        rows.sort(key=lambda item: _sort_key(fields(item)[name]), reverse=key.startswith("-"))
    return rows


def paginate(rows: Sequence[T], path: str, query: list[tuple[str, str]], everything: bool = False) -> Page:
    """The requested page of rows with links and headers (`everything`: one page holding all, /rule's
    no_pagination)."""
    args = dict(query)
    page = _int(args.get("page"), 1, "page")
    per_page = max(len(rows), 1) if everything else _int(args.get("per_page"), DEFAULT_PER_PAGE, "per_page")
    last = max(1, math.ceil(len(rows) / per_page))
    kept = [(k, v) for k, v in query if k != "page"]

    def link(number: int) -> str:
        return f"{path}?{urlencode(kept + [('page', str(number))])}"

    links = {"first": link(1)}
    if page > 1:
        links["previous"] = link(page - 1)
    links["self"] = link(page)
    if page < last:
        links["next"] = link(page + 1)
    links["last"] = link(last)
    header = ",".join(f"<{url}>; rel={rel}" for rel, url in links.items() if rel != "self")
    headers = {"total-count": str(len(rows)), "Link": header,
               "access-control-expose-headers": "total-count, Link"}
    start = (page - 1) * per_page
    return Page(list(rows[start:start + per_page]), links, headers)
