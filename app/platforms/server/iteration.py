"""Alteryx Server schedule iterations in words and as cron rules; Windows time-zone ids as IANA zones."""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tzlocal.windows_tz import win_tz

from app.platforms.cron import zone

DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")  # .NET DayOfWeek order
CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
OCCURRENCES = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def iana_zone(name: str | None) -> str:
    """The IANA name of a schedule's zone: Server is .NET and names zones by Windows id ("W. Europe Standard Time")."""
    if not name:
        return "UTC"
    if name in win_tz:
        return "UTC" if win_tz[name] == "Etc/UTC" else win_tz[name]
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def _day_index(value: Any) -> int | None:
    """A weekday as 0=Sunday..6=Saturday, from a name ("Monday") or the .NET number."""
    if isinstance(value, int) and 0 <= value <= 6:
        return value
    text = str(value).strip().lower()
    for index, day in enumerate(DAY_NAMES):
        if text in (day.lower(), day[:3].lower()):
            return index
    return int(text) if text.isdigit() and int(text) <= 6 else None


def _occurrence(value: Any) -> int | None:
    if isinstance(value, int):
        return -1 if value in (-1, 5) else value if 1 <= value <= 4 else None
    return OCCURRENCES.get(str(value).strip().lower())


def _month_index(value: Any) -> int | None:
    if isinstance(value, int) and 1 <= value <= 12:
        return value
    text = str(value).strip().lower()
    for index, month in enumerate(MONTHS, start=1):
        if text in (month.lower(), month[:3].lower()):
            return index
    return int(text) if text.isdigit() and 1 <= int(text) <= 12 else None


def _ints(values: Any) -> list[int]:
    return sorted({int(v) for v in values or [] if str(v).isdigit()})


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class Iteration:
    """One schedule's `iteration` object read once: its kind, local start time and contracts."""

    def __init__(self, raw: dict[str, Any], start: datetime | None, tz: str) -> None:
        self.raw = raw if isinstance(raw, dict) else {}
        self.kind = str(self.raw.get("iterationType") or "Once")
        self.tz = tz
        self.local_start = start.astimezone(zone(tz)) if start else None

    def contract(self, name: str) -> dict[str, Any]:
        value = self.raw.get(name)
        return value if isinstance(value, dict) else {}

    @property
    def at(self) -> str:
        return self.local_start.strftime("%H:%M") if self.local_start else "00:00"

    def interval_minutes(self) -> int:
        hourly = self.contract("hourlyContract")
        return int(hourly.get("hours") or 0) * 60 + int(hourly.get("minutes") or 0)

    def weekdays(self) -> list[int]:
        return sorted({d for d in (_day_index(v) for v in self.contract("weeklyContract").get("daysOfWeek") or [])
                       if d is not None})

    def describe(self) -> str:
        """The rule in words, e.g. "every weekday at 06:30" (the zone is added by the caller)."""
        kind = self.kind.lower()
        if kind == "once":
            return f"once on {self.local_start:%Y-%m-%d} at {self.at}" if self.local_start else "once"
        if kind == "hourly":
            minutes = self.interval_minutes()
            hours, rest = divmod(minutes, 60)
            if minutes <= 0:
                return "hourly"
            every = ("every hour" if minutes == 60 else f"every {hours} hours" if not rest
                     else f"every {minutes} minutes" if not hours else f"every {hours} h {rest:02d} min")
            return f"{every} from {self.at}"
        if kind == "daily":
            workweek = bool(self.contract("dailyContract").get("runOnlyWorkWeek"))
            return f"every {'weekday' if workweek else 'day'} at {self.at}"
        if kind == "weekly":
            days = [DAY_NAMES[d] for d in self.weekdays()]
            return f"every {_join(days)} at {self.at}" if days else f"weekly at {self.at}"
        if kind == "monthly":
            monthly = self.contract("monthlyContract")
            if monthly.get("simpleDayOfMonth", True):
                return f"on day {monthly.get('dayOfMonth') or 1} of every month at {self.at}"
            occurrence, day = _occurrence(monthly.get("occurrence")), _day_index(monthly.get("dayOfWeek"))
            if occurrence is None or day is None:
                return f"monthly at {self.at}"
            return f"on the {ORDINALS[occurrence]} {DAY_NAMES[day]} of every month at {self.at}"
        if kind == "custom":
            custom = self.contract("customContract")
            days = [str(d) for d in _ints(custom.get("daysOfMonth"))]
            months = [MONTHS[m - 1] for m in sorted({m for m in map(_month_index, custom.get("months") or [])
                                                     if m is not None})]
            on = f"on day{'s' if len(days) > 1 else ''} {_join(days)}" if days else "every day"
            of = f" of {_join(months)}" if months and len(months) < 12 else " of every month"
            return f"{on}{of} at {self.at}"
        return f"{self.kind.lower()} from {self.at}"

    def cron(self) -> str | None:
        """An equivalent 5-field cron rule in the schedule's zone, or None where cron cannot say it."""
        if self.local_start is None:
            return None
        minute, hour = self.local_start.minute, self.local_start.hour
        kind = self.kind.lower()
        if kind == "hourly":
            interval = self.interval_minutes()
            if interval >= 60 and interval % 60 == 0 and 24 % (interval // 60) == 0:
                step = interval // 60
                return f"{minute} {hour % step}-23/{step} * * *" if step > 1 else f"{minute} * * * *"
            if 0 < interval < 60 and 60 % interval == 0:
                return f"{minute % interval}-59/{interval} * * * *"
            return None
        if kind == "daily":
            workweek = bool(self.contract("dailyContract").get("runOnlyWorkWeek"))
            return f"{minute} {hour} * * {'1-5' if workweek else '*'}"
        if kind == "weekly":
            days = self.weekdays()
            return f"{minute} {hour} * * {','.join(CRON_DAYS[d] for d in days)}" if days else None
        if kind == "monthly":
            monthly = self.contract("monthlyContract")
            if monthly.get("simpleDayOfMonth", True):
                return f"{minute} {hour} {int(monthly.get('dayOfMonth') or 1)} * *"
            occurrence, day = _occurrence(monthly.get("occurrence")), _day_index(monthly.get("dayOfWeek"))
            if occurrence is None or day is None or occurrence < 0:
                return None  # "last <weekday>" has no portable cron form; the API's next run is used
            return f"{minute} {hour} * * {day}#{occurrence}"
        if kind == "custom":
            custom = self.contract("customContract")
            days = _ints(custom.get("daysOfMonth"))
            months = sorted({m for m in map(_month_index, custom.get("months") or []) if m is not None})
            if not days:
                return None
            return f"{minute} {hour} {','.join(map(str, days))} {','.join(map(str, months)) if months else '*'} *"
        return None
