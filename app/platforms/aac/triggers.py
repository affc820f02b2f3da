"""AAC triggers: each variant in words, as a cron rule, and its next fire time in its own time zone."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from app.platforms.cron import CronError, describe_cron, next_runs, quartz_to_cron
from app.platforms.timestamps import parse_time

WEEKDAYS = ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"]


def _at(spec: dict) -> tuple[int, int]:
    return int(spec.get("hourOfDay", 0)), int(spec.get("minuteOfHour", 0))


def trigger_rule(trigger: dict) -> tuple[str | None, str, str, str]:
    """(cron, words, kind, timezone) for one AAC trigger; cron is None where no rule applies."""
    if "fileWatcher" in trigger:
        path = (trigger["fileWatcher"] or {}).get("path", "")
        return None, f"on file change ({path})" if path else "on file change", "event", "UTC"
    if "tableWatcher" in trigger:
        table = (trigger["tableWatcher"] or {}).get("tableName", "")
        return None, f"on table change ({table})" if table else "on table change", "event", "UTC"
    time_based = trigger.get("timeBased") or {}
    tz = str(time_based.get("timezone") or "UTC")
    if "cron" in time_based:
        expression = str((time_based["cron"] or {}).get("expression", ""))
        try:
            cron = quartz_to_cron(expression)
        except CronError:
            return None, f"cron {expression}", "cron", tz
        return cron, describe_cron(cron), "cron", tz
    if "hourly" in time_based:
        minute = int(time_based["hourly"].get("minuteOfHour", 0))
        return f"{minute} * * * *", f"every hour at :{minute:02d}", "interval", tz
    if "daily" in time_based:
        hour, minute = _at(time_based["daily"])
        days = "1-5" if time_based["daily"].get("onlyWorkingDays") else "*"
        cron = f"{minute} {hour} * * {days}"
        return cron, describe_cron(cron), "interval", tz
    if "weekly" in time_based:
        hour, minute = _at(time_based["weekly"])
        days = [str(WEEKDAYS.index(d)) for d in time_based["weekly"].get("daysOfWeek", []) if d in WEEKDAYS]
        cron = f"{minute} {hour} * * {','.join(days) or '*'}"
        return cron, describe_cron(cron), "interval", tz
    if "monthly" in time_based:
        hour, minute = _at(time_based["monthly"])
        days = ",".join(str(int(d)) for d in time_based["monthly"].get("daysOfMonth", [1]))
        cron = f"{minute} {hour} {days} * *"
        return cron, describe_cron(cron), "interval", tz
    if "monthlyWeekday" in time_based:
        spec = time_based["monthlyWeekday"]
        hour, minute = _at(spec)
        day = WEEKDAYS.index(spec.get("dayOfWeek", "MONDAY")) if spec.get("dayOfWeek") in WEEKDAYS else 1
        cron = f"{minute} {hour} * * {day}#{int(spec.get('nthWeekDayOfMonth', 1))}"
        return cron, describe_cron(cron), "interval", tz
    if "oneTime" in time_based:
        when = parse_time(time_based["oneTime"].get("utcDateTime"))
        text = f"once at {when:%Y-%m-%d %H:%M} UTC" if when else "once"
        return None, text, "manual", tz
    return None, "unknown trigger", "manual", tz


def _window(time_based: dict) -> tuple[datetime | None, datetime | None]:
    spec = next((v for v in time_based.values() if isinstance(v, dict)), {})
    return parse_time(spec.get("utcStartDateTime")), parse_time(spec.get("utcEndDateTime"))


def next_fire(trigger: dict, now: datetime) -> datetime | None:
    """The trigger's next fire time after `now`, honouring its validity window; None for event triggers."""
    cron, _, _, tz = trigger_rule(trigger)
    time_based = trigger.get("timeBased") or {}
    if "oneTime" in time_based:
        when = parse_time(time_based["oneTime"].get("utcDateTime"))
        return when if when and when > now else None
    if cron is None:
        return None
    start, end = _window(time_based)
    return _first_fire(cron, tz, max(now, start) if start else now, end)


@lru_cache(maxsize=8192)
def _first_fire(cron: str, tz: str, after: datetime, until: datetime | None) -> datetime | None:
    """Memoised: a world of thousands of schedules shares a few hundred rules."""
    try:
        found = next_runs(cron, tz, after, count=1, until=until)
    except CronError:
        return None
    return found[0] if found else None
