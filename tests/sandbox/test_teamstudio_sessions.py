"""Team Studio emulator sessions: login, 401s, who am I, logout, expiry on the clock and by the control route."""
from __future__ import annotations

import requests

from tests.sandbox.test_teamstudio_helpers import clock, credentials, login, state

USER_FIELDS = {"admin", "auth_method", "dept", "email", "entity_type", "first_name", "id", "image", "is_deleted",
               "last_name", "ldap_group_id", "notes", "roles", "subscribed_to_emails", "tags", "title", "user_type",
               "username", "using_default_image"}


def test_mint_token_hands_out_the_service_account(teamstudio_emulator):
    """Does /_sandbox/tokens answer the admin service account's username and password?"""
    creds = credentials(teamstudio_emulator.url)
    assert set(creds) == {"username", "password"} and creds["username"] == "flightdeck-svc"
    ts = login(teamstudio_emulator.url)
    assert ts.user["admin"] is True and ts.user["roles"] == ["admin"]


def test_login_answers_201_with_session_user_and_cookie(teamstudio_emulator):
    """Does a form login answer 201, response.session_id, the seed's user object and a session cookie?"""
    response = requests.post(f"{teamstudio_emulator.url}/api/sessions", params={"session_id": "NULL"},
                             data=credentials(teamstudio_emulator.url), timeout=5)
    assert response.status_code == 201
    reply = response.json()["response"]
    assert reply["session_id"] and set(reply["user"]) == USER_FIELDS
    assert reply["user"]["username"] == "flightdeck-svc" and response.cookies.get("_chorus_session")


def test_wrong_password_and_unknown_user_are_401_with_errors_body(teamstudio_emulator):
    """Is a bad login refused with 401 and {"errors": {...}}?"""
    for form in ({"username": "flightdeck-svc", "password": "nope"}, {"username": "ghost", "password": "x"}):
        response = requests.post(f"{teamstudio_emulator.url}/api/sessions", data=form, timeout=5)
        assert response.status_code == 401 and "message" in response.json()["errors"]


def test_who_am_i_by_session_id_or_cookie(teamstudio_emulator):
    """Does GET /api/sessions answer the user for ?session_id= and for the login cookie alone, 401 without?"""
    base = teamstudio_emulator.url
    ts = login(base)
    assert ts.api("GET", "/sessions").json()["response"]["user"]["id"] == ts.user["id"]
    browser = requests.Session()
    browser.post(f"{base}/api/sessions", params={"session_id": "NULL"}, data=credentials(base), timeout=5)
    assert browser.get(f"{base}/api/sessions", timeout=5).json()["response"]["user"]["username"] == "flightdeck-svc"
    anonymous = requests.get(f"{base}/api/sessions", timeout=5)
    assert anonymous.status_code == 401 and "errors" in anonymous.json()


def test_logout_ends_the_session(teamstudio_emulator):
    """After DELETE /api/sessions, is the token refused on both API roots?"""
    ts = login(teamstudio_emulator.url)
    assert ts.api("DELETE", "/sessions").status_code == 200
    assert ts.api("GET", "/users").status_code == 401
    assert ts.engine("GET", "/processes/whatever/query").status_code == 401


def test_session_expires_after_thirty_minutes_of_emulator_time(teamstudio_emulator):
    """Is a session valid for 1800 s of emulator clock and 401 on Chorus and engine calls after that?"""
    base = teamstudio_emulator.url
    clock(base, freeze=True)
    ts = login(base)
    clock(base, advance=1799)
    assert ts.api("GET", "/workspaces").status_code == 200
    clock(base, advance=2)
    expired = ts.api("GET", "/workspaces")
    assert expired.status_code == 401 and "message" in expired.json()["errors"]
    assert ts.engine("POST", f"/workflows/{state(base)['randomForest']['workflowId']}/run").status_code == 401
    assert login(base).api("GET", "/workspaces").status_code == 200  # log in again and retry


def test_token_lifetime_knob_shortens_new_sessions(teamstudio_emulator):
    """Does the shared token_lifetime knob set how long sessions opened from now on live?"""
    base = teamstudio_emulator.url
    clock(base, freeze=True)
    teamstudio_emulator.faults(token_lifetime=60)
    ts = login(base)
    clock(base, advance=61)
    assert ts.api("GET", "/users").status_code == 401


def test_expire_sessions_control_route_ends_every_session(teamstudio_emulator):
    """Does POST /_sandbox/teamstudio/expire-sessions end all live sessions at once?"""
    base = teamstudio_emulator.url
    first, second = login(base), login(base, "mlin")
    answer = requests.post(f"{base}/_sandbox/teamstudio/expire-sessions", timeout=5).json()
    assert answer == {"ok": True, "expired": 2}
    assert first.api("GET", "/users").status_code == 401
    assert second.engine("GET", "/processes/x/query").status_code == 401
    assert login(base).api("GET", "/users").status_code == 200


def test_engine_calls_need_x_token_not_session_id(teamstudio_emulator):
    """Is an engine call with only ?session_id= (no x-token header) refused?"""
    ts = login(teamstudio_emulator.url)
    response = requests.get(f"{ts.base}/alpinedatalabs/api/v1/json/processes/x/query",
                            params={"session_id": ts.token}, timeout=5)
    assert response.status_code == 401


def test_version_is_plain_text_and_license_has_the_seed_fields(teamstudio_emulator):
    """Is /api/VERSION plain text (no session needed) and /api/license the seed's license object?"""
    version = requests.get(f"{teamstudio_emulator.url}/api/VERSION", timeout=5)
    assert version.headers["Content-Type"].startswith("text/plain")
    assert version.text.strip() == "6.3.0.0.5410-4ef43d3c9"
    ts = login(teamstudio_emulator.url)
    info = ts.api("GET", "/license").json()["response"]
    assert info["expires"] == "2099-12-31" and info["is_enabled_api"] is True and info["vendor"] == "alpine"
    assert requests.get(f"{teamstudio_emulator.url}/api/license", timeout=5).status_code == 401
