"""Sign-in hardening: a rate limit per client address (429 page) and a lockout per account after repeated failures."""
from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from app.extensions import db
from app.models import User, utcnow
from tests.conftest import PASSWORD
from tests.helpers import audit_rows, csrf_from

WRONG = "not-the-password"
LOCKED = "This account is locked after too many failed sign-ins"


def attempt(client: Any, username: str, password: str) -> Any:
    """One sign-in POST with the page's CSRF token (the GET is not limited)."""
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    return client.post("/auth/login", data={"username": username, "password": password, "csrf_token": token})


def from_address(app: Any, address: str) -> Any:
    """A test client whose requests come from `address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def user(app: Any, username: str) -> User:
    with app.app_context():
        return db.session.execute(db.select(User).filter_by(username=username)).scalar_one()


def set_user(app: Any, username: str, **fields: Any) -> None:
    with app.app_context():
        row = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
        for name, value in fields.items():
            setattr(row, name, value)
        db.session.commit()


def test_the_eleventh_sign_in_post_in_a_minute_gets_a_429_page(app):
    """From one address, are ten sign-in POSTs answered and the eleventh refused with a 429 page saying to wait,
    with Retry-After, while GET and another address still work?"""
    client = from_address(app, "10.0.0.1")
    answers = [attempt(client, "nobody", WRONG) for _ in range(10)]
    assert [a.status_code for a in answers] == [401] * 10
    limited = attempt(client, "viewer", PASSWORD)
    body = limited.get_data(as_text=True)
    assert limited.status_code == 429 and "Too many sign-in attempts" in body and "Wait a minute" in body
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert client.get("/auth/login").status_code == 200
    assert attempt(from_address(app, "10.0.0.2"), "viewer", PASSWORD).status_code == 302
    assert not [e for e in audit_rows(app, "sign_in") if e.username == "viewer" and e.remote_addr == "10.0.0.1"]


def test_the_rate_limit_is_a_setting(app):
    """Does LOGIN_RATE_LIMIT set how many sign-in POSTs an address gets?"""
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    client = from_address(app, "10.0.0.3")
    assert [attempt(client, "nobody", WRONG).status_code for _ in range(3)] == [401, 401, 429]


def test_five_wrong_passwords_lock_the_account_and_audit_it(app):
    """Do five wrong passwords in a row (from different addresses) lock the account for 15 minutes, the fifth
    answer saying so, with one sign_in_lockout audit row?"""
    answers = [attempt(from_address(app, f"10.0.1.{i}"), "operator", WRONG) for i in range(5)]
    assert [a.status_code for a in answers] == [401, 401, 401, 401, 403]
    assert "Wrong username or password." in answers[3].get_data(as_text=True)
    assert LOCKED in answers[4].get_data(as_text=True) and "15 minutes" in answers[4].get_data(as_text=True)
    locked = user(app, "operator")
    assert locked.failed_logins == 5
    assert timedelta(minutes=14) < locked.locked_until - utcnow() <= timedelta(minutes=15)
    [event] = audit_rows(app, "sign_in_lockout")
    assert (event.username, event.object_id, event.outcome) == ("operator", "operator", "ok")
    assert json.loads(event.params)["failed_logins"] == 5 and json.loads(event.params)["minutes"] == 15


def test_a_locked_account_is_refused_even_with_the_right_password(app):
    """Is a locked account refused with the right password exactly as with a wrong one (locked, nothing about the
    password), not signed in, not counted further, and audited as refused?"""
    set_user(app, "operator", failed_logins=5, locked_until=utcnow() + timedelta(minutes=10))
    client = app.test_client()
    right, wrong = attempt(client, "operator", PASSWORD), attempt(client, "operator", WRONG)
    assert right.status_code == wrong.status_code == 403
    for answer in (right, wrong):
        body = answer.get_data(as_text=True)
        assert LOCKED in body and "10 minutes" in body and "Wrong username or password" not in body
    assert client.get("/runs").status_code == 302
    assert user(app, "operator").failed_logins == 5 and len(audit_rows(app, "sign_in_lockout")) == 0
    refusals = [e for e in audit_rows(app, "sign_in") if e.username == "operator"]
    assert [(e.outcome, e.error) for e in refusals] == [("refused", "account locked")] * 2


def test_a_right_password_clears_the_count(app):
    """Do four failures, a success and four more failures leave the account unlocked (the success reset it)?"""
    client = app.test_client()
    for _ in range(4):
        attempt(client, "viewer", WRONG)
    assert user(app, "viewer").failed_logins == 4
    assert attempt(client, "viewer", PASSWORD).status_code == 302
    assert user(app, "viewer").failed_logins == 0
    other = from_address(app, "10.0.2.1")
    assert [attempt(other, "viewer", WRONG).status_code for _ in range(4)] == [401] * 4
    assert user(app, "viewer").locked_until is None


def test_a_lock_that_has_run_out_lets_the_right_password_in(app):
    """Once locked_until has passed, does the right password sign in and clear the lock?"""
    set_user(app, "admin", failed_logins=5, locked_until=utcnow() - timedelta(seconds=1))
    assert attempt(app.test_client(), "admin", PASSWORD).status_code == 302
    assert (user(app, "admin").failed_logins, user(app, "admin").locked_until) == (0, None)


def test_a_lock_that_has_run_out_starts_a_fresh_count(app):
    """After a lock runs out, does one more wrong password count as the first of five, not lock again at once?"""
    set_user(app, "admin", failed_logins=5, locked_until=utcnow() - timedelta(seconds=1))
    assert attempt(app.test_client(), "admin", WRONG).status_code == 401
    assert (user(app, "admin").failed_logins, user(app, "admin").locked_until) == (1, None)


def test_the_lockout_is_a_setting(app):
    """Do LOGIN_MAX_FAILURES and LOGIN_LOCKOUT_MINUTES set how many failures lock and for how long?"""
    app.config.update(LOGIN_MAX_FAILURES=2, LOGIN_LOCKOUT_MINUTES=1)
    client = app.test_client()
    assert [attempt(client, "viewer", WRONG).status_code for _ in range(2)] == [401, 403]
    assert user(app, "viewer").locked_until - utcnow() <= timedelta(minutes=1)


def test_unknown_names_and_sso_accounts_lock_nothing(app):
    """Are failures for an unknown name or an SSO account (no password here) refused as wrong credentials,
    without locking or counting anything?"""
    set_user(app, "viewer", auth_source="sso")
    client = app.test_client()
    answers = [attempt(client, name, PASSWORD) for name in ("viewer", "nobody") for _ in range(3)]
    assert [a.status_code for a in answers] == [401] * 6
    assert user(app, "viewer").failed_logins == 0 and not audit_rows(app, "sign_in_lockout")


@pytest.mark.parametrize("cache_type, expected", [("SimpleCache", "memory://"), ("RedisCache", "redis")])
def test_the_counts_live_where_the_cache_does(cache_type, expected):
    """Is the limiter's storage memory by default and the cache's Redis URL when the cache is Redis?"""
    from app.auth.ratelimit import storage_uri
    uri = storage_uri({"CACHE_TYPE": cache_type, "CACHE_REDIS_URL": "redis://127.0.0.1:6379/3"})
    assert uri == ("redis://127.0.0.1:6379/3" if expected == "redis" else expected)


def test_with_a_redis_cache_the_counts_are_kept_in_redis(tmp_path, redis_url, emulator, monkeypatch):
    """With FLIGHTDECK_CACHE_TYPE=RedisCache, are sign-in counts written to that Redis (so every worker shares
    them) and the eleventh POST refused?"""
    import redis

    from tests.conftest import build_app, write_connections
    write_connections(tmp_path / "c.toml", emulator.url, ("aac-main",))
    monkeypatch.setenv("AAC_MAIN_REFRESH_TOKEN", emulator.mint()["refresh_token"])
    store = redis.Redis.from_url(redis_url)
    store.flushdb()
    application = build_app(tmp_path, (tmp_path / "c.toml").read_text(), CACHE_TYPE="RedisCache",
                            CACHE_REDIS_URL=redis_url)
    client = from_address(application, "10.0.3.1")
    assert [attempt(client, "nobody", WRONG).status_code for _ in range(11)] == [401] * 10 + [429]
    assert any(b"10.0.3.1" in key for key in store.keys("*"))
