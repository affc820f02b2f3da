"""The viewer's time zone: chosen once, kept in a cookie, used by every page (UTC stays on hover)."""
from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, flash, redirect, request
from flask_login import login_required

from app.audit import record_action
from app.auth.views import safe_next
from app.platforms.forms import ConfirmForm

COOKIE = "fd_tz"
COMMON_ZONES = ("UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Chicago",
                "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Singapore",
                "Asia/Tokyo", "Australia/Sydney")
bp = Blueprint("preferences", __name__, url_prefix="/preferences")


def valid_zone(name: str | None) -> str:
    """An IANA zone name, or "" for anything unknown (the browser's own zone is then used)."""
    if not name or len(name) > 64:
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    return name


def viewer_timezone() -> str:
    """The zone the viewer chose, or "" when none was chosen."""
    return valid_zone(request.cookies.get(COOKIE))


def zone_choices() -> list[str]:
    chosen = viewer_timezone()
    return sorted(set(COMMON_ZONES) | ({chosen} if chosen else set()))


@bp.route("/timezone", methods=["POST"])
@login_required
def set_timezone():
    """Remember the chosen zone for a year; "" goes back to the browser's zone. An unknown name changes nothing."""
    form = ConfirmForm()
    back = redirect(safe_next(request.form.get("next")))
    if not form.validate_on_submit():
        flash("The form was not accepted; reload and try again.", "error")
        return back
    raw = request.form.get("tz", "")
    zone = valid_zone(raw)
    if raw and not zone:
        flash(f"{raw[:64]!r} is not a time zone this server knows; nothing was changed.", "error")
        return back
    record_action("preference_timezone", outcome="ok", object_type="preference", params={"timezone": zone or "browser"})
    if zone:
        back.set_cookie(COOKIE, zone, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                        secure=request.is_secure)
    else:
        back.delete_cookie(COOKIE)
    return back
