"""The people pages' pure logic on small record lists: matching by email, Flightdeck users, owner states, run rights."""
from __future__ import annotations

from datetime import datetime, timezone

from app.admin.owners import find_owner, owned_schedules, owner_state, run_rights
from app.admin.people import email_key, match_people
from app.platforms.records import PlatformUser, Schedule, Trigger


def account(connection: str, ident: str, email: str = "", *, name: str = "", username: str = "", active: bool = True,
            can_run: bool | None = True, seen: datetime | None = None, status: str = "") -> PlatformUser:
    return PlatformUser(connection, connection.split("-")[0], ident, username or ident, name or ident, email, (),
                        active, seen, can_run, status=status)


def schedule(connection: str, ident: str, owner: str, owner_id: str = "") -> Schedule:
    return Schedule(connection, connection.split("-")[0], ident, f"schedule {ident}", None, owner,
                    Trigger("manual", "on demand"), "UTC", True, None, None, None, None, owner_id=owner_id)


def test_email_key_trims_and_lowers():
    """Is an email compared trimmed and in lower case, and is text without an @ no email at all?"""
    assert email_key("  Ana.Ruiz@Example.COM ") == "ana.ruiz@example.com"
    assert email_key("ana") == "" and email_key("") == "" and email_key("@") == ""


def test_accounts_with_one_email_in_any_case_are_one_person():
    """Do accounts on three connections whose emails differ only in case and spaces become one person?"""
    people = match_people([account("aac-main", "5", "Ana@Example.com", name="Ana Ruiz"),
                           account("server-main", "ab", " ana@example.com"),
                           account("ts-main", "7", "ANA@EXAMPLE.COM ", name="Ana R.")])
    assert len(people) == 1
    ana = people[0]
    assert ana.email == "ana@example.com" and ana.name == "Ana Ruiz" and ana.matched
    assert ana.connections == ("aac-main", "server-main", "ts-main")


def test_accounts_without_email_stand_alone():
    """Is each account without an email its own unmatched person, even when two share a username?"""
    people = match_people([account("ts-main", "1", username="omar"), account("v6-main", "2", username="omar"),
                           account("aac-main", "3", "omar@example.com")])
    alone = [p for p in people if not p.matched]
    assert len(people) == 3 and {p.key for p in alone} == {"ts-main:1", "v6-main:2"}


def test_flightdeck_user_is_found_by_email_or_username():
    """Is a Flightdeck user named beside the person whose email or account username it equals, in any case?"""
    people = match_people([account("aac-main", "5", "vera@example.org"),
                           account("v6-main", "7", "", username="Omar")], ["VERA@example.org", "omar", "nobody"])
    assert {p.key: p.flightdeck_user for p in people} == {"vera@example.org": "VERA@example.org", "v6-main:7": "omar"}


def test_person_last_seen_is_the_latest_any_platform_knows():
    """Is a person's last seen the latest of their accounts' sign-ins, ignoring unknown ones?"""
    early, late = datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 3, 1, tzinfo=timezone.utc)
    person = match_people([account("a-1", "1", "x@y.z", seen=early), account("b-1", "2", "x@y.z", seen=late),
                           account("c-1", "3", "x@y.z")])[0]
    assert person.last_seen == late


def test_owner_found_by_id_then_by_name():
    """Is the owner found by user id when the schedule has one, else by name, username or email?"""
    users = [account("s-1", "ab", "ben@example.com", name="Ben Okafor"), account("s-1", "cd", name="Cleo")]
    assert find_owner(schedule("s-1", "1", "whoever", owner_id="cd"), users).id == "cd"
    assert find_owner(schedule("s-1", "2", "ben okafor"), users).id == "ab"
    assert find_owner(schedule("s-1", "3", "BEN@example.com"), users).id == "ab"
    assert find_owner(schedule("s-1", "4", "Ben", owner_id="zz"), users) is None


def test_schedule_of_a_disabled_owner_is_flagged():
    """Is a schedule whose owner's account is not active flagged disabled, with the platform's word for it?"""
    users = [account("s-1", "ab", name="Ben", active=False, status="deactivated")]
    found = owner_state(schedule("s-1", "1", "Ben", owner_id="ab"), users)
    assert (found.state, found.flagged, found.account.id) == ("disabled", True, "ab")
    assert "deactivated" in found.reason


def test_schedule_of_a_gone_owner_is_flagged():
    """Is a schedule whose owner id is no longer among the connection's users flagged gone?"""
    found = owner_state(schedule("t-1", "9", "Lee Ver", owner_id="42"), [account("t-1", "7", name="Tomas")])
    assert (found.state, found.flagged, found.account) == ("gone", True, None)
    assert "42" in found.reason


def test_owner_state_is_unknown_without_users_or_owner():
    """Is the state unknown, and not flagged, when the users could not be read, the platform names no owner, or its
    owners are no users (Alooma)?"""
    unread = owner_state(schedule("s-1", "1", "Ben", "ab"), None, problem="s-1: Only Curators may list users.")
    nobody = owner_state(schedule("t-1", "2", "—"), [account("t-1", "7")])
    deployment = owner_state(schedule("al-1", "3", "flightdeck-demo"), [], owners_are_users=False)
    assert [o.state for o in (unread, nobody, deployment)] == ["unknown"] * 3
    assert not any(o.flagged for o in (unread, nobody, deployment))
    assert "Only Curators" in unread.reason


def test_flagged_schedules_come_first():
    """Are flagged schedules listed before the others, whatever their owners' names?"""
    users = {"s-1": [account("s-1", "ab", name="Ann"), account("s-1", "zz", name="Zed", active=False)]}
    listed = owned_schedules([schedule("s-1", "1", "Ann", "ab"), schedule("s-1", "2", "Zed", "zz"),
                              schedule("s-1", "3", "Gone", "gg")], users, {"s-1": True}, {})
    assert [(o.schedule.id, o.state) for o in listed] == [("3", "gone"), ("2", "disabled"), ("1", "active")]


def test_run_rights_give_kinds_only_to_those_who_may_run():
    """Does an account that may run get its connection's kinds, one that may not get none, and an unknown one the
    kinds marked unknown?"""
    people = match_people([account("aac-1", "1", "a@x.io", can_run=True), account("aac-1", "2", "b@x.io", can_run=False),
                           account("al-1", "c@x.io", "c@x.io", can_run=None)])
    rights = {r.account.id: (r.word, r.kinds) for r in run_rights(people, {"aac-1": ("plan", "flow"), "al-1": ("input",)})}
    assert rights == {"1": ("yes", ("plan", "flow")), "2": ("no", ()), "c@x.io": ("unknown", ("input",))}
