"""The part of a reset every emulator shares: a checked size, the new seed, and a rewound clock and fault knobs."""
from __future__ import annotations

from typing import Any, Iterable


def settle_seed_and_size(backend: Any, seed: int | None, size: str | None, sizes: Iterable[str]) -> None:
    """Set backend.seed and backend.size (None keeps the current one) and rewind its clock and knobs.

    Raises ValueError for an unknown size before anything changes; the caller holds the backend's
    lock and then rebuilds its own world and credentials.
    """
    size = size or backend.size
    if size not in sizes:
        raise ValueError(f"size must be one of {', '.join(sizes)}")
    backend.seed = backend.seed if seed is None else int(seed)
    backend.size = size
    backend.clock.reset()
    backend.faults.clear(backend.seed)
