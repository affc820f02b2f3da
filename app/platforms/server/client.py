"""Raw Alteryx Server REST calls returning decoded JSON: the subscription API (v1) and Server API v3."""
from __future__ import annotations

from typing import Any

from app.errors import BadResponse
from app.http import Download, PlatformHttp


def error_message(body: Any) -> str | None:
    """Server errors read {"message": ...} (ASP.NET); the token endpoint answers {"error": ...}."""
    if isinstance(body, dict):
        if body.get("message"):
            return str(body["message"])
        if body.get("error"):
            return str(body.get("error_description") or body["error"])
    return None


def _array(http: PlatformHttp, path: str, body: Any) -> list[dict]:
    """Server lists are bare JSON arrays (no envelope)."""
    if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
        raise BadResponse(http.connection, f"{path} did not answer with a list")
    return body


def _object(http: PlatformHttp, path: str, body: Any) -> dict:
    if not isinstance(body, dict) or "id" not in body:
        raise BadResponse(http.connection, f"{path} did not answer with an object")
    return body


class SubscriptionClient:
    """The subscription API ("v1"): at {gallery}/api/v1 signed with OAuth1, or at {webapi}/v1 with a bearer token."""

    def __init__(self, http: PlatformHttp, prefix: str) -> None:
        self.http = http
        self.prefix = prefix.rstrip("/")

    def _get_list(self, path: str, params: dict[str, Any] | None = None) -> list[dict]:
        return _array(self.http, path, self.http.get_json(self.prefix + path, params=params))

    def list_workflows(self, *, search: str = "", limit: int | None = None, offset: int = 0) -> list[dict]:
        params: dict[str, Any] = {"sortField": "uploaddate"}
        if search:
            params["search"] = search
        if limit is not None:
            params.update(limit=limit, offset=offset)
        return self._get_list("/workflows/subscription/", params)

    def questions(self, app_id: str) -> list[dict]:
        return self._get_list(f"/workflows/{app_id}/questions/")

    def submit_job(self, app_id: str, questions: list[dict[str, str]], priority: str | None) -> dict:
        body: dict[str, Any] = {"questions": questions}
        if priority is not None:
            body["priority"] = priority
        path = f"/workflows/{app_id}/jobs/"
        return _object(self.http, path, self.http.decode(self.http.request("POST", self.prefix + path, json=body)))

    def workflow_jobs(self, app_id: str, limit: int) -> list[dict]:
        return self._get_list(f"/workflows/{app_id}/jobs/", {"sortField": "createdate", "limit": limit})

    def get_job(self, job_id: str) -> dict:
        path = f"/jobs/{job_id}/"
        return _object(self.http, path, self.http.get_json(self.prefix + path))

    def output(self, job_id: str, output_id: str, file_format: str, fallback_name: str) -> Download:
        return self.http.download(f"{self.prefix}/jobs/{job_id}/output/{output_id}/", params={"format": file_format},
                                  fallback_name=fallback_name)


class V3Client:
    """Server API v3 at {webapi}/v3: workflows, jobs per workflow, schedules, users, collections."""

    def __init__(self, http: PlatformHttp) -> None:
        self.http = http

    def _get_list(self, path: str, params: dict[str, Any] | None = None) -> list[dict]:
        return _array(self.http, path, self.http.get_json(path, params=params))

    def _get_object(self, path: str, params: dict[str, Any] | None = None) -> dict:
        return _object(self.http, path, self.http.get_json(path, params=params))

    # --- workflows and jobs --------------------------------------------------------------------
    def list_workflows(self, *, name: str = "") -> list[dict]:
        params: dict[str, Any] = {"view": "Full"}
        if name:
            params["name"] = name
        return self._get_list("/v3/workflows", params)

    def get_workflow(self, workflow_id: str) -> dict:
        return self._get_object(f"/v3/workflows/{workflow_id}")

    def questions(self, workflow_id: str) -> list[dict]:
        return self._get_list(f"/v3/workflows/{workflow_id}/questions")

    def submit_job(self, workflow_id: str, questions: list[dict[str, str]], priority: str | None) -> dict:
        body: dict[str, Any] = {"questions": questions}
        if priority:
            body["priority"] = priority
        path = f"/v3/workflows/{workflow_id}/jobs"
        return _object(self.http, path, self.http.decode(self.http.request("POST", path, json=body)))

    def workflow_jobs(self, workflow_id: str, *, limit: int, offset: int = 0) -> list[dict]:
        return self._get_list(f"/v3/workflows/{workflow_id}/jobs",
                              {"sortField": "createdate", "direction": "desc", "limit": limit, "offset": offset})

    def get_job(self, job_id: str) -> dict:
        return self._get_object(f"/v3/jobs/{job_id}", {"includeMessages": "true"})

    # --- schedules ----------------------------------------------------------------------------
    def list_schedules(self) -> list[dict]:
        return self._get_list("/v3/schedules", {"view": "Full"})

    def get_schedule(self, schedule_id: str) -> dict:
        return self._get_object(f"/v3/schedules/{schedule_id}")

    def patch_schedule(self, schedule_id: str, changes: dict[str, Any]) -> Any:
        """A partial update; Server has no enable endpoint, so enabling is `{"enabled": true}` here."""
        response = self.http.request("PATCH", f"/v3/schedules/{schedule_id}", json=changes)
        return self.http.decode(response)

    # --- people --------------------------------------------------------------------------------
    def list_users(self) -> list[dict]:
        # Full adds lastLoginDateTime, canScheduleJobs and isAccountLocked (platforms/server.md §2.4)
        return self._get_list("/v3/users", {"view": "Full"})
