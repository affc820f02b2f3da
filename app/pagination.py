"""Pagination: the Page a table shows, and the one helper that walks a limit/offset API."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Generic, Iterator, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer list, with the total so the table can draw its pager."""

    items: Sequence[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def requested_per_page() -> int:
    """Rows per page of the current request: ?per_page= within 5..200, else the configured PAGE_SIZE."""
    from flask import current_app, request
    default = int(current_app.config["PAGE_SIZE"])
    return min(200, max(5, clamp_page(request.args.get("per_page"), default=default)))


def clamp_page(raw: str | int | None, default: int = 1) -> int:
    """A page number from a query string; nonsense becomes page 1 rather than an error."""
    try:
        return max(1, int(raw)) if raw not in (None, "") else default
    except (TypeError, ValueError):
        return default


def page_of(items: Sequence[T], page: int, per_page: int) -> Page[T]:
    """Slice an in-memory list; a page past the end shows the last page."""
    total = len(items)
    last = max(1, math.ceil(total / per_page)) if per_page else 1
    page = min(max(1, page), last)
    start = (page - 1) * per_page
    return Page(items=list(items[start:start + per_page]), page=page, per_page=per_page, total=total)


FetchPage = Callable[[int, int], tuple[Sequence[T], "int | None"]]


def walk_limit_offset(fetch: FetchPage, *, limit: int, max_items: int | None = None) -> Iterator[T]:
    """Yield every item of a limit/offset API; stops on a short page, the total, or max_items."""
    offset = 0
    while True:
        items, total = fetch(limit, offset)
        yield from items[: None if max_items is None else max(0, max_items - offset)]
        offset += len(items)
        if not items or len(items) < limit or (total is not None and offset >= total):
            return
        if max_items is not None and offset >= max_items:
            return


def walk_page_numbers(fetch: Callable[[int], tuple[Sequence[T], int | None]], *, max_pages: int = 1000) -> Iterator[T]:
    """Yield every item of a page-numbered API whose answer says how many pages there are (Team Studio's
    `pagination.total` counts pages); stops at that page, on an empty page, or at max_pages."""
    page = 1
    while page <= max_pages:
        items, pages = fetch(page)
        yield from items
        if not items or pages is None or page >= pages:
            return
        page += 1
