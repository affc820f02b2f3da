"""Alooma emulator auth: the API key header and the login cookie as the client uses them, and every refusal."""
from __future__ import annotations

import requests

from tests.sandbox.test_alooma_helpers import Alooma, assert_error


def test_tokens_answer_what_a_connection_needs(alooma: Alooma) -> None:
    """Does /_sandbox/tokens give the account name, REST root, API key and login of the service user?"""
    creds = alooma.creds
    assert set(creds) == {"account_name", "base_url", "rest_url", "api_key", "email", "password"}
    assert creds["email"] == alooma.state()["serviceUser"] and creds["base_url"] == alooma.url
    assert creds["rest_url"] == f"{alooma.url}/{creds['account_name']}/rest/"
    other = alooma.mint("dana.levi@example.com")
    assert other["api_key"] != creds["api_key"] and other["email"] == "dana.levi@example.com"
    for email in ("ghost@example.com", "new.analyst@example.com"):  # unknown, and an invitation not accepted
        assert requests.post(f"{alooma.url}/_sandbox/tokens", json={"email": email}, timeout=5).status_code == 400


def test_api_key_header_works_on_both_rest_roots(alooma: Alooma) -> None:
    """Is `authorization: API <key>` accepted under /rest/ and /{account}/rest/, and does repository name the
    account as config_clientName (how the client learns it)?"""
    for account in (False, True):
        response = alooma.api("GET", "repository", account=account)
        assert response.status_code == 200 and response.json() == {"config_clientName": "flightdeck-demo"}


def test_missing_or_invalid_api_key_is_401(alooma: Alooma) -> None:
    """No credentials, a wrong key, another scheme: 401 with Alooma's error body."""
    assert_error(requests.get(f"{alooma.url}/rest/inputs", timeout=5), 401, "authentication required")
    assert_error(alooma.api("GET", "inputs", key="not-a-key"), 401, "invalid api key")
    bearer = requests.get(f"{alooma.url}/rest/inputs", headers={"authorization": f"Bearer {alooma.creds['api_key']}"},
                          timeout=5)
    assert_error(bearer, 401)


def test_another_accounts_path_is_401(alooma: Alooma) -> None:
    """A path naming another account answers 401 (the client then says "check account name")."""
    response = requests.get(f"{alooma.url}/other-account/rest/inputs",
                            headers={"authorization": f"API {alooma.creds['api_key']}"}, timeout=5)
    assert_error(response, 401, "unknown account")


def test_login_sets_a_session_cookie_that_authenticates(alooma: Alooma) -> None:
    """POST rest/login {"email", "password"} answers the user and a cookie the next calls carry."""
    session = alooma.login()
    assert session.cookies.get("alooma_session")
    for root in ("rest", "flightdeck-demo/rest"):
        response = session.get(f"{alooma.url}/{root}/inputs", timeout=5)
        assert response.status_code == 200 and len(response.json()) == 8
    assert alooma.state()["sessions_live"] == 1


def test_bad_logins_are_refused(alooma: Alooma) -> None:
    """Wrong password, unknown email, a pending invitation: 401; a body without email/password: 400."""
    login = f"{alooma.url}/rest/login"
    for body in ({"email": alooma.creds["email"], "password": "wrong"}, {"email": "nobody@example.com", "password": "x"}):
        assert_error(requests.post(login, json=body, timeout=5), 401, "invalid email or password")
    pending = requests.post(login, json={"email": "new.analyst@example.com", "password": "x"}, timeout=5)
    assert pending.status_code == 401
    assert_error(requests.post(login, json={"email": alooma.creds["email"]}, timeout=5), 400)
    assert_error(requests.post(login, data="not json", timeout=5), 400)


def test_sessions_expire_with_the_clock_and_the_client_can_log_in_again(alooma: Alooma) -> None:
    """A session lives 12 h of emulator time (token_lifetime overrides it); after it the call is 401 and a
    fresh login (what the client does once on a 401) works again."""
    session = alooma.login()
    alooma.advance(12 * 3600 - 60)
    assert session.get(f"{alooma.url}/rest/inputs", timeout=5).status_code == 200
    alooma.advance(120)
    assert_error(session.get(f"{alooma.url}/rest/inputs", timeout=5), 401, "session expired")
    alooma.faults(token_lifetime=30)
    short = alooma.login()
    alooma.advance(31)
    assert short.get(f"{alooma.url}/rest/inputs", timeout=5).status_code == 401
    assert alooma.login().get(f"{alooma.url}/rest/inputs", timeout=5).status_code == 200


def test_expire_sessions_control_ends_every_session_but_not_api_keys(alooma: Alooma) -> None:
    """POST /_sandbox/alooma/expire-sessions: cookies stop working at once, API keys go on."""
    session = alooma.login()
    assert alooma.control("POST", "alooma/expire-sessions").json() == {"ok": True, "expired": 1}
    assert session.get(f"{alooma.url}/rest/inputs", timeout=5).status_code == 401
    assert alooma.api("GET", "inputs").status_code == 200


def test_unknown_paths_and_methods_answer_the_error_body(alooma: Alooma) -> None:
    """404 for an unknown path, 405 for a method the path does not take, both in Alooma's shape."""
    assert_error(alooma.api("GET", "no/such/path"), 404)
    assert_error(alooma.api("DELETE", "inputs"), 405)
