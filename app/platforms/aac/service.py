"""AacService: AAC client + normalisers, the public methods views and the API call."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from app.cache import Fetched, cached_read, derived, invalidate
from app.concurrency import parallel_calls, parallel_map
from app.connections import Connection
from app.errors import NotFound, PlatformError
from app.http import PlatformHttp
from app.pagination import Page
from app.platforms.aac import normalize as norm
from app.platforms.aac.people import normalize_people
from app.platforms.aac.client import AacClient, error_message
from app.platforms.aac import settings as connection_setup
from app.platforms.base import PlatformService
from app.platforms.records import PlatformUser, Run, Schedule, TokenInfo, Workflow
from app.tokens import BearerAuthenticator, RotatingTokenManager

HOW_TO_FIX = ("Create a new OAuth 2.0 API token in AAC (User Preferences > OAuth 2.0 API Tokens) and put its "
              "refresh token in {env}; the new token replaces the stored one on first use.")
RUN_KINDS = ("plan", "flow", "workflow")
HISTORY_DAYS = 14
HISTORY_MAX = 5000
PEOPLE_TTL = 300  # people join and leave the workspace by hand, rarely
STATUS_FILTERS = {"queued": "Created", "running": "InProgress", "succeeded": "Complete", "failed": "Failed",
                  "canceled": "Canceled"}


class AacService(PlatformService):
    """Alteryx Analytics Cloud: schedules, plans, flows, workflows and job groups of one workspace."""

    platform = "aac"
    display_name = "Alteryx Analytics Cloud"
    supports_run = True
    supports_schedule_toggle = True
    supports_token_refresh = True
    workflow_kinds = RUN_KINDS
    workflows_heading = "Plans, flows and workflows"
    connection_settings = connection_setup.SETTINGS
    connection_rules = connection_setup.RULES

    def __init__(self, connection: Connection, config: Any) -> None:
        super().__init__(connection, config)
        env = connection.secret_place("refresh_token")
        self.tokens = RotatingTokenManager(connection, self.token_settings, HOW_TO_FIX.format(env=env))
        workspace = connection.option("workspace_id")
        extra = {"x-trifacta-workspace-id": str(workspace)} if workspace else {}
        self.http = PlatformHttp(
            connection.name, connection.base_url, settings=self.http_settings,
            authenticator=BearerAuthenticator(self.tokens, extra), error_message=error_message,
            default_headers={"Content-Type": "application/json"})
        self.client = AacClient(self.http)
        self.base_url = connection.option("ui_url", connection.base_url)

    def probe(self) -> str:
        workspace = self.client.current_workspace()
        return f"workspace {workspace.get('name') or workspace.get('id', '?')} answered"

    # --- lookups (cached): names the lists only reference by id -------------------------------------
    def lookups(self) -> norm.Lookups:
        def fetch() -> norm.Lookups:
            people, recipes, workflows, plans = parallel_calls(
                lambda: self.raw_people().value, self.client.list_recipes, self.client.list_workflows,
                self.client.list_plans)
            return norm.build_lookups(people, recipes, workflows, plans)
        return cached_read(self.name, "lookups", fetch, timeout=300).value

    def raw_people(self) -> Fetched[list[dict]]:
        """The workspace's people as /v4/people lists them: one read for the names in lookups and the people pages."""
        return cached_read(self.name, "people", self.client.list_people, timeout=PEOPLE_TTL)

    def platform_users(self) -> Fetched[list[PlatformUser]]:
        """Every person of the workspace with their workspace role, state and last sign-in, by name."""
        fetched = self.raw_people()
        return Fetched(derived(f"{self.name}:platform-users", fetched.fetched_at,
                               lambda: normalize_people(fetched.value, self.name)), fetched.fetched_at, fetched.stale)

    # --- schedules -----------------------------------------------------------------------------
    def schedules(self) -> Fetched[list[Schedule]]:
        """Every schedule of the workspace, normalised, with the last scheduled run's status.

        Raises a PlatformError when the platform fails and no earlier copy exists.
        """
        def fetch() -> list[Schedule]:
            now = datetime.now(timezone.utc)
            raw, latest, lookups = parallel_calls(self.client.list_schedules, self._latest_scheduled_runs,
                                                  self.lookups)
            schedules = [norm.normalize_schedule(s, self.name, self.base_url, now, lookups) for s in raw]
            return [_with_last_run(s, latest.get((s.target.kind, s.target.id)) if s.target else None)
                    for s in schedules]
        return cached_read(self.name, "schedules", fetch)

    def schedule(self, schedule_id: str) -> Schedule:
        """One schedule; raises NotFound for an unknown id."""
        _require_int(self.name, schedule_id, "schedule")
        raw = self.client.get_schedule(schedule_id)
        return norm.normalize_schedule(raw, self.name, self.base_url, datetime.now(timezone.utc), self.lookups())

    def set_schedule_enabled(self, schedule_id: str, enabled: bool) -> Schedule:
        """Enable or disable; returns the schedule as the platform now has it."""
        _require_int(self.name, schedule_id, "schedule")
        raw = self.client.enable_schedule(schedule_id) if enabled else self.client.disable_schedule(schedule_id)
        invalidate(self.name, "schedules")
        if not isinstance(raw, dict) or "id" not in raw:
            return self.schedule(schedule_id)
        return norm.normalize_schedule(raw, self.name, self.base_url, datetime.now(timezone.utc), self.lookups())

    # --- runs ----------------------------------------------------------------------------------
    def runs(self, *, page: int, per_page: int, status: str | None = None, target: str | None = None,
             kind: str | None = None, filters: Mapping[str, str] | None = None) -> Page[Run]:
        """One page of job groups, newest first, paged and filtered by the platform itself."""
        platform_status = STATUS_FILTERS.get(status or "")
        items, count = self.client.job_library(limit=per_page, offset=(page - 1) * per_page,
                                               status=platform_status, name=target or None,
                                               kind=kind if kind in ("flow", "workflow") else None)
        lookups = self.lookups()
        runs = [norm.normalize_job_group(r, self.name, self.base_url, lookups) for r in items]
        total = count if count is not None else (page - 1) * per_page + len(runs)
        return Page(items=runs, page=page, per_page=per_page, total=total)

    def recent_runs(self) -> Fetched[list[Run]]:
        """Runs of the last 14 days (capped), for charts and last-status lookups."""
        def fetch() -> list[Run]:
            since = datetime.now(timezone.utc) - timedelta(days=HISTORY_DAYS)
            raw = self.client.walk_job_library(created_after_ms=int(since.timestamp() * 1000), max_items=HISTORY_MAX)
            lookups = self.lookups()
            return [norm.normalize_job_group(r, self.name, self.base_url, lookups) for r in raw]
        return cached_read(self.name, "recent_runs", fetch, timeout=60)

    def run(self, run_id: str) -> Run:
        """A job group (numeric id) or plan run (`plan-<id>`) with its jobs and errors; NotFound if unknown."""
        if run_id.startswith("plan-"):
            _require_int(self.name, run_id[5:], "run")
            return norm.normalize_plan_run(self.client.get_plan_run(run_id[5:]), self.name, self.base_url,
                                           self.lookups())
        _require_int(self.name, run_id, "run")
        raw = self.client.get_job_group(run_id)
        jobs = self.client.job_group_jobs(run_id)
        return norm.normalize_job_group(raw, self.name, self.base_url, self.lookups(), jobs)

    # --- runnable things and starting them ----------------------------------------------------
    def workflows(self) -> Fetched[list[Workflow]]:
        """Plans, flows (with their run parameters) and Designer Cloud workflows."""
        def fetch() -> list[Workflow]:
            lookups = self.lookups()
            plans = [norm.normalize_plan(p, self.name, self.base_url, lookups) for p in self.client.list_plans()]
            flows_raw = self.client.list_flows()
            params = parallel_map(lambda f: self.client.flow_run_parameters(f["id"]), flows_raw)
            flows = [norm.normalize_flow(f, self.name, self.base_url, lookups, p) for f, p in zip(flows_raw, params)]
            designer = [norm.normalize_workflow(w, self.name, self.base_url, lookups)
                        for w in self.client.list_workflows()]
            return plans + flows + designer
        return cached_read(self.name, "workflows", fetch)

    def workflow(self, kind: str, target_id: str) -> Workflow:
        """One runnable thing; NotFound when the kind or id is unknown."""
        for item in self.workflows().value:
            if item.kind == kind and item.id == target_id:
                return item
        raise NotFound(self.name, f"no {kind} with id {target_id}")

    def start_run(self, kind: str, target_id: str, params: dict[str, str], execution_id: str,
                  options: dict[str, str] | None = None) -> str | None:
        """Start a plan, flow or workflow once per execution id; returns the run id, or None on a repeat (304)."""
        if kind not in RUN_KINDS:
            raise NotFound(self.name, f"unknown target kind {kind!r}")
        if kind == "plan":
            body = self.client.run_plan(target_id, execution_id)
            run_id = f"plan-{body['planSnapshotRunId']}" if body else None
        elif kind == "flow":
            body = self.client.run_flow(target_id, params, execution_id)
            run_id = str(body["data"][0]["id"]) if body and body.get("data") else None
        else:
            body = self.client.run_workflow(target_id, execution_id)
            run_id = str(body["jobGroupId"]) if body and "jobGroupId" in body else None
        invalidate(self.name, "recent_runs", "run-charts", "schedules")
        return run_id

    # --- tokens --------------------------------------------------------------------------------
    def token_info(self) -> tuple[TokenInfo, ...]:
        return (self.tokens.info(),)

    def token_expires_at(self) -> datetime | None:
        return self.tokens.info().expires_at

    def refresh_token(self) -> TokenInfo:
        """Spend the refresh token now; raises TokenRejected when the platform refuses it."""
        return self.tokens.refresh_now()

    # --- helpers -------------------------------------------------------------------------------
    def _latest_scheduled_runs(self) -> dict[tuple[str, str], Run]:
        """The newest scheduled run per target; empty when run history is unavailable."""
        try:
            runs = self.recent_runs().value
        except PlatformError:  # history is an extra: schedules still show without it
            return {}
        latest: dict[tuple[str, str], Run] = {}
        for run in runs:  # newest first
            if run.target and run.triggered_by.endswith("via schedule"):
                latest.setdefault((run.target.kind, run.target.id), run)
        return latest


def _with_last_run(schedule: Schedule, run: Run | None) -> Schedule:
    """AAC schedules carry no last status: take it from the target's newest scheduled run."""
    if run is None:
        return schedule
    return dataclasses.replace(schedule, last_status=run.status,
                               last_run=schedule.last_run or run.created or run.started)


def _require_int(connection: str, value: str, what: str) -> None:
    if not str(value).isdigit():
        raise NotFound(connection, f"no {what} with id {value!r}")
