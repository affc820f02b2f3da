"""Control endpoints, determinism, world sizes and the LiveServer helper."""
from __future__ import annotations

import time
from datetime import datetime

import requests

from sandbox import create_app
from sandbox.common.server import LiveServer


def _schedules(api) -> list[tuple[int, str]]:
    return [(s["id"], s["name"]) for s in api.get(f"{api.base}/v4/schedules", params={"limit": 100}).json()["data"]]


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def test_reset_restores_world_and_clears_faults_and_clock(api, control):
    """Does reset undo a disable, clear every knob, and return the clock to real, unfrozen time?"""
    schedule_id = _schedules(api)[0][0]
    api.post(f"{api.base}/v4/schedules/{schedule_id}/disable")
    control("POST", "faults", json={"latency_ms": {"*": 1}})
    control("POST", "clock", json={"advance": 3600, "freeze": True})
    control("POST", "reset")
    assert control("GET", "faults").json() == {"token_lifetime": 300}
    clock = control("GET", "clock").json()
    assert clock["frozen"] is False and abs(_epoch(clock["now"]) - time.time()) < 5
    assert api.get(f"{api.base}/v4/schedules/{schedule_id}").json()["enabled"] is True


def test_reset_forgets_refresh_tokens(aac_emulator, mint, control):
    """After a reset, is a refresh token minted before it refused as invalid_grant?"""
    pair = mint()
    control("POST", "reset")
    form = {"grant_type": "refresh_token", "refresh_token": pair["refresh_token"], "client_id": "aac-public-api"}
    response = requests.post(f"{aac_emulator}/as/token", data=form, timeout=5)
    assert (response.status_code, response.json()["error"]) == (400, "invalid_grant")


def test_same_seed_same_world(api, control):
    """Does re-seeding with the same seed rebuild the same ids and names?"""
    before = _schedules(api)
    control("POST", "seed", json={"seed": 1, "size": "small"})
    assert _schedules(api) == before


def test_other_seed_other_world(api, control):
    """Does a different seed build a different world?"""
    before = _schedules(api)
    control("POST", "seed", json={"seed": 2})
    assert _schedules(api) != before
    assert control("GET", "state").json()["seed"] == 2


def test_clock_set_advance_and_freeze(control):
    """Do set, advance and freeze move the emulator clock as asked?"""
    control("POST", "clock", json={"set": "2030-01-01T00:00:00Z", "freeze": True})
    assert control("GET", "clock").json() == {"now": "2030-01-01T00:00:00.000Z", "frozen": True}
    time.sleep(0.05)
    assert control("POST", "clock", json={"advance": 90}).json()["now"] == "2030-01-01T00:01:30.000Z"
    control("POST", "clock", json={"freeze": False})
    assert control("GET", "clock").json()["frozen"] is False


def test_bad_seed_size_is_400(aac_emulator):
    """Is an unknown world size refused?"""
    response = requests.post(f"{aac_emulator}/_sandbox/seed", json={"seed": 1, "size": "huge"}, timeout=5)
    assert response.status_code == 400


def test_small_world_state(control):
    """Does the small world hold 25 schedules and 200+ job groups?"""
    state = control("GET", "state").json()
    assert (state["seed"], state["size"], state["schedules"]) == (1, "small", 25) and state["jobGroups"] >= 200


def test_large_world_builds_fast_and_pages(api, control):
    """Does the large world build in a few seconds with 10,000 schedules and 100,000 job groups, and still page?"""
    started = time.monotonic()
    control("POST", "seed", json={"seed": 1, "size": "large"})
    assert time.monotonic() - started < 8
    state = control("GET", "state").json()
    assert (state["schedules"], state["jobGroups"]) == (10_000, 100_000)
    assert api.get(f"{api.base}/v4/schedules/count").json()["count"] == 10_000
    page = api.get(f"{api.base}/v4/jobLibrary", params={"limit": 100, "offset": 50_000}).json()["data"]
    assert len(page) == 100


def test_unknown_path_answers_aac_404(api):
    """Does a path AAC does not have answer 404 in AAC's exception shape?"""
    response = api.get(f"{api.base}/v4/nothing-here")
    assert response.status_code == 404 and response.json()["exception"]["name"] == "NotFound"


def test_live_server_starts_and_stops():
    """Does LiveServer serve on an ephemeral 127.0.0.1 port and release it on stop?"""
    server = LiveServer(create_app("aac"))
    url = server.start()
    assert url.startswith("http://127.0.0.1:")
    assert requests.get(f"{url}/_sandbox/clock", timeout=5).status_code == 200
    server.stop()
    try:
        requests.get(f"{url}/_sandbox/clock", timeout=1)
        raise AssertionError("server still answering after stop()")
    except requests.ConnectionError:
        pass
