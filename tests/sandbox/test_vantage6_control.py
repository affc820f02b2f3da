"""vantage6 emulator controls: state, tokens, node flips, fault knobs with vantage6's bodies, seeds and sizes."""
from __future__ import annotations

import subprocess
import sys
import time

import requests

from sandbox import EMULATORS, create_app
from sandbox.common.server import free_port
from sandbox.vantage6.engine import Engine
from sandbox.vantage6.models import Vantage6Backend
from tests.sandbox.test_vantage6_helpers import V6


def test_state_names_the_ids_a_connector_needs(v6: V6) -> None:
    state = v6.state()
    assert (state["seed"], state["size"], state["version"]) == (1, "small", "4.15.2")
    assert state["organizations"] == 5 and state["collaborations"] == 2 and state["topLevelTasks"] >= 150
    assert state["serviceUser"]["username"] == "flightdeck-svc" and state["twoFactorUser"]["username"] == "dvries"
    assert state["onlinePair"] == {"collaboration_id": 1, "organization_ids": [2, 3]}
    assert {"id": 11, "organization_id": 5, "collaboration_id": 1} in state["offlineNodes"]
    token = v6.token()
    running = v6.get(f"/task/{state['runningTaskId']}", token)
    assert running["status"] in ("active", "initializing")
    finished = state["finishedTask"]
    assert v6.get(f"/task/{finished['id']}", token)["status"] == "completed"
    assert v6.get(f"/result/{finished['run_id']}", token)["result"]


def test_tokens_control_and_node_flips(v6: V6) -> None:
    assert set(v6.mint()) == {"username", "password", "user_id"}
    assert requests.post(f"{v6.url}/_sandbox/tokens", json={"username": "ghost"}, timeout=5).status_code == 400
    for body in ({"id": 999, "status": "online"}, {"id": 8, "status": "asleep"}):
        assert requests.post(f"{v6.url}/_sandbox/vantage6/nodes", json=body, timeout=5).status_code == 400
    v6.control("POST", "vantage6/nodes", json={"id": 8, "status": "offline"})
    assert v6.get("/node/8")["status"] == "offline"
    v6.control("POST", "reset")
    assert v6.get("/node/8")["status"] == "online"


def test_faults_answer_with_vantage6_bodies(v6: V6) -> None:
    token = v6.token()
    v6.faults(fail_next={"count": 1, "status": 503, "path": "/api/task"})
    failed = v6.api("GET", "/task", token)
    assert failed.status_code == 503 and set(failed.json()) == {"msg"}
    v6.faults(rate_limit_next={"count": 1, "retry_after": 7})
    limited = v6.api("GET", "/node", token)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "7" and "msg" in limited.json()
    v6.faults(error_rate=1.0)
    assert v6.api("GET", "/version", "").json() == {"msg": "An unexpected error occurred on the server!"}
    v6.faults(error_rate=None, malformed_next={"count": 1})
    assert v6.api("GET", "/task", token).headers["Content-Type"].startswith("text/html")
    v6.faults(drift_next={"count": 1, "path": "/api/task"})
    assert "items" in v6.api("GET", "/task", token).json()
    v6.faults(latency_ms={"/api/health": 150})
    started = time.monotonic()
    v6.api("GET", "/health", "")
    assert time.monotonic() - started >= 0.15


def test_same_seed_same_world_other_seed_other_world() -> None:
    def fingerprint(backend: Vantage6Backend) -> list[tuple]:
        engine = Engine(backend.world, backend.now())
        return [(t.id, t.name, t.image, t.parent_id, engine.task_status(t),
                 tuple(backend.world.runs[r].organization_id for r in t.run_ids)) for t in backend.world.tasks.values()]
    first, again, other = Vantage6Backend(seed=7), Vantage6Backend(seed=7), Vantage6Backend(seed=8)
    assert fingerprint(first) == fingerprint(again) and fingerprint(first) != fingerprint(other)
    assert first.world.users[6].otp_secret == again.world.users[6].otp_secret


def test_large_world_and_serving_from_the_command_line() -> None:
    large = Vantage6Backend(size="large").state_summary()
    assert large["tasks"] >= 3000 and large["organizations"] > 5 and large["users"] > 50
    assert "vantage6" in EMULATORS and create_app("vantage6").extensions["sandbox_key"] == "vantage6"
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "vantage6", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    answer = None
    try:
        for _ in range(100):
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/api/version", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert answer is not None and answer.json() == {"version": "4.15.2"}
    finally:
        process.terminate()
        process.wait(timeout=10)
