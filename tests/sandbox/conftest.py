"""Fixtures for the emulator tests: one live emulator (AAC, Server) per module, reset before every test."""
from __future__ import annotations

from typing import Callable, Iterator

import pytest
import requests
from authlib.integrations.requests_client import OAuth1Auth

from sandbox import create_app
from sandbox.common.server import LiveServer
from tests.sandbox.test_alooma_helpers import Alooma
from tests.sandbox.test_vantage6_helpers import V6


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


# -- Alteryx Server emulator -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def alteryx_server() -> Iterator[str]:
    """A real HTTP server running the Server emulator for the module."""
    server = LiveServer(create_app("server", seed=1))
    yield server.start()
    server.stop()


@pytest.fixture
def server_base(alteryx_server: str) -> str:
    """The Server emulator's base URL, freshly reset to seed 1, small."""
    state = requests.get(f"{alteryx_server}/_sandbox/state", timeout=10).json()
    if (state["seed"], state["size"]) == (1, "small"):
        requests.post(f"{alteryx_server}/_sandbox/reset", timeout=10).raise_for_status()
    else:
        requests.post(f"{alteryx_server}/_sandbox/seed", json={"seed": 1, "size": "small"},
                      timeout=30).raise_for_status()
    return alteryx_server


@pytest.fixture
def server_control(server_base: str) -> Callable[..., requests.Response]:
    """Call a /_sandbox/ endpoint of the Server emulator."""
    def _control(method: str, name: str, **kwargs: object) -> requests.Response:
        response = requests.request(method, f"{server_base}/_sandbox/{name}", timeout=30, **kwargs)
        response.raise_for_status()
        return response
    return _control


@pytest.fixture
def server_creds(server_control: Callable[..., requests.Response]) -> Callable[..., dict]:
    """A user's key pairs from /_sandbox/tokens (default: the admin Curator)."""
    def _creds(user_id: str | None = None) -> dict:
        return server_control("POST", "tokens", json={"user_id": user_id} if user_id else {}).json()
    return _creds


@pytest.fixture
def server_session(server_base: str, server_creds: Callable[..., dict]) -> Callable[..., requests.Session]:
    """A session holding a v3 bearer token for a user (client credentials, HTTP Basic), with .base."""
    def _session(user_id: str | None = None) -> requests.Session:
        creds = server_creds(user_id)
        token = requests.post(f"{server_base}/webapi/oauth2/token", data={"grant_type": "client_credentials"},
                              auth=(creds["client_id"], creds["client_secret"]), timeout=10).json()
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token['access_token']}"
        session.base = server_base  # type: ignore[attr-defined]
        return session
    return _session


@pytest.fixture
def v3(server_session: Callable[..., requests.Session]) -> requests.Session:
    """A bearer session for the admin Curator."""
    return server_session()


@pytest.fixture
def gallery(server_base: str, server_creds: Callable[..., dict]) -> requests.Session:
    """A session signing every request with the admin's v1 key (OAuth1 in the query string), with .base."""
    creds = server_creds()
    session = requests.Session()
    session.auth = OAuth1Auth(client_id=creds["api_key"], client_secret=creds["api_secret"], signature_type="QUERY")
    session.base = f"{server_base}/gallery/api/v1"  # type: ignore[attr-defined]
    return session


# -- vantage6 emulator -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def vantage6_server() -> Iterator[str]:
    """A real HTTP server running the vantage6 emulator for the module."""
    server = LiveServer(create_app("vantage6", seed=1))
    yield server.start()
    server.stop()


@pytest.fixture
def v6(vantage6_server: str) -> V6:
    """The vantage6 emulator, freshly reset to seed 1, small (world, clock, faults, version 4.15.2)."""
    state = requests.get(f"{vantage6_server}/_sandbox/state", timeout=10).json()
    if (state["seed"], state["size"]) == (1, "small"):
        requests.post(f"{vantage6_server}/_sandbox/reset", timeout=10).raise_for_status()
    else:
        requests.post(f"{vantage6_server}/_sandbox/seed", json={"seed": 1, "size": "small"},
                      timeout=60).raise_for_status()
    return V6(vantage6_server)


# -- Alooma emulator ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def alooma_server() -> Iterator[str]:
    """A real HTTP server running the Alooma emulator for the module."""
    server = LiveServer(create_app("alooma", seed=1))
    yield server.start()
    server.stop()


@pytest.fixture
def alooma(alooma_server: str) -> Alooma:
    """The Alooma emulator, freshly reset to seed 1, small (world, clock, faults, sessions)."""
    state = requests.get(f"{alooma_server}/_sandbox/state", timeout=10).json()
    if (state["seed"], state["size"]) == (1, "small"):
        requests.post(f"{alooma_server}/_sandbox/reset", timeout=10).raise_for_status()
    else:
        requests.post(f"{alooma_server}/_sandbox/seed", json={"seed": 1, "size": "small"},
                      timeout=30).raise_for_status()
    return Alooma(alooma_server)
