"""Pytest plugin with running emulators for any suite: add `pytest_plugins = ["tests.conftest_sandbox"]`."""
from __future__ import annotations

from typing import Callable, Iterator

import pytest
import requests

from sandbox import create_app
from sandbox.common.server import LiveServer


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Callable[..., str]]:
    """Start (once per session and key) an emulator on a free port; returns its base URL."""
    servers: dict[str, LiveServer] = {}

    def start(key: str, seed: int = 1, size: str = "small") -> str:
        if key not in servers:
            servers[key] = LiveServer(create_app(key, seed=seed, size=size))
            servers[key].start()
        return servers[key].url

    yield start
    for server in servers.values():
        server.stop()


@pytest.fixture
def sandbox_aac(sandbox_server: Callable[..., str]) -> dict[str, str]:
    """A freshly reset AAC emulator and an admin token pair: {"url", "access_token", "refresh_token"}."""
    url = sandbox_server("aac")
    requests.post(f"{url}/_sandbox/reset", timeout=10).raise_for_status()
    pair = requests.post(f"{url}/_sandbox/tokens", json={}, timeout=10).json()
    return {"url": url, "access_token": pair["access_token"], "refresh_token": pair["refresh_token"]}
