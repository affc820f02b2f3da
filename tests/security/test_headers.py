"""Security headers on every answer: each GET route an admin reaches, error pages, static files, redirects.

Run with `-s` to see the summary line.
"""
from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD
from tests.helpers import csrf_from, login
from tests.security.route_walk import walk

REQUIRED = {
    "Content-Security-Policy": None,  # checked on its own below
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": None,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def header_problems(response: Any) -> list[str]:
    """What is missing or wrong in one response's security headers."""
    problems = [f"{name} is {response.headers.get(name)!r}" for name, value in REQUIRED.items()
                if not response.headers.get(name) or (value is not None and response.headers[name] != value)]
    directives = {part.split()[0]: part.split()[1:] for part in response.headers.get("Content-Security-Policy", "")
                  .split(";") if part.strip()}
    script_src = directives.get("script-src", directives.get("default-src", []))
    if not script_src or {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(script_src):
        problems.append(f"script-src is {script_src}")
    if directives.get("frame-ancestors") != ["'none'"] or directives.get("object-src") != ["'none'"]:
        problems.append("frame-ancestors or object-src is not 'none'")
    if "camera=()" not in response.headers.get("Permissions-Policy", ""):
        problems.append("Permissions-Policy allows the camera")
    return problems


def test_every_page_an_admin_reaches_carries_the_security_headers(security_app):
    """Does every answer of the walk over every GET rule (pages, JSON, CSV, redirects, 404s, a static file) carry
    the security headers, with a CSP whose script-src has no 'unsafe-inline'?"""
    client = security_app.test_client()
    assert login(client, "admin", PASSWORD).status_code == 302
    tried, failed = 0, []

    def check(url: str, response: Any) -> None:
        nonlocal tried
        tried += 1
        failed.extend(f"{url} ({response.status_code}): {problem}" for problem in header_problems(response))

    found = walk(security_app, client, after_each=check)
    print(f"headers: {tried} tried, {len(failed)} failed")
    assert any(url.startswith("/static/") for url in found.pages), "the walk reached no static file"
    assert any(r.mimetype == "application/json" for r in found.pages.values()), "the walk reached no JSON"
    assert tried >= 100 and not failed, failed


def test_error_pages_carry_the_security_headers(app):
    """Do a 404, a 405, a CSRF refusal (400), a 403, a sign-in redirect, a 500 and a static file carry them too?"""
    app.add_url_rule("/_boom", "boom", lambda: 1 / 0)
    anonymous, viewer = app.test_client(), app.test_client()
    assert login(viewer, "viewer", PASSWORD).status_code == 302
    answers = {
        "404": viewer.get("/no-such-page"),
        "405": viewer.get("/auth/logout"),
        "400 csrf": viewer.post("/auth/logout"),
        "403": viewer.get("/admin/audit"),
        "302 to sign in": anonymous.get("/runs"),
        "500": viewer.get("/_boom"),
        "static": anonymous.get("/static/css/app.css"),
        "json 404": viewer.get("/api/v1/aac/no-such-connection/runs"),
    }
    assert [a.status_code for a in answers.values()] == [404, 405, 400, 403, 302, 500, 200, 404]
    failed = {name: header_problems(answer) for name, answer in answers.items() if header_problems(answer)}
    assert not failed, failed


def test_the_rate_limit_page_carries_the_security_headers(app):
    """Is the 429 answer to too many sign-ins a page with the security headers too?"""
    client = app.test_client()
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    answers = [client.post("/auth/login", data={"username": "nobody", "password": "x", "csrf_token": token})
               for _ in range(11)]
    assert answers[-1].status_code == 429 and not header_problems(answers[-1])


def test_strict_transport_security_on_https_and_in_production(app):
    """Is HSTS sent on an HTTPS request, and on plain HTTP only when cookies are Secure (production)?"""
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers
    secure = client.get("/auth/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    app.config["SESSION_COOKIE_SECURE"] = True
    assert client.get("/static/css/app.css").headers["Strict-Transport-Security"].startswith("max-age=31536000")
    app.config["HSTS_MAX_AGE"] = 0
    assert "Strict-Transport-Security" not in client.get("/auth/login", base_url="https://localhost").headers
