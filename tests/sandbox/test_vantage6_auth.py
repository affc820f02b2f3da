"""vantage6 emulator sign-in: /token/user, /token/refresh, JWT claims and errors, two-factor codes, lockout."""
from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

import requests

from sandbox.vantage6.totp import hotp, totp
from tests.sandbox.test_vantage6_helpers import SERVICE, TWO_FACTOR, V6


def _claims(token: str) -> dict:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _login(v6: V6, body: dict, **kwargs) -> requests.Response:
    return requests.post(f"{v6.url}/api/token/user", json=body, timeout=10, **kwargs)


def test_health_and_version_need_no_token(v6: V6) -> None:
    assert requests.get(f"{v6.url}/api/health", timeout=5).json() == {"database": True}
    assert requests.get(f"{v6.url}/api/version", timeout=5).json() == {"version": "4.15.2"}


def test_login_answers_tokens_urls_and_jwt_header(v6: V6) -> None:
    creds = v6.mint()
    assert creds["username"] == SERVICE and "otp_secret" not in creds
    response = _login(v6, {"username": SERVICE, "password": creds["password"]})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["access_token", "refresh_token", "refresh_url", "user_url"]
    assert body["refresh_url"] == "/api/token/refresh" and body["user_url"] == f"/api/user/{creds['user_id']}"
    assert response.headers["jwt-token"] == body["access_token"]
    claims = _claims(body["access_token"])
    assert claims["sub"] == creds["user_id"] and isinstance(claims["sub"], int)
    assert claims["type"] == "access" and claims["client_type"] == "user" and claims["roles"] == ["Flightdeck Service"]
    assert claims["exp"] - claims["iat"] == 21600 and claims["nbf"] == claims["iat"] and claims["jti"]
    refresh = _claims(body["refresh_token"])
    assert refresh["type"] == "refresh" and refresh["exp"] - refresh["iat"] == 172800
    me = v6.get(body["user_url"].removeprefix("/api"), body["access_token"])
    assert me["username"] == SERVICE and me["type"] == "user"


def test_login_failures(v6: V6) -> None:
    wrong = _login(v6, {"username": SERVICE, "password": "nope"})
    unknown = _login(v6, {"username": "nobody", "password": "nope"})
    assert (wrong.status_code, wrong.json()) == (401, {"msg": "Failed to login"}) == (unknown.status_code,
                                                                                      unknown.json())
    missing = _login(v6, {"username": SERVICE})
    assert missing.status_code == 400
    assert missing.json() == {"msg": "Request body is incorrect",
                              "errors": {"password": ["Missing data for required field."]}}
    form = requests.post(f"{v6.url}/api/token/user", data={"username": SERVICE, "password": "x"}, timeout=5)
    assert form.status_code == 415 and set(form.json()) == {"message"}


def test_refresh_gives_new_access_and_refresh_tokens_and_keeps_the_old_one(v6: V6) -> None:
    first = v6.login()
    refreshed = requests.post(f"{v6.url}/api/token/refresh", timeout=5,
                              headers={"Authorization": f"Bearer {first['refresh_token']}"})
    assert refreshed.status_code == 200
    body = refreshed.json()
    assert list(body) == ["access_token", "refresh_token", "refresh_url", "user_url"]
    assert body["refresh_token"] != first["refresh_token"]
    assert v6.api("GET", "/task", body["access_token"]).status_code == 200
    again = requests.post(f"{v6.url}/api/token/refresh", timeout=5,
                          headers={"Authorization": f"Bearer {first['refresh_token']}"})
    assert again.status_code == 200  # not revoked, as on the real server


def test_jwt_errors(v6: V6) -> None:
    pair = v6.login()
    cases = [
        ({}, 401, "Missing Authorization Header"),
        ({"Authorization": pair["access_token"]}, 401,
         "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"),
        ({"Authorization": "Bearer garbage.token.here"}, 422, None),
        ({"Authorization": f"Bearer {pair['access_token'][:-4]}AAAA"}, 422, "Signature verification failed"),
        ({"Authorization": f"Bearer {pair['refresh_token']}"}, 422, "Only non-refresh tokens are allowed"),
    ]
    for headers, status, msg in cases:
        response = requests.get(f"{v6.url}/api/task", headers=headers, timeout=5)
        assert response.status_code == status, (headers, response.text)
        if msg:
            assert response.json() == {"msg": msg}
        else:
            assert response.json()["msg"].startswith("Invalid header string: ")
    access_on_refresh = requests.post(f"{v6.url}/api/token/refresh", timeout=5,
                                      headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert (access_on_refresh.status_code, access_on_refresh.json()) == (422, {"msg": "Only refresh tokens are allowed"})


def test_access_tokens_expire_on_the_emulator_clock(v6: V6) -> None:
    v6.faults(token_lifetime=60)
    pair = v6.login()
    assert _claims(pair["access_token"])["exp"] - _claims(pair["access_token"])["iat"] == 60
    assert v6.api("GET", "/task", pair["access_token"]).status_code == 200
    v6.advance(61)
    expired = v6.api("GET", "/task", pair["access_token"])
    assert (expired.status_code, expired.json()) == (401, {"msg": "Token has expired"})
    refreshed = requests.post(f"{v6.url}/api/token/refresh", timeout=5,
                              headers={"Authorization": f"Bearer {pair['refresh_token']}"}).json()
    assert v6.api("GET", "/task", refreshed["access_token"]).status_code == 200
    v6.advance(172800)
    dead = requests.post(f"{v6.url}/api/token/refresh", timeout=5,
                         headers={"Authorization": f"Bearer {pair['refresh_token']}"})
    assert (dead.status_code, dead.json()) == (401, {"msg": "Token has expired"})


def test_totp_matches_rfc_6238_vectors() -> None:
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert hotp(secret, 0) == "755224" and hotp(secret, 1) == "287082"  # RFC 4226 appendix D
    assert totp(secret, datetime.fromtimestamp(59, timezone.utc), digits=8) == "94287082"
    assert totp(secret, datetime.fromtimestamp(1111111109, timezone.utc), digits=8) == "07081804"


def test_two_factor_login(v6: V6) -> None:
    creds = v6.mint(TWO_FACTOR)
    assert creds["otp_secret"]
    body = {"username": TWO_FACTOR, "password": creds["password"]}
    no_code = _login(v6, body)
    assert (no_code.status_code, no_code.json()) == (200, {"msg": "Please include your two-factor authentication code"})
    code = totp(creds["otp_secret"], v6.now())
    wrong = _login(v6, {**body, "mfa_code": str((int(code) + 1) % 1000000).zfill(6)})
    assert wrong.status_code == 401 and "access_token" not in wrong.json()
    good = _login(v6, {**body, "mfa_code": code})
    assert good.status_code == 200 and good.json()["user_url"] == f"/api/user/{creds['user_id']}"
    v6.advance(600)  # codes follow the emulator clock: the old one no longer works, a new one does
    assert _login(v6, {**body, "mfa_code": code}).status_code == 401
    assert _login(v6, {**body, "mfa_code": totp(creds["otp_secret"], v6.now())}).status_code == 200


def test_lockout_after_five_failures_for_fifteen_minutes(v6: V6) -> None:
    creds = v6.mint("researcher")
    for _ in range(5):
        assert _login(v6, {"username": "researcher", "password": "wrong"}).status_code == 401
    blocked = _login(v6, {"username": "researcher", "password": creds["password"]})
    assert (blocked.status_code, blocked.json()) == (401, {"msg": "Failed to login"})
    v6.advance(14 * 60)
    assert _login(v6, {"username": "researcher", "password": creds["password"]}).status_code == 401
    v6.advance(61)
    assert _login(v6, {"username": "researcher", "password": creds["password"]}).status_code == 200
    v6.control("POST", "reset")
    assert _login(v6, {"username": "researcher", "password": creds["password"]}).status_code == 200
