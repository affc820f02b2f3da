"""ServerService: Alteryx Server through Server API v3 and the subscription API (v1), as common records."""
from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from authlib.integrations.requests_client import OAuth1Auth

from app.cache import Fetched, cached_read, derived, invalidate
from app.client_credentials import ClientCredentialsTokens
from app.concurrency import parallel_calls, parallel_map
from app.connections import Connection
from app.errors import AuthError, InvalidRequest, NotFound, PermissionDenied, PlatformError
from app.http import Download, PlatformHttp
from app.pagination import Page, page_of
from app.platforms.base import PlatformService
from app.platforms.records import PlatformUser, Run, Schedule, TokenInfo, Workflow
from app.platforms.server import normalize as norm
from app.platforms.server import settings as connection_setup
from app.platforms.server.client import SubscriptionClient, V3Client, error_message
from app.platforms.server.credentials import SignatureCheck
from app.platforms.server.people import normalize_users
from app.platforms.server.questions import V1_PRIORITIES, answers, priority_option, question_to_parameter
from app.platforms.timestamps import parse_time
from app.tokens import BearerAuthenticator

SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
JOBS_PER_WORKFLOW = 20
HISTORY_DAYS = 14
HISTORY_MAX = 1000  # newest jobs read in full for the jobs page and charts; each costs one call when first seen
FINAL_JOB_CACHE = 24 * 3600  # a finished job never changes
V3_HOW_TO_FIX = ("Check the API access key (the connection's client_id) and the API access secret in {env}: in "
                 "Server, open your profile > Keys (an admin must enable API access for your account).")


class ServerService(PlatformService):
    """Alteryx Server: workflows with questions, jobs, schedules; v3 where configured, v1 where not."""

    platform = "server"
    display_name = "Alteryx Server"
    supports_run = True
    supports_schedule_toggle = True  # with Server API v3; a v1-only connection turns it off below
    supports_token_refresh = True
    supports_output_download = True
    runs_heading = "Jobs"
    connection_settings = connection_setup.SETTINGS
    connection_rules = connection_setup.RULES

    def __init__(self, connection: Connection, config: Any) -> None:
        super().__init__(connection, config)
        self.ui_url = str(connection.option("ui_url", connection.base_url)).rstrip("/")
        webapi = str(connection.option("webapi_url", "")).rstrip("/")
        gallery = str(connection.option("gallery_url", "")).rstrip("/")
        client_id, api_key = connection.option("client_id"), connection.option("api_key")
        self.oauth2: ClientCredentialsTokens | None = None
        self.v3: V3Client | None = None
        self.v1: SubscriptionClient | None = None
        self.signature: SignatureCheck | None = None
        if webapi and client_id:
            env = connection.secret_place("client_secret")
            self.oauth2 = ClientCredentialsTokens(
                connection, self.token_settings, token_endpoint=f"{webapi}/oauth2/token", client_id=str(client_id),
                secret_key="client_secret", kind="Server API v3 access token (OAuth 2.0 client credentials)",
                how_to_fix=V3_HOW_TO_FIX.format(env=env))
            self.v3 = V3Client(PlatformHttp(connection.name, webapi, settings=self.http_settings,
                                            authenticator=BearerAuthenticator(self.oauth2),
                                            error_message=error_message))
        if gallery and api_key:
            signer = OAuth1Auth(client_id=str(api_key), client_secret=connection.secret("api_secret") or "")
            signed = PlatformHttp(connection.name, gallery, settings=self.http_settings, signer=signer,
                                  error_message=error_message)
            self.v1 = SubscriptionClient(signed, "/api/v1")
            self.signature = SignatureCheck(connection, self.v1)
        elif self.v3 is not None:  # 2021.4 and later serve the subscription API under the Web API too
            self.v1 = SubscriptionClient(self.v3.http, "/v1")
        if self.v3 is None:  # toggling is a v3 PATCH of `enabled`; v1 has no schedules at all
            self.supports_schedule_toggle = False
            self.has_schedules = False

    def probe(self) -> str:
        """The v3 schedules where v3 is configured (a token is fetched on the way), the signed v1 list otherwise."""
        if self.v3 is not None:
            return f"Server API v3 answered ({len(self.v3.list_schedules())} schedules)"
        assert self.v1 is not None  # a connection has one of the two (app/platforms/server/settings.py)
        self.v1.list_workflows(limit=1)
        return "the subscription API accepted the signature"

    @property
    def apis(self) -> str:
        """Which API generations this connection uses, for the pages."""
        v1 = "subscription API v1 (OAuth1)" if self.signature else "subscription API v1" if self.v1 else ""
        return " + ".join(part for part in ("Server API v3" if self.v3 else "", v1) if part)

    def _require_api(self) -> None:
        if self.v3 is None and self.v1 is None:
            raise AuthError(self.name, "no API is configured: set webapi_url and client_id (Server API v3) "
                                       "or gallery_url and api_key (subscription API v1) in connections.toml")

    # --- names the lists reference by id ----------------------------------------------------------
    def names(self) -> norm.Names:
        def fetch() -> norm.Names:
            return norm.Names(workflows={w.id: w.name for w in self.workflows().value}, users=self._users())
        return cached_read(self.name, "names", fetch, timeout=300).value

    def _users(self) -> dict[str, str]:
        """User id -> name; only Curators may list users, so for others ids are shown instead."""
        if self.v3 is None:
            return {}
        try:
            fetched = self.raw_users()
        except PermissionDenied:
            return {}
        return derived(f"{self.name}:user-names", fetched.fetched_at, lambda: norm.user_names(fetched.value))

    def raw_users(self) -> Fetched[list[dict]]:
        """GET /v3/users as it answers, read once for the names in every list and for the people pages."""
        v3 = self._require_v3("listing users")
        return cached_read(self.name, "users-raw", v3.list_users, timeout=300)

    def platform_users(self) -> Fetched[list[PlatformUser]]:
        """Every user with role, state, last sign-in and run rights, by name; PermissionDenied unless Curator."""
        fetched = self.raw_users()
        return Fetched(derived(f"{self.name}:platform-users", fetched.fetched_at,
                               lambda: normalize_users(fetched.value, self.name)), fetched.fetched_at, fetched.stale)

    # --- workflows ---------------------------------------------------------------------------------
    def workflows(self) -> Fetched[list[Workflow]]:
        """Every workflow the credentials can see (v3: all they may run; v1: their subscription's)."""
        self._require_api()

        def fetch() -> list[Workflow]:
            if self.v3 is not None:
                names = norm.Names(users=self._users())
                return [norm.normalize_workflow_v3(w, self.name, self.ui_url, names) for w in self.v3.list_workflows()]
            return [norm.normalize_workflow_v1(w, self.name, self.ui_url) for w in self.v1.list_workflows()]
        return cached_read(self.name, "workflows", fetch)

    def search_workflows(self, query: str, kind: str, page: int, per_page: int) -> Page[Workflow]:
        """One page of workflows whose name matches, searched by the API itself, with questions and last job."""
        self._require_api()
        if self.v3 is not None:
            if query:
                names = norm.Names(users=self._users())
                found = [norm.normalize_workflow_v3(w, self.name, self.ui_url, names)
                         for w in self.v3.list_workflows(name=query)]
            else:
                found = self.workflows().value
            shown = page_of(sorted(found, key=lambda w: w.name.lower()), page, per_page)
        else:
            offset = (page - 1) * per_page
            raw = self.v1.list_workflows(search=query, limit=per_page + 1, offset=offset)
            items = [norm.normalize_workflow_v1(w, self.name, self.ui_url) for w in raw[:per_page]]
            shown = Page(items=items, page=page, per_page=per_page, total=offset + len(raw))
        enriched = parallel_map(self._with_questions_and_last_run, shown.items, max_workers=8)
        return dataclasses.replace(shown, items=enriched)

    def workflow(self, kind: str, target_id: str) -> Workflow:
        """One workflow with its questions as parameters and priority as a run setting; NotFound if unknown."""
        self._require_api()
        if kind != "workflow":
            raise NotFound(self.name, f"unknown target kind {kind!r}")
        self._require_id(target_id, "workflow")
        if self.v3 is not None:
            found = norm.normalize_workflow_v3(self.v3.get_workflow(target_id), self.name, self.ui_url, self.names())
        else:
            found = next((w for w in self.workflows().value if w.id == target_id), None)
            if found is None:
                raise NotFound(self.name, f"no workflow with id {target_id!r} in this subscription")
        return dataclasses.replace(found, parameters=self._parameters(target_id),
                                   run_options=(priority_option(v1=self.v3 is None),))

    def _parameters(self, workflow_id: str) -> tuple:
        def fetch() -> tuple:
            raw = self.v3.questions(workflow_id) if self.v3 is not None else self.v1.questions(workflow_id)
            return tuple(question_to_parameter(q) for q in raw)
        return cached_read(self.name, f"questions:{workflow_id}", fetch, timeout=300).value

    def _with_questions_and_last_run(self, workflow: Workflow) -> Workflow:
        try:
            parameters, last = parallel_calls(lambda: self._parameters(workflow.id),
                                              lambda: self._last_job(workflow.id))
        except PlatformError:  # the row still shows; its extras are missing
            return workflow
        return dataclasses.replace(workflow, parameters=parameters, last_run=last)

    def _last_job(self, workflow_id: str) -> Run | None:
        summaries = self._job_summaries(workflow_id, limit=1)
        return self._job(str(summaries[0]["id"])) if summaries else None

    # --- starting a job ----------------------------------------------------------------------------
    def start_run(self, kind: str, target_id: str, params: dict[str, str], execution_id: str,
                  options: dict[str, str] | None = None) -> str | None:
        """Queue a job with the answers and priority; returns the job id.

        Server has no idempotency key: the caller's RunRecord claim keeps a double submit from
        starting two jobs.
        """
        workflow = self.workflow(kind, target_id)
        questions = answers(workflow.parameters, params)
        priority = (options or {}).get("priority") or None
        if self.v3 is not None:
            job = self.v3.submit_job(target_id, questions, priority)
        else:
            job = self.v1.submit_job(target_id, questions, V1_PRIORITIES.get(priority or "", "0"))
        invalidate(self.name, "recent_runs", "run-charts", f"jobs:{target_id}:1")
        return str(job["id"])

    # --- jobs --------------------------------------------------------------------------------------
    def _job_summaries(self, workflow_id: str, limit: int) -> list[dict]:
        def fetch() -> list[dict]:
            if self.v3 is not None:
                return self.v3.workflow_jobs(workflow_id, limit=limit)
            return self.v1.workflow_jobs(workflow_id, limit=limit)
        return cached_read(self.name, f"jobs:{workflow_id}:{limit}", fetch, timeout=30, keep_last_good=False).value

    def _raw_job(self, job_id: str) -> dict:
        return self.v3.get_job(job_id) if self.v3 is not None else self.v1.get_job(job_id)

    def _job(self, job_id: str, names: norm.Names | None = None) -> Run:
        """A job in full; finished jobs are cached for a day since they never change."""
        key = f"job:{job_id}"
        cached = cached_read(self.name, key, lambda: self._raw_job(job_id), timeout=FINAL_JOB_CACHE,
                             keep_last_good=False).value
        run = norm.normalize_job(cached, self.name, self.ui_url, names or self.names())
        if not run.status.is_final:
            invalidate(self.name, key)  # still moving: read it again next time
        return run

    def recent_runs(self) -> Fetched[list[Run]]:
        """Jobs of the last 14 days across the server (newest 20 per workflow, at most 1000 in all).

        The API has no server-wide job list, so they are gathered per workflow in parallel and cached
        as one list; only finished jobs are also kept one by one (they never change).
        """
        self._require_api()

        def fetch() -> list[Run]:
            since = datetime.now(timezone.utc) - timedelta(days=HISTORY_DAYS)
            names = self.names()
            list_jobs = self.v3.workflow_jobs if self.v3 is not None else self.v1.workflow_jobs
            per_workflow = parallel_map(lambda workflow_id: list_jobs(workflow_id, limit=JOBS_PER_WORKFLOW),
                                        list(names.workflows), max_workers=8)
            dated = [(parse_time(s.get("createDate") or s.get("createDateTime")) or since, s)
                     for summaries in per_workflow for s in summaries]
            dated.sort(key=lambda pair: pair[0], reverse=True)
            wanted = [s for created, s in dated[:HISTORY_MAX] if created >= since]
            runs = parallel_map(lambda summary: self._job_or_summary(summary, names), wanted, max_workers=8)
            return sorted(runs, key=lambda r: r.created or since, reverse=True)
        return cached_read(self.name, "recent_runs", fetch, timeout=60)

    def _job_or_summary(self, summary: dict, names: norm.Names) -> Run:
        try:
            return self._job(str(summary["id"]), names)
        except (NotFound, PermissionDenied):  # listed but not readable by us: show what the list said
            return norm.normalize_job(summary, self.name, self.ui_url, names)

    def runs(self, *, page: int, per_page: int, status: str | None = None, target: str | None = None,
             kind: str | None = None, filters: Mapping[str, str] | None = None) -> Page[Run]:
        """One page of recent jobs, newest first, filtered by status and workflow name."""
        return self.page_of_recent_runs(page=page, per_page=per_page, status=status, target=target)

    def run(self, run_id: str) -> Run:
        """A job with messages and outputs; NotFound for an unknown id."""
        self._require_api()
        self._require_id(run_id, "job")
        return self._job(run_id)

    def open_output(self, run_id: str, output_id: str, file_format: str) -> Download:
        """Stream one output of a job in one of the formats the API offers for it."""
        run = self.run(run_id)
        output = next((o for o in run.outputs if o.id == output_id), None)
        if output is None:
            raise NotFound(self.name, f"job {run_id} has no output {output_id!r}")
        if file_format not in output.formats:
            raise InvalidRequest(self.name, f"{output.name} is offered as {', '.join(output.formats)}, "
                                            f"not {file_format!r}")
        return self.v1.output(run_id, output_id, file_format, fallback_name=output.name)

    # --- schedules (v3 only) ----------------------------------------------------------------------
    def _require_v3(self, what: str) -> V3Client:
        self._require_api()
        if self.v3 is None:
            raise self.not_supported(f"{what} through the subscription API (v1); configure webapi_url and "
                                     "client_id for Server API v3")
        return self.v3

    def schedules(self) -> Fetched[list[Schedule]]:
        """Every schedule the credentials can see, with its next run from the API."""
        v3 = self._require_v3("schedules")

        def fetch() -> list[Schedule]:
            raw, names = parallel_calls(v3.list_schedules, self.names)
            if any("iteration" not in s for s in raw):  # a server that ignores view=Full: read each one
                raw = parallel_map(lambda s: v3.get_schedule(str(s["id"])), raw, max_workers=8)
            now = datetime.now(timezone.utc)
            return [norm.normalize_schedule(s, self.name, self.ui_url, names, now) for s in raw]
        return cached_read(self.name, "schedules", fetch)

    def schedule(self, schedule_id: str) -> Schedule:
        v3 = self._require_v3("schedules")
        self._require_id(schedule_id, "schedule")
        return norm.normalize_schedule(v3.get_schedule(schedule_id), self.name, self.ui_url, self.names(),
                                       datetime.now(timezone.utc))

    def set_schedule_enabled(self, schedule_id: str, enabled: bool) -> Schedule:
        """Server has no enable endpoint: the schedule is updated with `enabled` set."""
        v3 = self._require_v3("enabling schedules")
        self._require_id(schedule_id, "schedule")
        raw = v3.patch_schedule(schedule_id, {"enabled": enabled})
        invalidate(self.name, "schedules", "schedule-charts")
        if isinstance(raw, dict) and "id" in raw:
            return norm.normalize_schedule(raw, self.name, self.ui_url, self.names(), datetime.now(timezone.utc))
        return self.schedule(schedule_id)

    # --- credentials ------------------------------------------------------------------------------
    def token_info(self) -> tuple[TokenInfo, ...]:
        """The v3 token (if configured) and the OAuth1 signing check (if configured)."""
        infos = []
        if self.oauth2 is not None:
            infos.append(self.oauth2.info())
        if self.signature is not None:
            infos.append(self.signature.check())
        return tuple(infos)

    def token_expires_at(self) -> datetime | None:
        return self.oauth2.info().expires_at if self.oauth2 is not None else None

    def refresh_token(self) -> TokenInfo:
        if self.oauth2 is None:
            raise self.not_supported("refreshing tokens: OAuth1 requests are signed one by one")
        invalidate(self.name, "names")
        return self.oauth2.refresh_now()

    def _require_id(self, value: str, what: str) -> None:
        if not SAFE_ID.match(str(value)):
            raise NotFound(self.name, f"no {what} with id {value!r}")
