"""One lock per emulator backend: the HTTP server is threaded, and an operation reads and writes the world."""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])


def locked(method: F) -> F:
    """Run a backend operation under the backend's `lock`."""
    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            return method(self, *args, **kwargs)
    return cast(F, wrapper)
