"""Small helpers the test layers share: CSRF tokens from pages, signing in, emulator control."""
from __future__ import annotations

import re
from typing import Any

import requests

CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
EXECUTION_PATTERN = re.compile(r'name="execution_id"[^>]*value="([0-9a-f]{32})"|value="([0-9a-f]{32})"[^>]*name="execution_id"')


def csrf_from(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


def execution_id_from(html: str) -> str:
    match = EXECUTION_PATTERN.search(html)
    assert match, "page has no execution id"
    return match.group(1) or match.group(2)


def login(client: Any, username: str, password: str = "pw-" + "x" * 12) -> Any:
    page = client.get("/auth/login")
    return client.post("/auth/login", data={"username": username, "password": password,
                                            "csrf_token": csrf_from(page.get_data(as_text=True))})


def post_form(client: Any, page_url: str, action_url: str | None = None, **fields: str) -> Any:
    """GET a page, take its CSRF token (and execution id), POST the form like a browser would."""
    html = client.get(page_url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), **fields}
    if "execution_id" not in fields and 'name="execution_id"' in html:
        data["execution_id"] = execution_id_from(html)
    return client.post(action_url or page_url, data=data)


class Emulator:
    """Drives an emulator's /_sandbox/ control endpoints over HTTP."""

    def __init__(self, url: str) -> None:
        self.url = url

    def reset(self) -> None:
        requests.post(f"{self.url}/_sandbox/reset", timeout=10).raise_for_status()

    def faults(self, **knobs: Any) -> None:
        requests.post(f"{self.url}/_sandbox/faults", json=knobs, timeout=5).raise_for_status()

    def clear_faults(self) -> None:
        requests.delete(f"{self.url}/_sandbox/faults", timeout=5).raise_for_status()

    def advance(self, seconds: float) -> None:
        requests.post(f"{self.url}/_sandbox/clock", json={"advance": seconds}, timeout=5).raise_for_status()

    def hostile(self) -> int:
        """Fill the world's free-text fields with XSS payloads in place (tokens stay valid); how many changed."""
        response = requests.post(f"{self.url}/_sandbox/hostile", timeout=10)
        response.raise_for_status()
        return response.json()["fields"]

    def mint(self) -> dict:
        response = requests.post(f"{self.url}/_sandbox/tokens", json={}, timeout=5)
        response.raise_for_status()
        return response.json()

    def state(self) -> dict:
        return requests.get(f"{self.url}/_sandbox/state", timeout=5).json()


def audit_rows(app: Any, action: str) -> list:
    """The audit events of one action, oldest first."""
    from app.extensions import db
    from app.models import AuditEvent
    with app.app_context():
        return db.session.execute(db.select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)).scalars().all()


def user_named(app: Any, username: str) -> Any:
    """The User row of that name as the database has it now (detached, so its fields read after the context), or
    None."""
    from app.extensions import db
    from app.models import User
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
        if user is not None:
            db.session.expunge(user)
        return user


def service_in(app: Any, name: str) -> Any:
    """A fixture body: the connection's service inside a request context of the app, for contract tests."""
    from app.connections import registry
    with app.test_request_context():
        yield registry().service(name)
