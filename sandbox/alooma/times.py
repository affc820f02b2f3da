"""Time formats Alooma answers with, and the day origin every seeded time hangs from.

Task and query times are naive ISO with microseconds ("2018-06-08T21:57:40.158350", UTC implied), as in the
client reference; notifications carry epoch milliseconds; metrics datapoints epoch seconds.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

MINUTE = timedelta(minutes=1)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def naive_iso(moment: datetime | None) -> str | None:
    """"2018-06-08T21:57:40.158350" in UTC, or None."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")


def epoch_ms(moment: datetime) -> int:
    """Milliseconds since the epoch (notification timestamps)."""
    return (moment - EPOCH) // timedelta(milliseconds=1)


def epoch_minute(moment: datetime) -> int:
    """Whole minutes since the epoch (the metrics' time unit)."""
    return (moment - EPOCH) // MINUTE


def from_epoch_seconds(seconds: float) -> datetime:
    """The instant `seconds` after the epoch."""
    return EPOCH + timedelta(seconds=seconds)


def day_origin(moment: datetime) -> datetime:
    """UTC midnight of moment's day: seeded times hang from it, so two resets on one day build equal worlds."""
    utc = moment.astimezone(timezone.utc)
    return utc.replace(hour=0, minute=0, second=0, microsecond=0)
