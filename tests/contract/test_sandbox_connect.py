"""`python -m sandbox connect`, the demo path of `make run`: connections and secrets that work for every emulator."""
from __future__ import annotations

import os
import shlex
import stat

from sandbox.connect import connect
from tests.conftest import PASSWORD, build_app
from tests.helpers import login


def test_connect_writes_working_connections_and_private_secrets(tmp_path, aac_url, server_url, teamstudio_url,
                                                                vantage6_url, alooma_url, monkeypatch):
    """Do the written connections, with the exported secrets, give pages full of data for every emulator?"""
    config, env = tmp_path / "sandbox-connections.toml", tmp_path / "sandbox.env"
    connect({"aac": aac_url, "server": server_url, "teamstudio": teamstudio_url, "vantage6": vantage6_url,
             "alooma": alooma_url}, str(config), str(env))

    assert stat.S_IMODE(os.stat(env).st_mode) == 0o600
    exported = dict(shlex.split(line.removeprefix("export "))[0].split("=", 1) for line in env.read_text().splitlines())
    assert set(exported) == {"AAC_SANDBOX_REFRESH_TOKEN", "SERVER_SANDBOX_CLIENT_SECRET", "SERVER_SANDBOX_API_SECRET",
                             "TEAMSTUDIO_SANDBOX_PASSWORD", "VANTAGE6_SANDBOX_PASSWORD", "ALOOMA_SANDBOX_PASSWORD"}
    assert not any(value in config.read_text() for value in exported.values())  # secrets stay out of the file
    for name, value in exported.items():
        monkeypatch.setenv(name, value)

    client = build_app(tmp_path, config.read_text()).test_client()
    assert login(client, "admin", PASSWORD).status_code == 302
    for url in ("/aac/aac-sandbox/schedules", "/server/server-sandbox/schedules", "/server/server-sandbox/workflows",
                "/teamstudio/teamstudio-sandbox/schedules", "/teamstudio/teamstudio-sandbox/workflows",
                "/vantage6/vantage6-sandbox/runs", "/alooma/alooma-sandbox/schedules"):
        page = client.get(url).get_data(as_text=True)
        assert "banner-error" not in page and page.count("<tr") > 10, url
    token_panel = client.get("/server/server-sandbox/token").get_data(as_text=True)
    assert token_panel.count("badge-succeeded") == 2  # the v3 token the pages used, and the OAuth1 signature check
