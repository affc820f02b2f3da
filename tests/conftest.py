"""Fixtures for every layer: the emulators over real HTTP, the app on a real SQLite file, users."""
from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

from sandbox import create_app as create_emulator
from sandbox.common.server import LiveServer, free_port
from tests.helpers import Emulator, login

PASSWORD = "pw-" + "x" * 12
ROLES = ("viewer", "operator", "admin")


def _serve(key: str) -> Iterator[str]:
    """One emulator on an ephemeral port for the whole session."""
    server = LiveServer(create_emulator(key))
    yield server.start()
    server.stop()


def _controlled(url: str) -> Iterator[Emulator]:
    """The emulator freshly reset for one test; knobs cleared after it."""
    control = Emulator(url)
    control.reset()
    yield control
    control.clear_faults()


@pytest.fixture(scope="session")
def aac_url() -> Iterator[str]:
    yield from _serve("aac")


@pytest.fixture
def emulator(aac_url: str) -> Iterator[Emulator]:
    yield from _controlled(aac_url)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server (Debian's, installed by `make setup`) on a free port, keeping nothing on disk."""
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path_factory.mktemp("redis"))],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("redis-server did not start; `make setup` installs it") from None
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    yield from _serve("server")


@pytest.fixture
def server_emulator(server_url: str) -> Iterator[Emulator]:
    yield from _controlled(server_url)


@pytest.fixture(scope="session")
def teamstudio_url() -> Iterator[str]:
    yield from _serve("teamstudio")


@pytest.fixture
def teamstudio_emulator(teamstudio_url: str) -> Iterator[Emulator]:
    yield from _controlled(teamstudio_url)


@pytest.fixture(scope="session")
def vantage6_url() -> Iterator[str]:
    yield from _serve("vantage6")


@pytest.fixture
def vantage6_emulator(vantage6_url: str) -> Iterator[Emulator]:
    yield from _controlled(vantage6_url)


@pytest.fixture(scope="session")
def alooma_url() -> Iterator[str]:
    yield from _serve("alooma")


@pytest.fixture
def alooma_emulator(alooma_url: str) -> Iterator[Emulator]:
    yield from _controlled(alooma_url)


@pytest.fixture(scope="session")
def oidc_url() -> Iterator[str]:
    yield from _serve("oidc")


@pytest.fixture
def oidc_emulator(oidc_url: str) -> Iterator[Emulator]:
    yield from _controlled(oidc_url)


SERVER_SHAPES = {
    # name: (uses Server API v3 on the Web API address, uses the OAuth1 subscription API on the gallery)
    "server-main": (True, True),
    "server-v3": (True, False),
    "server-legacy": (False, True),
}


def server_connection(name: str, url: str, minted: dict, monkeypatch: pytest.MonkeyPatch) -> str:
    """One Server connection block; its secrets go into the environment like an operator would put them."""
    v3, v1 = SERVER_SHAPES[name]
    prefix = name.upper().replace("-", "_")
    lines = [f'[[connection]]\nname = "{name}"\nplatform = "server"\nbase_url = "{url}"']
    if v3:
        lines.append(f'webapi_url = "{url}/webapi"\nclient_id = "{minted["client_id"]}"\n'
                     f'client_secret_env = "{prefix}_CLIENT_SECRET"')
        monkeypatch.setenv(f"{prefix}_CLIENT_SECRET", minted["client_secret"])
    if v1:
        lines.append(f'gallery_url = "{url}/gallery"\napi_key = "{minted["api_key"]}"\n'
                     f'api_secret_env = "{prefix}_API_SECRET"')
        monkeypatch.setenv(f"{prefix}_API_SECRET", minted["api_secret"])
    return "\n".join(lines) + "\n"


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


def app_settings(tmp_path: Path, **extra: object) -> dict:
    """The settings of a test app whose database, connections file and locks live in tmp_path."""
    return {
        "INSTANCE_DIR": tmp_path,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'flightdeck.db'}",
        "CONNECTIONS_FILE": str(tmp_path / "connections.toml"),
        "LOCK_DIR": str(tmp_path / "locks"),
        **extra,
    }


def build_app(tmp_path: Path, connections: str, **settings: object):
    """The app on a fresh SQLite file with the given connections and one user per role."""
    from app import create_app
    from app.auth.cli import create_user
    from app.extensions import cache
    from flask_migrate import upgrade

    (tmp_path / "connections.toml").write_text(connections)
    application = create_app("testing", app_settings(tmp_path, **settings))
    with application.app_context():
        upgrade()
        for role in ROLES:
            create_user(role, PASSWORD, role)
        cache.clear()
    return application


@pytest.fixture
def app(tmp_path: Path, emulator: Emulator, monkeypatch: pytest.MonkeyPatch):
    names = ("aac-main", "aac-second")
    write_connections(tmp_path / "connections.toml", emulator.url, names)
    for name in names:
        monkeypatch.setenv(name.upper().replace("-", "_") + "_REFRESH_TOKEN", emulator.mint()["refresh_token"])
    yield build_app(tmp_path, (tmp_path / "connections.toml").read_text())


@pytest.fixture
def server_app(tmp_path: Path, server_emulator: Emulator, monkeypatch: pytest.MonkeyPatch):
    """The app with the three shapes of Server connection, all against the Server emulator."""
    minted = server_emulator.mint()
    blocks = [server_connection(name, server_emulator.url, minted, monkeypatch) for name in SERVER_SHAPES]
    yield build_app(tmp_path, "\n".join(blocks))


def teamstudio_connection(name: str, url: str, minted: dict, monkeypatch: pytest.MonkeyPatch) -> str:
    """One Team Studio connection block signing in as the minted service account; the password goes in the env."""
    env = name.upper().replace("-", "_") + "_PASSWORD"
    monkeypatch.setenv(env, minted["password"])
    return (f'[[connection]]\nname = "{name}"\nplatform = "teamstudio"\nbase_url = "{url}"\n'
            f'username = "{minted["username"]}"\npassword_env = "{env}"\n')


@pytest.fixture
def teamstudio_app(tmp_path: Path, teamstudio_emulator: Emulator, monkeypatch: pytest.MonkeyPatch):
    """The app with one Team Studio connection against the Team Studio emulator."""
    yield build_app(tmp_path, teamstudio_connection("ts-main", teamstudio_emulator.url, teamstudio_emulator.mint(),
                                                    monkeypatch))


def vantage6_connection(name: str, url: str, minted: dict, monkeypatch: pytest.MonkeyPatch) -> str:
    """One vantage6 connection block signing in as the minted user; the password goes in the environment."""
    env = name.upper().replace("-", "_") + "_PASSWORD"
    monkeypatch.setenv(env, minted["password"])
    extra = "".join(f'{key} = "{minted[key]}"\n' for key in ("client_id",) if key in minted)
    if "token_url" in minted:
        extra += f'oidc_token_url = "{minted["token_url"]}"\n'
    return (f'[[connection]]\nname = "{name}"\nplatform = "vantage6"\nbase_url = "{url}"\n'
            f'username = "{minted["username"]}"\npassword_env = "{env}"\n{extra}')


@pytest.fixture
def vantage6_app(tmp_path: Path, vantage6_emulator: Emulator, monkeypatch: pytest.MonkeyPatch):
    """The app with one vantage6 connection against the vantage6 emulator (version 4)."""
    yield build_app(tmp_path, vantage6_connection("v6-main", vantage6_emulator.url, vantage6_emulator.mint(),
                                                  monkeypatch))


def alooma_connection(name: str, url: str, minted: dict, monkeypatch: pytest.MonkeyPatch, *,
                      api_key: bool = False) -> str:
    """One Alooma connection block for the minted account: with its API key, or (default) its login; the secret
    goes into the environment."""
    env = name.upper().replace("-", "_") + ("_API_KEY" if api_key else "_PASSWORD")
    monkeypatch.setenv(env, minted["api_key"] if api_key else minted["password"])
    credentials = f'api_key_env = "{env}"\n' if api_key else f'username = "{minted["email"]}"\npassword_env = "{env}"\n'
    return (f'[[connection]]\nname = "{name}"\nplatform = "alooma"\nbase_url = "{url}"\n'
            f'account_name = "{minted["account_name"]}"\n{credentials}')


@pytest.fixture
def alooma_app(tmp_path: Path, alooma_emulator: Emulator, monkeypatch: pytest.MonkeyPatch):
    """The app with two Alooma connections against the Alooma emulator: `alooma-main` signs in with the login,
    `alooma-key` sends the API key."""
    minted = alooma_emulator.mint()
    yield build_app(tmp_path, alooma_connection("alooma-main", alooma_emulator.url, minted, monkeypatch)
                    + alooma_connection("alooma-key", alooma_emulator.url, minted, monkeypatch, api_key=True))


@pytest.fixture
def mixed_app(tmp_path: Path, emulator: Emulator, server_emulator: Emulator, monkeypatch: pytest.MonkeyPatch):
    """AAC and Server connections against their emulators, plus one AAC connection nobody answers on."""
    write_connections(tmp_path / "aac.toml", emulator.url, ("aac-main",))
    write_connections(tmp_path / "dead.toml", "http://127.0.0.1:9", ("aac-dead",))
    monkeypatch.setenv("AAC_MAIN_REFRESH_TOKEN", emulator.mint()["refresh_token"])
    monkeypatch.setenv("AAC_DEAD_REFRESH_TOKEN", "never-used")
    blocks = [(tmp_path / "aac.toml").read_text(), (tmp_path / "dead.toml").read_text(),
              server_connection("server-main", server_emulator.url, server_emulator.mint(), monkeypatch)]
    application = build_app(tmp_path, "\n".join(blocks))
    application.config["FANOUT_DEADLINE"] = 20.0  # a cold Server read takes seconds on a busy machine
    return application


@pytest.fixture
def security_app(tmp_path: Path, emulator: Emulator, server_emulator: Emulator, teamstudio_emulator: Emulator,
                 vantage6_emulator: Emulator, alooma_emulator: Emulator, monkeypatch: pytest.MonkeyPatch):
    """One connection of each of AAC, Server, Team Studio, vantage6 and Alooma (API key), and an AAC one added in the
    browser, for tests/security to walk every route of the app with real ids."""
    write_connections(tmp_path / "aac.toml", emulator.url, ("aac-main",))
    monkeypatch.setenv("AAC_MAIN_REFRESH_TOKEN", emulator.mint()["refresh_token"])
    blocks = [(tmp_path / "aac.toml").read_text(),
              server_connection("server-main", server_emulator.url, server_emulator.mint(), monkeypatch),
              teamstudio_connection("ts-main", teamstudio_emulator.url, teamstudio_emulator.mint(), monkeypatch),
              vantage6_connection("v6-main", vantage6_emulator.url, vantage6_emulator.mint(), monkeypatch),
              alooma_connection("alooma-key", alooma_emulator.url, alooma_emulator.mint(), monkeypatch, api_key=True)]
    application = build_app(tmp_path, "\n".join(blocks))
    application.config["FANOUT_DEADLINE"] = 20.0
    add_stored_connection(application, "aac-stored", emulator)
    return application


def add_stored_connection(application, name: str, emulator: Emulator) -> None:
    """An AAC connection as an admin adds it in the browser (app.connection_store), its refresh token stored with it."""
    from app.audit import record_action
    from app.connection_store import ConnectionChange, create_stored

    change = ConnectionChange(platform="aac", label=name, base_url=emulator.url, allowed_network="127.0.0.0/8",
                              options={"workspace_id": 12, "client_id": "aac-public-api",
                                       "token_endpoint": f"{emulator.url}/as/token"},
                              new_secrets={"refresh_token": emulator.mint()["refresh_token"]})
    with application.app_context():
        create_stored(name, change, "admin")
        record_action("connection_create", outcome="ok", connection=name, platform="aac", username="admin")


def _client_as(application):
    def make(role: str):
        client = application.test_client()
        response = login(client, role, PASSWORD)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client
    return make


@pytest.fixture
def client_as(app):
    """client_as('operator') -> a signed-in test client of the AAC app."""
    return _client_as(app)


@pytest.fixture
def ts_client_as(teamstudio_app):
    """ts_client_as('operator') -> a signed-in test client of the Team Studio app."""
    return _client_as(teamstudio_app)


@pytest.fixture
def v6_client_as(vantage6_app):
    """v6_client_as('operator') -> a signed-in test client of the vantage6 app."""
    return _client_as(vantage6_app)


@pytest.fixture
def alooma_client_as(alooma_app):
    """alooma_client_as('operator') -> a signed-in test client of the Alooma app."""
    return _client_as(alooma_app)


@pytest.fixture
def server_client_as(server_app):
    """server_client_as('operator') -> a signed-in test client of the Server app."""
    return _client_as(server_app)


@pytest.fixture
def mixed_client_as(mixed_app):
    """mixed_client_as('viewer') -> a signed-in test client of the app with AAC, Server and a dead connection."""
    return _client_as(mixed_app)
