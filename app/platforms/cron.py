"""Cron rules: Quartz to standard cron, wording for people, and next runs with croniter in a time zone."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import CroniterBadCronError, CroniterBadDateError, croniter

DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
DAY_ABBREV = {"SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6}
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th"}


class CronError(ValueError):
    """A rule we cannot read; pages show it verbatim instead of guessing."""


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _shift_quartz_dow(field: str) -> str:
    """Quartz numbers days 1-7 from Sunday; cron numbers them 0-6."""
    return re.sub(r"(?<![#\d])([1-7])(?![\d])", lambda m: str(int(m.group(1)) - 1), field)


@lru_cache(maxsize=4096)
def quartz_to_cron(expression: str) -> str:
    """Turn a Quartz rule (seconds first, '?' placeholders, optional year) into five-field cron.

    Memoised, like describe_cron: checking a rule with croniter costs about half a millisecond, and
    ten thousand schedules share a few hundred rules."""
    fields = expression.split()
    if len(fields) not in (6, 7):
        raise CronError(f"a Quartz rule has 6 or 7 fields, not {len(fields)}: {expression!r}")
    seconds, minutes, hours, dom, month, dow = fields[:6]
    if seconds not in ("0", "00"):
        raise CronError(f"second-level rules are not shown: {expression!r}")
    dom = "*" if dom == "?" else dom
    dow = "*" if dow == "?" else _shift_quartz_dow(dow.upper())
    cron = f"{minutes} {hours} {dom} {month} {dow}"
    if not croniter.is_valid(cron):
        raise CronError(f"not a rule croniter can follow: {expression!r}")
    return cron


def _hhmm(hour: str, minute: str) -> str:
    return f"{int(hour):02d}:{int(minute):02d}"


def _day_name(token: str) -> str:
    token = token.upper()
    if token.isdigit():
        return DAY_NAMES[int(token) % 7]
    return DAY_NAMES[DAY_ABBREV[token[:3]]]


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _describe_days(dow: str) -> str | None:
    if dow in ("MON-FRI", "1-5"):
        return "every weekday"
    if dow in ("SAT,SUN", "0,6", "6,0", "SUN,SAT"):
        return "every weekend day"
    if re.fullmatch(r"[A-Za-z0-9]+(,[A-Za-z0-9]+)*", dow):
        return "every " + _join([_day_name(d) for d in dow.split(",")])
    match = re.fullmatch(r"([A-Za-z0-9]+)#([1-5])", dow)
    if match:
        return f"on the {ORDINALS[int(match.group(2))]} {_day_name(match.group(1))} of every month"
    return None


def _on_days(days: str) -> str:
    """'every weekday' -> 'on weekdays'; 'every Monday and Friday' -> 'on Monday and Friday'."""
    rest = days.removeprefix("every ")
    return "on weekdays" if rest == "weekday" else ("on weekends" if rest == "weekend day" else f"on {rest}")


@lru_cache(maxsize=4096)
def describe_cron(cron: str) -> str:
    """Five-field cron in words for the common shapes; anything else is shown as the rule itself."""
    minute, hour, dom, month, dow = cron.split()
    simple_time = minute.isdigit() and hour.isdigit()
    if month == "*" and dom == "*" and dow == "*":
        if simple_time:
            return f"every day at {_hhmm(hour, minute)}"
        if minute.isdigit() and hour == "*":
            return f"every hour at :{int(minute):02d}"
        if minute.isdigit() and re.fullmatch(r"\*/\d+", hour):
            return f"every {hour[2:]} hours at :{int(minute):02d}"
        if re.fullmatch(r"(\*|0)/\d+", minute) and hour == "*":
            return f"every {minute.split('/')[1]} minutes"
        if simple_time is False and minute.isdigit() and re.fullmatch(r"\d+(,\d+)+", hour):
            return "every day at " + _join([_hhmm(h, minute) for h in hour.split(",")])
    if month == "*" and dom == "*" and simple_time:
        days = _describe_days(dow)
        if days:
            return f"{days} at {_hhmm(hour, minute)}"
    if month == "*" and dom == "*" and dow != "*":
        days = _describe_days(dow)
        within = describe_cron(f"{minute} {hour} * * *")
        if days and days.startswith("every ") and not within.startswith("cron "):
            return f"{within} {_on_days(days)}"
    hours_range = re.fullmatch(r"(\d+)-(\d+)", hour)
    step = re.fullmatch(r"(?:\*|0)/(\d+)", minute)
    if step and hours_range and month == "*" and dom == "*":
        first, last = int(hours_range.group(1)), int(hours_range.group(2))
        text = f"every {step.group(1)} minutes from {first:02d}:00 to {last:02d}:59"
        days = _describe_days(dow) if dow != "*" else None
        return f"{text} {_on_days(days)}" if days and days.startswith("every ") else text
    if month == "*" and dow == "*" and simple_time and re.fullmatch(r"\d+(,\d+)*|L", dom):
        which = "the last day" if dom == "L" else "day " + _join(dom.split(","))
        return f"on {which} of every month at {_hhmm(hour, minute)}"
    return f"cron {cron}"


def next_runs(cron: str, tz: str, after: datetime, count: int = 1, until: datetime | None = None) -> list[datetime]:
    """The next `count` fire times after `after`, in UTC, following the rule in its own time zone (DST-aware)."""
    local_zone = zone(tz)
    try:
        itr = croniter(cron, after.astimezone(local_zone))
    except (CroniterBadCronError, CroniterBadDateError, ValueError) as exc:
        raise CronError(str(exc)) from None
    found: list[datetime] = []
    seen_wall_times: set[tuple] = set()
    while len(found) < count:
        try:
            local = itr.get_next(datetime)
        except (CroniterBadDateError, StopIteration):
            break
        moment = local.astimezone(timezone.utc)
        if until is not None and moment >= until:
            break
        wall = local.astimezone(local_zone).replace(tzinfo=None, fold=0)
        if wall in seen_wall_times:
            continue  # the repeated hour when clocks fall back: cron fires once, not twice
        seen_wall_times.add(wall)
        found.append(moment)
    return found
