"""Raw vantage6 REST calls under the server's API path, returning decoded JSON.

Lists answer `{"data": [...], "links": {...}}` with the record count in the `total-count` header; one page is
read as the server gives it, or every page is walked for the small lists (organisations, nodes, roles).
"""
from __future__ import annotations

import math
from typing import Any

from app.errors import BadResponse
from app.http import PlatformHttp
from app.pagination import walk_page_numbers

WALK_PER_PAGE = 100


def error_message(body: Any) -> str | None:
    """vantage6 errors read {"msg": ..., "errors": {field: [messages]}} (a 415 says "message")."""
    if not isinstance(body, dict):
        return None
    said = body.get("msg") or body.get("message")
    errors = body.get("errors")
    if isinstance(errors, dict) and errors:
        fields = "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in errors.items())
        return f"{said} ({fields})" if said else fields
    return str(said) if said else None


class Vantage6Client:
    """One method per endpoint the dashboard uses; `api` is the server's api_path (default /api)."""

    def __init__(self, http: PlatformHttp, api: str) -> None:
        self.http = http
        self.api = api

    # --- lists ------------------------------------------------------------------------------------------
    def page(self, resource: str, params: dict[str, Any], page: int, per_page: int) -> tuple[list[dict], int]:
        """One page of a list and the total number of records."""
        response = self.http.request("GET", f"{self.api}/{resource}",
                                     params={**params, "page": page, "per_page": per_page})
        body = self.http.decode(response)
        items = body.get("data") if isinstance(body, dict) else None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise BadResponse(self.http.connection, f"/{resource} did not answer with a data list")
        total = response.headers.get("total-count", "")
        return items, int(total) if total.isdigit() else len(items)

    def every(self, resource: str, params: dict[str, Any] | None = None) -> list[dict]:
        """Every record of a list, page by page, in id order: lists other than tasks and runs have no order of
        their own on the server, so pages read without one may miss or repeat records."""
        query = {"sort": "id", **(params or {})}

        def fetch(page: int) -> tuple[list[dict], int]:
            items, total = self.page(resource, query, page, WALK_PER_PAGE)
            return items, max(1, math.ceil(total / WALK_PER_PAGE))
        return list(walk_page_numbers(fetch))

    def one(self, resource: str, ident: str | int, params: dict[str, Any] | None = None) -> dict:
        found = self.http.get_json(f"{self.api}/{resource}/{ident}", params=params)
        if not isinstance(found, dict):
            raise BadResponse(self.http.connection, f"/{resource}/{ident} did not answer with an object")
        return found

    # --- the server --------------------------------------------------------------------------------------
    def version(self) -> str:
        found = self.http.get_json(f"{self.api}/version")
        return str(found.get("version", "")) if isinstance(found, dict) else ""

    def health(self) -> dict:
        found = self.http.get_json(f"{self.api}/health")
        return found if isinstance(found, dict) else {}

    def me(self, user_id: str | None) -> dict:
        """The signed-in user: v5 has /user/me; v4 only names the user in the token (`sub`)."""
        return self.one("user", user_id) if user_id else self.http.get_json(f"{self.api}/user/me")

    # --- tasks -------------------------------------------------------------------------------------------
    def tasks(self, params: dict[str, Any], page: int, per_page: int) -> tuple[list[dict], int]:
        return self.page("task", params, page, per_page)

    def task(self, task_id: str) -> dict:
        return self.one("task", task_id, {"include": "runs"})

    def task_runs(self, task_id: str) -> list[dict]:
        return self.every("run", {"task_id": task_id})

    def result(self, run_id: str) -> dict:
        return self.one("result", run_id)

    def create_task(self, body: dict[str, Any]) -> dict:
        found = self.http.decode(self.http.request("POST", f"{self.api}/task", json=body))
        if not isinstance(found, dict) or "id" not in found:
            raise BadResponse(self.http.connection, "the new task's answer did not name it")
        return found

    def kill_task(self, task_id: str) -> Any:
        return self.http.decode(self.http.request("POST", f"{self.api}/kill/task", json={"id": int(task_id)}))
