"""Pure logic of the schedule owners and run rights pages: each schedule's owner found among its platform's users
(flagged when disabled there or gone), and what each account may start runs of.

No Flask and no I/O, like app/admin/people.py; tests/unit/test_people_matching.py drives both.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from app.admin.people import Person, can_run_word
from app.platforms.records import PlatformUser, Schedule

OWNER_STATES = ("active", "disabled", "gone", "unknown")
NO_OWNER = ("", "—")


@dataclass(frozen=True)
class OwnedSchedule:
    """A schedule with its owner's account on the same connection and what became of it.

    state is active, disabled (the account exists but is not active), gone (no longer among the users) or unknown
    (the users could not be read, the platform names no owner, or its owners are not users at all).
    """

    schedule: Schedule
    state: str
    account: PlatformUser | None
    reason: str

    @property
    def flagged(self) -> bool:
        return self.state in ("disabled", "gone")


def find_owner(schedule: Schedule, accounts: Iterable[PlatformUser]) -> PlatformUser | None:
    """The owner's account: by user id where the schedule carries one, else by name, username or email (any case)."""
    if schedule.owner_id:
        return next((a for a in accounts if a.id == schedule.owner_id), None)
    wanted = schedule.owner.strip().lower()
    return next((a for a in accounts if wanted in (a.name.lower(), a.username.lower(), a.email.lower())), None)


def owner_state(schedule: Schedule, accounts: list[PlatformUser] | None, *, owners_are_users: bool = True,
                problem: str = "") -> OwnedSchedule:
    """Where the schedule's owner stands on its platform; `accounts` is None when its users could not be read
    (`problem` says why)."""
    if not owners_are_users:
        return OwnedSchedule(schedule, "unknown", None, "the platform's schedules belong to no user")
    if accounts is None:
        return OwnedSchedule(schedule, "unknown", None, f"the users could not be read: {problem or 'no answer'}")
    if schedule.owner.strip() in NO_OWNER and not schedule.owner_id:
        return OwnedSchedule(schedule, "unknown", None, "the platform names no owner")
    account = find_owner(schedule, accounts)
    if account is None:
        ident = f" (user id {schedule.owner_id})" if schedule.owner_id else ""
        return OwnedSchedule(schedule, "gone", None, f"the owner{ident} is no longer among the platform's users")
    if not account.active:
        return OwnedSchedule(schedule, "disabled", account, f"the owner's account is {account.state}")
    return OwnedSchedule(schedule, "active", account, "")


def owned_schedules(schedules: Iterable[Schedule], accounts: Mapping[str, list[PlatformUser] | None],
                    owners_are_users: Mapping[str, bool], problems: Mapping[str, str]) -> list[OwnedSchedule]:
    """Every schedule with its owner's state, flagged ones first, then by owner and schedule name. `accounts`,
    `owners_are_users` and `problems` are keyed by connection."""
    found = [owner_state(s, accounts.get(s.connection), owners_are_users=owners_are_users.get(s.connection, True),
                         problem=problems.get(s.connection, "")) for s in schedules]
    return sorted(found, key=lambda o: (not o.flagged, o.schedule.owner.lower(), o.schedule.name.lower(),
                                        o.schedule.connection))


OWNERS_CSV = ("connection", "platform", "schedule_id", "schedule", "enabled", "owner", "owner_id", "owner_state",
              "reason", "owner_email")


def owner_rows(items: Iterable[OwnedSchedule]) -> Iterable[list[object]]:
    for o in items:
        s = o.schedule
        yield [s.connection, s.platform, s.id, s.name, "yes" if s.enabled else "no", s.owner, s.owner_id, o.state,
               o.reason, o.account.email if o.account else ""]


@dataclass(frozen=True)
class RunRight:
    """What one account of one person may start runs of: the connection's workflow kinds when it can run."""

    person: Person
    account: PlatformUser
    kinds: tuple[str, ...]

    @property
    def word(self) -> str:
        return can_run_word(self.account)


def run_rights(people: Iterable[Person], kinds: Mapping[str, tuple[str, ...]]) -> list[RunRight]:
    """A row per account of every person; `kinds` names each connection's workflow kinds (none when the account
    may not run, all of them, marked unknown, when the platform does not say)."""
    return [RunRight(p, a, () if a.can_run is False else kinds.get(a.connection, ()))
            for p in people for a in p.accounts]


RUNS_CSV = ("person", "email", "connection", "platform", "account", "roles", "can_run", "kinds", "where")


def run_right_rows(items: Iterable[RunRight]) -> Iterable[list[object]]:
    for r in items:
        a = r.account
        yield [r.person.name, r.person.email, a.connection, a.platform, a.username or a.id, "; ".join(a.roles),
               r.word, " ".join(r.kinds), a.run_scope]
