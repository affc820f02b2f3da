"""Trigger wording and next-run computation across time zones and DST."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from app.platforms.aac.triggers import next_fire, trigger_rule
from app.platforms.cron import CronError, describe_cron, next_runs, quartz_to_cron


@pytest.mark.parametrize("quartz, words", [
    ("0 0 6 * * ?", "every day at 06:00"),
    ("0 30 2 ? * MON-FRI", "every weekday at 02:30"),
    ("0 15 * * * ?", "every hour at :15"),
    ("0 0 */4 * * ?", "every 4 hours at :00"),
    ("0 0 8 ? * 2#1", "on the 1st Monday of every month at 08:00"),
    ("0 0 0 1,15 * ?", "on day 1 and 15 of every month at 00:00"),
    ("0 0 9 ? * 2,6 *", "every Monday and Friday at 09:00"),
    ("0 0/10 * * * ?", "every 10 minutes"),
    ("0 0 */4 ? * MON-FRI", "every 4 hours at :00 on weekdays"),
    ("0 0/30 8-18 ? * MON-FRI", "every 30 minutes from 08:00 to 18:59 on weekdays"),
    ("0 0 * ? * 2,6", "every hour at :00 on Monday and Friday"),
    ("0 0 12 L * ?", "on the last day of every month at 12:00"),
    ("0 5 4 1 1 ?", "cron 5 4 1 1 *"),
])
def test_quartz_rules_in_words(quartz, words):
    """Does each Quartz rule read as people say it?"""
    assert describe_cron(quartz_to_cron(quartz)) == words


@pytest.mark.parametrize("bad", ["0 0 6 * *", "x y z a b c", "30 0 6 * * ?"])
def test_unreadable_quartz_rules_raise(bad):
    """Is a rule with the wrong field count, garbage or seconds refused with CronError?"""
    with pytest.raises(CronError):
        quartz_to_cron(bad)


def test_spring_forward_in_berlin():
    """Across the March DST switch, does 06:00 Berlin move from 05:00 to 04:00 UTC?"""
    runs = next_runs("0 6 * * *", "Europe/Berlin", datetime(2026, 3, 28, 12, tzinfo=timezone.utc), count=2)
    assert runs == [datetime(2026, 3, 29, 4, tzinfo=timezone.utc), datetime(2026, 3, 30, 4, tzinfo=timezone.utc)]
    before = next_runs("0 6 * * *", "Europe/Berlin", datetime(2026, 3, 27, 12, tzinfo=timezone.utc), count=1)
    assert before == [datetime(2026, 3, 28, 5, tzinfo=timezone.utc)]


def test_skipped_local_hour_still_fires_once():
    """On the day 02:30 does not exist in New York, does the daily 02:30 rule still give one run that day?"""
    runs = next_runs("30 2 * * *", "America/New_York", datetime(2026, 3, 7, 12, tzinfo=timezone.utc), count=3)
    days = [r.date().isoformat() for r in runs]
    assert len(set(days)) == 3


def test_fall_back_does_not_double_fire():
    """When 01:30 happens twice (New York, November), does the daily 01:30 rule fire once that day?"""
    runs = next_runs("30 1 * * *", "America/New_York", datetime(2026, 10, 31, 12, tzinfo=timezone.utc), count=3)
    assert len({r.astimezone(ZoneInfo("America/New_York")).date() for r in runs}) == 3
    assert len(runs) == len(set(runs))


def test_tokyo_has_no_dst():
    """Is 09:00 Tokyo always 00:00 UTC?"""
    runs = next_runs("0 9 * * *", "Asia/Tokyo", datetime(2026, 3, 28, 12, tzinfo=timezone.utc), count=3)
    assert all(r.hour == 0 for r in runs)


def test_until_bounds_the_list():
    """Does `until` stop the list of runs?"""
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    runs = next_runs("0 * * * *", "UTC", start, count=100, until=datetime(2026, 1, 1, 5, tzinfo=timezone.utc))
    assert len(runs) == 4


def test_trigger_validity_window_is_honoured():
    """Does a trigger whose end date passed have no next run, and one starting later fire at its start?"""
    ended = {"timeBased": {"hourly": {"minuteOfHour": 0, "utcEndDateTime": "2026-01-01T00:00:00Z"}, "timezone": "UTC"}}
    assert next_fire(ended, datetime(2026, 2, 1, tzinfo=timezone.utc)) is None
    later = {"timeBased": {"hourly": {"minuteOfHour": 0, "utcStartDateTime": "2026-06-01T00:00:00Z"}, "timezone": "UTC"}}
    assert next_fire(later, datetime(2026, 2, 1, tzinfo=timezone.utc)) == datetime(2026, 6, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("trigger, words", [
    ({"timeBased": {"weekly": {"hourOfDay": 7, "minuteOfHour": 5, "daysOfWeek": ["MONDAY", "THURSDAY"]}, "timezone": "UTC"}},
     "every Monday and Thursday at 07:05"),
    ({"timeBased": {"monthlyWeekday": {"hourOfDay": 8, "minuteOfHour": 0, "dayOfWeek": "FRIDAY", "nthWeekDayOfMonth": 2}, "timezone": "UTC"}},
     "on the 2nd Friday of every month at 08:00"),
    ({"timeBased": {"daily": {"hourOfDay": 6, "minuteOfHour": 0, "onlyWorkingDays": True}, "timezone": "UTC"}},
     "every weekday at 06:00"),
    ({"timeBased": {"oneTime": {"utcDateTime": "2030-12-03T10:15:30Z"}, "timezone": "UTC"}}, "once at 2030-12-03 10:15 UTC"),
    ({"tableWatcher": {"tableName": "ORDERS", "operationType": "ON_CHANGE"}}, "on table change (ORDERS)"),
])
def test_trigger_variants_in_words(trigger, words):
    """Does each AAC trigger variant read in words?"""
    assert trigger_rule(trigger)[1] == words
