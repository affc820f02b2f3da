"""Every rule of the url_map, found automatically, refuses forged writes and lesser roles and changes nothing.

Run with `-s` to see one summary line per check.
"""
from __future__ import annotations

from typing import Any

import pytest

from app.extensions import db
from app.models import AuditEvent
from tests.conftest import PASSWORD
from tests.helpers import Emulator, csrf_from, login
from tests.security.route_walk import (PUBLIC_BLUEPRINTS, WRITE_METHODS, Walk, is_public, lesser_roles, methods,
                                       required_role, rules, url_for_rule, walk)
from tests.security.tally import Tally

# Writes a viewer may make: only their own display preferences. A new write route needs role_required (or to live
# under /admin) or a place here, which is a decision somebody has to make on purpose.
VIEWER_WRITES = frozenset({"preferences.set_timezone"})
CSRF_PAGE = "security token"  # app/errors.py's CSRF page says the form's security token was missing or wrong


class Guard:
    """The database (every table but the audit log) and each emulator's world, to prove a refusal changed nothing;
    new audit rows are allowed only as records of refusals."""

    def __init__(self, app: Any, emulators: list[Emulator]) -> None:
        self.app, self.emulators = app, emulators

    def database(self) -> dict[str, list[tuple]]:
        with self.app.app_context():
            return {table.name: sorted(tuple(str(v) for v in row) for row in db.session.execute(table.select()))
                    for table in db.metadata.sorted_tables if table.name != AuditEvent.__tablename__}

    def last_audit_id(self) -> int:
        with self.app.app_context():
            return db.session.execute(db.select(db.func.max(AuditEvent.id))).scalar() or 0

    def worlds(self) -> list[dict]:
        worlds = [emulator.state() for emulator in self.emulators]
        for world in worlds:
            if isinstance(world.get("restream"), dict):  # Alooma's restream queue fills as wall time passes
                world["restream"].pop("held", None)
        return worlds

    def changes(self, before: tuple) -> list[str]:
        """What differs from the `before` snapshot (from `snapshot()`), as short reasons."""
        database, audit_id, worlds = before
        reasons = [f"table {name} changed" for name, rows in self.database().items() if rows != database.get(name)]
        with self.app.app_context():
            new = db.session.execute(db.select(AuditEvent).where(AuditEvent.id > audit_id)).scalars().all()
            reasons += [f"audit {e.action} {e.outcome}" for e in new if e.outcome != "refused"]
        if worlds is not None:
            reasons += [f"emulator {e.url} changed: {sorted(k for k in b.keys() | a.keys() if b.get(k) != a.get(k))}"
                        for e, (b, a) in zip(self.emulators, zip(worlds, self.worlds())) if b != a]
        return reasons

    def snapshot(self, *, worlds: bool = False) -> tuple:
        return self.database(), self.last_audit_id(), self.worlds() if worlds else None


@pytest.fixture
def clients(security_app) -> dict[str, Any]:
    """A test client per role, signed in, plus "anonymous"."""
    made = {"anonymous": security_app.test_client()}
    for role in ("viewer", "operator", "admin"):
        made[role] = security_app.test_client()
        assert login(made[role], role, PASSWORD).status_code == 302
    return made


@pytest.fixture
def walked(security_app, clients) -> Walk:
    """Every page an admin reaches, for real ids in URLs and the forms' own actions."""
    return walk(security_app, clients["admin"])


def token_of(client: Any, signed_in: bool = True) -> str:
    """A valid CSRF token of the client's own session (the 404 page's sign-out form carries one)."""
    return csrf_from(client.get("/no-such-page" if signed_in else "/auth/login").get_data(as_text=True))


def writes(app: Any) -> list[tuple[Any, str]]:
    return [(rule, method) for rule in rules(app) for method in sorted(methods(rule) & WRITE_METHODS)]


def _token_data(token: str, method: str) -> dict[str, str] | None:
    return {"csrf_token": token} if method in WRITE_METHODS else None


def _refused_by_login(response: Any) -> bool:
    return (response.status_code in (401, 403)
            or (response.status_code == 302 and response.headers["Location"].startswith("/auth/login")))


def test_every_write_refuses_a_missing_or_wrong_csrf_token(security_app, clients, walked, emulators):
    """Does every POST/PUT/PATCH/DELETE rule, tried as an admin, refuse a request without a CSRF token, with a
    garbage one and with another session's valid one (400, the CSRF page) and change nothing?"""
    guard = Guard(security_app, emulators)
    admin, foreign = clients["admin"], token_of(clients["anonymous"], signed_in=False)
    csrf, unchanged = Tally("csrf"), Tally("unchanged after csrf refusals")
    for rule, method in writes(security_app):
        url = url_for_rule(security_app, rule, walked, method)
        before = guard.snapshot(worlds=True)
        for label, data in (("no token", {}), ("garbage token", {"csrf_token": "not-a-token"}),
                            ("another session's token", {"csrf_token": foreign})):
            response = admin.open(url, method=method, data=data)
            csrf.check(response.status_code == 400 and CSRF_PAGE in response.get_data(as_text=True),
                       f"{method} {url} with {label}: {response.status_code}")
        changes = guard.changes(before)
        unchanged.check(not changes, f"{method} {url}: {changes}")
    for tally in (csrf, unchanged):
        print(tally.line())
    assert csrf.tried >= 3 * 40 and not csrf.failed and not unchanged.failed, csrf.failed + unchanged.failed


def test_every_route_refuses_each_role_below_the_one_it_needs(security_app, clients, walked, emulators):
    """With a valid CSRF token of their own session, is every rule refused to each role below the one it needs
    (403; signed-out visitors are sent to sign in), with GET as with writes, changing nothing?"""
    guard = Guard(security_app, emulators)
    tokens = {role: token_of(client, signed_in=role != "anonymous") for role, client in clients.items()}
    tallies = {name: Tally(name) for name in ("roles", "admin", "anonymous", "unchanged after role refusals")}
    for rule in rules(security_app):
        needed = required_role(security_app, rule)
        tally = tallies["admin" if rule.rule.startswith("/admin") else "roles"]
        before = guard.snapshot(worlds=bool(methods(rule) & WRITE_METHODS))
        for method in sorted(methods(rule)):
            url = url_for_rule(security_app, rule, walked, method)
            for role in lesser_roles(needed):
                response = clients[role].open(url, method=method, data=_token_data(tokens[role], method))
                tally.check(response.status_code == 403, f"{role} {method} {url}: {response.status_code}")
            if needed is not None:
                response = clients["anonymous"].open(url, method=method,
                                                     data=_token_data(tokens["anonymous"], method))
                tallies["anonymous"].check(_refused_by_login(response), f"{method} {url}: {response.status_code}")
        changes = guard.changes(before)
        tallies["unchanged after role refusals"].check(not changes, f"{rule.rule}: {changes}")
    for tally in tallies.values():
        print(tally.line())
    assert tallies["admin"].tried >= 2 * 5 and tallies["roles"].tried >= 40
    failed = [what for tally in tallies.values() for what in tally.failed]
    assert not failed, failed


def test_every_write_route_declares_the_role_it_needs(app):
    """Does every write rule outside sign-in declare its role (role_required, or /admin), except the viewer's own
    preferences, so that a new action cannot slip in open to viewers?"""
    declared = Tally("declared roles")
    for rule, method in writes(app):
        if rule.endpoint.split(".")[0] in PUBLIC_BLUEPRINTS or rule.endpoint in VIEWER_WRITES:
            continue
        declared.check(not is_public(rule) and required_role(app, rule) != "viewer",
                       f"{method} {rule.rule} ({rule.endpoint})")
    print(declared.line())
    assert declared.tried >= 40 and not declared.failed, declared.failed
