"""Configuration refusals, secrets at rest and in logs, the users CLI, and audit date filters."""
from __future__ import annotations

import logging
import re

import pytest

from app.crypto import decrypt
from app.extensions import db
from app.models import AuditEvent, StoredToken, User, utcnow
from tests.helpers import post_form


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    """Does the production config refuse to start without FLIGHTDECK_SECRET_KEY, saying how to set it?"""
    from app import create_app
    from config import ConfigError
    with pytest.raises(ConfigError, match="FLIGHTDECK_SECRET_KEY is not set"):
        create_app("production", {"SECRET_KEY": "", "INSTANCE_DIR": tmp_path,
                                  "CONNECTIONS_FILE": str(tmp_path / "none.toml")})


def test_refresh_tokens_are_encrypted_at_rest(client_as, app):
    """After a refresh, is neither token readable in the database row?"""
    client = client_as("operator")
    post_form(client, "/aac/aac-main/token", "/aac/aac-main/token/refresh")
    with app.app_context():
        row = db.session.execute(db.select(StoredToken).filter_by(connection="aac-main")).scalar_one()
        refresh, access = decrypt(row.refresh_token), decrypt(row.access_token)
        # the tokens themselves (not a prefix, which random ciphertext may hold by chance) are not in the row
        assert refresh.startswith("rt_") and access.startswith("eyJ")
        assert refresh.encode() not in row.refresh_token and access.encode() not in row.access_token


def test_log_lines_lose_bearer_tokens_and_secrets(app, caplog):
    """Does the logging filter redact a bearer token and refresh_token=… in a log line?"""
    from app.logging_filter import RedactSecrets
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sent %s with refresh_token=%s",
                               ("Authorization: Bearer eyJabc.def.ghi", "rt_secretvalue"), None)
    RedactSecrets().filter(record)
    assert "eyJabc" not in record.getMessage() and "rt_secretvalue" not in record.getMessage()


def test_audit_params_drop_secret_looking_keys(app):
    """Are password, token and secret keys redacted from stored audit parameters?"""
    from app.audit import record_action
    with app.test_request_context():
        event = record_action("x", outcome="ok", params={"password": "p", "api_key": "k", "region": "EU",
                                                         "nested": {"client_secret": "s"}})
        assert "EU" in event.params and not re.search(r'"(p|k|s)"', event.params)


def test_unknown_schedule_toggle_is_404(client_as):
    """Is the confirm page of an unknown schedule a 404?"""
    assert client_as("operator").get("/aac/aac-main/schedules/99999999/toggle").status_code == 404


def test_audit_date_range(client_as, app):
    """Does the audit log's date range exclude events outside it?"""
    from datetime import timedelta
    with app.app_context():
        db.session.add(AuditEvent(username="old", action="ancient", outcome="ok", at=utcnow() - timedelta(days=40)))
        db.session.commit()
    admin = client_as("admin")
    today = utcnow().date()
    def rows(url: str) -> str:
        return admin.get(url).get_data(as_text=True).split("<tbody>")[1]
    assert "ancient" not in rows(f"/admin/audit?from={(today - timedelta(days=1)).isoformat()}")
    assert "ancient" in rows("/admin/audit?from=2000-01-01")
    assert "ancient" not in rows(f"/admin/audit?to={(today - timedelta(days=41)).isoformat()}")
    assert admin.get("/admin/audit?from=not-a-date").status_code == 200


def test_cli_bootstrap_creates_one_admin_with_random_password(app):
    """Does `users bootstrap` on an empty database print a random admin password once, and then nothing?"""
    with app.app_context():
        db.session.execute(db.delete(User))
        db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["users", "bootstrap"])
    second = runner.invoke(args=["users", "bootstrap"])
    other = app.test_cli_runner()
    with app.app_context():
        db.session.execute(db.delete(User))
        db.session.commit()
    third = other.invoke(args=["users", "bootstrap"])
    password = re.search(r"password: (\S+)", first.output).group(1)
    assert len(password) >= 12 and password != re.search(r"password: (\S+)", third.output).group(1)
    assert "password:" not in second.output


def test_cli_create_user_with_role(app):
    """Does `users create` make an account with the given role and refuse a duplicate?"""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "ops2", "--role", "operator", "--password", "a-long-password"])
    assert result.exit_code == 0
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username="ops2")).scalar_one()
        assert user.role == "operator" and user.check_password("a-long-password")
    again = runner.invoke(args=["users", "create", "ops2", "--password", "x-long-password"])
    assert again.exit_code != 0 and "exists already" in again.output


def test_sign_out_needs_post(client_as):
    """Is sign-out a POST with CSRF (a GET link cannot sign someone out)?"""
    client = client_as("viewer")
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400


def test_cli_tokens_refresh_and_status(app):
    """Does `tokens refresh` refresh every connection, audit it, and `tokens status` show ok?"""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tokens", "refresh"])
    assert result.exit_code == 0 and result.output.count("\tok\t") == 2
    status = runner.invoke(args=["tokens", "status", "aac-main"]).output
    assert status.startswith("aac-main\tOAuth 2.0") and "\texpires " in status and "\tok\t" in status
    with app.app_context():
        events = db.session.execute(db.select(AuditEvent).filter_by(action="token_refresh")).scalars().all()
        assert {e.username for e in events} == {"cli"} and len(events) == 2
    assert runner.invoke(args=["tokens", "status", "nope"]).exit_code != 0
