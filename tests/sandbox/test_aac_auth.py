"""AAC emulator auth: bearer checks, workspace header, rotating single-use refresh tokens, expiry."""
from __future__ import annotations

import base64
import json
import threading

import requests

CLIENT = "aac-public-api"


def _claims(access_token: str) -> dict:
    body = access_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _refresh(url: str, refresh_token: str, client_id: str = CLIENT, grant: str = "refresh_token") -> requests.Response:
    form = {"grant_type": grant, "refresh_token": refresh_token, "client_id": client_id}
    return requests.post(f"{url}/as/token", data=form, timeout=10)


def test_missing_token_is_401_with_exception_body(aac_emulator):
    """Does a call without a bearer token get 401 and AAC's exception body?"""
    response = requests.get(f"{aac_emulator}/v4/schedules", timeout=5)
    assert response.status_code == 401
    assert response.json()["exception"]["name"] == "Unauthorized"
    assert set(response.json()["exception"]) == {"name", "message", "details"}


def test_forged_token_is_401(aac_emulator, mint):
    """Is a token with a tampered signature refused?"""
    token = mint()["access_token"][:-4] + "AAAA"
    response = requests.get(f"{aac_emulator}/v4/people/current", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert response.status_code == 401
    assert response.json()["exception"]["message"] == "Invalid access token"


def test_every_response_carries_request_id(aac_emulator, api):
    """Do success and error responses both carry x-trifacta-request-id?"""
    ok = api.get(f"{api.base}/v4/people/current")
    missing = requests.get(f"{aac_emulator}/v4/people/current", timeout=5)
    assert ok.headers["x-trifacta-request-id"] and missing.headers["x-trifacta-request-id"]


def test_token_user_is_admin_ana(api):
    """Is the minted token's user Ana Ruiz, person 5, in workspace 12?"""
    assert api.get(f"{api.base}/v4/people/current").json()["name"] == "Ana Ruiz"
    assert api.get(f"{api.base}/v4/workspaces/current").json()["id"] == 12


def test_workspace_header_mismatch_is_403(api):
    """Does an x-trifacta-workspace-id other than the token's workspace get 403 Forbidden?"""
    response = api.get(f"{api.base}/v4/schedules", headers={"x-trifacta-workspace-id": "99"})
    assert response.status_code == 403
    assert response.json()["exception"]["name"] == "Forbidden"


def test_matching_workspace_header_is_accepted(api):
    """Is the token's own workspace id accepted in the header?"""
    assert api.get(f"{api.base}/v4/schedules", headers={"x-trifacta-workspace-id": "12"}).status_code == 200


def test_refresh_rotates_and_old_token_is_invalid_grant(aac_emulator, mint):
    """Does a refresh return a new pair, and does reusing the spent refresh token give 400 invalid_grant?"""
    pair = mint()
    first = _refresh(aac_emulator, pair["refresh_token"])
    assert first.status_code == 200
    new = first.json()
    assert new["refresh_token"] != pair["refresh_token"] and new["token_type"] == "Bearer"
    again = _refresh(aac_emulator, pair["refresh_token"])
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert _refresh(aac_emulator, new["refresh_token"]).status_code == 200


def test_concurrent_spend_of_one_refresh_token_succeeds_once(aac_emulator, mint):
    """Of 20 threads spending the same refresh token at once, does exactly one get 200?"""
    token = mint()["refresh_token"]
    barrier = threading.Barrier(20)
    codes: list[int] = []

    def spend() -> None:
        barrier.wait()
        codes.append(_refresh(aac_emulator, token).status_code)

    threads = [threading.Thread(target=spend) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200] + [400] * 19


def test_unknown_grant_type_is_unsupported_grant_type(aac_emulator, mint):
    """Is grant_type=password refused with 400 unsupported_grant_type?"""
    response = _refresh(aac_emulator, mint()["refresh_token"], grant="password")
    assert (response.status_code, response.json()["error"]) == (400, "unsupported_grant_type")


def test_missing_client_id_is_invalid_request(aac_emulator, mint):
    """Is a refresh without client_id refused with 400 invalid_request?"""
    response = _refresh(aac_emulator, mint()["refresh_token"], client_id="")
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


def test_access_token_expires_by_emulator_clock(aac_emulator, api, control):
    """Does an access token stop working once the clock passes its 300 s lifetime?"""
    assert api.get(f"{api.base}/v4/people/current").status_code == 200
    control("POST", "clock", json={"advance": 301})
    expired = api.get(f"{api.base}/v4/people/current")
    assert expired.status_code == 401
    assert expired.json()["exception"]["message"] == "Access token expired"


def test_iss_claim_leads_to_working_token_endpoint(aac_emulator, mint):
    """Does iss + "/token" from the JWT refresh successfully, with the client_id from the JWT?"""
    pair = mint()
    claims = _claims(pair["access_token"])
    assert claims["iss"] == f"{aac_emulator}/as" and claims["workspaceId"] == 12 and claims["sub"] == "5"
    form = {"grant_type": "refresh_token", "refresh_token": pair["refresh_token"], "client_id": claims["client_id"]}
    response = requests.post(claims["iss"] + "/token", data=form, timeout=5)
    assert response.status_code == 200 and response.json()["expires_in"] == 300


def test_state_counts_refresh_tokens(aac_emulator, mint, control):
    """Does /_sandbox/state count issued and still-valid refresh tokens?"""
    pair = mint()
    _refresh(aac_emulator, pair["refresh_token"])
    state = control("GET", "state").json()
    assert (state["refresh_tokens_issued"], state["refresh_tokens_valid"]) == (2, 1)


def test_non_admin_sees_only_own_schedules(aac_emulator, mint):
    """Does a non-admin token list only schedules that person created?"""
    token = mint(person_id=2)["access_token"]
    body = requests.get(f"{aac_emulator}/v4/schedules", params={"limit": 100, "includeCount": "true"},
                        headers={"Authorization": f"Bearer {token}"}, timeout=5).json()
    assert body["count"] > 0
    assert {s["createdBy"] for s in body["data"]} == {2}
