"""No configured secret and no token the app holds appears in any page, JSON answer, header or log line.

Run with `-s` to see the summary lines.
"""
from __future__ import annotations

import html
import json
import logging
import os
from typing import Any
from urllib.parse import quote

from app.connections import registry
from app.crypto import decrypt
from app.extensions import cache, db
from app.models import StoredToken
from tests.conftest import PASSWORD
from tests.helpers import login, post_form
from tests.security.route_walk import walk

SHORTEST = 8  # shorter values could turn up in a page by chance; every minted secret is longer


def configured_secrets(app: Any) -> dict[str, str]:
    """The values behind every connection's `*_env` setting (as an operator exports them), the secrets stored with
    connections added in the browser, the app's secret key and the test users' password, by a label for the failure
    message."""
    found = {"SECRET_KEY": app.config["SECRET_KEY"], "user password": PASSWORD}
    with app.app_context():
        registry().sync()
        for connection in registry().all():
            for key, env in connection.options.items():
                if key.endswith("_env") and os.environ.get(str(env)):
                    found[f"{connection.name} {key}"] = os.environ[str(env)]
            for key, value in connection.secrets.items():
                found[f"{connection.name} stored {key}"] = value
    return found


def held_tokens(app: Any) -> dict[str, str]:
    """Every token, session id or refresh token the app keeps (decrypted), by connection."""
    found = {}
    with app.app_context():
        for row in db.session.execute(db.select(StoredToken)).scalars():
            for kind in ("access_token", "refresh_token"):
                value = decrypt(getattr(row, kind))
                if value:
                    found[f"{row.connection} {kind} {value[:6]}…"] = value
    return found


def leaked(text: str, secrets: dict[str, str]) -> list[str]:
    """The labels of the secrets in `text`, plain or as HTML, URL or JSON would write them."""
    def forms(value: str) -> set[str]:
        return {value, html.escape(value), quote(value, safe=""), json.dumps(value)[1:-1]}
    return [label for label, value in secrets.items()
            if len(value) >= SHORTEST and any(form in text for form in forms(value))]


def _text(response: Any) -> str:
    headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items() if name != "Set-Cookie")
    return headers + "\n" + response.get_data(as_text=True)


def _refresh_every_token(app: Any, client: Any) -> list[Any]:
    """Press Refresh on each connection's token panel that has one; the answers and the panels after."""
    answers = []
    with app.app_context():
        connections = [(c.platform, c.name) for c in registry().all()]
    for platform, name in connections:
        panel = f"/{platform}/{name}/token"
        if client.get(panel).status_code == 200:
            answers.append(post_form(client, panel, f"{panel}/refresh"))
            answers.append(client.get(panel))
    return answers


def test_no_page_json_answer_or_log_line_shows_a_secret(security_app, emulators, caplog):
    """With every token refreshed, then every GET route walked as an admin, then the platforms refusing the
    credentials (401) while tokens are refreshed again: does no answer and no captured log line (DEBUG) hold a
    configured secret, password, API key or a token the app holds?"""
    caplog.set_level(logging.DEBUG)
    admin = security_app.test_client()
    assert login(admin, "admin", PASSWORD).status_code == 302
    tokens: dict[str, str] = {}
    answers = {f"refresh {i}": answer for i, answer in enumerate(_refresh_every_token(security_app, admin))}
    tokens.update(held_tokens(security_app))

    found = walk(security_app, admin, after_each=lambda url, response: tokens.update(held_tokens(security_app)))
    answers.update(found.pages)

    for emulator in emulators:  # the error paths: banners, flashes, audit rows and warnings about a refusal
        emulator.faults(fail_next={"count": 40, "status": 401})
    with security_app.app_context():
        cache.clear()
    answers.update({f"refused refresh {i}": answer
                    for i, answer in enumerate(_refresh_every_token(security_app, admin))})
    for url in ("/", "/runs", "/admin/audit", "/admin/audit.csv"):
        answers[f"refused {url}"] = admin.get(url, buffered=True)
    with security_app.app_context():
        names = [c.name for c in registry().all()]
    for name in names:  # Test connection's flash of each refusal
        tested = post_form(admin, f"/admin/connections/{name}", f"/admin/connections/{name}/test")
        answers[f"refused test {name}"] = admin.get(tested.headers["Location"], buffered=True)
    tokens.update(held_tokens(security_app))

    secrets = {**configured_secrets(security_app), **tokens}
    page_leaks = {url: labels for url, answer in answers.items() if (labels := leaked(_text(answer), secrets))}
    records = caplog.records
    log_text = caplog.text + "\n".join(f"{r.getMessage()}\n{r.exc_text or ''}" for r in records)
    log_leaks = leaked(log_text, secrets)
    print(f"pages: {len(answers)} tried, {len(page_leaks)} failed")
    print(f"logs: {len(records)} records tried, {len(log_leaks)} failed")
    assert len(configured_secrets(security_app)) >= 2 + 6 and len(tokens) >= 4, (sorted(secrets), sorted(tokens))
    assert len(answers) >= 100 and len(records) >= 100
    assert not page_leaks, page_leaks
    assert not log_leaks, log_leaks
