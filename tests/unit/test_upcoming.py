"""Upcoming runs from normalised schedules: occurrences, clashes, the week heat map and the timeline."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.overview.upcoming import (MAX_PER_SCHEDULE, Occurrence, find_clashes, heat_level, occurrences, timeline,
                                   week_heatmap)
from app.platforms.records import Schedule, TargetRef, Trigger

UTC = timezone.utc
START = datetime(2026, 3, 27, 0, 0, tzinfo=UTC)  # a Friday; Berlin moves to summer time on Sunday 29 March


def schedule(id: str, cron: str | None = "0 9 * * *", tz: str = "UTC", *, owner: str = "ana",
             target: TargetRef | None = None, enabled: bool = True, next_run: datetime | None = None,
             connection: str = "aac-main", platform: str = "aac", name: str | None = None) -> Schedule:
    trigger = Trigger("cron", "rule", cron=cron, timezone=tz) if cron else Trigger("manual", "one-off")
    return Schedule(connection=connection, platform=platform, id=id, name=name or f"schedule {id}",
                    target=target or TargetRef("flow", f"flow-{id}", f"Flow {id}"), owner=owner, trigger=trigger,
                    timezone=tz, enabled=enabled, next_run=next_run, last_run=None, last_status=None,
                    updated_at=None)


def at(hour: int, minute: int = 0, day: int = 27) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def test_a_berlin_rule_keeps_its_wall_time_across_the_dst_change():
    """Does 09:00 Berlin start at 08:00 UTC before the change and 07:00 UTC after it?"""
    found = occurrences([schedule("1", "0 9 * * *", "Europe/Berlin")], START, START + timedelta(days=4))
    assert [o.at for o in found] == [at(8), at(8, day=28), at(7, day=29), at(7, day=30)]


def test_a_rule_in_the_skipped_hour_still_starts_once_that_day():
    """Does 02:30 Berlin, a time that does not exist on 29 March, start exactly once that day?"""
    found = occurrences([schedule("1", "30 2 * * *", "Europe/Berlin")], at(0, day=29), at(0, day=30))
    assert len(found) == 1


def test_the_window_includes_its_start_and_excludes_its_end():
    """Is a start exactly at `start` counted and one exactly at `end` not?"""
    found = occurrences([schedule("1", "0 * * * *")], at(9), at(12))
    assert [o.at for o in found] == [at(9), at(10), at(11)]


def test_an_every_minute_rule_is_capped():
    """Does an every-minute rule stop at the cap instead of giving 10,080 starts in 7 days?"""
    found = occurrences([schedule("1", "* * * * *")], START, START + timedelta(days=7))
    assert len(found) == MAX_PER_SCHEDULE


def test_the_cap_applies_to_each_schedule_sharing_a_rule():
    """Do two schedules sharing one every-minute rule get the cap each, not the cap between them?"""
    rules = [schedule("1", "* * * * *"), schedule("2", "* * * * *")]
    found = occurrences(rules, START, START + timedelta(days=1), cap=10)
    assert len(found) == 20 and {o.schedule.id for o in found} == {"1", "2"}


def test_disabled_schedules_do_not_start():
    """Is a disabled schedule left out even though its rule would fire?"""
    assert occurrences([schedule("1", enabled=False)], START, START + timedelta(days=1)) == []


def test_a_schedule_without_a_rule_uses_its_next_run_when_it_falls_in_the_window():
    """Does a rule-less schedule count its next run inside the window, and nothing outside it?"""
    inside = schedule("1", None, next_run=at(10))
    outside = schedule("2", None, next_run=at(10, day=29))
    found = occurrences([inside, outside], START, START + timedelta(days=1))
    assert [(o.schedule.id, o.at) for o in found] == [("1", at(10))]


def test_an_unreadable_rule_falls_back_to_the_next_run():
    """Does a rule croniter cannot follow fall back to the platform's own next run?"""
    broken = schedule("1", "not a rule", next_run=at(10))
    assert [o.at for o in occurrences([broken], START, START + timedelta(days=1))] == [at(10)]


def test_occurrences_are_sorted_by_time():
    """Do starts of different schedules come back in time order?"""
    found = occurrences([schedule("late", "0 18 * * *"), schedule("early", "0 6 * * *")], START,
                        START + timedelta(days=1))
    assert [o.schedule.id for o in found] == ["early", "late"]


def test_two_schedules_of_one_owner_in_one_window_clash():
    """Do two schedules of the same owner starting 5 minutes apart make one owner clash?"""
    found = occurrences([schedule("1", "0 9 * * *", owner="ana"), schedule("2", "5 9 * * *", owner="ana")],
                        START, START + timedelta(days=1))
    clashes = find_clashes(found)
    assert [(c.kind, c.key, c.window_start) for c in clashes] == [("owner", "ana", at(9))]
    assert [s.id for s in clashes[0].schedules] == ["1", "2"]


def test_two_owners_running_one_target_clash_on_the_target():
    """Do two owners' schedules of one flow on one connection make a target clash named with its connection?"""
    flow = TargetRef("flow", "f-7", "Sales load")
    found = occurrences([schedule("1", owner="ana", target=flow), schedule("2", owner="bo", target=flow)],
                        START, START + timedelta(days=1))
    clashes = find_clashes(found)
    assert [(c.kind, c.key) for c in clashes] == [("target", "Sales load (aac-main)")]


def test_the_same_target_id_on_two_connections_is_not_one_target():
    """Are flows with the same id on different connections kept apart?"""
    flow = TargetRef("flow", "f-7", "Sales load")
    found = occurrences([schedule("1", owner="ana", target=flow),
                         schedule("2", owner="bo", target=flow, connection="aac-second")],
                        START, START + timedelta(days=1))
    assert find_clashes(found) == []


def test_a_schedule_does_not_clash_with_itself():
    """Are three starts of one every-5-minutes schedule inside 15 minutes not a clash?"""
    found = occurrences([schedule("1", "*/5 * * * *")], at(9), at(9, 15))
    assert len(found) == 3 and find_clashes(found) == []


def test_a_frequent_schedule_clashes_with_another_of_its_owner():
    """Is an every-5-minutes schedule and another of its owner in the same window a clash with both?"""
    found = occurrences([schedule("1", "*/5 * * * *"), schedule("2", "10 9 * * *")], at(9), at(9, 15))
    (clash,) = find_clashes(found)
    assert len(clash.occurrences) == 4 and {s.id for s in clash.schedules} == {"1", "2"}


def test_starts_in_different_windows_do_not_clash():
    """Do 09:10 and 09:20 fall in different 15-minute windows, so no clash?"""
    found = occurrences([schedule("1", "10 9 * * *"), schedule("2", "20 9 * * *")], START, START + timedelta(days=1))
    assert find_clashes(found) == []


def test_clashes_are_sorted_by_time():
    """Do clashes come back in order of their window?"""
    found = occurrences([schedule("1", "0 9,17 * * *"), schedule("2", "0 9,17 * * *")], START,
                        START + timedelta(days=1))
    clashes = find_clashes(found)
    assert [c.window_start for c in clashes if c.kind == "owner"] == [at(9), at(17)]


def test_heatmap_places_starts_in_the_viewers_zone():
    """Is a Friday 23:30 UTC start counted on Saturday 00:00 for a viewer in Berlin, and Friday 23:00 in UTC?"""
    found = [Occurrence(schedule("1"), at(23, 30))]
    berlin = week_heatmap(found, "Europe/Berlin")
    assert berlin[5][0] == 1 and sum(map(sum, berlin)) == 1
    assert week_heatmap(found, "UTC")[4][23] == 1


def test_heatmap_is_seven_rows_of_twenty_four_and_an_unknown_zone_is_utc():
    """Is the heat map 7x24, and does a zone that does not exist count in UTC?"""
    grid = week_heatmap([Occurrence(schedule("1"), at(9))], "Mars/Olympus")
    assert len(grid) == 7 and all(len(row) == 24 for row in grid) and grid[4][9] == 1


def test_heat_levels_run_from_zero_to_five():
    """Is nothing level 0, one start at least level 1, and the busiest cell level 5?"""
    assert [heat_level(0, 40), heat_level(1, 40), heat_level(20, 40), heat_level(40, 40)] == [0, 1, 3, 5]


def test_timeline_counts_each_hour_stacked_by_platform():
    """Does the timeline put each start into its hour, one dataset per platform?"""
    found = occurrences([schedule("1", "0 9 * * *"), schedule("2", "30 9 * * *", owner="bo"),
                         schedule("3", "0 11 * * *", platform="server", connection="server-main")],
                        START, START + timedelta(days=1))
    spec = timeline(found, START, 1, 24)
    runs = {d["label"]: d["data"] for d in spec["data"]["datasets"] if d.get("stack") == "runs"}
    assert spec["data"]["labels"][:2] == ["00:00", "01:00"] and len(spec["data"]["labels"]) == 24
    assert runs["Alteryx Analytics Cloud"][9] == 2 and runs["Alteryx Server"][11] == 1
    assert spec["options"]["scales"]["y"]["stacked"] is True


def test_timeline_buckets_of_three_hours_over_a_week():
    """With 3-hour buckets over 7 days, are there 56 buckets and does 10:00 on day two land in bucket 11?"""
    found = occurrences([schedule("1", "0 10 * * *")], START, START + timedelta(days=7))
    spec = timeline(found, START, 3, 56)
    (aac,) = [d for d in spec["data"]["datasets"] if d.get("stack") == "runs"]
    assert len(aac["data"]) == 56 and aac["data"][8 + 3] == 1 and sum(aac["data"]) == 7
    assert spec["data"]["labels"][0] == "Fri 00:00"


def test_timeline_marks_the_buckets_that_hold_a_clash():
    """Is the clash dataset set only on the hour where two of one owner's schedules start together?"""
    found = occurrences([schedule("1", "0 9 * * *"), schedule("2", "5 9 * * *"), schedule("3", "0 14 * * *")],
                        START, START + timedelta(days=1))
    (marks,) = [d for d in timeline(found, START, 1, 24)["data"]["datasets"] if d["label"] == "clashes"]
    assert marks["data"][9] == 1 and [i for i, v in enumerate(marks["data"]) if v] == [9]


def test_timeline_leaves_out_starts_outside_its_buckets():
    """Are starts before the first or after the last bucket left out rather than mis-counted?"""
    found = [Occurrence(schedule("1"), at(9) - timedelta(days=1)), Occurrence(schedule("1"), at(9) + timedelta(days=2))]
    spec = timeline(found, START, 1, 24)
    assert all(not any(d["data"]) for d in spec["data"]["datasets"])
