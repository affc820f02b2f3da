"""platform_users() of every service against its running emulator over real HTTP: each platform's users endpoint
read into PlatformUsers, cached, and failing the way the contract says."""
from __future__ import annotations

import pytest
import requests

from app.connections import registry
from app.errors import NotSupported, PermissionDenied, Unavailable
from tests.conftest import build_app, server_connection
from tests.helpers import service_in


@pytest.fixture
def aac(app):
    yield from service_in(app, "aac-main")


@pytest.fixture
def server(server_app):
    yield from service_in(server_app, "server-main")


@pytest.fixture
def server_legacy(server_app):
    yield from service_in(server_app, "server-legacy")


@pytest.fixture
def teamstudio(teamstudio_app):
    yield from service_in(teamstudio_app, "ts-main")


@pytest.fixture
def vantage6(vantage6_app):
    yield from service_in(vantage6_app, "v6-main")


@pytest.fixture
def alooma(alooma_app):
    yield from service_in(alooma_app, "alooma-key")


def test_aac_people_with_workspace_roles(aac):
    """Does AAC list the workspace's people from /v4/people with their workspace role and last sign-in?"""
    users = aac.platform_users().value
    assert len(users) == 5 and all(u.platform == "aac" and u.connection == "aac-main" for u in users)
    admin = next(u for u in users if u.name == "Ana Ruiz")
    assert admin.roles == ("workspace admin",) and admin.can_run is True and admin.last_seen is not None
    assert all(u.email and u.active and u.last_seen.tzinfo is not None for u in users)
    assert {u.roles for u in users} == {("workspace admin",), ("workspace member",)}


def test_aac_schedule_owners_are_people_by_id(aac):
    """Does every AAC schedule's owner id name one of the workspace's people?"""
    ids = {u.id for u in aac.platform_users().value}
    owners = {s.owner_id for s in aac.schedules().value}
    assert owners and owners <= ids


def test_server_users_with_role_and_last_login(server):
    """Does Server list /v3/users (Full view) with each role, last sign-in and a Curator who runs everything?"""
    users = server.platform_users().value
    roles = [u.roles[0] for u in users]
    assert roles.count("Curator") == 1 and "Artisan" in roles and "Viewer" in roles
    assert all(u.last_seen is not None and u.email for u in users)
    curator = next(u for u in users if u.roles == ("Curator",))
    assert curator.can_run and "every workflow" in curator.run_scope
    assert {s.owner_id for s in server.schedules().value} <= {u.id for u in users}


def test_server_users_are_cached(server, server_emulator):
    """Is a second platform_users() served from the cache while Server is down?"""
    first = server.platform_users()
    server_emulator.faults(fail_next={"count": 20, "status": 503})
    again = server.platform_users()
    assert again.fetched_at == first.fetched_at and again.value == first.value


def test_server_user_list_needs_a_curator(server, server_emulator, tmp_path, monkeypatch):
    """Does a connection whose keys are an Artisan's get PermissionDenied from /v3/users (Curators only)?"""
    artisan = next(u for u in server.platform_users().value if u.roles == ("Artisan",))
    minted = requests.post(f"{server_emulator.url}/_sandbox/tokens", json={"user_id": artisan.id}, timeout=5).json()
    (tmp_path / "artisan").mkdir()
    other = build_app(tmp_path / "artisan", server_connection("server-v3", server_emulator.url, minted, monkeypatch))
    with other.test_request_context():
        with pytest.raises(PermissionDenied):
            registry().service("server-v3").platform_users()


def test_server_v1_only_has_no_users_api(server_legacy):
    """Does a subscription-API-only Server connection say it cannot list users (NotSupported)?"""
    with pytest.raises(NotSupported, match="listing users"):
        server_legacy.platform_users()


def test_teamstudio_users_with_application_roles_and_workspaces(teamstudio):
    """Does Team Studio list /api/users with application roles, admins running everywhere and members in their
    workspaces?"""
    users = teamstudio.platform_users().value
    assert len(users) == 8 and all(u.last_seen is None for u in users)
    admin = next(u for u in users if u.username == "demoadmin")
    assert "application admin" in admin.roles and admin.can_run is True
    members = [u for u in users if u.can_run and "application admin" not in u.roles]
    assert members and all(u.run_scope.startswith("workflows of workspaces ") for u in members)
    assert {s.owner_id for s in teamstudio.schedules().value} <= {u.id for u in users}


def test_vantage6_users_with_roles_rules_and_last_seen(vantage6):
    """Does vantage6 list /user with roles, last_seen, and task creation from the roles' rules?"""
    users = {u.username: u for u in vantage6.platform_users().value}
    assert users["researcher"].can_run is True and "Researcher" in users["researcher"].roles
    assert users["viewer"].can_run is False
    assert users["flightdeck-svc"].can_run is True
    assert any(u.last_seen is not None for u in users.values())


def test_alooma_users_without_roles(alooma):
    """Does Alooma list user/ with emails, no roles and run rights unknown?"""
    users = alooma.platform_users().value
    assert users and all(u.email and u.roles == () for u in users)
    assert {u.can_run for u in users if u.active} == {None}
    assert type(alooma).schedule_owners_are_users is False


def test_an_unreachable_platform_raises_unavailable(aac, emulator):
    """With nothing cached and AAC failing, does platform_users() raise Unavailable?"""
    emulator.faults(fail_next={"count": 30, "status": 503})
    with pytest.raises(Unavailable):
        aac.platform_users()
