"""The user admin pages: list, create, disable and enable, role, password reset, unlock, and their guard rails."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import User, utcnow
from tests.conftest import PASSWORD
from tests.helpers import audit_rows, csrf_from, login, post_form, user_named

NEW_PASSWORD = "correct horse battery"



def _id(app, username: str) -> int:
    return user_named(app, username).id


def _add(app, username: str, **fields) -> int:
    """A user written straight to the database, for states the pages cannot make (SSO, locked)."""
    with app.app_context():
        user = User(username=username, role=fields.pop("role", "viewer"), **fields)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user.id


def _rows(html: str) -> str:
    return html.split("<tbody>")[1].split("</tbody>")[0]


# --- the list --------------------------------------------------------------------------------------------------

def test_users_page_lists_every_user_with_its_facts(app, client_as):
    """Does /admin/users show each user's role, local or SSO, state, a future lock, created and last sign-in?"""
    _add(app, "sso.person", auth_source="sso", sso_subject="sub-1")
    _add(app, "locked-one", locked_until=utcnow() + timedelta(minutes=10), failed_logins=5)
    _add(app, "was-locked", locked_until=utcnow() - timedelta(minutes=10))
    _add(app, "gone", active=False)
    html = client_as("admin").get("/admin/users").get_data(as_text=True)
    rows = {row.split('">', 2)[2].split("</a>")[0]: row for row in _rows(html).split("<tr>")[1:]}
    assert set(rows) == {"admin", "operator", "viewer", "sso.person", "locked-one", "was-locked", "gone"}
    assert "<td>operator</td>" in rows["operator"] and "<td>local</td>" in rows["operator"]
    assert "<td>SSO</td>" in rows["sso.person"]
    assert "badge-off\">disabled" in rows["gone"] and "badge-on\">active" in rows["viewer"]
    assert rows["locked-one"].count("<time") == 2  # locked until, created (never signed in)
    assert rows["was-locked"].count("<time") == 1  # a lock in the past is no lock
    assert rows["admin"].count("<time") == 2 and "never" not in rows["admin"]  # created, last sign-in
    assert "never" in rows["viewer"]
    assert 'href="/admin/users/new"' in html and "New user" in html


def test_users_page_searches_filters_and_pages(app, client_as):
    """Do the search (case-insensitive, `_` taken literally), role and state filters and the pager narrow the list?"""
    for n in range(12):
        _add(app, f"bulk_{n:02d}", role="operator" if n % 2 else "viewer", active=n != 3)
    _add(app, "bulkX99")
    admin = client_as("admin")
    found = _rows(admin.get("/admin/users?q=BULK_").get_data(as_text=True))
    assert found.count("<tr>") == 12 and "bulkX99" not in found
    assert _rows(admin.get("/admin/users?q=bulk&role=operator").get_data(as_text=True)).count("<tr>") == 6
    disabled = _rows(admin.get("/admin/users?state=disabled").get_data(as_text=True))
    assert disabled.count("<tr>") == 1 and "bulk_03" in disabled
    first = admin.get("/admin/users?q=bulk_&per_page=5").get_data(as_text=True)
    assert "bulk_00" in _rows(first) and "bulk_05" not in _rows(first) and "1–5 of 12" in first
    last = admin.get("/admin/users?q=bulk_&per_page=5&page=99").get_data(as_text=True)
    assert "bulk_11" in _rows(last) and "11–12 of 12" in last
    assert "No users match." in admin.get("/admin/users?q=nobody-here").get_data(as_text=True)


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_user_pages_refuse_non_admins(app, client_as, role):
    """Does every users URL refuse viewers and operators, and change nothing when they post?"""
    client = client_as(role)
    token = csrf_from(client.get("/").get_data(as_text=True))
    target = _id(app, "viewer")
    for url in ("/admin/users", "/admin/users/new", f"/admin/users/{target}", f"/admin/users/{target}/disable",
                f"/admin/users/{target}/enable"):
        assert client.get(url).status_code == 403, url
    for url, data in ((f"/admin/users/{target}/role", {"role": "admin"}),
                      (f"/admin/users/{target}/disable", {}),
                      (f"/admin/users/{target}/password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
                      (f"/admin/users/{target}/unlock", {}),
                      ("/admin/users/new", {"username": "sneaky", "role": "admin", "password": NEW_PASSWORD,
                                            "confirm": NEW_PASSWORD})):
        assert client.post(url, data={"csrf_token": token, **data}).status_code == 403, url
    viewer = user_named(app, "viewer")
    assert viewer.role == "viewer" and viewer.active and viewer.check_password(PASSWORD)
    assert user_named(app, "sneaky") is None


def test_nav_shows_users_link_to_admins_only(client_as):
    """Is there a Users link in the top bar for admins, and none for operators?"""
    assert 'href="/admin/users">Users</a>' in client_as("admin").get("/").get_data(as_text=True)
    assert 'href="/admin/users"' not in client_as("operator").get("/").get_data(as_text=True)


# --- creating ---------------------------------------------------------------------------------------------------

def test_create_local_user_hashes_like_the_cli_and_is_audited(app, client_as):
    """Does New user make a local account that signs in, hashed as `flask users create` hashes, audited without
    the password?"""
    response = post_form(client_as("admin"), "/admin/users/new", username="new.person-1", role="operator",
                         password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert response.status_code == 302
    user = user_named(app, "new.person-1")
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert (user.role, user.auth_source, user.active) == ("operator", "local", True)
    assert user.password_hash.split("$")[0] == user_named(app, "viewer").password_hash.split("$")[0]
    assert login(app.test_client(), "new.person-1", NEW_PASSWORD).status_code == 302
    (event,) = audit_rows(app, "user_create")
    assert (event.username, event.object_type, event.object_id, event.outcome) == \
        ("admin", "user", "new.person-1", "ok")
    assert json.loads(event.params) == {"role": "operator", "auth_source": "local"}
    assert NEW_PASSWORD not in (event.params or "") and "hash" not in (event.params or "")


@pytest.mark.parametrize("fields, message", [
    ({"username": "ab"}, "3 to 80 characters"),
    ({"username": "x" * 81}, "3 to 80 characters"),
    ({"username": "has space"}, "3 to 80 characters"),
    ({"username": "semi;colon"}, "3 to 80 characters"),
    ({"username": ""}, "Type a username."),
    ({"username": "OPERATOR"}, "exists already"),
    ({"role": "root"}, "Not a valid choice"),
    ({"password": "short-11ch", "confirm": "short-11ch"}, "Between 12 and 200 characters."),
    ({"confirm": NEW_PASSWORD + "!"}, "The two passwords differ."),
    ({"confirm": ""}, "Type the password again."),
])
def test_create_user_refuses_bad_input(app, client_as, fields, message):
    """Does bad input bring the form back with its message, status 400, and no user and no audit event?"""
    data = {"username": "fresh-user", "role": "viewer", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, **fields}
    response = post_form(client_as("admin"), "/admin/users/new", **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(User)).scalar_one() == 3
    assert audit_rows(app, "user_create") == []


def test_create_user_without_csrf_token_is_refused(app, client_as):
    """Is a POST without the CSRF token refused with nothing created?"""
    response = client_as("admin").post("/admin/users/new", data={
        "username": "forged", "role": "admin", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 400
    assert user_named(app, "forged") is None


# --- disable and enable -----------------------------------------------------------------------------------------

def test_disabling_ends_the_users_session_on_the_next_request(app, client_as):
    """Once an admin disables a signed-in operator, is that operator's very next request sent to sign-in?"""
    operator = client_as("operator")
    assert operator.get("/").status_code == 200
    admin = client_as("admin")
    target = _id(app, "operator")
    confirm = admin.get(f"/admin/users/{target}/disable").get_data(as_text=True)
    assert "Disable operator</button>" in confirm and user_named(app, "operator").active  # a GET changes nothing
    response = post_form(admin, f"/admin/users/{target}/disable")
    assert response.status_code == 302
    assert user_named(app, "operator").active is False
    after = operator.get("/")
    assert after.status_code == 302 and after.headers["Location"].startswith("/auth/login")
    assert login(app.test_client(), "operator", PASSWORD).status_code == 401
    (event,) = audit_rows(app, "user_disable")
    assert (event.username, event.object_type, event.object_id, event.outcome) == ("admin", "user", "operator", "ok")


def test_enabling_lets_a_disabled_user_sign_in_again(app, client_as):
    """Does Enable, after its confirm step, let a disabled user sign in, audited as user_enable?"""
    target = _add(app, "returning", active=False)
    admin = client_as("admin")
    assert "Enable returning</button>" in admin.get(f"/admin/users/{target}/enable").get_data(as_text=True)
    assert post_form(admin, f"/admin/users/{target}/enable").status_code == 302
    assert user_named(app, "returning").active is True
    assert login(app.test_client(), "returning", PASSWORD).status_code == 302
    (event,) = audit_rows(app, "user_enable")
    assert (event.object_id, event.outcome) == ("returning", "ok")


def test_admin_cannot_disable_themselves(app, client_as):
    """Is an admin's own Disable refused on the confirm page and on POST, with a message and nothing changed?"""
    admin = client_as("admin")
    me = _id(app, "admin")
    page = admin.get(f"/admin/users/{me}/disable").get_data(as_text=True)
    assert "You cannot disable your own account" in page and "Disable admin</button>" not in page
    token = csrf_from(admin.get(f"/admin/users/{me}").get_data(as_text=True))
    response = admin.post(f"/admin/users/{me}/disable", data={"csrf_token": token}, follow_redirects=True)
    assert "You cannot disable your own account" in response.get_data(as_text=True)
    assert "Nothing changed." in response.get_data(as_text=True)
    assert user_named(app, "admin").active is True
    assert admin.get("/admin/users").status_code == 200  # still signed in
    (event,) = audit_rows(app, "user_disable")
    assert event.outcome == "refused"


# --- role -------------------------------------------------------------------------------------------------------

def test_changing_a_role_is_audited_with_old_and_new(app, client_as):
    """Does Change role set the new role and audit user_role with the old and new roles?"""
    target = _id(app, "viewer")
    response = post_form(client_as("admin"), f"/admin/users/{target}", f"/admin/users/{target}/role", role="operator")
    assert response.status_code == 302
    assert user_named(app, "viewer").role == "operator"
    (event,) = audit_rows(app, "user_role")
    assert (event.object_type, event.object_id, event.outcome) == ("user", "viewer", "ok")
    assert json.loads(event.params) == {"old_role": "viewer", "new_role": "operator"}


def test_a_bad_role_brings_the_page_back_with_400(app, client_as):
    """Is a role outside viewer/operator/admin refused with 400 and nothing changed?"""
    target = _id(app, "viewer")
    response = post_form(client_as("admin"), f"/admin/users/{target}", f"/admin/users/{target}/role", role="root")
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    assert user_named(app, "viewer").role == "viewer"
    assert audit_rows(app, "user_role") == []


def test_admin_cannot_remove_their_own_admin_role(app, client_as):
    """Is an admin demoting themselves refused with a clear message, the role unchanged?"""
    me = _id(app, "admin")
    admin = client_as("admin")
    token = csrf_from(admin.get(f"/admin/users/{me}").get_data(as_text=True))
    response = admin.post(f"/admin/users/{me}/role", data={"csrf_token": token, "role": "operator"},
                          follow_redirects=True)
    assert "You cannot remove your own admin role" in response.get_data(as_text=True)
    assert user_named(app, "admin").role == "admin"
    assert [e.outcome for e in audit_rows(app, "user_role")] == ["refused"]


def test_another_admin_can_be_demoted_while_one_remains(app, client_as):
    """With two active admins, may one demote the other?"""
    other = _add(app, "second-admin", role="admin")
    assert post_form(client_as("admin"), f"/admin/users/{other}", f"/admin/users/{other}/role",
                     role="viewer").status_code == 302
    assert user_named(app, "second-admin").role == "viewer"


def test_the_last_active_admin_cannot_be_disabled_or_demoted(app):
    """Does the guard refuse to disable or demote the only active admin, whoever asks, and allow it with two?"""
    from app.admin.users import change_refusal
    actor = User(id=1, username="boss", role="admin", active=True)
    last = User(id=2, username="last-admin", role="admin", active=True)
    for change in ({"disabling": True}, {"new_role": "operator"}, {"new_role": "viewer"}):
        assert "last-admin is the last active admin" in change_refusal(actor, last, active_admins=1, **change)
        assert change_refusal(actor, last, active_admins=2, **change) is None
    assert change_refusal(actor, last, new_role="admin", active_admins=1) is None
    assert change_refusal(actor, User(id=3, username="v", role="viewer", active=True), disabling=True,
                          active_admins=1) is None


# --- password ---------------------------------------------------------------------------------------------------

def test_resetting_a_local_password_replaces_it_and_audits_no_secret(app, client_as):
    """After a reset does the new password sign in and the old one not, with the audit event free of either?"""
    target = _id(app, "viewer")
    response = post_form(client_as("admin"), f"/admin/users/{target}", f"/admin/users/{target}/password",
                         password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert response.status_code == 302
    assert login(app.test_client(), "viewer", NEW_PASSWORD).status_code == 302
    assert login(app.test_client(), "viewer", PASSWORD).status_code == 401
    (event,) = audit_rows(app, "user_password_reset")
    assert (event.object_id, event.outcome, event.params) == ("viewer", "ok", None)


def test_a_mistyped_password_reset_changes_nothing(app, client_as):
    """Do two different passwords bring the page back with 400 and leave the old password working?"""
    target = _id(app, "viewer")
    response = post_form(client_as("admin"), f"/admin/users/{target}", f"/admin/users/{target}/password",
                         password=NEW_PASSWORD, confirm="something else entirely")
    assert response.status_code == 400 and "The two passwords differ." in response.get_data(as_text=True)
    assert user_named(app, "viewer").check_password(PASSWORD)
    assert audit_rows(app, "user_password_reset") == []


def test_password_reset_is_refused_for_sso_users(app, client_as):
    """Is a password reset of an SSO user refused with a message saying why, the stored hash untouched?"""
    target = _add(app, "sso.user", auth_source="sso", sso_subject="sub-9")
    before = user_named(app, "sso.user").password_hash
    admin = client_as("admin")
    page = admin.get(f"/admin/users/{target}").get_data(as_text=True)
    assert "Set new password" not in page and "single sign-on" in page
    token = csrf_from(page)
    response = admin.post(f"/admin/users/{target}/password",
                          data={"csrf_token": token, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                          follow_redirects=True)
    assert "signs in through single sign-on: Flightdeck keeps no password" in response.get_data(as_text=True)
    assert user_named(app, "sso.user").password_hash == before
    assert [e.outcome for e in audit_rows(app, "user_password_reset")] == ["refused"]


# --- unlock -----------------------------------------------------------------------------------------------------

def test_unlock_clears_failed_sign_ins_and_the_lock(app, client_as):
    """Does Unlock clear failed_logins and locked_until, audited as user_unlock with what it cleared?"""
    target = _add(app, "locked-out", failed_logins=7, locked_until=utcnow() + timedelta(minutes=15))
    admin = client_as("admin")
    assert "Unlock</button>" in admin.get(f"/admin/users/{target}").get_data(as_text=True)
    response = post_form(admin, f"/admin/users/{target}", f"/admin/users/{target}/unlock")
    assert response.status_code == 302
    user = user_named(app, "locked-out")
    assert (user.failed_logins, user.locked_until) == (0, None)
    (event,) = audit_rows(app, "user_unlock")
    assert (event.object_id, event.outcome) == ("locked-out", "ok")
    assert json.loads(event.params)["failed_logins"] == 7


# --- unknown ids ------------------------------------------------------------------------------------------------

def test_unknown_user_ids_are_404(client_as):
    """Does every per-user URL answer 404 for an id nobody has?"""
    admin = client_as("admin")
    token = csrf_from(admin.get("/admin/users").get_data(as_text=True))
    for url in ("/admin/users/9999", "/admin/users/9999/disable", "/admin/users/9999/enable"):
        assert admin.get(url).status_code == 404, url
    for action in ("role", "password", "unlock", "disable", "enable"):
        assert admin.post(f"/admin/users/9999/{action}", data={"csrf_token": token, "role": "viewer"}).status_code \
            == 404, action
