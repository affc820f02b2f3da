"""Helpers the Alooma emulator tests share (a module of helpers only; it holds no tests).

Alooma talks to one live emulator the way the alooma client does: `/_sandbox/` for control, the REST root
`/rest/` (or `/{account}/rest/`) with `authorization: API <key>`, or a session cookie after `POST rest/login`.
"""
from __future__ import annotations

from typing import Any

import requests

METRICS = ("EVENT_SIZE_AVG", "EVENT_SIZE_TOTAL", "EVENT_PROCESSING_RATE", "INCOMING_EVENTS", "RESTREAMED_EVENTS",
           "UNMAPPED_EVENTS", "IGNORED_EVENTS", "ERROR_EVENTS", "LOADED_EVENTS_RATE", "LATENCY_AVG",
           "LATENCY_PERCENTILE_50", "LATENCY_PERCENTILE_95", "LATENCY_MAX", "EVENTS_IN_PIPELINE",
           "EVENTS_IN_TRANSIT")
ERROR_KEYS = {"timestamp", "status", "error", "message", "path"}


class Alooma:
    """One emulator at url, called with the service user's API key unless told otherwise."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.creds = self.mint()

    def control(self, method: str, name: str, **kwargs: Any) -> requests.Response:
        """Call /_sandbox/<name> and insist on success."""
        response = requests.request(method, f"{self.url}/_sandbox/{name}", timeout=30, **kwargs)
        assert response.ok, response.text
        return response

    def mint(self, email: str | None = None) -> dict[str, Any]:
        """POST /_sandbox/tokens: {"account_name", "base_url", "rest_url", "api_key", "email", "password"}."""
        return self.control("POST", "tokens", json={"email": email} if email else {}).json()

    def state(self) -> dict[str, Any]:
        """GET /_sandbox/state."""
        return self.control("GET", "state").json()

    def advance(self, seconds: float) -> None:
        """Move the emulator clock forward."""
        self.control("POST", "clock", json={"advance": seconds})

    def freeze(self, at: str | None = None) -> None:
        """Stop the clock (at an instant, if given), so two reads see the same time."""
        self.control("POST", "clock", json={"freeze": True})
        if at:  # set after freezing: set-then-freeze would let real microseconds slip in between
            self.control("POST", "clock", json={"set": at})

    def faults(self, **knobs: Any) -> None:
        """POST /_sandbox/faults."""
        self.control("POST", "faults", json=knobs)

    def api(self, method: str, path: str, key: str | None = None, account: bool = False,
            **kwargs: Any) -> requests.Response:
        """A REST call with an API key (default: the service user's), under /rest/ or /{account}/rest/."""
        root = f"/{self.creds['account_name']}/rest/" if account else "/rest/"
        headers = {"authorization": f"API {self.creds['api_key'] if key is None else key}",
                   **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.url}{root}{path}", headers=headers, timeout=30, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        """GET a path and answer its JSON (insisting on 200)."""
        response = self.api("GET", path, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def login(self, email: str | None = None, password: str | None = None) -> requests.Session:
        """A requests.Session holding the cookie of POST rest/login (the client's login path)."""
        session = requests.Session()
        body = {"email": email or self.creds["email"], "password": password or self.creds["password"]}
        response = session.post(f"{self.url}/rest/login", json=body, timeout=10)
        assert response.status_code == 200, response.text
        return session


def assert_error(response: requests.Response, status: int, words: str = "") -> dict[str, Any]:
    """The reply is Alooma's error body with that status (and its message mentions words)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS and body["status"] == status and body["path"].startswith("/")
    assert words.lower() in body["message"].lower(), body
    return body
