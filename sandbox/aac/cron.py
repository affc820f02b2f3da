"""When a time trigger last fired before a moment: Quartz and structured triggers evaluated with croniter."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from croniter import croniter

from sandbox.aac.world import Trigger

DAY_NAMES = {"MONDAY": "MON", "TUESDAY": "TUE", "WEDNESDAY": "WED", "THURSDAY": "THU", "FRIDAY": "FRI",
             "SATURDAY": "SAT", "SUNDAY": "SUN"}


def _quartz_dow(field: str) -> str:
    """Quartz counts weekdays 1=SUN..7=SAT; croniter counts 0=SUN..6=SAT. The n after '#' is left alone."""
    parts = []
    for part in field.split(","):
        base, hash_sign, nth = part.partition("#")
        parts.append(re.sub(r"\d+", lambda m: str(int(m.group()) - 1), base) + hash_sign + nth)
    return ",".join(parts)


def quartz_to_croniter(expression: str) -> str:
    """Quartz 'sec min hour dom month dow [year]' -> croniter's seconds-first 6-field form."""
    fields = expression.split()
    if len(fields) not in (6, 7):
        raise ValueError(f"Quartz cron needs 6 or 7 fields, got {len(fields)}")
    sec, minute, hour, dom, month, dow = fields[:6]
    dom = "*" if dom == "?" else dom
    dow = "*" if dow == "?" else _quartz_dow(dow)
    return " ".join((sec, minute, hour, dom, month, dow))


def trigger_cron(trigger: Trigger) -> str | None:
    """The seconds-first cron equivalent of a time trigger; None for watchers and one-time triggers."""
    spec = trigger.spec
    if trigger.kind == "cron":
        return quartz_to_croniter(spec["expression"])
    minute = spec.get("minuteOfHour", 0)
    if trigger.kind == "hourly":
        return f"0 {minute} * * * *"
    hour = spec.get("hourOfDay", 0)
    if trigger.kind == "daily":
        return f"0 {minute} {hour} * * {'MON-FRI' if spec.get('onlyWorkingDays') else '*'}"
    if trigger.kind == "weekly":
        return f"0 {minute} {hour} * * {','.join(DAY_NAMES[d] for d in spec['daysOfWeek'])}"
    if trigger.kind == "monthly":
        return f"0 {minute} {hour} {','.join(str(d) for d in spec['daysOfMonth'])} * *"
    return None


def last_fire(trigger: Trigger, before: datetime, not_before: datetime) -> datetime | None:
    """The trigger's most recent fire time at or before `before`, if it is not earlier than `not_before`."""
    try:
        expression = trigger_cron(trigger)
        if expression is None:
            return None
        local = before.astimezone(ZoneInfo(trigger.timezone or "UTC"))
        fired = croniter(expression, local, second_at_beginning=True).get_prev(datetime)
    except (ValueError, KeyError, LookupError):
        return None
    fired = fired.astimezone(timezone.utc)
    return fired if fired >= not_before else None
