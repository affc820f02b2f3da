"""Pure matching for the people pages: platform accounts to one person by email, Flightdeck users beside them.

No Flask and no I/O: the views gather PlatformUsers from every connection and hand them here, so the matching is
tested on small record lists (tests/unit/test_people_matching.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping

from app.platforms.records import PlatformUser


def email_key(email: str) -> str:
    """An email as people are matched on it: trimmed and in lower case; "" for none or something not an email."""
    text = (email or "").strip().lower()
    return text if "@" in text.strip("@") else ""


@dataclass(frozen=True)
class Person:
    """One person: every account that shares an email, or one account with no email of its own.

    `key` is the email matched on, or "<connection>:<id>" for an account matched to nobody.
    """

    key: str
    email: str
    accounts: tuple[PlatformUser, ...]
    flightdeck_user: str | None = None

    @property
    def matched(self) -> bool:
        """Whether the accounts were matched by email (as opposed to one account standing alone)."""
        return bool(self.email)

    @property
    def name(self) -> str:
        """The first name any account gives beyond the email itself, else the email, else the username."""
        for account in self.accounts:
            if account.name and account.name.lower() != account.email.lower():
                return account.name
        return self.email or self.accounts[0].username or self.accounts[0].id

    @property
    def connections(self) -> tuple[str, ...]:
        return tuple(sorted({a.connection for a in self.accounts}))

    @property
    def last_seen(self) -> datetime | None:
        """The latest sign-in any platform knows of."""
        seen = [a.last_seen for a in self.accounts if a.last_seen is not None]
        return max(seen) if seen else None

    @property
    def texts(self) -> tuple[str, ...]:
        """What the search box matches: names, emails, usernames, roles, connections, the Flightdeck user."""
        return (self.name, self.email, self.flightdeck_user or "",
                *(text for a in self.accounts for text in (a.name, a.username, a.connection, a.platform, *a.roles)))


def match_people(accounts: Iterable[PlatformUser], flightdeck_users: Iterable[str] = ()) -> list[Person]:
    """Accounts sharing an email (any case, spaces trimmed) become one Person; an account without an email is a
    Person of its own. A Flightdeck username equal to the person's email or to one of their accounts' usernames
    (any case) is named beside them. People come by name, then key."""
    by_email: dict[str, list[PlatformUser]] = {}
    alone: list[Person] = []
    for account in accounts:
        key = email_key(account.email)
        if key:
            by_email.setdefault(key, []).append(account)
        else:
            alone.append(Person(f"{account.connection}:{account.id}", "", (account,)))
    local = {name.strip().lower(): name for name in flightdeck_users}
    people = [Person(key, key, tuple(sorted(found, key=lambda a: (a.connection, a.id))))
              for key, found in by_email.items()] + alone
    return sorted((_with_flightdeck_user(p, local) for p in people), key=lambda p: (p.name.lower(), p.key))


def _with_flightdeck_user(person: Person, local: Mapping[str, str]) -> Person:
    names = [person.email] + [a.username.strip().lower() for a in person.accounts]
    found = next((local[n] for n in names if n and n in local), None)
    return Person(person.key, person.email, person.accounts, found) if found else person


def accounts_by_connection(accounts: Iterable[PlatformUser]) -> dict[str, list[PlatformUser]]:
    """Accounts grouped by their connection, each group in the order given."""
    grouped: dict[str, list[PlatformUser]] = {}
    for account in accounts:
        grouped.setdefault(account.connection, []).append(account)
    return grouped


PEOPLE_CSV = ("person", "email", "flightdeck_user", "connection", "platform", "account_id", "username", "name",
              "roles", "state", "last_seen", "can_run", "run_scope")


def can_run_word(account: PlatformUser) -> str:
    """yes, no or unknown: the account's run right in one word, for tables and CSV."""
    return "unknown" if account.can_run is None else ("yes" if account.can_run else "no")


def people_rows(people: Iterable[Person]) -> Iterable[list[object]]:
    """One CSV row per account, each with the person it was matched to."""
    for person in people:
        for a in person.accounts:
            yield [person.name, person.email, person.flightdeck_user or "", a.connection, a.platform, a.id,
                   a.username, a.name, "; ".join(a.roles), a.state, a.last_seen, can_run_word(a), a.run_scope]
