"""Cold overview across five connections whose emulators each answer every call after 300 ms, as a ratio to
the slowest of the five alone. Parallel fan-out keeps it near 1; asking one connection after another would
make it about 5 (the sum of the five).

Run: .venv/bin/python bench/overview_fanout.py   (or `make bench`)
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest  # noqa: E402
import requests  # noqa: E402

from sandbox import create_app as create_emulator  # noqa: E402
from sandbox.common.server import LiveServer  # noqa: E402
from tests.conftest import PASSWORD, build_app, server_connection, write_connections  # noqa: E402
from tests.helpers import Emulator, login  # noqa: E402

LATENCY_MS = 300
CONNECTIONS = (("aac-one", "aac"), ("aac-two", "aac"), ("aac-three", "aac"), ("server-v3", "server"),
               ("server-legacy", "server"))


def connection_block(name: str, key: str, url: str, monkeypatch: pytest.MonkeyPatch, tmp: Path) -> str:
    emulator = Emulator(url)
    if key == "aac":
        write_connections(tmp / f"{name}.toml", url, (name,))
        monkeypatch.setenv(name.upper().replace("-", "_") + "_REFRESH_TOKEN", emulator.mint()["refresh_token"])
        return (tmp / f"{name}.toml").read_text()
    return server_connection(name, url, emulator.mint(), monkeypatch)


def cold_overview(names: list[str], urls: dict[str, str]) -> float:
    """Seconds for the first overview of a fresh app (nothing cached, new credentials) with these connections."""
    keys = dict(CONNECTIONS)
    monkeypatch = pytest.MonkeyPatch()
    with tempfile.TemporaryDirectory() as tmp:
        blocks = [connection_block(name, keys[name], urls[name], monkeypatch, Path(tmp)) for name in names]
        app = build_app(Path(tmp), "\n".join(blocks))
        app.config.update(FANOUT_DEADLINE=120.0, HTTP_READ_TIMEOUT=60.0)
        client = app.test_client()
        login(client, "viewer", PASSWORD)
        started = time.perf_counter()
        response = client.get("/")
        elapsed = time.perf_counter() - started
    monkeypatch.undo()
    assert response.status_code == 200 and b"is degraded" not in response.data, response.get_data(as_text=True)
    return elapsed


def main() -> None:
    servers = {name: LiveServer(create_emulator(key)) for name, key in CONNECTIONS}
    urls = {name: server.start() for name, server in servers.items()}
    for url in urls.values():
        requests.post(f"{url}/_sandbox/faults", json={"latency_ms": {"*": LATENCY_MS}}, timeout=5).raise_for_status()
    alone = {name: cold_overview([name], urls) for name, _ in CONNECTIONS}
    together = cold_overview([name for name, _ in CONNECTIONS], urls)
    for server in servers.values():
        server.stop()
    slowest = max(alone, key=alone.get)
    print(f"Cold overview, {len(CONNECTIONS)} connections, every emulator call delayed {LATENCY_MS} ms, one run")
    for name, seconds in alone.items():
        print(f"  {name} alone: {seconds:.2f} s")
    print(f"  all five together: {together:.2f} s (sum of the five alone: {sum(alone.values()):.2f} s)")
    print(f"  together / slowest alone ({slowest}): {together / alone[slowest]:.2f}  (target at most 1.3)")


if __name__ == "__main__":
    main()
