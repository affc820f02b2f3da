"""Raw Team Studio REST calls returning decoded JSON: the Chorus API (/api) and the Alpine engine API."""
from __future__ import annotations

import json
from typing import Any

from app.errors import BadResponse, NotFound
from app.http import PlatformHttp
from app.pagination import walk_page_numbers

ENGINE = "/alpinedatalabs/api/v1/json"
PER_PAGE = 100
OVER = ("workflow not started or already stopped", "invalid processid or workflow already stopped")


def error_message(body: Any) -> str | None:
    """Team Studio errors are assumed to read {"errors": {...}} (the contract notes mark it inferred): Chorus
    sends a `message` and names offending inputs as `fields` {name: {CODE: {}}}, e.g. a taken job name."""
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, dict) and errors:
        fields = errors.get("fields") if isinstance(errors.get("fields"), dict) else {}
        named = ", ".join(f"{name} {' '.join(map(str, codes)) if isinstance(codes, dict) else _words(codes)}"
                          for name, codes in fields.items())
        said = [_words(errors["message"]) + (f" ({named})" if named else "")] if errors.get("message") else (
            [named] if named else [])
        said += [f"{key}: {_words(value)}" for key, value in errors.items() if key not in ("message", "fields")]
        return "; ".join(said) or None
    if isinstance(errors, (list, str)) and errors:
        return _words(errors)
    return None


def _words(value: Any) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


class TeamStudioClient:
    """One method per endpoint; Chorus answers are unwrapped from {"response": ..., "pagination": ...}."""

    def __init__(self, http: PlatformHttp) -> None:
        self.http = http

    # --- Chorus envelope ---------------------------------------------------------------------------
    def _response(self, path: str, body: Any) -> Any:
        if not isinstance(body, dict) or "response" not in body:
            raise BadResponse(self.http.connection, f"{path} did not answer with a response envelope")
        return body["response"]

    def _object(self, path: str, params: dict[str, Any] | None = None) -> dict:
        found = self._response(path, self.http.get_json(path, params=params))
        if not isinstance(found, dict):
            raise BadResponse(self.http.connection, f"{path} did not answer with an object")
        return found

    def _list(self, path: str, params: dict[str, Any] | None = None) -> list[dict]:
        """Every page of a Chorus list."""
        def fetch(page: int) -> tuple[list[dict], int | None]:
            body = self.http.get_json(path, params={**(params or {}), "page": page, "per_page": PER_PAGE})
            items = self._response(path, body)
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise BadResponse(self.http.connection, f"{path} did not answer with a list")
            pagination = body.get("pagination") if isinstance(body.get("pagination"), dict) else {}
            total = pagination.get("total")
            return items, int(total) if isinstance(total, (int, str)) and str(total).isdigit() else None
        return list(walk_page_numbers(fetch))

    def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.http.decode(self.http.request(method, path, **kwargs))

    # --- instance -------------------------------------------------------------------------------------
    def version(self) -> str:
        return self.http.request("GET", "/api/VERSION", expect_json=False).text.strip()

    def license(self) -> dict:
        return self._object("/api/license")

    def whoami(self) -> dict:
        found = self._object("/api/sessions")
        return found.get("user") if isinstance(found.get("user"), dict) else found

    # --- people and places ---------------------------------------------------------------------------
    def users(self) -> list[dict]:
        return self._list("/api/users")

    def workspaces(self) -> list[dict]:
        return self._list("/api/workspaces")

    def workspace(self, workspace_id: str) -> dict:
        return self._object(f"/api/workspaces/{workspace_id}")

    def members(self, workspace_id: str) -> list[dict]:
        return self._list(f"/api/workspaces/{workspace_id}/members")

    def workfiles(self, workspace_id: str) -> list[dict]:
        return self._list(f"/api/workspaces/{workspace_id}/workfiles")

    def workfile(self, workfile_id: str) -> dict:
        return self._object(f"/api/workfiles/{workfile_id}")

    def data_sources(self) -> list[dict]:
        return self._list("/api/data_sources") + self._list("/api/hdfs_data_sources")

    def databases(self, data_source_id: str) -> list[dict]:
        return self._list(f"/api/data_sources/{data_source_id}/databases")

    # --- jobs and tasks ------------------------------------------------------------------------------
    def jobs(self, workspace_id: str) -> list[dict]:
        return self._list(f"/api/workspaces/{workspace_id}/jobs")

    def job(self, workspace_id: str, job_id: str) -> dict:
        return self._object(f"/api/workspaces/{workspace_id}/jobs/{job_id}")

    def create_job(self, workspace_id: str, fields: dict[str, str]) -> dict:
        path = f"/api/workspaces/{workspace_id}/jobs"
        return self._response(path, self._send("POST", path, data=fields))

    def add_task(self, workspace_id: str, job_id: str, workfile_id: str, action: str = "run_work_flow") -> dict:
        path = f"/api/workspaces/{workspace_id}/jobs/{job_id}/job_tasks"
        return self._response(path, self._send("POST", path, data={"action": action, "workfile_id": workfile_id}))

    def delete_task(self, workspace_id: str, job_id: str, task_id: str) -> None:
        self.http.request("DELETE", f"/api/workspaces/{workspace_id}/jobs/{job_id}/job_tasks/{task_id}",
                          expect_json=False)

    def delete_job(self, workspace_id: str, job_id: str) -> None:
        self.http.request("DELETE", f"/api/workspaces/{workspace_id}/jobs/{job_id}", expect_json=False)

    def run_job(self, job_id: str) -> Any:
        return self._send("POST", f"/api/jobs/{job_id}/run", params={"saveResult": "true"})

    # --- the engine ---------------------------------------------------------------------------------
    def run_workflow(self, workflow_id: str, variables: dict[str, str]) -> str:
        """Start a run; the answer's meta.processId names it."""
        body = {"meta": {"version": 1}, "variables": [{"name": k, "value": v} for k, v in variables.items()]}
        answer = self._send("POST", f"{ENGINE}/workflows/{workflow_id}/run", params={"saveResult": "true"},
                            json=body if variables else None)
        process_id = (answer.get("meta") or {}).get("processId") if isinstance(answer, dict) else None
        if not process_id:
            raise BadResponse(self.http.connection, "the run answer named no process")
        return str(process_id)

    def query(self, process_id: str) -> dict | None:
        """The running process's meta, or None once it is over (the engine then answers plain text)."""
        response = self.http.request("GET", f"{ENGINE}/processes/{process_id}/query", expect_json=False)
        text = response.text
        if text.strip().lower().rstrip(".") in OVER:
            return None
        try:
            body = json.loads(text)
        except ValueError:
            raise BadResponse(self.http.connection, "the process status was neither JSON nor the "
                                                    "'already stopped' text") from None
        if not isinstance(body, dict):
            raise BadResponse(self.http.connection, "the process status was not an object")
        return body.get("meta") if isinstance(body.get("meta"), dict) else body

    def stop(self, process_id: str) -> Any:
        return self._send("POST", f"{ENGINE}/processes/{process_id}/stop")

    def results(self, workflow_id: str, process_id: str) -> dict:
        """The run's results, which the engine sends as a JSON string holding JSON; NotFound when empty."""
        path = f"{ENGINE}/workflows/{workflow_id}/results/{process_id}"
        outer = self._send("GET", path)
        if outer in ("", None):
            raise NotFound(self.http.connection, f"process {process_id} has no results")
        try:
            inner = json.loads(outer) if isinstance(outer, str) else outer
        except ValueError:
            raise BadResponse(self.http.connection, "the results were not JSON inside JSON") from None
        if not isinstance(inner, dict) or "flowMetaInfo" not in inner:
            raise BadResponse(self.http.connection, "the results had no flowMetaInfo")
        return inner
