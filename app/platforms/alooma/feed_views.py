"""Alooma's notifications feed: since a chosen time, filtered by severity and type, with counts; and its JSON twin."""
from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_login import login_required

from app.api.serialize import to_json
from app.connections import service_or_404
from app.errors import PlatformError
from app.exports import json_response
from app.pagination import clamp_page, page_of, requested_per_page
from app.platforms.alooma import bp
from app.platforms.alooma.feed import (SEVERITIES, WINDOWS, AloomaFeed, chosen_severity, chosen_type, filtered,
                                       type_choices, window_of)
from app.platforms.views import fetch_or_banner


def _feed(connection: str) -> tuple[Any, AloomaFeed]:
    svc = service_or_404(connection, "alooma")
    return svc, AloomaFeed(svc)


@bp.route("/<connection>/notifications")
@login_required
def notifications(connection: str):
    """The feed since the chosen window's start, newest first; counts per severity and type over the window."""
    svc, feed = _feed(connection)
    errors: list[PlatformError] = []
    window = window_of(request.args.get("since"))
    fetched = fetch_or_banner(lambda: feed.notifications(window), errors)
    everything = fetched.value if fetched else []
    types = type_choices(everything)
    severity, kind = chosen_severity(request.args.get("severity")), chosen_type(request.args.get("type"), types)
    shown = filtered(everything, severity, kind)
    page = page_of(shown, clamp_page(request.args.get("page")), requested_per_page())
    return render_template("alooma/notifications.html", svc=svc, errors=errors, fetched=fetched, page=page,
                           counts=feed.counts(window, fetched) if fetched else None, window=window, windows=WINDOWS,
                           since=feed.since(window), severity=severity, severities=SEVERITIES, kind=kind, types=types)


@bp.route("/<connection>/notifications.json")
@login_required
def notifications_json(connection: str):
    """The feed with the page's filters, whole, and the window's counts; a platform failure is a JSON error body."""
    _, feed = _feed(connection)
    window = window_of(request.args.get("since"))
    fetched = feed.notifications(window)
    severity = chosen_severity(request.args.get("severity"))
    kind = chosen_type(request.args.get("type"), type_choices(fetched.value))
    shown = filtered(fetched.value, severity, kind)
    return json_response(f"alooma-{connection}-notifications", {
        "since": feed.since(window).isoformat(), "window": window.key, "severity": severity or None,
        "type": kind or None, "items": to_json(shown), "total": len(shown),
        "counts": to_json(feed.counts(window, fetched)), "stale": fetched.stale.describe() if fetched.stale else None})
