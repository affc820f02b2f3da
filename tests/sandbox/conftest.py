"""Fixtures for the emulator tests: one live AAC emulator per module, reset before every test."""
from __future__ import annotations

from typing import Callable, Iterator

import pytest
import requests

from sandbox import create_app
from sandbox.common.server import LiveServer


@pytest.fixture(scope="module")
def aac_server() -> Iterator[str]:
    """A real HTTP server for the module; tests reach it only through its URL."""
    server = LiveServer(create_app("aac", seed=1))
    yield server.start()
    server.stop()


@pytest.fixture
def aac_emulator(aac_server: str) -> str:
    """The emulator's base URL, freshly reset (world, clock, faults, tokens) to seed 1, small."""
    state = requests.get(f"{aac_server}/_sandbox/state", timeout=10).json()
    if (state["seed"], state["size"]) == (1, "small"):
        requests.post(f"{aac_server}/_sandbox/reset", timeout=10).raise_for_status()
    else:  # a test re-seeded; reset alone would rebuild its world, not the default one
        requests.post(f"{aac_server}/_sandbox/seed", json={"seed": 1, "size": "small"}, timeout=30).raise_for_status()
    return aac_server


@pytest.fixture
def mint(aac_emulator: str) -> Callable[..., dict]:
    """Mint a token pair through the control endpoint (as creating an API token in the AAC UI)."""
    def _mint(person_id: int | None = None) -> dict:
        body = {"person_id": person_id} if person_id else {}
        response = requests.post(f"{aac_emulator}/_sandbox/tokens", json=body, timeout=5)
        response.raise_for_status()
        return response.json()
    return _mint


@pytest.fixture
def api(aac_emulator: str, mint: Callable[..., dict]) -> requests.Session:
    """A session authorised as the seeded workspace admin, with the emulator URL as .base."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {mint()['access_token']}"
    session.base = aac_emulator  # type: ignore[attr-defined]
    return session


@pytest.fixture
def control(aac_emulator: str) -> Callable[..., requests.Response]:
    """Call a /_sandbox/ endpoint: control("POST", "clock", json={...})."""
    def _control(method: str, name: str, **kwargs: object) -> requests.Response:
        response = requests.request(method, f"{aac_emulator}/_sandbox/{name}", timeout=10, **kwargs)
        response.raise_for_status()
        return response
    return _control
