"""What the benchmarks share: page timing (one cold pass, then the median of warm passes) and a free port."""
from __future__ import annotations

import socket
import statistics
import time
from typing import Any


def time_pages(client: Any, pages: tuple[str, ...], repeats: int = 5) -> dict[str, float]:
    """Seconds for one pass over `pages` cold and the median pass warm; every page must answer 200 without a banner."""
    started = time.perf_counter()
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200 and b"banner-error" not in response.data, page
    cold = time.perf_counter() - started
    warm = []
    for _ in range(repeats):
        started = time.perf_counter()
        for page in pages:
            assert client.get(page).status_code == 200
        warm.append(time.perf_counter() - started)
    return {"cold": cold, "warm": statistics.median(warm)}


def free_port() -> int:
    """A loopback port nobody listens on right now, for a server started in another process."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
