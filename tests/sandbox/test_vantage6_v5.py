"""vantage6 emulator in v5 mode: Keycloak-like tokens, /user/me, tasks with method and session, new statuses."""
from __future__ import annotations

import base64
import json

import requests

from sandbox.vantage6.totp import totp
from tests.sandbox.test_vantage6_helpers import AVERAGE, GLM, SERVICE, TWO_FACTOR, V6, encode


def _v5(v6: V6) -> None:
    assert v6.control("POST", "vantage6/version", json={"version": "5.0.3"}).json() == {"ok": True,
                                                                                      "version": "5.0.3"}


def _grant(creds: dict, **form: str) -> requests.Response:
    return requests.post(creds["token_url"], data={"client_id": creds["client_id"], **form}, timeout=10)


def _password(v6: V6, username: str | None = None) -> dict:
    creds = v6.mint(username)
    response = _grant(creds, grant_type="password", username=creds["username"], password=creds["password"])
    assert response.status_code == 200, response.text
    return response.json()


def _claims(token: str) -> dict:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def test_switching_versions_changes_the_auth_paths(v6: V6) -> None:
    assert requests.get(f"{v6.url}/realms/vantage6/.well-known/openid-configuration", timeout=5).status_code == 404
    assert v6.api("GET", "/user/me").status_code == 404
    old = v6.token()
    _v5(v6)
    assert requests.get(f"{v6.url}/api/version", timeout=5).json() == {"version": "5.0.3"}
    for path in ("/api/token/user", "/api/token/refresh"):
        gone = requests.post(f"{v6.url}{path}", json={"username": SERVICE, "password": "x"}, timeout=5)
        assert gone.status_code == 404 and gone.headers["Content-Type"].startswith("text/html")
    assert v6.api("GET", "/task", old).json() == {"msg": "Signature verification failed"}
    v6.control("POST", "reset")
    assert requests.get(f"{v6.url}/api/version", timeout=5).json() == {"version": "4.15.2"}
    assert requests.post(f"{v6.url}/_sandbox/vantage6/version", json={"version": "3.0"}, timeout=5).status_code == 400


def test_keycloak_password_and_refresh_grants(v6: V6) -> None:
    _v5(v6)
    creds = v6.mint()
    assert creds["client_id"] and creds["token_url"].endswith("/realms/vantage6/protocol/openid-connect/token")
    config = requests.get(f"{v6.url}/realms/vantage6/.well-known/openid-configuration", timeout=5).json()
    assert config["token_endpoint"] == creds["token_url"] and config["issuer"].endswith("/realms/vantage6")
    tokens = _password(v6)
    assert {"access_token", "refresh_token", "expires_in", "refresh_expires_in"} <= set(tokens)
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 300
    claims = _claims(tokens["access_token"])
    assert claims["vantage6_client_type"] == "user" and not str(claims["sub"]).isdigit()
    me = v6.get("/user/me", tokens["access_token"])
    assert me["username"] == SERVICE and me["id"] == creds["user_id"]
    refreshed = _grant(creds, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 200 and v6.get("/user/me", refreshed.json()["access_token"])["id"] == me["id"]
    assert v6.api("GET", "/task", tokens["refresh_token"]).status_code == 422
    bad = _grant(creds, grant_type="password", username=SERVICE, password="wrong")
    assert (bad.status_code, bad.json()["error"]) == (401, "invalid_grant")
    assert _grant({**creds, "client_id": "other"}, grant_type="password").json()["error"] == "invalid_client"
    assert _grant(creds, grant_type="client_credentials").json()["error"] == "unsupported_grant_type"
    assert _grant(creds, grant_type="refresh_token", refresh_token="junk").status_code == 400
    v6.faults(fail_next={"count": 1, "status": 503, "path": "/realms/"})
    injected = _grant(creds, grant_type="password", username=SERVICE, password=creds["password"])
    assert injected.status_code == 503 and injected.json()["error"] == "temporarily_unavailable"


def test_keycloak_tokens_expire_and_two_factor_needs_totp(v6: V6) -> None:
    _v5(v6)
    v6.faults(token_lifetime=30)
    tokens = _password(v6)
    assert tokens["expires_in"] == 30
    v6.advance(31)
    assert v6.api("GET", "/user/me", tokens["access_token"]).json() == {"msg": "Token has expired"}
    creds = v6.mint(TWO_FACTOR)
    assert creds["otp_secret"]
    form = {"grant_type": "password", "username": TWO_FACTOR, "password": creds["password"]}
    assert _grant(creds, **form).status_code == 401
    assert _grant(creds, **form, totp=totp(creds["otp_secret"], v6.now())).status_code == 200


def test_v5_task_create_needs_method_and_session_and_nested_databases(v6: V6) -> None:
    _v5(v6)
    v6.control("POST", "clock", json={"freeze": True})
    token = _password(v6)["access_token"]
    sessions = v6.get("/session", token, sort="id")["data"]
    assert [s["collaboration"]["id"] for s in sessions] == [1, 2]
    body = {"collaboration_id": 1, "image": AVERAGE, "organizations": [{"id": 2, "input": encode("partial_average")}]}
    missing = v6.api("POST", "/task", token, json=body)
    assert missing.status_code == 400 and set(missing.json()["errors"]) == {"method", "session_id"}
    full = {**body, "method": "partial_average", "session_id": sessions[0]["id"]}
    flat = v6.api("POST", "/task", token, json={**full, "databases": [{"label": "default"}]})
    assert flat.status_code == 400 and flat.json()["errors"] == {"databases": {"0": ["Not a valid list."]}}
    other = v6.api("POST", "/task", token, json={**full, "session_id": sessions[1]["id"]})
    assert other.status_code == 400
    created = v6.api("POST", "/task", token, json={**full, "databases": [[{"label": "default"}]]})
    assert created.status_code == 201, created.text
    task = created.json()
    assert task["status"] == "awaiting" and task["method"] == "partial_average"
    failing = v6.api("POST", "/task", token, json={**full, "image": GLM, "method": "partial_glm",
                                                  "organizations": [{"id": 4, "input": encode("partial_glm")}]})
    v6.advance(120)
    assert v6.get(f"/task/{task['id']}", token)["status"] == "completed"
    assert v6.get(f"/task/{failing.json()['id']}/status", token) == {"status": "failed"}
    assert v6.get("/run", token, task_id=failing.json()["id"])["data"][0]["status"] == "crashed"
    completed = v6.get("/task", token, status="completed", per_page=5)["data"]
    assert completed and {t["status"] for t in completed} == {"completed"}
