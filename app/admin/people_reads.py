"""Every connection's users (and schedules) read at once through the fan-out, for the people pages.

A connection that fails, is too slow or has no users API leaves its accounts unknown and becomes one banner; the
rest of the page still shows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Hashable

from app.cache import Fetched
from app.connections import registry
from app.errors import PlatformError
from app.extensions import db
from app.fanout import gather
from app.models import User
from app.platforms.records import PlatformUser, Schedule


@dataclass(frozen=True)
class ConnectionRead:
    """What one connection answered: its users and schedules (None where the read failed, with why)."""

    users: Fetched[list[PlatformUser]] | None
    users_error: str = ""
    schedules: Fetched[list[Schedule]] | None = None
    schedules_error: str = ""


@dataclass(frozen=True)
class Directory:
    """Every connection's accounts (None for a connection whose users could not be read), schedules, problems."""

    accounts: dict[str, list[PlatformUser] | None]
    schedules: list[Schedule]
    problems: dict[str, str]  # connection -> why its users are unknown
    banners: tuple[str, ...]
    owners_are_users: dict[str, bool]
    kinds: dict[str, tuple[str, ...]]
    version: Hashable = field(default=())

    def all_accounts(self) -> list[PlatformUser]:
        return [a for found in self.accounts.values() if found for a in found]


def _stale_note(fetched: Fetched[Any]) -> str | None:
    if fetched.stale is None:
        return None
    return f"{fetched.stale.describe()} (showing a copy {int(fetched.age_seconds)} s old)"


def _read(name: str, with_schedules: bool) -> ConnectionRead:
    """One connection's users and, if asked, schedules; each failure is kept apart so the other read still shows."""
    svc = registry().service(name)
    users = schedules = None
    users_error = schedules_error = ""
    try:
        users = svc.platform_users()
    except PlatformError as error:
        users_error = error.describe()
    if with_schedules and svc.has_schedules:
        try:
            schedules = svc.schedules()
        except PlatformError as error:
            schedules_error = error.describe()
    return ConnectionRead(users, users_error, schedules, schedules_error)


def read_directory(with_schedules: bool = False) -> Directory:
    """Every connection asked in parallel (app/fanout.py), each within the fan-out deadline."""
    connections = registry().all()
    outcomes = gather([c.name for c in connections], lambda name: _read(name, with_schedules))
    accounts: dict[str, list[PlatformUser] | None] = {}
    problems: dict[str, str] = {}
    banners: list[str] = []
    schedules: list[Schedule] = []
    version: list[Hashable] = []
    for connection in connections:
        outcome = outcomes[connection.name]
        read = outcome.value if outcome.ok else ConnectionRead(None, outcome.error or "no answer")
        if read.users is None:
            accounts[connection.name] = None
            problems[connection.name] = read.users_error
            banners.append(f"Users: {read.users_error}")
        else:
            accounts[connection.name] = read.users.value
            note = _stale_note(read.users)
            banners += [f"Users: {note}"] if note else []
        if read.schedules_error:
            banners.append(f"Schedules: {read.schedules_error}")
        if read.schedules is not None:
            schedules += read.schedules.value
            note = _stale_note(read.schedules)
            banners += [f"Schedules: {note}"] if note else []
        version.append((connection.name, read.users.fetched_at if read.users else None,
                        read.schedules.fetched_at if read.schedules else None))
    services = {c.name: registry().service(c.name) for c in connections}
    return Directory(accounts, schedules, problems, tuple(banners),
                     {name: svc.schedule_owners_are_users for name, svc in services.items()},
                     {name: tuple(svc.workflow_kinds) for name, svc in services.items()}, tuple(version))


def flightdeck_usernames() -> tuple[str, ...]:
    """Flightdeck's own usernames, matched to people by email or by an account's username."""
    return tuple(db.session.execute(db.select(User.username).order_by(User.username)).scalars())
