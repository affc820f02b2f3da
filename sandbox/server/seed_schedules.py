"""Seeded schedules: a fixed varied set (every iteration type, five zones, several owners), more in large worlds."""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from sandbox.server.iteration import DAY_NAMES, iso_seconds, next_fire, normalize, zone_of
from sandbox.server.jobs import hex_id
from sandbox.server.world import Schedule, World

ZONES = ("Eastern Standard Time", "W. Europe Standard Time", "GMT Standard Time", "Tokyo Standard Time", "UTC")
PAST_ONCE, FUTURE_ONCE = "past", "future"
# name, workflow, owner (index among users), zone, local time, iteration (no startTime), enabled, answers
FIXED: tuple[tuple[str, str, int, str, str, dict[str, Any] | str, bool, list[dict[str, str]]], ...] = (
    ("Nightly Regional Sales", "Regional Sales Summary", 0, "Eastern Standard Time", "06:30",
     {"iterationType": "Daily", "dailyContract": {"runOnlyWorkWeek": False}}, True, [{"name": "region", "value": "EMEA"}]),
    ("Hourly Cash Position", "Daily Cash Position", 1, "UTC", "00:05",
     {"iterationType": "Hourly", "hourlyContract": {"hours": 1, "minutes": 0}}, True, []),
    ("Workweek Orders Load", "Nightly Orders ETL", 2, "W. Europe Standard Time", "02:00",
     {"iterationType": "Daily", "dailyContract": {"runOnlyWorkWeek": True}}, True, []),
    ("Churn Scores Mon/Thu", "Customer Churn Scoring", 1, "GMT Standard Time", "07:15",
     {"iterationType": "Weekly", "weeklyContract": {"daysOfWeek": ["Monday", "Thursday"]}}, True,
     [{"name": "model", "value": "rf"}]),
    ("Month-start Ledger Close", "Ledger Close Extract", 0, "Eastern Standard Time", "05:00",
     {"iterationType": "Monthly", "monthlyContract": {"simpleDayOfMonth": True, "dayOfMonth": 1}}, True, []),
    ("Last Friday Payroll Check", "Payroll Reconciliation", 3, "W. Europe Standard Time", "18:00",
     {"iterationType": "Monthly", "monthlyContract": {"simpleDayOfMonth": False, "occurrence": -1,
                                                      "dayOfWeek": "Friday"}}, True, []),
    ("Quarterly Budget Variance", "Budget vs Actuals Variance", 0, "Tokyo Standard Time", "09:00",
     {"iterationType": "Custom", "customContract": {"daysOfMonth": [1, 15], "months": [1, 4, 7, 10]}}, True, []),
    ("Pricing Backfill (one-off)", "Price Elasticity Model", 2, "UTC", "20:00", PAST_ONCE, True, []),
    ("Territory Realignment (one-off)", "Territory Alignment", 3, "Eastern Standard Time", "08:00", FUTURE_ONCE,
     True, [{"name": "region", "value": "NA"}]),
    ("ERP Open Orders (nightly)", "Legacy ERP Extract", 0, "UTC", "01:00",
     {"iterationType": "Daily", "dailyContract": {"runOnlyWorkWeek": False}}, True, []),
    ("Address Cleanup Saturdays", "Address Standardization", 0, "Tokyo Standard Time", "03:30",
     {"iterationType": "Weekly", "weeklyContract": {"daysOfWeek": ["Saturday"]}}, True, []),
    ("Web Funnel every 4 hours", "Web Sessions Funnel", 4, "GMT Standard Time", "00:20",
     {"iterationType": "Hourly", "hourlyContract": {"hours": 4, "minutes": 0}}, True, []),
    ("Supplier Risk 2nd Tuesday", "Supplier Risk Assessment", 3, "Eastern Standard Time", "08:00",
     {"iterationType": "Monthly", "monthlyContract": {"simpleDayOfMonth": False, "occurrence": 2,
                                                      "dayOfWeek": "Tuesday"}}, False, []),
    ("Daily Reorder Plan", "Inventory Reorder Planner", 1, "Tokyo Standard Time", "05:45",
     {"iterationType": "Daily", "dailyContract": {"runOnlyWorkWeek": False}}, False,
     [{"name": "warehouse", "value": "SIN"}]),
    ("Warehouse Snapshot half-hourly", "Warehouse Snapshot Load", 2, "W. Europe Standard Time", "00:00",
     {"iterationType": "Hourly", "hourlyContract": {"hours": 0, "minutes": 30}}, True, []),
    ("Mid-month Claims Screening", "Claims Fraud Screening", 4, "GMT Standard Time", "12:00",
     {"iterationType": "Monthly", "monthlyContract": {"simpleDayOfMonth": True, "dayOfMonth": 15}}, True, []),
    ("Weekly Transactions Export", "Customer Transactions Export", 0, "UTC", "03:00",
     {"iterationType": "Weekly", "weeklyContract": {"daysOfWeek": ["Sunday"]}}, True, []),
    ("Year-end Loyalty Accrual", "Loyalty Points Accrual", 1, "Eastern Standard Time", "22:00",
     {"iterationType": "Custom", "customContract": {"daysOfMonth": [31], "months": [12]}}, False, []),
)


def _start(local_day: datetime, clock: str, zone_id: str) -> datetime:
    """A local wall-clock time on a day in the zone, as a UTC instant."""
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.combine(local_day.astimezone(zone_of(zone_id)).date(), time(hour, minute),
                            tzinfo=zone_of(zone_id))


def _random_iteration(rng: random.Random) -> dict[str, Any]:
    kind = rng.choice(("Hourly", "Daily", "Daily", "Weekly", "Monthly", "Custom"))
    if kind == "Hourly":
        return {"iterationType": kind, "hourlyContract": {"hours": rng.choice((1, 2, 6, 12)), "minutes": 0}}
    if kind == "Daily":
        return {"iterationType": kind, "dailyContract": {"runOnlyWorkWeek": rng.random() < 0.4}}
    if kind == "Weekly":
        return {"iterationType": kind, "weeklyContract": {"daysOfWeek": rng.sample(DAY_NAMES, rng.randint(1, 3))}}
    if kind == "Monthly":
        if rng.random() < 0.5:
            return {"iterationType": kind, "monthlyContract": {"simpleDayOfMonth": True, "dayOfMonth": rng.randint(1, 28)}}
        return {"iterationType": kind, "monthlyContract": {"simpleDayOfMonth": False, "occurrence": rng.choice((1, 2, -1)),
                                                           "dayOfWeek": rng.choice(DAY_NAMES)}}
    return {"iterationType": kind, "customContract": {"daysOfMonth": sorted(rng.sample(range(1, 29), 2)),
                                                      "months": sorted(rng.sample(range(1, 13), 4))}}


def _add(world: World, rng: random.Random, now: datetime, name: str, workflow_id: str, owner_id: str, zone: str,
         clock: str, iteration: dict[str, Any] | str, enabled: bool, answers: list[dict[str, str]]) -> None:
    created = now - timedelta(days=rng.uniform(40, 300))
    if iteration == PAST_ONCE:
        created = now - timedelta(days=12)
        raw = {"iterationType": "Once", "startTime": iso_seconds(_start(now - timedelta(days=10), clock, zone))}
    elif iteration == FUTURE_ONCE:
        created = now - timedelta(days=2)
        raw = {"iterationType": "Once", "startTime": iso_seconds(_start(now + timedelta(days=5), clock, zone))}
    else:
        raw = dict(iteration, startTime=iso_seconds(_start(created + timedelta(days=1), clock, zone)))
    it = normalize(raw)
    modified = now - timedelta(days=rng.uniform(2, 25)) if not enabled else created + (now - created) * rng.random() * 0.3
    owner = world.users[owner_id]
    schedule = Schedule(hex_id(rng), name, workflow_id, owner_id, it, zone, enabled, created, modified, owner_id,
                        next_fire(it, zone, now), questions=list(answers),
                        priority=rng.choice(("Default",) * 5 + ("Medium", "High")),
                        worker_tag=world.workflows[workflow_id].worker_tag,
                        comment=f"Owned by {owner.first_name} {owner.last_name}" if rng.random() < 0.4 else "",
                        cpu_name=rng.choice(("AYXWORKER01", "AYXWORKER02")))
    world.schedules[schedule.id] = schedule


def build_schedules(world: World, rng: random.Random, extra: int, now: datetime) -> None:
    """The fixed schedules, then `extra` random ones (large worlds)."""
    users = list(world.users.values())
    by_name = {w.name: w.id for w in world.workflows.values()}
    for name, workflow, owner, zone, clock, iteration, enabled, answers in FIXED:
        _add(world, rng, now, name, by_name[workflow], users[owner].id, zone, clock, iteration, enabled, answers)
    publishers = [u.id for u in users if u.role in ("Curator", "Artisan")]
    runnable = [w for w in world.workflows.values() if not w.run_disabled]
    for index in range(extra):
        workflow = rng.choice(runnable)
        clock = f"{rng.randint(0, 23):02d}:{rng.choice((0, 15, 30, 45)):02d}"
        _add(world, rng, now, f"{workflow.name} ({index})", workflow.id, rng.choice(publishers), rng.choice(ZONES),
             clock, _random_iteration(rng), rng.random() < 0.85, [])
