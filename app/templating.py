"""Jinja filters that turn record values into words."""
from __future__ import annotations

from datetime import timedelta


def duration_text(value: timedelta | None) -> str:
    """'1 h 04 min', '3 min 20 s', '45 s'; an unfinished run shows a dash."""
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def age_text(seconds: float | None) -> str:
    """How long something has lasted, coarsely: '45 min', '6 h', '3 days'."""
    if seconds is None:
        return "—"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"
