"""Helpers the vantage6 emulator tests share (a module of helpers only; it holds no tests).

V6 talks to one live emulator the way a client would: `/_sandbox/` for control, `/api` with a bearer token.
"""
from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

import requests

AVERAGE = "harbor2.vantage6.ai/demo/average"
GLM = "harbor2.vantage6.ai/demo/glm"
KAPLAN_MEIER = "harbor2.vantage6.ai/demo/kaplan-meier"
CROSSTAB = "harbor2.vantage6.ai/demo/crosstab"
SERVICE = "flightdeck-svc"
TWO_FACTOR = "dvries"


def encode(method: str, kwargs: dict[str, Any] | None = None, args: list | None = None) -> str:
    """The client's base64 input."""
    return base64.b64encode(json.dumps({"method": method, "args": args or [], "kwargs": kwargs or {}}).encode()).decode()


def decode(text: str | None) -> Any:
    """A base64 JSON result."""
    return None if text is None else json.loads(base64.b64decode(text))


class V6:
    """One emulator at url."""

    def __init__(self, url: str) -> None:
        self.url = url

    def control(self, method: str, name: str, **kwargs: Any) -> requests.Response:
        """Call /_sandbox/<name> and insist on success."""
        response = requests.request(method, f"{self.url}/_sandbox/{name}", timeout=30, **kwargs)
        assert response.ok, response.text
        return response

    def state(self) -> dict[str, Any]:
        """GET /_sandbox/state."""
        return self.control("GET", "state").json()

    def advance(self, seconds: float) -> None:
        """Move the emulator clock forward."""
        self.control("POST", "clock", json={"advance": seconds})

    def now(self) -> datetime:
        """The emulator's now."""
        return datetime.fromisoformat(self.control("GET", "clock").json()["now"].replace("Z", "+00:00"))

    def faults(self, **knobs: Any) -> None:
        """Set fault knobs."""
        self.control("POST", "faults", json=knobs)

    def mint(self, username: str | None = None) -> dict[str, Any]:
        """POST /_sandbox/tokens."""
        return self.control("POST", "tokens", json={"username": username} if username else {}).json()

    def login(self, username: str | None = None) -> dict[str, Any]:
        """POST /api/token/user with the minted password; answers the token reply."""
        creds = self.mint(username)
        response = requests.post(f"{self.url}/api/token/user", timeout=10,
                                 json={"username": creds["username"], "password": creds["password"]})
        assert response.status_code == 200 and "access_token" in response.json(), response.text
        return response.json()

    def token(self, username: str | None = None) -> str:
        """A fresh access token."""
        return self.login(username)["access_token"]

    def api(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        """A call under /api with a bearer token (none when token is "")."""
        headers = dict(kwargs.pop("headers", {}))
        if token != "":
            headers.setdefault("Authorization", f"Bearer {token or self.token()}")
        return requests.request(method, f"{self.url}/api{path}", headers=headers, timeout=10, **kwargs)

    def get(self, path: str, token: str | None = None, **params: Any) -> Any:
        """GET that must answer 200; its JSON."""
        response = self.api("GET", path, token, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def create(self, token: str, orgs: list[int], method: str = "partial_average", image: str = AVERAGE,
               collaboration_id: int = 1, kwargs: dict[str, Any] | None = None, **extra: Any) -> requests.Response:
        """POST /api/task as the Python client sends it."""
        body = {"collaboration_id": collaboration_id, "name": "test task", "image": image, "description": "",
                "databases": [{"label": "default"}],
                "organizations": [{"id": o, "input": encode(method, kwargs)} for o in orgs], **extra}
        return self.api("POST", "/task", token, json=body)

    def runs(self, token: str, task_id: int) -> list[dict[str, Any]]:
        """Every run of a task (id descending, as the server lists them)."""
        return self.get("/run", token, task_id=task_id, per_page=100)["data"]
