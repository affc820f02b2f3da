"""Two gunicorn workers sharing a cache backend (FileSystemCache or a real Redis): what one worker read
serves the other, and what one worker's action changes, the other reads afresh."""
from __future__ import annotations

import re

import pytest

from app import cache as cache_module
from app import create_app
from tests.conftest import PASSWORD, app_settings, build_app, write_connections
from tests.helpers import login, post_form


def _as_another_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty this process's decoded and derived copies, as a second worker process starts with none."""
    monkeypatch.setattr(cache_module, "_decoded", cache_module._VersionedLru(cache_module.DECODED_SIZE))
    monkeypatch.setattr(cache_module, "_derived", cache_module._VersionedLru(cache_module.DERIVED_SIZE))


@pytest.fixture(params=["FileSystemCache", "RedisCache"])
def workers(request, tmp_path, emulator, monkeypatch):
    """Two apps on one database and one shared cache, each signed in as an operator."""
    if request.param == "RedisCache":
        shared = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": request.getfixturevalue("redis_url")}
    else:
        shared = {"CACHE_TYPE": "FileSystemCache", "CACHE_DIR": str(tmp_path / "cache")}
    write_connections(tmp_path / "connections.toml", emulator.url, ("aac-main",))
    monkeypatch.setenv("AAC_MAIN_REFRESH_TOKEN", emulator.mint()["refresh_token"])
    first = build_app(tmp_path, (tmp_path / "connections.toml").read_text(), **shared)
    second = create_app("testing", app_settings(tmp_path, **shared))
    clients = []
    for application in (first, second):
        client = application.test_client()
        assert login(client, "operator", PASSWORD).status_code == 302
        clients.append(client)
    return clients


def test_a_read_by_one_worker_serves_the_other(workers, emulator, monkeypatch):
    """With the platform down after the first worker's read, does the second still show the schedules, fresh?"""
    first, second = workers
    page = first.get("/aac/aac-main/schedules").get_data(as_text=True)
    names = re.findall(r'<td class="name">([^<]+)', page)
    assert names
    emulator.faults(fail_next={"count": 500, "status": 503})
    _as_another_process(monkeypatch)
    page = second.get("/aac/aac-main/schedules").get_data(as_text=True)
    assert 'class="banner' not in page and re.findall(r'<td class="name">([^<]+)', page) == names


def test_an_action_in_one_worker_is_seen_by_the_other(workers, monkeypatch):
    """After the first worker disables a schedule, does the second worker's table show it disabled?"""
    first, second = workers
    enabled = second.get("/api/v1/aac/aac-main/schedules?enabled=yes").get_json()["items"][0]
    assert post_form(first, f"/aac/aac-main/schedules/{enabled['id']}/toggle").status_code == 302
    _as_another_process(monkeypatch)
    disabled = second.get("/api/v1/aac/aac-main/schedules?enabled=no&per_page=200").get_json()["items"]
    assert enabled["id"] in {s["id"] for s in disabled}
