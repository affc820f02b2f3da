"""Five-field cron ("0 */8 * * *"), the `run_at` form of Alooma's scheduled queries, evaluated in UTC.

Fields: minute hour day-of-month month day-of-week (0 or 7 = Sunday); each takes *, a number, a-b, a list,
and /step. When both day fields are restricted a day matching either counts, as in Vixie cron.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
SEARCH_DAYS = 366 * 5  # far enough for "29 Feb" style expressions


class CronError(ValueError):
    """The expression is not a five-field cron."""


def _field(text: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise CronError(f"bad step in {part!r}")
        if body == "*":
            start, stop = low, high
        elif "-" in body:
            start, stop = (int(x) for x in body.split("-", 1))
        else:
            start = int(body)
            stop = high if step_text else start
        if not low <= start <= stop <= high:
            raise CronError(f"{part!r} is outside {low}-{high}")
        values.update(range(start, stop + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    """A parsed expression; `text` is kept as given (it is what the API echoes back)."""

    text: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    any_day: bool
    any_weekday: bool

    def day_matches(self, day: date) -> bool:
        """Whether the expression fires on that day at all."""
        if day.month not in self.months:
            return False
        in_month, in_week = day.day in self.days, (day.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return in_month and in_week
        return in_month or in_week

    def _times(self, day: date, reverse: bool) -> list[datetime]:
        stamps = [datetime.combine(day, time(h, m), timezone.utc) for h in self.hours for m in self.minutes]
        return stamps[::-1] if reverse else stamps

    def next_after(self, moment: datetime) -> datetime | None:
        """The first fire strictly after moment."""
        day = moment.astimezone(timezone.utc).date()
        for offset in range(SEARCH_DAYS):
            current = day + timedelta(days=offset)
            if self.day_matches(current):
                for stamp in self._times(current, reverse=False):
                    if stamp > moment:
                        return stamp
        return None

    def prev_at_or_before(self, moment: datetime) -> datetime | None:
        """The last fire at or before moment."""
        day = moment.astimezone(timezone.utc).date()
        for offset in range(SEARCH_DAYS):
            current = day - timedelta(days=offset)
            if self.day_matches(current):
                for stamp in self._times(current, reverse=True):
                    if stamp <= moment:
                        return stamp
        return None


def parse(text: str) -> Cron:
    """Parse a five-field expression or raise CronError."""
    if not isinstance(text, str):
        raise CronError("run_at must be a cron string")
    parts = text.split()
    if len(parts) != 5:
        raise CronError(f"{text!r} does not have five fields")
    try:
        fields = [_field(part, low, high) for part, (low, high) in zip(parts, RANGES)]
    except ValueError as exc:
        raise CronError(str(exc)) from None
    weekdays = frozenset(d % 7 for d in fields[4])
    return Cron(text, tuple(sorted(fields[0])), tuple(sorted(fields[1])), fields[2], fields[3], weekdays,
                any_day=parts[2] == "*", any_weekday=parts[4] == "*")
