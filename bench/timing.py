"""What the benchmarks share: page timing (one cold pass, then the median of warm passes)."""
from __future__ import annotations

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
