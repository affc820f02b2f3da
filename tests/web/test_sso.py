"""Single sign-on through the app's test client against the live sandbox OpenID Connect provider: the whole flow
(app -> provider's sign-in form -> callback), role rules, refusals, tampering, and the client secret kept hidden."""
from __future__ import annotations

import html
import json
import logging
import os
import re
import shlex
import stat
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests

from app.auth.sso import RoleRule, SsoSettings, parse_role_rules, role_for
from app.extensions import db
from app.models import User
from config import ConfigError
from sandbox.connect import connect
from sandbox.oidc.seed import ROLE_RULES
from tests.conftest import PASSWORD, build_app
from tests.helpers import Emulator, audit_rows, login, user_named

PASSWORDS = {"ana": "ana-sandbox", "omar": "omar-sandbox", "vera": "vera-sandbox", "nobody": "nobody-sandbox"}


@pytest.fixture
def sso_settings(oidc_emulator: Emulator) -> dict:
    minted = oidc_emulator.mint()
    return {"SSO_ISSUER": minted["issuer"], "SSO_CLIENT_ID": minted["client_id"],
            "SSO_CLIENT_SECRET": minted["client_secret"], "SSO_ROLE_RULES": ROLE_RULES, "SSO_LABEL": "Sandbox SSO"}


@pytest.fixture
def sso_app(tmp_path: Path, sso_settings: dict):
    """The app with SSO against the sandbox provider, no connections, and the local viewer/operator/admin."""
    return build_app(tmp_path, "", **sso_settings)


def _set(url: str, query: dict[str, str], **changes: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=urlencode({**query, **changes})))


def _provider_answer(client, oidc_url: str, username: str, password: str, *, next_path: str | None = None,
                     tamper: dict[str, str] | None = None, cancel: bool = False) -> requests.Response:
    """Start at the app, follow to the provider's form and submit it; the provider's redirect back."""
    start = client.get("/auth/sso/login" + (f"?{urlencode({'next': next_path})}" if next_path else ""))
    assert start.status_code == 302, start.get_data(as_text=True)
    authorize = start.headers["Location"]
    assert authorize.startswith(f"{oidc_url}/authorize?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    assert query["code_challenge_method"] == "S256" and query["nonce"] and query["state"]
    if tamper:
        authorize = _set(authorize, query, **tamper)
    form = requests.get(authorize, timeout=5)
    assert form.status_code == 200, form.text
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', form.text).group(1))
    data = {"username": username, "password": password, **({"cancel": "1"} if cancel else {})}
    answer = requests.post(f"{oidc_url}{action}", data=data, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return answer


def _callback(client, answer: requests.Response, **changes: str):
    """Follow the provider's redirect to the app's callback (optionally with changed query values)."""
    location = urlsplit(answer.headers["Location"])
    assert location.path == "/auth/sso/callback"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    return client.get(f"{location.path}?{urlencode({**query, **changes})}")


def sso_sign_in(client, oidc_url: str, username: str, **kwargs):
    """The whole sign-in: app -> provider form POST -> callback; the app's answer to the callback."""
    return _callback(client, _provider_answer(client, oidc_url, username, PASSWORDS.get(username, ""), **kwargs))



def _set_groups(oidc: Emulator, username: str, groups: list[str]) -> None:
    requests.post(f"{oidc.url}/_sandbox/oidc/users", json={"username": username, "groups": groups},
                  timeout=5).raise_for_status()


def test_login_page_offers_the_button_only_when_configured(sso_app, tmp_path: Path):
    """Does the sign-in page show "Sign in with Sandbox SSO" with SSO configured, and nothing without it?"""
    page = sso_app.test_client().get("/auth/login?next=/upcoming").get_data(as_text=True)
    assert "Sign in with Sandbox SSO" in page and 'href="/auth/sso/login?next=/upcoming"' in page
    (tmp_path / "plain").mkdir()
    plain = build_app(tmp_path / "plain", "")
    assert "Sign in with" not in plain.test_client().get("/auth/login").get_data(as_text=True)
    assert plain.test_client().get("/auth/sso/login").status_code == 404


def test_full_flow_creates_the_account_and_signs_in(sso_app, oidc_emulator: Emulator):
    """Does ana's sign-in create an SSO admin (subject = issuer + sub, no password), sign her in, go to `next`
    and audit sign_in ok with method sso?"""
    client = sso_app.test_client()
    answer = sso_sign_in(client, oidc_emulator.url, "ana", next_path="/upcoming")
    assert answer.status_code == 302 and answer.headers["Location"] == "/upcoming"
    user = user_named(sso_app, "ana")
    sub = next(p["sub"] for p in oidc_emulator.state()["people"] if p["username"] == "ana")
    assert (user.role, user.auth_source, user.sso_subject) == ("admin", "sso", f"{oidc_emulator.url}|{sub}")
    assert user.last_login_at is not None and "$" not in user.password_hash
    assert "ana" in client.get("/").get_data(as_text=True)
    row = audit_rows(sso_app, "sign_in")[-1]
    assert (row.username, row.outcome, row.object_id) == ("ana", "ok", "ana")
    assert json.loads(row.params) == {"method": "sso", "role": "admin", "created": True}


@pytest.mark.parametrize("username, role", [("ana", "admin"), ("omar", "operator"), ("vera", "viewer")])
def test_groups_map_to_roles(sso_app, oidc_emulator: Emulator, username: str, role: str):
    """Does each sandbox user land with the role their group maps to?"""
    assert sso_sign_in(sso_app.test_client(), oidc_emulator.url, username).status_code == 302
    assert user_named(sso_app, username).role == role


def test_highest_matching_role_wins(sso_app, oidc_emulator: Emulator):
    """Is someone in both the viewers' and the operators' group an operator?"""
    _set_groups(oidc_emulator, "vera", ["flightdeck-viewers", "flightdeck-operators", "staff"])
    sso_sign_in(sso_app.test_client(), oidc_emulator.url, "vera")
    assert user_named(sso_app, "vera").role == "operator"


def test_nobody_in_a_mapped_group_is_refused_and_audited(sso_app, oidc_emulator: Emulator):
    """Is `nobody` refused with a page that says why, no account made, not signed in, and the refusal audited?"""
    client = sso_app.test_client()
    answer = sso_sign_in(client, oidc_emulator.url, "nobody")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 403 and "no Flightdeck role" in page and "groups: staff" in page
    assert user_named(sso_app, "nobody") is None
    assert client.get("/").status_code == 302  # still signed out
    row = audit_rows(sso_app, "sign_in")[-1]
    assert (row.username, row.outcome, row.error) == ("nobody", "refused", "no role rule matches")
    assert json.loads(row.params) == {"method": "sso"}


def test_a_disabled_sso_user_is_refused(sso_app, oidc_emulator: Emulator):
    """Is an SSO account an admin disabled refused at its next sign-in, and audited?"""
    sso_sign_in(sso_app.test_client(), oidc_emulator.url, "omar")
    with sso_app.app_context():
        db.session.execute(db.update(User).filter_by(username="omar").values(active=False))
        db.session.commit()
    client = sso_app.test_client()
    answer = sso_sign_in(client, oidc_emulator.url, "omar")
    assert answer.status_code == 403 and "disabled" in answer.get_data(as_text=True)
    assert client.get("/").status_code == 302
    row = audit_rows(sso_app, "sign_in")[-1]
    assert (row.username, row.outcome, row.error) == ("omar", "refused", "account disabled")


def test_role_follows_the_groups_at_the_next_sign_in(sso_app, oidc_emulator: Emulator):
    """When vera's groups change at the provider, is her role changed at her next sign-in (and the change audited)?"""
    sso_sign_in(sso_app.test_client(), oidc_emulator.url, "vera")
    assert user_named(sso_app, "vera").role == "viewer"
    _set_groups(oidc_emulator, "vera", ["flightdeck-admins"])
    sso_sign_in(sso_app.test_client(), oidc_emulator.url, "vera")
    assert user_named(sso_app, "vera").role == "admin"
    params = json.loads(audit_rows(sso_app, "sign_in")[-1].params)
    assert params == {"method": "sso", "role": "admin", "created": False, "previous_role": "viewer"}
    assert len([u for u in ("vera", "vera-sso") if user_named(sso_app, u)]) == 1  # the same account, not a new one


def test_sso_users_cannot_sign_in_with_a_password(sso_app, oidc_emulator: Emulator):
    """Does the password form refuse an SSO account whatever password is typed (its hash is unusable)?"""
    sso_sign_in(sso_app.test_client(), oidc_emulator.url, "ana")
    client = sso_app.test_client()
    for password in (PASSWORDS["ana"], PASSWORD, user_named(sso_app, "ana").password_hash):
        assert login(client, "ana", password).status_code == 401
    with sso_app.app_context():
        user = db.session.execute(db.select(User).filter_by(username="ana")).scalar_one()
        assert not user.check_password(PASSWORDS["ana"]) and not user.check_password(user.password_hash)


def test_a_provider_account_named_like_a_local_one_gets_its_own(sso_app, oidc_emulator: Emulator):
    """Is a provider user called `admin` given a separate account, the local admin untouched (no takeover)?"""
    requests.post(f"{oidc_emulator.url}/_sandbox/oidc/users", timeout=5,
                  json={"username": "admin", "password": "pw", "groups": ["flightdeck-viewers"]}).raise_for_status()
    client = sso_app.test_client()
    answer = _callback(client, _provider_answer(client, oidc_emulator.url, "admin", "pw"))
    assert answer.status_code == 302
    local, other = user_named(sso_app, "admin"), user_named(sso_app, "admin-sso")
    assert (local.role, local.auth_source, local.sso_subject) == ("admin", "local", None)
    assert (other.role, other.auth_source) == ("viewer", "sso")
    assert login(sso_app.test_client(), "admin", PASSWORD).status_code == 302  # break-glass still works


def test_tampered_or_replayed_state_is_refused(sso_app, oidc_emulator: Emulator):
    """Is a callback whose state was changed refused, and is a callback used twice refused the second time?"""
    client = sso_app.test_client()
    answer = _provider_answer(client, oidc_emulator.url, "ana", PASSWORDS["ana"])
    refused = _callback(client, answer, state="forged-state")
    assert refused.status_code == 400 and "does not belong" in refused.get_data(as_text=True)
    assert user_named(sso_app, "ana") is None
    assert audit_rows(sso_app, "sign_in")[-1].error == "state mismatch"

    client = sso_app.test_client()
    answer = _provider_answer(client, oidc_emulator.url, "ana", PASSWORDS["ana"])
    assert _callback(client, answer).status_code == 302
    assert _callback(sso_app.test_client(), answer).status_code == 400  # another browser replays it


def test_a_callback_from_another_browser_is_refused(sso_app, oidc_emulator: Emulator):
    """Is a code obtained in the attacker's browser refused in the victim's (login CSRF)?"""
    attacker, victim = sso_app.test_client(), sso_app.test_client()
    answer = _provider_answer(attacker, oidc_emulator.url, "vera", PASSWORDS["vera"])
    victim.get("/auth/sso/login")  # the victim has a sign-in of their own under way
    assert _callback(victim, answer).status_code == 400
    assert victim.get("/").status_code == 302


def test_tampered_nonce_is_refused(sso_app, oidc_emulator: Emulator):
    """Is an ID token carrying another nonce than the one this browser sent refused?"""
    client = sso_app.test_client()
    answer = sso_sign_in(client, oidc_emulator.url, "ana", tamper={"nonce": "attacker-chosen-nonce"})
    assert answer.status_code == 400 and "nonce" in answer.get_data(as_text=True)
    assert user_named(sso_app, "ana") is None and client.get("/").status_code == 302
    assert audit_rows(sso_app, "sign_in")[-1].outcome == "refused"


def test_tampered_pkce_challenge_is_refused(sso_app, oidc_emulator: Emulator):
    """Is a flow whose code challenge was swapped refused (the provider rejects the app's verifier)?"""
    client = sso_app.test_client()
    answer = sso_sign_in(client, oidc_emulator.url, "ana", tamper={"code_challenge": "A" * 43})
    assert answer.status_code == 400 and "invalid_grant" in answer.get_data(as_text=True)
    assert user_named(sso_app, "ana") is None


def test_an_expired_id_token_is_refused(sso_app, oidc_emulator: Emulator):
    """Is an ID token that expired (the provider's clock two hours behind) refused?"""
    oidc_emulator.advance(-7200)
    answer = sso_sign_in(sso_app.test_client(), oidc_emulator.url, "ana")
    assert answer.status_code == 400 and "failed verification" in answer.get_data(as_text=True)
    assert user_named(sso_app, "ana") is None


def test_cancel_at_the_provider_is_refused_and_audited(sso_app, oidc_emulator: Emulator):
    """Does cancelling at the provider come back as a refused sign-in with a page saying so?"""
    client = sso_app.test_client()
    answer = _callback(client, _provider_answer(client, oidc_emulator.url, "", "", cancel=True))
    assert answer.status_code == 403 and "cancelled" in answer.get_data(as_text=True)
    assert audit_rows(sso_app, "sign_in")[-1].error == "provider answered access_denied"


def test_an_unreachable_provider_is_a_clear_failure(tmp_path: Path, sso_settings: dict):
    """Does a provider nobody answers at give a 502 page naming it, audited as failed?"""
    application = build_app(tmp_path, "", **{**sso_settings, "SSO_ISSUER": "http://127.0.0.1:9"})
    answer = application.test_client().get("/auth/sso/login")
    assert answer.status_code == 502 and "127.0.0.1:9 did not answer" in answer.get_data(as_text=True)
    assert audit_rows(application, "sign_in")[-1].outcome == "failed"


def test_a_slow_or_failing_provider_is_a_clear_failure(sso_app, oidc_emulator: Emulator):
    """Does a token endpoint slower than the read timeout or answering 503, or a callback saying the provider is
    unavailable, give a 502 page, audited as failed?"""
    oidc_emulator.faults(latency_ms={"/token": 6000})
    started = time.monotonic()
    answer = sso_sign_in(sso_app.test_client(), oidc_emulator.url, "ana")
    assert answer.status_code == 502 and time.monotonic() - started < 5.5  # TestConfig's read timeout is 3 s
    oidc_emulator.clear_faults()
    oidc_emulator.faults(fail_next={"path": "/token", "status": 503})
    answer = sso_sign_in(sso_app.test_client(), oidc_emulator.url, "ana")
    assert answer.status_code == 502 and "did not answer" in answer.get_data(as_text=True)
    client = sso_app.test_client()
    answer = _callback(client, _provider_answer(client, oidc_emulator.url, "ana", PASSWORDS["ana"]),
                       error="temporarily_unavailable")
    assert answer.status_code == 502 and "could not sign you in just now" in answer.get_data(as_text=True)
    assert [row.outcome for row in audit_rows(sso_app, "sign_in")] == ["failed"] * 3
    assert user_named(sso_app, "ana") is None


def test_unsafe_next_is_replaced_by_the_front_page(sso_app, oidc_emulator: Emulator):
    """Does an off-site `next` send the signed-in person to the front page instead?"""
    answer = sso_sign_in(sso_app.test_client(), oidc_emulator.url, "ana", next_path="//evil.example/x")
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


def test_client_secret_never_reaches_a_page_a_log_or_the_audit(sso_app, oidc_emulator: Emulator, sso_settings: dict,
                                                               caplog: pytest.LogCaptureFixture,
                                                               monkeypatch: pytest.MonkeyPatch):
    """Through good and bad sign-ins, at DEBUG level, does the client secret stay out of pages, logs and audit?"""
    secret = sso_settings["SSO_CLIENT_SECRET"]
    # build_app's migration runs alembic's logging.config.fileConfig, which disables every logger that existed
    # before it (app.auth.sso's, authlib's, urllib3's): turn them all back on so that every line is captured.
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            monkeypatch.setattr(logger, "disabled", False)
    caplog.set_level(logging.DEBUG)
    client = sso_app.test_client()
    pages = [client.get("/auth/login"), sso_sign_in(client, oidc_emulator.url, "ana"), client.get("/")]
    other = sso_app.test_client()
    pages += [sso_sign_in(other, oidc_emulator.url, "nobody"),
              sso_sign_in(other, oidc_emulator.url, "vera", tamper={"code_challenge": "B" * 43}),
              _callback(other, _provider_answer(other, oidc_emulator.url, "vera", PASSWORDS["vera"]), state="x")]
    assert all(secret not in page.get_data(as_text=True) for page in pages)
    assert secret not in caplog.text and "single sign-on refused" in caplog.text
    assert all(secret not in repr(row.__dict__) for row in audit_rows(sso_app, "sign_in"))
    assert secret not in repr(SsoSettings.from_config(sso_app.config))


def test_sandbox_connect_configures_sso_for_make_run(tmp_path: Path, oidc_emulator: Emulator):
    """Does `python -m sandbox connect oidc=URL` (as `make run` calls it) export settings with which the app signs
    ana in, the secret only in the mode-600 env file?"""
    config, env = tmp_path / "sandbox-connections.toml", tmp_path / "sandbox.env"
    connect({"oidc": oidc_emulator.url}, str(config), str(env))
    exported = dict(shlex.split(line.removeprefix("export "))[0].split("=", 1) for line in env.read_text().splitlines())
    assert exported["FLIGHTDECK_SSO_ISSUER"] == oidc_emulator.url and exported["FLIGHTDECK_SSO_ROLE_RULES"] == ROLE_RULES
    assert exported["FLIGHTDECK_SSO_CLIENT_SECRET"] not in config.read_text() and "[[connection]]" not in config.read_text()
    assert stat.S_IMODE(os.stat(env).st_mode) == 0o600
    settings = {name.removeprefix("FLIGHTDECK_"): value for name, value in exported.items()}
    (tmp_path / "app").mkdir()
    application = build_app(tmp_path / "app", "", **settings)
    assert "Sign in with Sandbox SSO" in application.test_client().get("/auth/login").get_data(as_text=True)
    assert sso_sign_in(application.test_client(), oidc_emulator.url, "ana").status_code == 302
    assert user_named(application, "ana").role == "admin"


def test_role_rules_parse_and_pick_the_highest():
    """Do rules parse from the documented form, and does the highest role any rule gives win?"""
    rules = parse_role_rules(" groups:a=viewer, groups:b=admin ,role:ops=operator,")
    assert rules == (RoleRule("groups", "a", "viewer"), RoleRule("groups", "b", "admin"),
                     RoleRule("role", "ops", "operator"))
    assert role_for({"groups": ["a", "b"]}, rules) == "admin"
    assert role_for({"groups": ["a"], "role": "ops"}, rules) == "operator"
    assert role_for({"groups": ["c"], "role": "other"}, rules) is None and role_for({}, rules) is None


@pytest.mark.parametrize("settings, message", [
    ({"SSO_ROLE_RULES": "groups-admins=admin"}, "is not claim:value=role"),
    ({"SSO_ROLE_RULES": "groups:x=root"}, "names role 'root'"),
    ({"SSO_ROLE_RULES": ""}, "FLIGHTDECK_SSO_ROLE_RULES is empty"),
    ({"SSO_CLIENT_SECRET": ""}, "set FLIGHTDECK_SSO_CLIENT_SECRET too"),
    ({"SSO_SCOPES": "profile email"}, "must include openid"),
])
def test_a_wrong_sso_configuration_stops_the_app(tmp_path: Path, settings: dict, message: str):
    """Does a malformed rule, an unknown role, no rules, a missing secret or no openid scope stop create_app()?"""
    base = {"SSO_ISSUER": "http://127.0.0.1:9", "SSO_CLIENT_ID": "c", "SSO_CLIENT_SECRET": "s",
            "SSO_ROLE_RULES": ROLE_RULES}
    with pytest.raises(ConfigError, match=re.escape(message)):
        build_app(tmp_path, "", **{**base, **settings})
