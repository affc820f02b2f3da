"""Tampering with the audit log in the database, every way we can think of, is found by /admin/audit/verify."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, insert, select, update

from app.extensions import db
from app.models import AuditEvent

TABLE = AuditEvent.__table__
# a different value per column of the same type, so each change is a real change
CHANGES = {"at": lambda v: v + timedelta(seconds=1), "username": lambda v: "mallory", "remote_addr": lambda v: "6.6.6.6",
           "connection": lambda v: "other", "platform": lambda v: "other", "object_type": lambda v: "thing",
           "object_id": lambda v: "999", "action": lambda v: "nothing_happened", "params": lambda v: '{"n": 1}',
           "outcome": lambda v: "failed", "error": lambda v: "none", "prev_hash": lambda v: "0" * 64,
           "row_hash": lambda v: "f" * 64}


def _rows(app) -> list[dict]:
    with app.app_context():
        return [dict(r._mapping) for r in db.session.execute(select(TABLE).order_by(TABLE.c.id))]


def _write(app, statement) -> None:
    with app.app_context():
        db.session.execute(statement)
        db.session.commit()


def _verdict(client) -> dict:
    response = client.get("/admin/audit/verify.json")
    assert response.status_code == 200
    return response.get_json()


def test_every_kind_of_tampering_is_found_at_its_row(client_as, app):
    """Is each column of a chained row changed, a row removed and a row forged each reported at that row, and the
    chain intact again once the original is back?"""
    admin = client_as("admin")
    for _ in range(3):
        client_as("operator")  # each sign-in appends a chained row
    rows = _rows(app)
    target = rows[len(rows) // 2]
    assert target["row_hash"] and _verdict(admin)["intact"]
    tried, missed = 0, []
    for column, change in CHANGES.items():
        tried += 1
        _write(app, update(TABLE).where(TABLE.c.id == target["id"]).values({column: change(target[column])}))
        verdict = _verdict(admin)
        if verdict["intact"] or verdict["break"]["id"] != target["id"]:
            missed.append(column)
        _write(app, update(TABLE).where(TABLE.c.id == target["id"]).values({column: target[column]}))
        assert _verdict(admin)["intact"], f"restoring {column} did not mend the chain"
    tried += 1  # a row removed from the middle: the next row no longer chains to the one before it
    _write(app, delete(TABLE).where(TABLE.c.id == target["id"]))
    verdict = _verdict(admin)
    if verdict["intact"] or verdict["break"]["id"] <= target["id"]:
        missed.append("removed row")
    _write(app, insert(TABLE).values(target))
    assert _verdict(admin)["intact"]
    tried += 1  # a row forged at the end, with a hash that is not the chain's
    forged = dict(rows[-1], id=rows[-1]["id"] + 1000, username="mallory", prev_hash=rows[-1]["row_hash"],
                  row_hash="e" * 64)
    _write(app, insert(TABLE).values(forged))
    verdict = _verdict(admin)
    if verdict["intact"] or verdict["break"]["id"] != forged["id"]:
        missed.append("forged row")
    print(f"audit tamper: {tried} tried, {len(missed)} failed")
    assert not missed, missed
