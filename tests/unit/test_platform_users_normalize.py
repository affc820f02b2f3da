"""Each platform's users as PlatformUsers, on objects shaped as the platform notes give them, and the run rights
each platform's roles imply."""
from __future__ import annotations

from datetime import datetime, timezone

from app.platforms.aac.people import normalize_person
from app.platforms.alooma.inventory import AloomaUser
from app.platforms.alooma.people import platform_user as alooma_user
from app.platforms.server.people import normalize_user as server_user
from app.platforms.teamstudio.inventory import Member, Membership, UserInfo as TsUser
from app.platforms.teamstudio.people import platform_users as teamstudio_users
from app.platforms.vantage6.inventory import RoleInfo, RuleInfo, UserInfo as V6User
from app.platforms.vantage6.people import platform_user as vantage6_user, task_scopes

AAC_PERSON = {"id": 5, "email": "Ana.Ruiz@example.com", "name": "Ana Ruiz", "state": "active", "isDisabled": False,
              "lastLoginTime": "2026-11-29T15:48:43.323Z",
              "maximalPrivileges": [{"resourceType": "workspace", "role": "admin"}]}
SERVER_USER = {"id": "5f1e2d3c4b5a697887766554", "firstName": "Ben", "lastName": "Okafor", "email": "ben@example.com",
               "role": "Artisan", "canScheduleJobs": True, "isAccountLocked": False, "isActive": True,
               "lastLoginDateTime": "2026-11-29T18:56:05.346Z"}


def test_aac_person_with_workspace_role_and_last_login():
    """Is an AAC person's workspace role a role, lastLoginTime the last seen (UTC) and an admin able to run all?"""
    user = normalize_person(AAC_PERSON, "aac-main")
    assert (user.id, user.email, user.roles, user.active, user.can_run) == (
        "5", "Ana.Ruiz@example.com", ("workspace admin",), True, True)
    assert user.last_seen == datetime(2026, 11, 29, 15, 48, 43, 323000, tzinfo=timezone.utc)
    assert "every plan" in user.run_scope


def test_aac_disabled_or_hidden_person_runs_nothing():
    """Does isDisabled or a hidden state make the person inactive, unable to run, with the reason as status?"""
    disabled = normalize_person({**AAC_PERSON, "isDisabled": True}, "aac-main")
    hidden = normalize_person({**AAC_PERSON, "state": "hidden"}, "aac-main")
    assert (disabled.active, disabled.can_run, disabled.state) == (False, False, "disabled")
    assert (hidden.active, hidden.can_run, hidden.state) == (False, False, "hidden")
    assert normalize_person({**AAC_PERSON, "maximalPrivileges": []}, "aac-main").can_run is None


def test_server_roles_map_to_run_rights():
    """Do Curator, Artisan, NoAccess and Evaluated map to every workflow, shared ones, nothing and unknown?"""
    rights = {role: server_user({**SERVER_USER, "role": role}, "s") for role in ("Curator", "Artisan", "NoAccess",
                                                                                  "Evaluated")}
    assert {r: (u.can_run, u.roles) for r, u in rights.items()} == {
        "Curator": (True, ("Curator",)), "Artisan": (True, ("Artisan",)), "NoAccess": (False, ("NoAccess",)),
        "Evaluated": (None, ("Evaluated",))}
    assert "every workflow" in rights["Curator"].run_scope and "may schedule" in rights["Artisan"].run_scope
    assert rights["Artisan"].name == "Ben Okafor" and rights["Artisan"].last_seen is not None


def test_server_deactivated_and_locked_users():
    """Is a deactivated user inactive and unable to run, and a locked one marked locked?"""
    gone = server_user({**SERVER_USER, "isActive": False}, "s")
    locked = server_user({**SERVER_USER, "isAccountLocked": True}, "s")
    assert (gone.active, gone.can_run, gone.state) == (False, False, "deactivated")
    assert (locked.active, locked.state) == (True, "locked")


def test_teamstudio_run_rights_follow_workspace_membership():
    """Does an application admin run everywhere, a member in their workspaces, a non-member nowhere, and everyone
    'unknown' when the member lists could not be read?"""
    users = [TsUser("1", "Demo Admin", "demoadmin", "d@x.io", "analytics_developer", True, False),
             TsUser("2", "Praveen", "praman", "p@x.io", "data_analyst", False, True),
             TsUser("3", "Bea", "bea", "b@x.io", "business_user", False, False)]
    members = [Membership("10", "Sandbox", Member("2", "Praveen", "praman", "Project Member"))]
    found = {u.id: u for u in teamstudio_users(users, "ts", members)}
    assert [(found[i].can_run) for i in "123"] == [True, True, False]
    assert found["2"].run_scope == "workflows of workspaces Sandbox"
    assert found["2"].roles == ("data_analyst", "data admin") and found["1"].roles == ("analytics_developer",
                                                                                        "application admin")
    unknown = {u.id: u.can_run for u in teamstudio_users(users, "ts", None)}
    assert unknown == {"1": True, "2": None, "3": None}


def test_vantage6_task_create_rule_gives_the_widest_scope():
    """Does a role with task CREATE at collaboration scope let its users run there, and a viewer role not at all?"""
    roles = [RoleInfo("5", "Researcher", "", "—", (RuleInfo("1", "task", "CREATE", "COLLABORATION", ""),
                                                  RuleInfo("2", "task", "VIEW", "GLOBAL", ""))),
             RoleInfo("1", "Root", "", "—", (RuleInfo("3", "task", "create", "global", ""),)),
             RoleInfo("4", "Viewer", "", "—", (RuleInfo("2", "task", "VIEW", "GLOBAL", ""),))]
    scopes = task_scopes(roles)

    def user(*names: str):
        return vantage6_user(V6User("7", "Rosa", "researcher", "r@x.org", "Maas Clinic", names, None), "v6", scopes)
    assert (user("Researcher").can_run, user("Researcher").run_scope) == (True, "tasks in the collaborations of their organisation")
    assert user("Researcher", "Root").run_scope == "tasks in every collaboration"
    assert user("Viewer").can_run is False and user().can_run is False
    assert vantage6_user(V6User("7", "R", "r", "", "—", ("Viewer",), None), "v6", None).can_run is None
    assert user("Viewer").roles == ("Viewer", "organisation Maas Clinic")


def test_alooma_user_has_no_roles_and_pending_is_inactive():
    """Is an Alooma user's run right unknown (no roles listed), and an invited one inactive and unable to run?"""
    active = alooma_user(AloomaUser("a@x.io", "Ann", "Lee", False), "al")
    pending = alooma_user(AloomaUser("b@x.io", "", "", True), "al")
    assert (active.id, active.name, active.roles, active.can_run) == ("a@x.io", "Ann Lee", (), None)
    assert (pending.active, pending.can_run, pending.state, pending.name) == (False, False, "invitation pending", "b@x.io")
