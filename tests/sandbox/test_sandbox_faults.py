"""Fault knobs on the AAC emulator: injected failures, 429s, bad bodies, latency, error rate, timeouts."""
from __future__ import annotations

import time

import pytest
import requests


def test_fail_next_answers_status_with_platform_body(api, control):
    """Do the next N matching calls answer the given status with AAC's exception body, then recover?"""
    control("POST", "faults", json={"fail_next": {"count": 2, "status": 503, "path": "/v4/schedules"}})
    assert api.get(f"{api.base}/v4/people/current").status_code == 200
    first = api.get(f"{api.base}/v4/schedules")
    assert first.status_code == 503 and first.json()["exception"]["name"] == "ServiceUnavailable"
    assert api.get(f"{api.base}/v4/schedules").status_code == 503
    assert api.get(f"{api.base}/v4/schedules").status_code == 200


def test_rate_limit_next_sends_aac_and_standard_headers(api, control):
    """Does rate_limit_next answer 429 TooManyRequestsException with x-rate-limit-* and Retry-After?"""
    control("POST", "faults", json={"rate_limit_next": {"count": 1, "retry_after": 7}})
    response = api.get(f"{api.base}/v4/schedules")
    assert response.status_code == 429
    assert response.json()["exception"]["name"] == "TooManyRequestsException"
    assert response.headers["Retry-After"] == "7" and response.headers["x-retry-after"] == "7"
    for name in ("user-limit", "user-remaining", "user-reset", "workspace-limit", "workspace-remaining",
                 "workspace-reset"):
        assert f"x-rate-limit-{name}" in response.headers


def test_malformed_next_answers_200_that_is_not_json(api, control):
    """Does malformed_next give a 200 whose body does not parse as JSON?"""
    control("POST", "faults", json={"malformed_next": {"count": 1}})
    response = api.get(f"{api.base}/v4/schedules")
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_drift_next_moves_list_to_items_and_drops_ids(api, control):
    """Does drift_next answer valid JSON with "items" instead of "data" and objects without "id"?"""
    control("POST", "faults", json={"drift_next": {"count": 2, "path": "/v4/"}})
    listed = api.get(f"{api.base}/v4/schedules").json()
    assert "data" not in listed and all("id" not in s for s in listed["items"])
    assert "id" not in api.get(f"{api.base}/v4/workspaces/current").json()
    assert "data" in api.get(f"{api.base}/v4/schedules").json()


def test_latency_delays_matching_paths(api, control):
    """Does latency_ms delay calls under the prefix and leave others fast?"""
    control("POST", "faults", json={"latency_ms": {"/v4/schedules": 300}})
    started = time.monotonic()
    api.get(f"{api.base}/v4/schedules")
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    api.get(f"{api.base}/v4/people/current")
    assert time.monotonic() - started < 0.3


def test_error_rate_fails_about_that_share(api, control):
    """With error_rate 0.5, does roughly half of 60 calls answer 500?"""
    control("POST", "faults", json={"error_rate": 0.5})
    codes = [api.get(f"{api.base}/v4/people/current").status_code for _ in range(60)]
    assert set(codes) == {200, 500} and 15 <= codes.count(500) <= 45


def test_error_rate_is_seeded(api, control, mint):
    """Does the same seed replay the same sequence of error-rate failures after a reset?"""
    def pattern() -> list[int]:
        api.headers["Authorization"] = f"Bearer {mint()['access_token']}"
        control("POST", "faults", json={"error_rate": 0.5})
        return [api.get(f"{api.base}/v4/people/current").status_code for _ in range(20)]

    first = pattern()
    control("POST", "reset")
    assert pattern() == first


def test_token_lifetime_shortens_new_tokens(api, control, mint):
    """Does token_lifetime set expires_in of new tokens, and do they expire after it?"""
    control("POST", "faults", json={"token_lifetime": 5})
    pair = mint()
    assert pair["expires_in"] == 5
    control("POST", "clock", json={"advance": 6})
    response = requests.get(f"{api.base}/v4/people/current",
                            headers={"Authorization": f"Bearer {pair['access_token']}"}, timeout=5)
    assert response.status_code == 401


def test_timeout_next_triggers_client_read_timeout(api, control):
    """Does timeout_next hold the answer long enough for a short client read timeout to fire, once?"""
    control("POST", "faults", json={"timeout_next": {"count": 1, "seconds": 1.0}})
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.get(f"{api.base}/v4/people/current", timeout=0.3)
    assert api.get(f"{api.base}/v4/people/current", timeout=2).status_code == 200


def test_faults_also_hit_the_token_endpoint_with_oauth_body(aac_emulator, mint, control):
    """Does fail_next on /as/token answer in the OAuth error shape?"""
    pair = mint()
    control("POST", "faults", json={"fail_next": {"count": 1, "status": 503, "path": "/as/token"}})
    response = requests.post(f"{aac_emulator}/as/token", data={"grant_type": "refresh_token", "client_id": "x",
                                                              "refresh_token": pair["refresh_token"]}, timeout=5)
    assert response.status_code == 503 and response.json()["error"] == "temporarily_unavailable"


def test_control_endpoints_are_exempt(control):
    """Do control endpoints keep working while every API call is failing?"""
    control("POST", "faults", json={"error_rate": 1.0, "fail_next": {"count": 5}})
    assert control("GET", "state").status_code == 200


def test_get_shows_and_delete_clears_knobs(api, control):
    """Does GET show set knobs with remaining counts, and DELETE clear them?"""
    control("POST", "faults", json={"fail_next": {"count": 3, "status": 502}})
    api.get(f"{api.base}/v4/people/current")
    assert control("GET", "faults").json()["fail_next"]["count"] == 2
    assert "fail_next" not in control("DELETE", "faults").json()
    assert api.get(f"{api.base}/v4/people/current").status_code == 200


def test_unknown_knob_is_refused(aac_emulator):
    """Is an unknown knob a 400 rather than silently ignored?"""
    response = requests.post(f"{aac_emulator}/_sandbox/faults", json={"explode": True}, timeout=5)
    assert response.status_code == 400 and "explode" in response.json()["error"]
