"""Team Studio emulator faults on both API roots (plain-text answers included), determinism and world sizes."""
from __future__ import annotations

import time

import pytest
import requests

from sandbox import create_app
from sandbox.common.server import LiveServer
from tests.sandbox.test_teamstudio_helpers import clock, login, state


@pytest.fixture
def ts(teamstudio_emulator):
    """A session of the service account."""
    return login(teamstudio_emulator.url)


@pytest.mark.parametrize("path", ["/api/workspaces", "/alpinedatalabs/api/v1/json/processes"])
def test_fail_next_applies_to_both_roots_with_the_errors_body(ts, teamstudio_emulator, path):
    """Does fail_next answer the status with {"errors": {...}} on Chorus and engine paths, then recover?"""
    teamstudio_emulator.faults(fail_next={"count": 1, "status": 503, "path": path})
    call = (lambda: ts.api("GET", "/workspaces")) if path.startswith("/api") else (lambda: ts.query("x"))
    failed = call()
    assert failed.status_code == 503 and "message" in failed.json()["errors"]
    assert call().status_code == 200


def test_rate_limit_next_is_429_with_retry_after(ts, teamstudio_emulator):
    """Does rate_limit_next answer 429 with Retry-After and the errors body?"""
    teamstudio_emulator.faults(rate_limit_next={"count": 1, "retry_after": 9})
    response = ts.api("GET", "/users")
    assert response.status_code == 429 and response.headers["Retry-After"] == "9" and response.json()["errors"]


def test_malformed_next_hits_plain_text_and_json_endpoints(ts, teamstudio_emulator):
    """Does malformed_next replace the plain-text process answer and a JSON list with an HTML page?"""
    teamstudio_emulator.faults(malformed_next={"count": 2})
    query = ts.query("unknown")
    assert query.status_code == 200 and query.headers["Content-Type"].startswith("text/html")
    assert "502 Bad Gateway" in ts.api("GET", "/users").text
    assert ts.query("unknown").text == "invalid processID or workflow already stopped.\n"


def test_drift_next_wraps_the_results_string(ts, teamstudio_emulator):
    """Does drift_next change a 200 JSON answer (the results string becomes {"value": ...})?"""
    sample = state(teamstudio_emulator.url)["finishedProcess"]
    teamstudio_emulator.faults(drift_next={"count": 1, "path": "/alpinedatalabs/"})
    drifted = ts.engine("GET", f"/workflows/{sample['workflowId']}/results/{sample['processId']}").json()
    assert isinstance(drifted, dict) and isinstance(drifted["value"], str)


def test_latency_on_the_engine_root_only(ts, teamstudio_emulator):
    """Does latency_ms delay engine calls under its prefix and leave Chorus calls fast?"""
    teamstudio_emulator.faults(latency_ms={"/alpinedatalabs/": 300})
    started = time.monotonic()
    ts.query("x")
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    ts.api("GET", "/users")
    assert time.monotonic() - started < 0.3


def test_faults_apply_before_auth_and_not_to_control_paths(teamstudio_emulator):
    """Is an injected failure answered even without a session, and are /_sandbox/ paths never faulted?"""
    teamstudio_emulator.faults(fail_next={"count": 5, "status": 500})
    assert requests.get(f"{teamstudio_emulator.url}/api/VERSION", timeout=5).status_code == 500
    assert requests.post(f"{teamstudio_emulator.url}/_sandbox/teamstudio/expire-sessions", timeout=5).ok
    assert clock(teamstudio_emulator.url)["frozen"] is False


def test_reset_restores_the_world_and_forgets_sessions(ts, teamstudio_emulator):
    """After /_sandbox/reset, is a deleted job back and the old session refused?"""
    job_id = ts.api("GET", "/workspaces/1000/jobs").json()["response"][0]["id"]
    ts.api("DELETE", f"/workspaces/1000/jobs/{job_id}")
    teamstudio_emulator.reset()
    assert ts.api("GET", "/users").status_code == 401
    assert login(teamstudio_emulator.url).api("GET", f"/workspaces/1000/jobs/{job_id}").status_code == 200


def test_same_seed_same_world_other_seed_other_passwords(teamstudio_emulator):
    """Does the same seed rebuild the same names, ids and credentials, and another seed other passwords?"""
    base = teamstudio_emulator.url

    def snapshot() -> tuple:
        session = login(base)
        jobs = session.api("GET", "/workspaces/1000/jobs").json()["response"]
        files = session.api("GET", "/workspaces/1000/workfiles").json()["response"]
        creds = requests.post(f"{base}/_sandbox/tokens", timeout=5).json()
        return [(j["id"], j["name"], j["next_run"]) for j in jobs], [(f["id"], f["file_name"]) for f in files], creds

    first = snapshot()
    teamstudio_emulator.reset()
    assert snapshot() == first
    try:
        requests.post(f"{base}/_sandbox/seed", json={"seed": 2}, timeout=30).raise_for_status()
        other = snapshot()
        assert other[2]["password"] != first[2]["password"] and other[2]["username"] == "flightdeck-svc"
    finally:
        requests.post(f"{base}/_sandbox/seed", json={"seed": 1, "size": "small"}, timeout=30).raise_for_status()


def test_large_world_is_bigger_and_quick_to_build():
    """Does size=large build 50 workspaces and 2,000 jobs in well under a few seconds, served normally?"""
    started = time.monotonic()
    app = create_app("teamstudio", size="large")
    assert time.monotonic() - started < 5
    with LiveServer(app) as server:
        counts = state(server.url)
        assert (counts["size"], counts["workspaces"], counts["jobs"]) == ("large", 50, 2000)
        assert counts["users"] == 200 and counts["workflows"] > 300
        session = login(server.url)
        listing = session.api("GET", "/workspaces", params={"per_page": 20}).json()
        assert listing["pagination"]["total"] == 3 and len(listing["response"]) == 20
