"""Run calls in parallel threads that each carry the app context (platform calls need the token store)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterable, TypeVar

from flask import current_app

from app.extensions import db

T = TypeVar("T")
R = TypeVar("R")


def in_app_context(app: Any, fn: Callable[..., R]) -> Callable[..., R]:
    """fn wrapped to run in a worker thread with the app context and its own database session."""
    def run(*args: Any) -> R:
        with app.app_context():
            try:
                return fn(*args)
            finally:
                db.session.remove()  # each thread's session is its own; never leak it to the pool
    return run


def parallel_map(fn: Callable[[T], R], items: Iterable[T], max_workers: int = 4) -> list[R]:
    """fn over items in threads, results in order; the first exception propagates."""
    items = list(items)
    if len(items) <= 1:
        return [fn(item) for item in items]
    wrapped = in_app_context(current_app._get_current_object(), fn)
    with ThreadPoolExecutor(max_workers=min(max_workers, len(items))) as pool:
        return list(pool.map(wrapped, items))


def parallel_calls(*calls: Callable[[], Any], max_workers: int = 4) -> list[Any]:
    """Several zero-argument calls at once, results in order."""
    return parallel_map(lambda call: call(), calls, max_workers=max_workers)
