"""The audit log: newest first, filters, pagination and CSV export."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from flask import render_template, request

from app.admin import bp
from app.exports import csv_response
from app.extensions import db
from app.models import AuditEvent
from app.pagination import Page, clamp_page

FILTERS = ("username", "action", "connection", "outcome")
CSV_COLUMNS = ("at", "username", "remote_addr", "connection", "platform", "object_type", "object_id", "action",
               "params", "outcome", "error")


def _date(raw: str | None) -> datetime | None:
    try:
        return datetime.strptime(raw or "", "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def audit_query():
    """The filtered query from the request's arguments; a bad date is ignored, not an error."""
    query = db.select(AuditEvent)
    for name in FILTERS:
        value = request.args.get(name, "").strip()
        if value:
            query = query.where(getattr(AuditEvent, name) == value)
    start, end = _date(request.args.get("from")), _date(request.args.get("to"))
    if start:
        query = query.where(AuditEvent.at >= start)
    if end:
        query = query.where(AuditEvent.at < datetime.combine(end.date() + timedelta(days=1), time(), timezone.utc))
    return query


@bp.route("/audit")
def audit():
    query = audit_query()
    total = db.session.execute(db.select(db.func.count()).select_from(query.subquery())).scalar_one()
    per_page = 50
    page_number = clamp_page(request.args.get("page"))
    rows = db.session.execute(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                              .limit(per_page).offset((page_number - 1) * per_page)).scalars().all()
    choices = {name: [v for (v,) in db.session.execute(db.select(getattr(AuditEvent, name)).distinct()
                                                       .order_by(getattr(AuditEvent, name))) if v]
               for name in FILTERS}
    return render_template("admin/audit.html", page=Page(rows, page_number, per_page, total), choices=choices)


@bp.route("/audit.csv")
def audit_csv():
    def rows():  # queried inside the stream, so the session lives as long as the rows are read
        for event in db.session.execute(audit_query().order_by(AuditEvent.at.desc())).scalars():
            yield [getattr(event, c) for c in CSV_COLUMNS]
    return csv_response("flightdeck-audit", CSV_COLUMNS, rows())
