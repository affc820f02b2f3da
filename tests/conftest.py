"""Fixtures for every layer: the AAC emulator over real HTTP, the app on a real SQLite file, users."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from sandbox import create_app as create_emulator
from sandbox.common.server import LiveServer
from tests.helpers import Emulator, login

PASSWORD = "pw-" + "x" * 12
ROLES = ("viewer", "operator", "admin")


@pytest.fixture(scope="session")
def aac_url() -> Iterator[str]:
    server = LiveServer(create_emulator("aac"))
    yield server.start()
    server.stop()


@pytest.fixture
def emulator(aac_url: str) -> Iterator[Emulator]:
    control = Emulator(aac_url)
    control.reset()
    yield control
    control.clear_faults()


def write_connections(path: Path, aac_url: str, names: tuple[str, ...]) -> None:
    blocks = []
    for name in names:
        env = name.upper().replace("-", "_") + "_REFRESH_TOKEN"
        blocks.append(f"""[[connection]]
name = "{name}"
label = "{name}"
platform = "aac"
base_url = "{aac_url}"
workspace_id = 12
client_id = "aac-public-api"
token_endpoint = "{aac_url}/as/token"
refresh_token_env = "{env}"
""")
    path.write_text("\n".join(blocks))


@pytest.fixture
def app(tmp_path: Path, emulator: Emulator, monkeypatch: pytest.MonkeyPatch):
    from app import create_app
    from app.auth.cli import create_user
    from app.extensions import cache
    from flask_migrate import upgrade

    names = ("aac-main", "aac-second")
    write_connections(tmp_path / "connections.toml", emulator.url, names)
    for name in names:
        monkeypatch.setenv(name.upper().replace("-", "_") + "_REFRESH_TOKEN", emulator.mint()["refresh_token"])
    application = create_app("testing", {
        "INSTANCE_DIR": tmp_path,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'flightdeck.db'}",
        "CONNECTIONS_FILE": str(tmp_path / "connections.toml"),
        "LOCK_DIR": str(tmp_path / "locks"),
    })
    with application.app_context():
        upgrade()
        for role in ROLES:
            create_user(role, PASSWORD, role)
        cache.clear()
    yield application


@pytest.fixture
def client_as(app):
    """client_as('operator') -> a signed-in test client."""
    def make(role: str):
        client = app.test_client()
        response = login(client, role, PASSWORD)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client
    return make
