"""Helpers the Team Studio emulator tests share (a module of helpers only; it holds no tests).

TeamStudio is a logged-in client the way the alpine client works: Chorus calls under /api with
`?session_id=<token>`, engine calls under /alpinedatalabs/api/v1/json with the `x-token` header.
"""
from __future__ import annotations

import json
from typing import Any

import requests

ENGINE = "/alpinedatalabs/api/v1/json"
OVER = "Workflow not started or already stopped.\n"
RUNNING_STATES = ("IN_PROGRESS", "NODE_STARTED", "STARTED", "NODE_FINISHED")


class TeamStudio:
    """One session against the emulator at base."""

    def __init__(self, base: str, token: str, user: dict[str, Any]) -> None:
        self.base, self.token, self.user = base, token, user

    def api(self, method: str, path: str, params: dict[str, Any] | None = None, **kwargs: Any) -> requests.Response:
        """A Chorus call: /api{path}?session_id=<token>&params."""
        return requests.request(method, f"{self.base}/api{path}", params={"session_id": self.token, **(params or {})},
                                timeout=10, **kwargs)

    def engine(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """An engine call with the x-token header."""
        headers = {"x-token": self.token, **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.base}{ENGINE}{path}", headers=headers, timeout=10, **kwargs)

    def run(self, workflow_id: int, variables: list[dict[str, str]] | None = None) -> requests.Response:
        """POST .../workflows/{id}/run?saveResult=true with the client's body (none without variables)."""
        body = None if variables is None else json.dumps({"meta": {"version": 1}, "variables": variables})
        return self.engine("POST", f"/workflows/{workflow_id}/run", params={"saveResult": "true"}, data=body,
                           headers={"Content-Type": "application/json"})

    def start(self, workflow_id: int, variables: list[dict[str, str]] | None = None) -> str:
        """Run and answer the process id."""
        response = self.run(workflow_id, variables)
        assert response.status_code == 200, response.text
        return response.json()["meta"]["processId"]

    def query(self, process_id: str) -> requests.Response:
        """GET .../processes/{id}/query."""
        return self.engine("GET", f"/processes/{process_id}/query")

    def results(self, workflow_id: int, process_id: str) -> Any:
        """The results decoded twice (None when the body is "")."""
        response = self.engine("GET", f"/workflows/{workflow_id}/results/{process_id}")
        assert response.status_code == 200, response.text
        text = response.json()
        assert isinstance(text, str)
        return json.loads(text) if text else None


def credentials(base: str, username: str | None = None) -> dict[str, str]:
    """{"username", "password"} from POST /_sandbox/tokens (default: the service account)."""
    response = requests.post(f"{base}/_sandbox/tokens", json={"username": username} if username else {}, timeout=5)
    response.raise_for_status()
    return response.json()


def login(base: str, username: str | None = None) -> TeamStudio:
    """Log in as the alpine client does (form fields, ?session_id=NULL) and answer the session."""
    response = requests.post(f"{base}/api/sessions", params={"session_id": "NULL"}, data=credentials(base, username),
                             timeout=10)
    assert response.status_code == 201, response.text
    reply = response.json()["response"]
    return TeamStudio(base, reply["session_id"], reply["user"])


def clock(base: str, **body: Any) -> dict[str, Any]:
    """POST /_sandbox/clock with set/advance/freeze."""
    response = requests.post(f"{base}/_sandbox/clock", json=body, timeout=5)
    response.raise_for_status()
    return response.json()


def state(base: str) -> dict[str, Any]:
    """GET /_sandbox/state (ids of the random forest and the failing workflow, counts)."""
    return requests.get(f"{base}/_sandbox/state", timeout=10).json()


def workflow_named(ts: TeamStudio, workspace_id: int, name: str) -> dict[str, Any]:
    """The workfile of that name in the workspace."""
    files = ts.api("GET", f"/workspaces/{workspace_id}/workfiles", params={"per_page": 100}).json()["response"]
    found = [f for f in files if f["file_name"] == name]
    assert len(found) == 1, f"expected one workfile named {name!r}"
    return found[0]


def finish(ts: TeamStudio, workflow_id: int, variables: list[dict[str, str]] | None = None,
           seconds: float = 900) -> tuple[str, Any]:
    """Run on a frozen clock, move the clock past the run's end, answer (process id, decoded results)."""
    clock(ts.base, freeze=True)
    process_id = ts.start(workflow_id, variables)
    clock(ts.base, advance=seconds)
    assert ts.query(process_id).text == OVER
    return process_id, ts.results(workflow_id, process_id)
