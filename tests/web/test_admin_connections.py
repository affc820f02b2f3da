"""The connection admin pages: connections.toml's read-only, new ones added, tested, edited and removed in the browser
with write-only encrypted secrets and checked addresses; every worker sees a change."""
from __future__ import annotations

import html
import json

import pytest

from app.extensions import db
from app.models import StoredConnection, StoredToken
from tests.conftest import PASSWORD, ROLES, app_settings
from tests.helpers import audit_rows, csrf_from, login, post_form

LOCAL = "127.0.0.0/8"  # the emulators listen on loopback: a private range an admin must allow


def _aac_fields(emulator, refresh_token: str, **extra: str) -> dict[str, str]:
    return {"name": "aac-web", "label": "AAC added here", "base_url": emulator.url, "s_workspace_id": "12",
            "s_refresh_token": refresh_token, "s_token_endpoint": f"{emulator.url}/as/token",
            "s_client_id": "aac-public-api", "allowed_network": LOCAL, **extra}


def _add(client, emulator, refresh_token: str, **extra: str):
    return post_form(client, "/admin/connections/new/aac", **_aac_fields(emulator, refresh_token, **extra))


def _row(app, name: str = "aac-web") -> StoredConnection | None:
    with app.app_context():
        return db.session.execute(db.select(StoredConnection).filter_by(name=name)).scalar_one_or_none()


def _secrets(app, name: str = "aac-web") -> dict[str, str]:
    """The stored connection's secrets, decrypted as the app does."""
    from app.connection_store import as_connection, stored_row
    with app.app_context():
        return as_connection(stored_row(name)).secrets


def test_list_shows_file_connections_read_only(app, client_as):
    """Are connections.toml's connections listed with their source, secrets as set or not, and no Edit or Remove?"""
    html = client_as("admin").get("/admin/connections").get_data(as_text=True)
    assert "aac-main" in html and "aac-second" in html and html.count(">connections.toml<") == 2
    assert "/admin/connections/aac-main/edit" not in html and "/admin/connections/aac-main/remove" not in html
    assert "Refresh token: set" in html and 'href="/admin/connections/new"' in html


def test_adding_a_connection_stores_encrypted_secrets_and_serves_its_pages(app, client_as, emulator):
    """Does a new AAC connection save with its secret encrypted, show it only as set, and answer its own pages?"""
    admin = client_as("admin")
    token = emulator.mint()["refresh_token"]
    response = _add(admin, emulator, token)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/connections/aac-web")
    row = _row(app)
    assert row.platform == "aac" and json.loads(row.options) == {"workspace_id": 12, "client_id": "aac-public-api",
                                                                 "token_endpoint": f"{emulator.url}/as/token"}
    assert token.encode() not in row.secrets and row.created_by == "admin"
    page = admin.get("/admin/connections/aac-web").get_data(as_text=True)
    assert token not in page and "Refresh token" in page and ">set<" in page
    assert token not in admin.get("/admin/connections/aac-web/edit").get_data(as_text=True)
    schedules = admin.get("/aac/aac-web/schedules")
    assert schedules.status_code == 200 and "could not answer" not in schedules.get_data(as_text=True)
    assert "aac-web" in admin.get("/").get_data(as_text=True)
    (event,) = audit_rows(app, "connection_create")
    assert event.outcome == "ok" and event.connection == "aac-web" and token not in (event.params or "")
    assert json.loads(event.params)["write_only_fields"] == ["refresh_token"]


def test_a_private_address_is_refused_unless_its_range_is_allowed(app, client_as, emulator):
    """Is a loopback base URL refused (nothing saved, audited as refused) until the admin names its range?"""
    admin = client_as("admin")
    response = _add(admin, emulator, "rt-1", allowed_network="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "127.0.0.1 is a private address: loopback." in html
    assert _row(app) is None
    (event,) = audit_rows(app, "connection_create")
    assert event.outcome == "refused" and "private address" in event.error
    response = _add(admin, emulator, "rt-1", allowed_network="10.0.0.0/8")
    assert response.status_code == 400 and "outside the allowed private network 10.0.0.0/8" in response.get_data(
        as_text=True)
    assert _add(admin, emulator, "rt-1").status_code == 302


@pytest.mark.parametrize("field, value, message", [
    ("base_url", "ftp://files.example.com", "Use an http:// or https:// URL."),
    ("base_url", "http://169.254.169.254/latest", "cloud metadata address"),
    ("base_url", "http://user:pw@127.0.0.1:8080", "Leave credentials out of the URL"),
    ("s_token_endpoint", "http://metadata.google.internal/token", "cloud metadata service"),
    ("allowed_network", "169.254.0.0/16", "holds a cloud metadata address"),
    ("allowed_network", "8.8.8.0/24", "is a public range"),
    ("allowed_network", "ten-net", "is not a network"),
    ("name", "Bad Name", "Lowercase letters, digits"),
    ("name", "aac-main", "is the name of a connection in connections.toml"),
    ("s_workspace_id", "twelve", "A whole number."),
    ("s_refresh_token", "", "Refresh token is required."),
    ("s_client_id", "", "Give the client id and the token endpoint, or the API token's access token"),
])
def test_bad_input_is_refused_with_its_reason_and_nothing_saved(app, client_as, emulator, field, value, message):
    """Does each wrong field answer 400 naming what is wrong, with no connection stored?"""
    response = _add(client_as("admin"), emulator, "rt-1", **{field: value})
    assert response.status_code == 400 and message in html.unescape(response.get_data(as_text=True))
    assert _row(app, "aac-web") is None and _row(app, "Bad Name") is None


def test_server_needs_one_complete_api(app, client_as, emulator):
    """Is a Server connection refused with neither API given, and with one half-given, naming what is missing?"""
    admin = client_as("admin")
    base = {"name": "srv", "base_url": emulator.url, "allowed_network": LOCAL}
    html = post_form(admin, "/admin/connections/new/server", **base).get_data(as_text=True)
    assert "Give Server API v3" in html
    html = post_form(admin, "/admin/connections/new/server", **base, s_webapi_url=f"{emulator.url}/webapi",
                     s_client_id="key").get_data(as_text=True)
    assert "Missing: API access secret." in html and _row(app, "srv") is None


def test_test_connection_reports_what_answered_and_audits_it(app, client_as, emulator):
    """Does Test connection call the platform and flash the answer, and a refused token the reason, both audited?"""
    admin = client_as("admin")
    _add(admin, emulator, emulator.mint()["refresh_token"])
    html = post_form(admin, "/admin/connections/aac-web", "/admin/connections/aac-web/test")
    page = admin.get(html.headers["Location"]).get_data(as_text=True)
    assert "Test of aac-web passed in" in page and "answered" in page
    _add(admin, emulator, "not-a-real-token", name="aac-bad")
    response = post_form(admin, "/admin/connections/aac-bad", "/admin/connections/aac-bad/test")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Test of aac-bad failed" in page and "not-a-real-token" not in page
    outcomes = [(e.connection, e.outcome) for e in audit_rows(app, "connection_test")]
    assert outcomes == [("aac-web", "ok"), ("aac-bad", "failed")]


def test_file_connections_can_be_tested(client_as):
    """Can a connection from connections.toml be tested too?"""
    admin = client_as("admin")
    response = post_form(admin, "/admin/connections/aac-main", "/admin/connections/aac-main/test")
    assert "Test of aac-main passed" in admin.get(response.headers["Location"]).get_data(as_text=True)


def test_editing_keeps_blank_secrets_and_audits_the_changed_fields(app, client_as, emulator):
    """Does an edit keep a secret left empty, save the rest, and audit which fields changed without their values?"""
    admin = client_as("admin")
    token = emulator.mint()["refresh_token"]
    _add(admin, emulator, token)
    before = _row(app)
    assert _secrets(app) == {"refresh_token": token}
    form = admin.get("/admin/connections/aac-web/edit").get_data(as_text=True)
    assert 'value="12"' in form and "AAC added here" in form and token not in form
    response = post_form(admin, "/admin/connections/aac-web/edit", name="ignored", label="Renamed",
                         base_url=emulator.url, allowed_network=LOCAL, s_workspace_id="12",
                         s_token_endpoint=f"{emulator.url}/as/token", s_client_id="aac-public-api")
    assert response.status_code == 302
    after = _row(app)
    assert after.name == "aac-web" and after.label == "Renamed" and _secrets(app) == {"refresh_token": token}
    assert after.revision != before.revision
    (event,) = audit_rows(app, "connection_update")
    assert json.loads(event.params) == {"changed": ["label"]}
    assert admin.get("/aac/aac-web/schedules").status_code == 200


def test_removing_a_required_secret_is_refused(app, client_as, emulator):
    """Is clearing the refresh token (with none typed) refused, the stored one kept?"""
    admin = client_as("admin")
    _add(admin, emulator, "rt-1")
    response = post_form(admin, "/admin/connections/aac-web/edit", label="x", base_url=emulator.url,
                         allowed_network=LOCAL, s_workspace_id="12", clear_refresh_token="y",
                         s_client_id="aac-public-api", s_token_endpoint=f"{emulator.url}/as/token")
    assert response.status_code == 400 and "Refresh token is required." in response.get_data(as_text=True)
    assert _row(app).label == "AAC added here"


def test_a_new_base_url_drops_held_tokens_and_old_cached_reads(app, client_as, emulator):
    """After the base URL changes, are the held tokens gone and the old address's schedules no longer shown?"""
    admin = client_as("admin")
    _add(admin, emulator, emulator.mint()["refresh_token"])
    assert "could not answer" not in admin.get("/aac/aac-web/schedules").get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(StoredToken).filter_by(connection="aac-web")).first() is not None
    post_form(admin, "/admin/connections/aac-web/edit", label="x", base_url="http://127.0.0.1:9",
              allowed_network=LOCAL, s_workspace_id="12", s_token_endpoint="http://127.0.0.1:9/as/token",
              s_client_id="aac-public-api")
    with app.app_context():
        assert db.session.execute(db.select(StoredToken).filter_by(connection="aac-web")).first() is None
    html = admin.get("/aac/aac-web/schedules").get_data(as_text=True)
    assert "could not answer" in html and "showing the copy from" not in html


def test_removing_a_connection_deletes_it_and_its_tokens(app, client_as, emulator):
    """Does Remove ask first, then delete the row and its tokens, so its pages answer 404?"""
    admin = client_as("admin")
    _add(admin, emulator, emulator.mint()["refresh_token"])
    admin.get("/aac/aac-web/schedules")
    confirm = admin.get("/admin/connections/aac-web/remove")
    assert confirm.status_code == 200 and "Remove aac-web" in confirm.get_data(as_text=True)
    response = post_form(admin, "/admin/connections/aac-web/remove")
    assert response.status_code == 302 and _row(app) is None
    with app.app_context():
        assert db.session.execute(db.select(StoredToken).filter_by(connection="aac-web")).first() is None
    assert admin.get("/aac/aac-web/schedules").status_code == 404
    assert [e.outcome for e in audit_rows(app, "connection_delete")] == ["ok"]


@pytest.mark.parametrize("url", ["/admin/connections/aac-main/edit", "/admin/connections/aac-main/remove"])
def test_file_connections_cannot_change_here(client_as, url):
    """Are edit and remove of a connections.toml connection refused with the reason?"""
    response = client_as("admin").get(url)
    assert response.status_code == 403 and "comes from connections.toml" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/admin/connections/nope", "/admin/connections/nope/edit",
                                 "/admin/connections/new/nope"])
def test_unknown_connections_and_platforms_are_404(client_as, url):
    """Does an unknown connection or platform answer 404?"""
    assert client_as("admin").get(url).status_code == 404


def test_every_platform_has_a_form(client_as):
    """Does each platform's form render its own settings?"""
    admin = client_as("admin")
    for platform, setting in (("aac", "s_workspace_id"), ("server", "s_webapi_url"), ("teamstudio", "s_username"),
                              ("vantage6", "s_oidc_token_url"), ("alooma", "s_account_name")):
        html = admin.get(f"/admin/connections/new/{platform}").get_data(as_text=True)
        assert f'name="{setting}"' in html and 'name="allowed_network"' in html


def test_an_edit_in_one_worker_is_seen_by_another(app, client_as, emulator, tmp_path):
    """Does a second app on the same database (another gunicorn worker) serve a connection added in the first?"""
    from app import create_app

    other = create_app("testing", app_settings(tmp_path))
    other_client = other.test_client()
    login(other_client, "viewer", PASSWORD)
    assert other_client.get("/aac/aac-web/schedules").status_code == 404
    _add(client_as("admin"), emulator, emulator.mint()["refresh_token"])
    assert other_client.get("/aac/aac-web/schedules").status_code == 200
    post_form(client_as("admin"), "/admin/connections/aac-web/remove")
    assert other_client.get("/aac/aac-web/schedules").status_code == 404


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_non_admins_cannot_add_connections(app, client_as, emulator, role):
    """Is a viewer's or operator's POST to the form refused, with nothing stored?"""
    client = client_as(role)
    csrf = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post("/admin/connections/new/aac", data={**_aac_fields(emulator, "rt"), "csrf_token": csrf})
    assert response.status_code == 403 and _row(app) is None
