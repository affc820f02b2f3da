"""Alooma emulator controls: state ids, reset and seed, fault knobs with Alooma's error body, determinism by
seed, the large size, and serving from the command line."""
from __future__ import annotations

import subprocess
import sys
import time

import requests

from sandbox import EMULATORS, create_app
from sandbox.common.server import LiveServer, free_port
from tests.sandbox.test_alooma_helpers import Alooma, assert_error

SNAPSHOT_PATHS = ("plumbing/", "inputs", "v2/consolidation", "event-types", "samples/stats", "user/", "secrets",
                  "credits/used-credits?from=2030-01-01", "deployInfo", "plumbing/outputs",
                  "metrics?metrics=INCOMING_EVENTS,LATENCY_MAX&from=-6h&resolution=30min",
                  "notifications?from=1893456000")


def test_state_names_the_ids_a_connector_needs(alooma: Alooma) -> None:
    """GET /_sandbox/state: counts and the ids of the input in error, the queries in error, the fixed nodes."""
    state = alooma.state()
    assert (state["seed"], state["size"], state["inputs"], state["scheduledQueries"]) == (1, "small", 8, 10)
    assert state["inputsInError"] == 1 and len(state["queriesInError"]) == 2 and len(state["inputTypes"]) == 8
    assert {state["fixableQuery"], state["brokenQuery"]} == set(state["queriesInError"])
    nodes = {n["id"]: n["type"] for n in alooma.get("plumbing/")["nodes"]}
    assert nodes[state["nodes"]["transformer"]] == "TRANSFORMER" and nodes[state["nodes"]["mapper"]] == "MAPPER"
    assert nodes[state["nodes"]["output"]] == state["nodes"]["outputType"]
    assert nodes[state["restream"]["nodeId"]] == "RESTREAM" and state["restream"]["held"] > 0
    assert nodes[state["inputInError"]["id"]] == "SALESFORCE"


def test_reset_restores_the_world_and_seed_changes_it(alooma: Alooma) -> None:
    """Changes are undone by /_sandbox/reset; /_sandbox/seed builds another world (other ids)."""
    query_id = alooma.state()["brokenQuery"]
    alooma.api("DELETE", f"v2/consolidation/{query_id}")
    alooma.api("PUT", "secrets", json={"X": "y"})
    alooma.control("POST", "reset")
    assert alooma.state()["brokenQuery"] == query_id and "X" not in alooma.get("secrets")
    alooma.control("POST", "seed", json={"seed": 2, "size": "small"})
    other = Alooma(alooma.url)
    assert other.state()["brokenQuery"] != query_id and len(other.get("inputs")) == 8
    assert_error(alooma.api("GET", "inputs"), 401)  # the old world's key is gone with it


def test_fail_next_answers_alooma_error_body(alooma: Alooma) -> None:
    """fail_next on a path: that status with {"timestamp", "status", "error", "message", "path"}, then normal."""
    alooma.faults(fail_next={"count": 1, "status": 503, "path": "/rest/v2/consolidation"})
    body = assert_error(alooma.api("GET", "v2/consolidation"), 503, "unavailable")
    assert body["error"] == "Service Unavailable" and body["path"] == "/rest/v2/consolidation"
    assert alooma.api("GET", "v2/consolidation").status_code == 200
    alooma.faults(fail_next={"count": 1, "status": 504})
    assert_error(alooma.api("GET", "inputs"), 504, "timeout")


def test_rate_limit_error_rate_malformed_and_drift(alooma: Alooma) -> None:
    """429 with Retry-After; error_rate 1 answers 500s; malformed answers HTML; drift reshapes one answer."""
    alooma.faults(rate_limit_next={"count": 1, "retry_after": 7})
    limited = alooma.api("GET", "inputs")
    assert_error(limited, 429)
    assert limited.headers["Retry-After"] == "7"
    alooma.faults(error_rate=1.0)
    assert_error(alooma.api("GET", "inputs"), 500)
    assert alooma.control("GET", "state").ok  # controls are never faulted
    alooma.faults(error_rate=None, malformed_next={"count": 1})
    assert alooma.api("GET", "inputs").headers["Content-Type"].startswith("text/html")
    alooma.faults(drift_next={"count": 1, "path": "/rest/v2/consolidation"})
    assert "items" in alooma.api("GET", "v2/consolidation").json()
    alooma.faults(latency_ms={"/rest/deployInfo": 150})
    started = time.monotonic()
    alooma.api("GET", "deployInfo")
    assert time.monotonic() - started >= 0.15


def _snapshot(url: str) -> list[str]:
    client = Alooma(url)
    client.freeze("2030-01-02T03:04:05Z")
    creds = client.mint()
    return [client.api("GET", path).text for path in SNAPSHOT_PATHS] + [creds["api_key"], creds["password"]]


def test_same_seed_same_world_other_seed_other_world() -> None:
    """Two emulators with one seed answer byte-identical JSON at the same instant; another seed differs."""
    servers = [LiveServer(create_app("alooma", seed=seed)) for seed in (7, 7, 8)]
    try:
        first, again, other = (_snapshot(server.start()) for server in servers)
    finally:
        for server in servers:
            server.stop()
    assert first == again
    assert all(a != b for a, b in zip(first[:4], other[:4]))


def test_large_world_and_serving_from_the_command_line() -> None:
    """--size large builds a much bigger account quickly; `python -m sandbox serve alooma --port N` serves it."""
    with LiveServer(create_app("alooma", size="large")) as server:
        large = Alooma(server.url)
        state = large.state()
        assert state["inputs"] == 200 and state["scheduledQueries"] == 400 and state["eventTypes"] > 300
        assert state["inputsInError"] > 1 and len(state["queriesInError"]) > 2 and state["users"] == 40
        started = time.monotonic()
        assert len(large.get("v2/consolidation")) == 400 and len(large.get("plumbing/")["nodes"]) == 204
        assert time.monotonic() - started < 5
    assert "alooma" in EMULATORS
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "alooma", "--port", str(port),
                                "--size", "large"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    answer = None
    try:
        for _ in range(100):
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/_sandbox/state", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert answer is not None and answer.json()["size"] == "large"
