"""Flightdeck: one dashboard for the schedules, jobs and runs of a data team's platforms."""
from __future__ import annotations

__version__ = "0.1.0"


def create_app(*args, **kwargs):  # noqa: D103  (imported lazily: no work at import time)
    from app.factory import create_app as build
    return build(*args, **kwargs)
