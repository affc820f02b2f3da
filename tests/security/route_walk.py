"""Every rule of an app's url_map with a concrete URL to try: found by walking the pages an admin sees (real
connection names and ids), else built from the values seen for the same argument, else from a dummy that makes
the route answer 404. A route added later is walked without anyone writing a test for it."""
from __future__ import annotations

import html
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Rule

from app.models import ROLES

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# signing in and out is for everyone; these answer without a session by design
PUBLIC_BLUEPRINTS = frozenset({"auth"})
PUBLIC_ENDPOINTS = frozenset({"static", "overview.healthz"})
LINK = re.compile(r"""\b(?:href|action|src)\s*=\s*["']([^"']+)["']""", re.I)
DUMMY_ID = 987654321
DUMMY_TEXT = "no-such-thing"


def rules(app: Flask) -> list[Rule]:
    """Every rule, in a stable order."""
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))


def methods(rule: Rule) -> set[str]:
    return set(rule.methods or ()) - {"HEAD", "OPTIONS"}


def is_public(rule: Rule) -> bool:
    return rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint.split(".")[0] in PUBLIC_BLUEPRINTS


def required_role(app: Flask, rule: Rule) -> str | None:
    """The least role the route lets in: admin for /admin (its blueprint's before_request), the role its
    role_required decorator recorded, viewer for any other signed-in route, None for public ones."""
    if is_public(rule):
        return None
    if rule.rule.startswith("/admin"):
        return "admin"
    return getattr(app.view_functions[rule.endpoint], "required_role", "viewer")


def lesser_roles(role: str | None) -> list[str]:
    """The roles below `role`."""
    return [] if role is None else list(ROLES[:ROLES.index(role)])


@dataclass
class Walk:
    """What a walk found: GET answers by URL, and per endpoint the URLs seen in links and form actions."""

    pages: dict[str, Any] = field(default_factory=dict)
    urls: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    args: dict[tuple[str, str], list[Any]] = field(default_factory=lambda: defaultdict(list))

    def note(self, endpoint: str, url: str, values: dict[str, Any]) -> None:
        if url not in self.urls[endpoint]:
            self.urls[endpoint].append(url)
        for name, value in values.items():
            for scope in (endpoint, endpoint.split(".")[0], ""):
                if value not in self.args[(scope, name)]:
                    self.args[(scope, name)].append(value)


def _match(app: Flask, url: str, method: str) -> tuple[str, dict[str, Any]] | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    try:
        return app.url_map.bind("localhost").match(parts.path, method=method)
    except HTTPException:
        return None


def _links(body: str) -> Iterator[str]:
    for raw in LINK.findall(body):
        url = html.unescape(raw).split("#")[0]
        if url.startswith("/") and not url.startswith("//"):
            yield url


def walk(app: Flask, client: Any, *, per_endpoint: int = 1, after_each: Callable[[str, Any], None] | None = None,
         limit: int = 600) -> Walk:
    """GET "/" and follow same-site links breadth first, at most `per_endpoint` URLs of each endpoint; then GET a
    built URL for every GET rule the links never reached. `after_each(url, response)` sees every answer."""
    found = Walk()
    queue: deque[str] = deque(["/"])
    seen: set[str] = set()
    fetched: dict[str, int] = defaultdict(int)

    def fetch(url: str) -> None:
        response = client.get(url, buffered=True)
        found.pages[url] = response
        if after_each:
            after_each(url, response)
        links = list(_links(response.get_data(as_text=True))) if response.mimetype == "text/html" else []
        if response.status_code in (301, 302, 303, 307, 308):
            links.extend(_links(f'href="{response.headers.get("Location", "")}"'))
        for link in links:
            for method in ("GET", "POST"):
                matched = _match(app, link, method)
                if matched:
                    found.note(matched[0], link, matched[1])
            if link not in seen:
                queue.append(link)

    while queue and len(found.pages) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        matched = _match(app, url, "GET")
        if matched is None or fetched[matched[0]] >= per_endpoint:
            continue
        fetched[matched[0]] += 1
        found.note(matched[0], url, matched[1])
        fetch(url)
    for rule in rules(app):
        if "GET" in methods(rule) and not fetched[rule.endpoint]:
            url = url_for_rule(app, rule, found)
            fetched[rule.endpoint] += 1
            if url not in found.pages:
                fetch(url)
    return found


def _value(app: Flask, rule: Rule, name: str, found: Walk, chosen: dict[str, Any]) -> Any:
    if name == "connection":
        platform = chosen.get("platform") or rule.endpoint.split(".")[0]
        names = [c.name for c in app.extensions["flightdeck.connections"].all(platform)]
        if names:
            return names[0]
    if name == "platform":
        connections = app.extensions["flightdeck.connections"].all()
        if connections:
            return connections[0].platform
    for scope in (rule.endpoint, rule.endpoint.split(".")[0], ""):
        if found.args.get((scope, name)):
            return found.args[(scope, name)][0]
    return DUMMY_ID if isinstance(rule._converters.get(name), IntegerConverter) else DUMMY_TEXT


def url_for_rule(app: Flask, rule: Rule, found: Walk, method: str = "GET") -> str:
    """A URL of `rule`: one the walk saw (a link, or a form's action for a write), else one built from the values
    seen for its arguments (same endpoint, then same blueprint, then anywhere), else from dummies."""
    for url in found.urls.get(rule.endpoint, ()):
        if _match(app, url, method) is not None:
            return url
    chosen: dict[str, Any] = {}
    for name in sorted(rule.arguments, key=lambda n: n != "platform"):  # the platform picks the connection
        chosen[name] = _value(app, rule, name, found, chosen)
    return app.url_map.bind("localhost").build(rule.endpoint, chosen, method=method)
