"""The upcoming-runs page: every schedule's next starts across every connection, their clashes and the week's shape."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import render_template, request
from flask_login import login_required

from app.cache import derived
from app.connections import registry
from app.fanout import Outcome, gather
from app.overview import bp
from app.overview.summary import ConnectionData, collect, collected_version, now_utc
from app.preferences import valid_zone, viewer_timezone
from app.overview.upcoming import (WEEKDAYS, find_clashes, heat_level, occurrences, schedule_key, timeline,
                                   week_heatmap)
from app.pagination import clamp_page, page_of

# range key: (how far ahead, hours per timeline bucket, words for the page)
RANGES = {"24h": (timedelta(hours=24), 1, "next 24 hours"), "7d": (timedelta(days=7), 3, "next 7 days")}
DEFAULT_RANGE = "24h"
PER_PAGE = 50
CLASHES_SHOWN = 100
CLASHES_FIRST = 10  # the rest fold away, so a busy week does not push the tables off the page
MEMBERS_SHOWN = 12  # starts listed per clash; a busy owner's window may hold hundreds


@dataclass(frozen=True)
class Trouble:
    """A banner: a connection that failed, timed out, or answered only in part or from a stale copy."""

    title: str
    message: str
    missing: bool  # its schedules are not on the page at all


def _schedules_and_trouble(connection, outcome: Outcome[ConnectionData]) -> tuple[list, Trouble | None]:
    data = outcome.value
    if data is None:
        return [], Trouble(connection.title, outcome.error or "no answer", True)
    if not data.problems:
        return data.schedules or [], None
    return data.schedules or [], Trouble(connection.title, "; ".join(data.problems), data.schedules is None)


def _upcoming(schedules: list, now: datetime, range_key: str, viewer_zone: str) -> dict[str, Any]:
    """Every start within the range, its clashes, the timeline and the heat map: the costly part of the page,
    which grows with the schedules behind it and so is made once per copy of them (see upcoming())."""
    ahead, hours_per_bucket, _ = RANGES[range_key]
    end = now + ahead
    found = occurrences(schedules, now, end)
    clashes = find_clashes(found)
    # buckets start on a whole hour, and 3-hour buckets on 00:00, 03:00 … UTC
    first_bucket = now.replace(hour=now.hour - now.hour % hours_per_bucket, minute=0, second=0, microsecond=0)
    bucket_hours = timedelta(hours=hours_per_bucket)
    buckets = math.ceil((end - first_bucket) / bucket_hours)
    heat = week_heatmap(found, viewer_zone)
    peak = max(max(row) for row in heat)
    return {
        "found": found, "clashes": clashes,
        "chart": timeline(found, first_bucket, hours_per_bucket, buckets, clashes, viewer_zone),
        "heat_rows": [(WEEKDAYS[d], [(count, heat_level(count, peak)) for count in heat[d]]) for d in range(7)],
        "peak": peak, "clashing": {(schedule_key(o.schedule), o.at) for c in clashes for o in c.occurrences},
        "zones": sorted({"UTC", viewer_zone, *(valid_zone(s.timezone) or "UTC" for s in schedules)}),
        "schedule_count": sum(1 for s in schedules if s.enabled),
    }


@bp.route("/upcoming")
@login_required
def upcoming():
    range_key = request.args.get("range", DEFAULT_RANGE)
    range_key = range_key if range_key in RANGES else DEFAULT_RANGE
    _, hours_per_bucket, range_words = RANGES[range_key]
    viewer_zone = valid_zone(request.args.get("tz")) or viewer_timezone() or "UTC"

    connections = registry().all()
    outcomes = gather([c.name for c in connections], collect)
    now = now_utc().replace(second=0, microsecond=0)  # one computation serves the whole minute
    schedules, troubles = [], []
    for connection in connections:
        found_here, trouble = _schedules_and_trouble(connection, outcomes[connection.name])
        schedules.extend(found_here)
        if trouble is not None:
            troubles.append(trouble)
    # the minute is part of the version, not of the name, so a new minute replaces the old view in place
    view = derived(f"upcoming:{range_key}:{viewer_zone}", (now, collected_version(outcomes)),
                   lambda: _upcoming(schedules, now, range_key, viewer_zone))
    found, clashes = view["found"], view["clashes"]
    return render_template(
        "overview/upcoming.html", range_key=range_key, range_words=range_words, ranges=RANGES,
        troubles=troubles, answering=len(connections) - len(troubles), connection_count=len(connections),
        chart=view["chart"], clashes=clashes[:CLASHES_SHOWN], clash_total=len(clashes), clashes_first=CLASHES_FIRST,
        members_shown=MEMBERS_SHOWN,
        clashing=view["clashing"], schedule_key=schedule_key,
        page=page_of(found, clamp_page(request.args.get("page")), PER_PAGE), total=len(found),
        schedule_count=view["schedule_count"], heat_rows=view["heat_rows"], peak=view["peak"],
        viewer_zone=viewer_zone, zones=view["zones"], hours=range(24), hours_per_bucket=hours_per_bucket)
