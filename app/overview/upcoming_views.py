"""The upcoming-runs page: every schedule's next starts across every connection, their clashes and the week's shape."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from flask import render_template, request
from flask_login import login_required

from app.connections import registry
from app.fanout import Outcome, gather
from app.overview import bp
from app.preferences import valid_zone, viewer_timezone
from app.overview.summary import ConnectionData, collect, now_utc
from app.overview.upcoming import (WEEKDAYS, find_clashes, heat_level, occurrences, schedule_key, timeline,
                                   week_heatmap)
from app.pagination import clamp_page, page_of

# range key: (how far ahead, hours per timeline bucket, words for the page)
RANGES = {"24h": (timedelta(hours=24), 1, "next 24 hours"), "7d": (timedelta(days=7), 3, "next 7 days")}
DEFAULT_RANGE = "24h"
PER_PAGE = 50
CLASHES_SHOWN = 100
CLASHES_FIRST = 10  # the rest fold away, so a busy week does not push the tables off the page


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


@bp.route("/upcoming")
@login_required
def upcoming():
    range_key = request.args.get("range", DEFAULT_RANGE)
    range_key = range_key if range_key in RANGES else DEFAULT_RANGE
    ahead, hours_per_bucket, range_words = RANGES[range_key]
    viewer_zone = valid_zone(request.args.get("tz")) or viewer_timezone() or "UTC"

    connections = registry().all()
    outcomes = gather([c.name for c in connections], collect)
    now = now_utc()
    schedules, troubles = [], []
    for connection in connections:
        found_here, trouble = _schedules_and_trouble(connection, outcomes[connection.name])
        schedules.extend(found_here)
        if trouble is not None:
            troubles.append(trouble)

    end = now + ahead
    found = occurrences(schedules, now, end)
    clashes = find_clashes(found)
    # buckets start on a whole hour, and 3-hour buckets on 00:00, 03:00 … UTC
    first_bucket = now.replace(hour=now.hour - now.hour % hours_per_bucket, minute=0, second=0, microsecond=0)
    bucket_hours = timedelta(hours=hours_per_bucket)
    buckets = math.ceil((end - first_bucket) / bucket_hours)
    chart = timeline(found, first_bucket, hours_per_bucket, buckets, clashes, viewer_zone)

    heat = week_heatmap(found, viewer_zone)
    peak = max(max(row) for row in heat)
    heat_rows = [(WEEKDAYS[d], [(count, heat_level(count, peak)) for count in heat[d]]) for d in range(7)]

    clashing = {(schedule_key(o.schedule), o.at) for c in clashes for o in c.occurrences}
    zones = sorted({"UTC", viewer_zone, *(valid_zone(s.timezone) or "UTC" for s in schedules)})
    return render_template(
        "overview/upcoming.html", range_key=range_key, range_words=range_words, ranges=RANGES,
        troubles=troubles, answering=len(connections) - len(troubles), connection_count=len(connections), chart=chart,
        clashes=clashes[:CLASHES_SHOWN], clash_total=len(clashes), clashes_first=CLASHES_FIRST,
        clashing=clashing, schedule_key=schedule_key,
        page=page_of(found, clamp_page(request.args.get("page")), PER_PAGE), total=len(found),
        schedule_count=sum(1 for s in schedules if s.enabled),
        heat_rows=heat_rows, peak=peak, viewer_zone=viewer_zone, zones=zones, hours=range(24),
        hours_per_bucket=hours_per_bucket)
