"""Schedule iterations: checking a contract and finding fire times in the schedule's Windows time zone, DST-correct."""
from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from tzlocal.windows_tz import win_tz

from sandbox.common.clock import parse_iso
from sandbox.server.errors import BadRequest

ITERATION_TYPES = ("Once", "Hourly", "Daily", "Weekly", "Monthly", "Custom")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CONTRACTS = ("hourlyContract", "dailyContract", "weeklyContract", "monthlyContract", "customContract")
LAST = -1  # monthlyContract.occurrence for "the last <day> of the month"
SEARCH_DAYS = 4 * 366  # Custom iterations may fire once a year; a leap day once in four


def iso_seconds(moment: datetime) -> str:
    """ISO-8601 UTC to the second with a Z, as schedule times are answered."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def zone_of(windows_id: str) -> ZoneInfo:
    """The IANA zone behind a Windows time-zone id ("W. Europe Standard Time" -> Europe/Berlin)."""
    iana = win_tz.get(windows_id)
    if iana is None:
        raise BadRequest(f"'{windows_id}' is not a known time zone id.")
    return ZoneInfo(iana)


def _int(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).lstrip("-").isdigit():
        raise BadRequest(f"{what} must be an integer between {low} and {high}.")
    number = int(value)
    if not low <= number <= high:
        raise BadRequest(f"{what} must be an integer between {low} and {high}.")
    return number


def _instant(value: Any, what: str) -> datetime:
    try:
        return parse_iso(str(value))
    except (TypeError, ValueError):
        raise BadRequest(f"{what} is not a valid date-time.") from None


def normalize(raw: Any) -> dict[str, Any]:
    """A checked iteration in the full shape (unused contracts null), or BadRequest naming the problem."""
    if not isinstance(raw, dict):
        raise BadRequest("iteration is required.")
    kind = raw.get("iterationType")
    if kind not in ITERATION_TYPES:
        raise BadRequest(f"iteration.iterationType must be one of {', '.join(ITERATION_TYPES)}.")
    if not raw.get("startTime"):
        raise BadRequest("iteration.startTime is required.")
    start = _instant(raw["startTime"], "iteration.startTime").replace(microsecond=0)
    end = _instant(raw["endTime"], "iteration.endTime").replace(microsecond=0) if raw.get("endTime") else None
    if end is not None and end <= start:
        raise BadRequest("iteration.endTime must be after iteration.startTime.")
    out: dict[str, Any] = {"iterationType": kind, "startTime": iso_seconds(start),
                           "endTime": iso_seconds(end) if end else None}
    out.update({name: None for name in CONTRACTS})
    contract = {} if kind == "Once" else raw.get(f"{kind[0].lower()}{kind[1:]}Contract")
    if contract is None and kind == "Daily":
        contract = {}
    if not isinstance(contract, dict):
        raise BadRequest(f"iteration.{kind[0].lower()}{kind[1:]}Contract is required for iterationType {kind}.")
    if kind == "Hourly":
        hours = _int(contract.get("hours", 0), "hourlyContract.hours", 0, 23)
        minutes = _int(contract.get("minutes", 0), "hourlyContract.minutes", 0, 59)
        if hours == minutes == 0:
            raise BadRequest("hourlyContract needs an interval of at least one minute.")
        out["hourlyContract"] = {"hours": hours, "minutes": minutes}
    elif kind == "Daily":
        out["dailyContract"] = {"runOnlyWorkWeek": bool(contract.get("runOnlyWorkWeek", False))}
    elif kind == "Weekly":
        days = contract.get("daysOfWeek")
        if not isinstance(days, list) or not days or any(d not in DAY_NAMES for d in days):
            raise BadRequest(f"weeklyContract.daysOfWeek must list days among {', '.join(DAY_NAMES)}.")
        out["weeklyContract"] = {"daysOfWeek": [d for d in DAY_NAMES if d in days]}
    elif kind == "Monthly":
        simple = bool(contract.get("simpleDayOfMonth", False))
        if simple:
            day = _int(contract.get("dayOfMonth"), "monthlyContract.dayOfMonth", 1, 31)
            out["monthlyContract"] = {"simpleDayOfMonth": True, "dayOfMonth": day, "occurrence": None,
                                      "dayOfWeek": None}
        else:
            occurrence = _int(contract.get("occurrence"), "monthlyContract.occurrence", LAST, 4)
            if occurrence == 0:
                raise BadRequest("monthlyContract.occurrence must be 1-4, or -1 for the last one.")
            weekday = contract.get("dayOfWeek")
            if weekday not in DAY_NAMES:
                raise BadRequest(f"monthlyContract.dayOfWeek must be one of {', '.join(DAY_NAMES)}.")
            out["monthlyContract"] = {"simpleDayOfMonth": False, "dayOfMonth": None, "occurrence": occurrence,
                                      "dayOfWeek": weekday}
    elif kind == "Custom":
        days, months = contract.get("daysOfMonth"), contract.get("months")
        if not isinstance(days, list) or not days or not isinstance(months, list) or not months:
            raise BadRequest("customContract needs non-empty daysOfMonth and months.")
        out["customContract"] = {
            "daysOfMonth": sorted({_int(d, "customContract.daysOfMonth", 1, 31) for d in days}),
            "months": sorted({_int(m, "customContract.months", 1, 12) for m in months})}
    return out


def _nth_weekday(year: int, month: int, weekday: int, occurrence: int) -> int | None:
    """Day of month of the nth (or last, -1) weekday in that month."""
    weeks = calendar.monthcalendar(year, month)
    days = [week[weekday] for week in weeks if week[weekday]]
    if occurrence == LAST:
        return days[-1]
    return days[occurrence - 1] if occurrence <= len(days) else None


def _runs_on(it: dict[str, Any], day: date) -> bool:
    """Whether a day-based iteration fires on this local date."""
    kind = it["iterationType"]
    if kind == "Daily":
        return not it["dailyContract"]["runOnlyWorkWeek"] or day.weekday() < 5
    if kind == "Weekly":
        return DAY_NAMES[day.weekday()] in it["weeklyContract"]["daysOfWeek"]
    if kind == "Monthly":
        spec = it["monthlyContract"]
        if spec["simpleDayOfMonth"]:
            # A day past the month's end fires on its last day (the 31st becomes 30 April).
            return day.day == min(spec["dayOfMonth"], calendar.monthrange(day.year, day.month)[1])
        return day.day == _nth_weekday(day.year, day.month, DAY_NAMES.index(spec["dayOfWeek"]), spec["occurrence"])
    if kind == "Custom":
        spec = it["customContract"]
        return day.month in spec["months"] and day.day in spec["daysOfMonth"]
    return False


def _local_fire(day: date, clock_time: time, zone: ZoneInfo) -> datetime:
    """A local wall-clock time on a date as UTC.

    fold=0 (PEP 495) makes a time skipped by a spring-forward jump land the gap later (02:30 -> 03:30) and a
    time repeated by a fall-back jump fire at its first occurrence, as a wall-clock scheduler does.
    """
    return datetime.combine(day, clock_time, tzinfo=zone).astimezone(timezone.utc)


def _interval(it: dict[str, Any]) -> timedelta:
    spec = it["hourlyContract"]
    return timedelta(hours=spec["hours"], minutes=spec["minutes"])


def _fires(it: dict[str, Any], zone: ZoneInfo, around: datetime, forward: bool) -> Iterator[datetime]:
    """Fire times (UTC) going forward from around's local day (or backward from it), before bounds are applied."""
    start = parse_iso(it["startTime"])
    kind = it["iterationType"]
    if kind == "Once":
        yield start
        return
    if kind == "Hourly":
        step = _interval(it)
        count = max(0, int((around - start) / step))
        moment = start + step * count
        while True:
            yield moment
            moment = moment + step if forward else moment - step
            if moment < start:
                return
    local_start = start.astimezone(zone)
    clock_time = local_start.time().replace(tzinfo=None)
    day = around.astimezone(zone).date()
    step = timedelta(days=1 if forward else -1)
    for _ in range(SEARCH_DAYS):
        if day < local_start.date() and not forward:
            return
        if day >= local_start.date() and _runs_on(it, day):
            yield _local_fire(day, clock_time, zone)
        day += step


def next_fire(it: dict[str, Any], time_zone: str, after: datetime) -> datetime | None:
    """The first fire strictly after `after` (and not before startTime, not after endTime), or None."""
    zone = zone_of(time_zone)
    start = parse_iso(it["startTime"])
    end = parse_iso(it["endTime"]) if it.get("endTime") else None
    for moment in _fires(it, zone, max(after, start) - timedelta(days=1), True):
        if moment < start or moment <= after:
            continue
        return None if end is not None and moment > end else moment
    return None


def previous_fires(it: dict[str, Any], time_zone: str, before: datetime, limit: int) -> list[datetime]:
    """Up to `limit` fires at or before `before` (not before startTime), oldest first."""
    zone = zone_of(time_zone)
    start = parse_iso(it["startTime"])
    end = parse_iso(it["endTime"]) if it.get("endTime") else None
    found: list[datetime] = []
    for moment in _fires(it, zone, before + timedelta(days=1), False):
        if len(found) >= limit or moment < start:
            break
        if moment <= before and (end is None or moment <= end):
            found.append(moment)
    return found[::-1]
