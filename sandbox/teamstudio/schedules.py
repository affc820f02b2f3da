"""Job schedule arithmetic: the next (or previous) run of an interval job, on the wall clock of its time zone.

hours count in absolute time; days, weeks and months keep the local time of day (DST-correct), and a
month step past a short month's end lands on its last day.
"""
from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MAX_CATCH_UP = 100_000  # steps when moving next_run past now (an hourly job a decade behind)


def zone(name: str) -> ZoneInfo:
    """The IANA zone named (ValueError when unknown)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def _add_months(day: datetime, months: int) -> datetime:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


def shift(moment: datetime, unit: str, value: int, time_zone: str) -> datetime:
    """moment moved by value units (negative: back), answered in UTC."""
    if unit == "hours":
        return (moment + timedelta(hours=value)).astimezone(timezone.utc)
    tz = zone(time_zone)
    local = moment.astimezone(tz).replace(tzinfo=None)
    if unit == "months":
        moved = _add_months(local, value)
    else:
        moved = local + timedelta(days=value * (7 if unit == "weeks" else 1))
    return moved.replace(tzinfo=tz).astimezone(timezone.utc)


def next_after(start: datetime, unit: str, value: int, time_zone: str, now: datetime) -> datetime:
    """The first fire of the series through start that is later than now."""
    moment = start
    for _ in range(MAX_CATCH_UP):
        if moment > now:
            return moment
        moment = shift(moment, unit, value, time_zone)
    return moment


def past_end(moment: datetime | None, end_run: date | None, time_zone: str) -> bool:
    """Whether a fire falls after the job's last run date (in its own zone)."""
    return moment is not None and end_run is not None and moment.astimezone(zone(time_zone)).date() > end_run
