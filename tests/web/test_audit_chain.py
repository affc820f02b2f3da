"""The audit log's hash chain in the app: verify page and JSON, tampering, concurrency, prune, exports, roles."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from app.audit_chain import GENESIS, canonical_bytes, row_hash
from app.extensions import db
from app.models import AuditEvent, utcnow
from tests.helpers import audit_rows, post_form

ROOT = Path(__file__).resolve().parents[2]


def _record(app, count: int, action: str = "test_action", **extra) -> None:
    from app.audit import record_action
    with app.app_context():
        for n in range(count):
            record_action(action, outcome="ok", connection="aac-main", object_type="thing", object_id=n,
                          params={"n": n, **extra}, username="tester")


def _all_rows(app) -> list[AuditEvent]:
    with app.app_context():
        return db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars().all()


def _verify(client) -> dict:
    response = client.get("/admin/audit/verify.json")
    assert response.status_code == 200
    return response.get_json()


def _change(app, row_id: int, **values) -> None:
    """Tamper like someone with database access: a plain UPDATE through SQLAlchemy core, no app code."""
    with app.app_context():
        db.session.execute(update(AuditEvent.__table__).where(AuditEvent.__table__.c.id == row_id).values(**values))
        db.session.commit()


def _remove(app, row_id: int) -> None:
    with app.app_context():
        db.session.execute(delete(AuditEvent.__table__).where(AuditEvent.__table__.c.id == row_id))
        db.session.commit()


def test_chain_is_intact_after_several_actions(client_as, app):
    """After sign-ins, a token refresh and other actions, does every row chain to the one before it and verify?"""
    post_form(client_as("operator"), "/aac/aac-main/token", "/aac/aac-main/token/refresh")
    _record(app, 5)
    admin = client_as("admin")
    rows = _all_rows(app)
    assert len(rows) >= 8 and rows[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.row_hash for earlier, later in zip(rows, rows[1:]))
    report = _verify(admin)
    assert report["intact"] and report["rows"] == report["chained"] == len(rows) and report["break"] is None
    assert report["first"]["id"] == rows[0].id and report["last"]["id"] == rows[-1].id
    assert report["summary"].startswith(f"intact: {len(rows)} rows, first #{rows[0].id}")
    page = admin.get("/admin/audit/verify").get_data(as_text=True)
    assert "Intact:" in page and f"{len(rows)} rows" in page and "Broken" not in page


def test_changed_row_is_reported_at_that_row(client_as, app):
    """Is a row whose username was changed in the database reported at that row by the page and the JSON?"""
    _record(app, 6)
    target = _all_rows(app)[3].id
    _change(app, target, username="mallory")
    admin = client_as("admin")  # signing in appends after the break: still reported at the changed row
    report = _verify(admin)
    assert not report["intact"] and report["break"]["id"] == target and "contents" in report["break"]["reason"]
    assert report["break"]["username"] == "mallory"
    page = admin.get("/admin/audit/verify").get_data(as_text=True)
    assert f"Broken at row #{target}:" in page and "changed after it was written" in page


def test_changed_time_or_params_is_reported(client_as, app):
    """Are changes to the time and to the parameters caught too, not only to the username?"""
    _record(app, 4)
    rows = _all_rows(app)
    _change(app, rows[2].id, params='{"n": 99}')
    assert _verify(client_as("admin"))["break"]["id"] == rows[2].id
    _change(app, rows[2].id, params=rows[2].params)  # put back: intact again
    assert _verify(client_as("admin"))["intact"]
    _change(app, rows[1].id, at=rows[1].at + timedelta(seconds=1))
    assert _verify(client_as("admin"))["break"]["id"] == rows[1].id


def test_removed_middle_row_is_reported(client_as, app):
    """Is deleting a row in the middle reported at the row after it, by the page and the JSON?"""
    _record(app, 6)
    rows = _all_rows(app)
    _remove(app, rows[3].id)
    admin = client_as("admin")
    report = _verify(admin)
    assert report["break"]["id"] == rows[4].id and f"#{rows[2].id}" in report["break"]["reason"]
    assert f"Broken at row #{rows[4].id}:" in admin.get("/admin/audit/verify").get_data(as_text=True)


def test_removed_first_row_is_reported(client_as, app):
    """Is deleting the oldest row (not through prune) reported, since no prune anchor vouches for the new start?"""
    _record(app, 3)
    rows = _all_rows(app)
    _remove(app, rows[0].id)
    report = _verify(client_as("admin"))
    assert report["break"]["id"] == rows[1].id and "neither the genesis value nor" in report["break"]["reason"]


def test_concurrent_threads_leave_one_intact_chain(app, client_as):
    """Do 8 threads appending 20 events each at once leave 160 rows on one chain, none sharing a previous row?"""
    before = len(_all_rows(app))
    barrier = threading.Barrier(8)
    failures: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            barrier.wait(timeout=10)
            _record(app, 20, action=f"thread_{number}")
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    rows = _all_rows(app)
    assert len(rows) == before + 160
    prevs = [r.prev_hash for r in rows]
    assert len(set(prevs)) == len(prevs)
    assert _verify(client_as("admin"))["intact"]


WORKER = """
import sys, time
from pathlib import Path
from app import create_app
from app.audit import record_action
folder, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
application = create_app("testing", {"INSTANCE_DIR": folder, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/flightdeck.db",
                                     "CONNECTIONS_FILE": str(folder / "connections.toml"), "LOCK_DIR": str(folder / "locks")})
with application.app_context():
    record_action("process_ready", outcome="ok", username="worker_" + name)  # connected, imports done
    (folder / ("ready-" + name)).touch()
    deadline = time.monotonic() + 60
    while not (folder / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    for n in range(count):
        record_action("process_" + name, outcome="ok", params={"n": n}, username="worker_" + name)
"""


def test_concurrent_processes_leave_one_intact_chain(app, client_as, tmp_path):
    """Do 2 processes (as gunicorn workers are) appending to the same SQLite file at once keep one chain?"""
    before = len(_all_rows(app))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path), str(n), "80"], cwd=ROOT, env=env,
                                  stderr=subprocess.PIPE, text=True) for n in range(2)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    (tmp_path / "go").touch()  # both start appending at once
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    rows = _all_rows(app)
    assert len(rows) == before + 2 + 160 and len({r.prev_hash for r in rows}) == len(rows)
    assert _verify(client_as("admin"))["intact"]


def _old_events(app, monkeypatch, count: int, days_ago: int) -> None:
    """Events written `days_ago` days ago, through record_action itself (its clock turned back)."""
    old = utcnow() - timedelta(days=days_ago)
    monkeypatch.setattr("app.audit.utcnow", lambda: old)
    _record(app, count, action="old_action")
    monkeypatch.undo()


def test_prune_removes_the_oldest_rows_and_the_chain_stays_intact(app, client_as, monkeypatch):
    """Does `flask audit prune` remove rows past the retention, record audit_prune with the anchor, and verify?"""
    with app.app_context():  # start from an empty log so the old rows are the oldest
        db.session.execute(delete(AuditEvent.__table__))
        db.session.commit()
    _old_events(app, monkeypatch, 4, days_ago=40)
    _record(app, 3, action="recent_action")
    old_rows = audit_rows(app, "old_action")
    app.config["AUDIT_RETENTION_DAYS"] = 30
    result = app.test_cli_runner().invoke(args=["audit", "prune"])
    assert result.exit_code == 0, result.output
    assert "Pruned 4 audit rows" in result.output
    assert audit_rows(app, "old_action") == [] and len(audit_rows(app, "recent_action")) == 3
    (event,) = audit_rows(app, "audit_prune")
    params = json.loads(event.params)
    assert params["count"] == 4 and params["anchor"] == old_rows[-1].row_hash and params["retention_days"] == 30
    assert params["cutoff"][:10] == (utcnow() - timedelta(days=30)).date().isoformat()
    assert event.username == "cli" and event.outcome == "ok"
    admin = client_as("admin")
    report = _verify(admin)
    assert report["intact"] and report["starts_from"] == "prune anchor" and report["anchor"] == old_rows[-1].row_hash
    assert "prune" in admin.get("/admin/audit/verify").get_data(as_text=True)
    again = app.test_cli_runner().invoke(args=["audit", "prune"])
    assert again.exit_code == 0 and "Nothing to prune" in again.output
    # a row removed by hand after the prune is still caught
    _remove(app, audit_rows(app, "recent_action")[0].id)
    assert not _verify(admin)["intact"]


def test_prune_keeps_the_newest_row_so_the_chain_goes_on(app, monkeypatch):
    """When every row is past the retention, does prune keep the newest, and the chain still verify after it?"""
    with app.app_context():
        db.session.execute(delete(AuditEvent.__table__))
        db.session.commit()
    _old_events(app, monkeypatch, 3, days_ago=400)
    last = audit_rows(app, "old_action")[-1]
    app.config["AUDIT_RETENTION_DAYS"] = 365
    result = app.test_cli_runner().invoke(args=["audit", "prune"])
    assert result.exit_code == 0 and "Pruned 2 audit rows" in result.output
    assert [r.id for r in audit_rows(app, "old_action")] == [last.id]
    verify = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert verify.exit_code == 0 and verify.output.startswith("intact: 2 rows"), verify.output


def test_prune_with_zero_retention_keeps_everything(app, monkeypatch):
    """With FLIGHTDECK_AUDIT_RETENTION_DAYS=0, does prune remove nothing and record nothing?"""
    _old_events(app, monkeypatch, 3, days_ago=4000)
    app.config["AUDIT_RETENTION_DAYS"] = 0
    result = app.test_cli_runner().invoke(args=["audit", "prune"])
    assert result.exit_code == 0 and "kept forever" in result.output
    assert len(audit_rows(app, "old_action")) == 3 and audit_rows(app, "audit_prune") == []


def test_prune_refuses_a_broken_chain_unless_forced(app, monkeypatch):
    """Does prune refuse when verify finds a break (the evidence would go), and prune with --force?"""
    _old_events(app, monkeypatch, 3, days_ago=40)
    _record(app, 2, action="recent_action")
    _change(app, audit_rows(app, "recent_action")[0].id, username="mallory")
    app.config["AUDIT_RETENTION_DAYS"] = 30
    refused = app.test_cli_runner().invoke(args=["audit", "prune"])
    assert refused.exit_code == 1 and "Refusing to prune" in refused.output
    assert len(audit_rows(app, "old_action")) == 3 and audit_rows(app, "audit_prune") == []
    forced = app.test_cli_runner().invoke(args=["audit", "prune", "--force"])
    assert forced.exit_code == 0 and audit_rows(app, "old_action") == []


def test_verify_command_exits_1_on_a_break(app):
    """Does `flask audit verify` print the summary and exit 1 naming the broken row?"""
    _record(app, 3)
    ok = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and ok.output.startswith("intact:")
    target = _all_rows(app)[1].id
    _change(app, target, outcome="failed")
    broken = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert broken.exit_code == 1 and f"broken at row #{target}" in broken.output


def test_rows_before_the_chain_are_unchained_not_broken(app, client_as):
    """Are rows written before the chain (no hash) reported as unchained while they precede every chained row?"""
    with app.app_context():
        db.session.execute(delete(AuditEvent.__table__))
        db.session.add_all([AuditEvent(username="old", action="legacy", outcome="ok", at=utcnow()) for _ in range(2)])
        db.session.commit()
    _record(app, 2)
    admin = client_as("admin")
    report = _verify(admin)
    assert report["intact"] and report["unchained"] == 2 and "2 unchained, before the chain began" in report["summary"]
    assert "before the chain began" in admin.get("/admin/audit/verify").get_data(as_text=True)
    with app.app_context():  # one written around record_action after the chain began is a break
        db.session.add(AuditEvent(username="sneaky", action="legacy", outcome="ok", at=utcnow()))
        db.session.commit()
    sneaky = audit_rows(app, "legacy")[-1].id
    assert _verify(admin)["break"]["id"] == sneaky


def test_jsonl_export_lines_parse_and_carry_the_hashes(client_as, app):
    """Does /admin/audit.jsonl stream one JSON object per row, filtered like the page, with hashes that check?"""
    _record(app, 3)
    admin = client_as("admin")
    response = admin.get("/admin/audit.jsonl?action=test_action")
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
    assert "attachment" in response.headers["Content-Disposition"]
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert len(lines) == 3 and {line["action"] for line in lines} == {"test_action"}
    assert [line["id"] for line in lines] == sorted(line["id"] for line in lines)
    for line, following in zip(lines, lines[1:]):
        assert following["prev_hash"] == line["row_hash"]
    for line in lines:  # each line alone is enough to recompute its hash
        fields = {k: v for k, v in line.items() if k not in ("id", "prev_hash", "row_hash")}
        assert hashlib.sha256(canonical_bytes(fields, line["prev_hash"])).hexdigest() == line["row_hash"]
    everything = admin.get("/admin/audit.jsonl").get_data(as_text=True).splitlines()
    assert len(everything) == len(_all_rows(app))


def test_csv_export_carries_the_hashes(client_as, app):
    """Does the CSV export carry id, prev_hash and row_hash for each row?"""
    _record(app, 2)
    text = client_as("admin").get("/admin/audit.csv?action=test_action").get_data(as_text=True)
    records = list(csv.DictReader(io.StringIO(text)))
    rows = {r.id: r for r in audit_rows(app, "test_action")}
    assert len(records) == 2
    for record in records:
        row = rows[int(record["id"])]
        assert record["prev_hash"] == row.prev_hash and record["row_hash"] == row.row_hash == row_hash(row, row.prev_hash)


def test_audit_page_links_verify_and_exports(client_as):
    """Does the audit page link to the chain check and both exports, keeping the filters on the exports?"""
    page = client_as("admin").get("/admin/audit?action=sign_in").get_data(as_text=True)
    assert 'href="/admin/audit/verify"' in page
    assert 'href="/admin/audit.jsonl?action=sign_in"' in page and 'href="/admin/audit.csv?action=sign_in"' in page


@pytest.mark.parametrize("role", ["viewer", "operator"])
@pytest.mark.parametrize("url", ["/admin/audit/verify", "/admin/audit/verify.json", "/admin/audit.jsonl"])
def test_non_admins_are_refused(client_as, role, url):
    """Do viewers and operators get 403 on the chain check and the JSON lines export?"""
    assert client_as(role).get(url).status_code == 403


def test_signed_out_is_sent_to_sign_in(app):
    """Is a signed-out visitor to the chain check sent to the sign-in page?"""
    response = app.test_client().get("/admin/audit/verify.json")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_no_route_writes_audit_rows(app):
    """Do the audit URLs answer reads only, and does no module but the prune command delete or update audit rows?"""
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    writes = re.compile(r"(delete|update)\(\s*AuditEvent|AuditEvent\.__table__\.(delete|update)|"
                        r"(DELETE\s+FROM|UPDATE)\s+audit_events", re.I)
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "app").rglob("*.py")
                 if writes.search(path.read_text()) and path.name != "audit_cli.py"]
    assert offenders == []
