"""Raw AAC REST calls (API v4 and the Designer Cloud workflow API) returning decoded JSON; hides paging."""
from __future__ import annotations

from typing import Any, Iterator

from app.errors import BadResponse
from app.http import PlatformHttp
from app.pagination import walk_limit_offset

SCHEDULES = "/v4/schedules"
JOB_LIBRARY = "/v4/jobLibrary"
WORKFLOWS = "/svc-workflow/api/v1/workflows"
PAGE = 100
SCHEDULE_PAGE = 1000  # the schedules API allows 1..1000 per page (platforms/aac.md §4)


def error_message(body: Any) -> str | None:
    """AAC errors read {"exception": {"name", "message", "details"}}."""
    if isinstance(body, dict) and isinstance(body.get("exception"), dict):
        exc = body["exception"]
        return str(exc.get("message") or exc.get("name") or "") or None
    if isinstance(body, dict) and body.get("error"):
        return str(body.get("error_description") or body["error"])
    return None


class AacClient:
    """One method per AAC endpoint; every list is `{data, count}` with limit/offset paging."""

    def __init__(self, http: PlatformHttp) -> None:
        self.http = http

    # --- shared shape checks ------------------------------------------------------------------
    def _list(self, path: str, params: dict[str, Any]) -> tuple[list[dict], int | None]:
        body = self.http.get_json(path, params=params)
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            raise BadResponse(self.http.connection, f"{path} did not answer with a {{data: [...]}} list")
        count = body.get("count")
        return body["data"], count if isinstance(count, int) else None

    def _object(self, path: str, params: dict[str, Any] | None = None) -> dict:
        body = self.http.get_json(path, params=params)
        if not isinstance(body, dict) or "id" not in body:
            raise BadResponse(self.http.connection, f"{path} did not answer with an object")
        return body

    def _walk(self, path: str, params: dict[str, Any] | None = None, max_items: int | None = None,
              page_size: int = PAGE) -> Iterator[dict]:
        def fetch(limit: int, offset: int) -> tuple[list[dict], int | None]:
            return self._list(path, {**(params or {}), "limit": limit, "offset": offset, "includeCount": "true"})
        return walk_limit_offset(fetch, limit=page_size, max_items=max_items)

    def _post(self, path: str, *, json: Any = None, execution_id: str | None = None) -> Any:
        headers = {"x-execution-id": execution_id} if execution_id else None
        response = self.http.request("POST", path, json=json if json is not None else {}, headers=headers)
        if response.status_code == 304:
            return None  # the platform already started this execution id
        return self.http.decode(response)

    # --- workspace and people -------------------------------------------------------------------
    def current_workspace(self) -> dict:
        return self._object("/v4/workspaces/current")

    def list_people(self) -> list[dict]:
        # includePrivileges: each person's maximalPrivileges (their workspace role), as /v4/people/current takes it
        return list(self._walk("/v4/people", {"includePrivileges": "true"}))

    # --- schedules -------------------------------------------------------------------------------
    def list_schedules(self, max_items: int | None = None) -> list[dict]:
        return list(self._walk(SCHEDULES, {"sort": "name"}, max_items=max_items, page_size=SCHEDULE_PAGE))

    def get_schedule(self, schedule_id: str) -> dict:
        return self._object(f"{SCHEDULES}/{int(schedule_id)}")

    def enable_schedule(self, schedule_id: str) -> dict:
        return self._post(f"{SCHEDULES}/{int(schedule_id)}/enable")

    def disable_schedule(self, schedule_id: str) -> dict:
        return self._post(f"{SCHEDULES}/{int(schedule_id)}/disable")

    # --- runnable things ----------------------------------------------------------------------
    def list_plans(self) -> list[dict]:
        return list(self._walk("/v4/plans"))

    def list_flows(self) -> list[dict]:
        return list(self._walk("/v4/flows"))

    def flow_run_parameters(self, flow_id: str) -> list[dict]:
        items, _ = self._list(f"/v4/flows/{int(flow_id)}/runParameters", {})
        return items

    def list_workflows(self) -> list[dict]:
        return list(self._walk(WORKFLOWS, {"sort": "name"}))

    def list_recipes(self) -> list[dict]:
        return list(self._walk("/v4/wrangledDatasets", {"embed": "flow"}))

    def run_plan(self, plan_id: str, execution_id: str) -> dict | None:
        return self._post(f"/v4/plans/{int(plan_id)}/run", execution_id=execution_id)

    def run_flow(self, flow_id: str, overrides: dict[str, str], execution_id: str) -> dict | None:
        body: dict[str, Any] = {}
        if overrides:
            data = [{"key": key, "value": value} for key, value in overrides.items()]
            body["runParameters"] = {"overrides": {"data": data}}
        return self._post(f"/v4/flows/{int(flow_id)}/run", json=body, execution_id=execution_id)

    def run_workflow(self, workflow_id: str, execution_id: str) -> dict | None:
        return self._post(f"{WORKFLOWS}/{workflow_id}/run", execution_id=execution_id)

    # --- runs ------------------------------------------------------------------------------------
    def job_library(self, *, limit: int, offset: int, status: str | None = None, name: str | None = None,
                    kind: str | None = None, created_after_ms: int | None = None) -> tuple[list[dict], int | None]:
        params: dict[str, Any] = {"limit": limit, "offset": offset, "includeCount": "true", "sort": "-createdAt"}
        if status:
            params["status"] = status
        if name:
            params["filter"] = name
        if kind:
            params["type"] = kind
        if created_after_ms is not None:
            params["dateFilter[createdAt][gte]"] = created_after_ms
        return self._list(JOB_LIBRARY, params)

    def walk_job_library(self, *, created_after_ms: int, max_items: int) -> list[dict]:
        params = {"sort": "-createdAt", "dateFilter[createdAt][gte]": created_after_ms}
        return list(self._walk(JOB_LIBRARY, params, max_items=max_items, page_size=500))

    def get_job_group(self, job_group_id: str) -> dict:
        return self._object(f"/v4/jobGroups/{int(job_group_id)}")

    def job_group_jobs(self, job_group_id: str) -> list[dict]:
        items, _ = self._list(f"/v4/jobGroups/{int(job_group_id)}/jobs", {})
        return items

    def get_plan_run(self, plan_run_id: str) -> dict:
        return self._object(f"/v4/planSnapshotRuns/{int(plan_run_id)}", {"embed": "plan"})
