"""The audit log: newest first, filters, pagination, CSV and JSON lines exports, and the hash chain's check.

Every route here only reads audit rows: they are written by app.audit.record_action alone and deleted only by
`flask audit prune` (app/audit_cli.py).
"""
from __future__ import annotations

import json
from datetime import datetime, time, timedelta, timezone

from flask import Response, jsonify, render_template, request, stream_with_context

from app.admin import bp
from app.audit_chain import canonical_fields, verify_chain
from app.exports import csv_response
from app.extensions import db
from app.models import AuditEvent
from app.pagination import Page, clamp_page

FILTERS = ("username", "action", "connection", "outcome")
CSV_COLUMNS = ("at", "username", "remote_addr", "connection", "platform", "object_type", "object_id", "action",
               "params", "outcome", "error", "id", "prev_hash", "row_hash")


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


@bp.route("/audit.jsonl")
def audit_jsonl():
    """The filtered rows as JSON lines in chain order (oldest first): each line holds the hashed fields in the form
    they are hashed in, so a copy kept elsewhere can be checked row by row (app/audit_chain.py says how)."""
    def lines():  # queried inside the stream, like the CSV
        query = audit_query().order_by(AuditEvent.id).execution_options(yield_per=500)
        for event in db.session.execute(query).scalars():
            record = {"id": event.id, **canonical_fields(event), "prev_hash": event.prev_hash,
                      "row_hash": event.row_hash}
            yield json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n"
    return Response(stream_with_context(lines()), mimetype="application/x-ndjson",
                    headers={"Content-Disposition": "attachment; filename=flightdeck-audit.jsonl"})


@bp.route("/audit/verify")
def audit_verify():
    """Walk the whole chain now and say whether it is intact, or where it breaks."""
    return render_template("admin/audit_verify.html", report=verify_chain(db.session))


@bp.route("/audit/verify.json")
def audit_verify_json():
    return jsonify(verify_chain(db.session).as_dict())
