"""AloomaService: an Alooma account's scheduled queries (as schedules and their latest runs) and its inputs."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Mapping

from app.cache import Fetched, cached_read, invalidate
from app.concurrency import parallel_calls, parallel_map
from app.connections import Connection
from app.errors import NotFound, PlatformError
from app.http import PlatformHttp
from app.pagination import Page
from app.platforms.alooma import normalize as norm
from app.platforms.alooma.client import AloomaClient, error_message, rest_root
from app.platforms.alooma.feed import invalidate_feed
from app.platforms.alooma import settings as connection_setup
from app.platforms.alooma.people import read_platform_users
from app.platforms.alooma.session import AloomaLoginSession, ApiKeyAuthenticator, SessionAuthenticator
from app.platforms.base import PlatformService
from app.platforms.records import InstanceFact, PlatformUser, Run, Schedule, TokenInfo, Workflow

QUERIES_TTL = 30  # queries move with their schedule and with Run now
INPUTS_TTL = 60


class AloomaService(PlatformService):
    """Alooma: scheduled queries as schedules, each query's latest outcome as a run, inputs as workflows.

    Runs: Alooma has no run history API. A scheduled query reports only its status, last processing time, last
    success and (while in error) the error and a running count, so the runs here are each query's latest outcome,
    one per query and named by the query's id: the runs page shows which queries failed last and why, and a query
    started with Run now is followed on its run page until it leaves `running`. Older outcomes are gone.
    """

    platform = "alooma"
    display_name = "Alooma"
    supports_schedule_run_now = True
    supports_token_refresh = True  # the login session's panel; an API key connection turns it off (nothing to renew)
    workflow_kinds = ("input",)
    schedule_owners_are_users = False  # a scheduled query's owner is the deployment, not a user
    workflows_heading = workflows_tab = "Inputs"
    runs_heading = "Latest runs"
    schedule_page, schedule_page_arg = "query", "query_id"  # each query's own page (query_views.py)
    schedule_pages = ("query", "query_remove")
    # Alooma's own tabs, each from its views module (see app/platforms/alooma/__init__.py)
    extra_pages = (
        ("pipeline", "Pipeline", "viewer", ("pipeline_json", "restream_start", "input_sleep_time")),  # tab: pipeline
        ("metrics", "Metrics", "viewer", ()),  # tab: metrics
        ("notifications", "Notifications", "viewer", ()),  # tab: notifications
        ("event_types", "Event types", "viewer", ()),  # tab: event types
        ("inventory", "Inventory", "admin", ()),  # tab: inventory
    )
    connection_settings = connection_setup.SETTINGS
    connection_rules = connection_setup.RULES

    def __init__(self, connection: Connection, config: Any) -> None:
        super().__init__(connection, config)
        self.account_name = str(connection.option("account_name", "")).strip()
        root = rest_root(connection.base_url, self.account_name)
        self.session: AloomaLoginSession | None = None
        if connection.has_secret("api_key"):
            self.auth_kind = "API key"
            self.supports_token_refresh = False
            authenticator: Any = ApiKeyAuthenticator(connection)
        else:
            self.auth_kind = "login session"
            self.session = AloomaLoginSession(connection, PlatformHttp(connection.name, root, settings=self.http_settings,
                                                                 error_message=error_message), self.token_settings)
            authenticator = SessionAuthenticator(self.session)
        self.client = AloomaClient(PlatformHttp(connection.name, root, settings=self.http_settings,
                                                authenticator=authenticator, error_message=error_message))

    def probe(self) -> str:
        deploy = self.client.deploy_info()
        return f"deployment {deploy.get('deploymentName') or self.account_name} answered ({self.auth_kind})"

    def require_id(self, value: str, what: str) -> None:
        """NotFound for an id Alooma could not have issued, before anything is sent (every page's one check)."""
        if not norm.OBJECT_ID.match(value or ""):
            raise NotFound(self.name, f"no {what} {value!r}")

    # --- scheduled queries (schedules) ----------------------------------------------------------------
    def raw_queries(self) -> Fetched[list[dict]]:
        return cached_read(self.name, "queries", self.client.queries, timeout=QUERIES_TTL)

    def schedules(self) -> Fetched[list[Schedule]]:
        """Every scheduled query as a Schedule, those in error first, then running ones, then by name."""
        fetched = self.raw_queries()
        now = datetime.now(timezone.utc)
        return Fetched(norm.by_status(norm.normalize_query(q, self.name, now) for q in fetched.value),
                       fetched.fetched_at, fetched.stale)

    def platform_users(self) -> Fetched[list[PlatformUser]]:
        """Everyone with access to the account (email and names; Alooma lists no roles), by the inventory's read."""
        return read_platform_users(self)

    def schedule(self, schedule_id: str) -> Schedule:
        """One scheduled query as Alooma has it now; NotFound for an unknown or malformed id."""
        self.require_id(schedule_id, "scheduled query")
        return norm.normalize_query(self.client.query(schedule_id), self.name, datetime.now(timezone.utc))

    def run_schedule_now(self, schedule_id: str) -> None:
        """Run the query now (POST v2/consolidation/{id}/run): it shows `running` until it succeeds or fails.
        A query already running is refused by Alooma (409, InvalidRequest)."""
        self.schedule(schedule_id)  # NotFound for an unknown query, before anything is sent
        self.client.run_query(schedule_id)
        invalidate(self.name, "queries")
        invalidate_feed(self.name)  # Alooma reports the run in its notifications

    # --- latest runs ---------------------------------------------------------------------------------
    def recent_runs(self) -> Fetched[list[Run]]:
        """Each query's latest outcome (see the class docstring), newest first; queries that never ran are left out."""
        fetched = self.raw_queries()
        runs = [r for r in (norm.normalize_query_run(q, self.name) for q in fetched.value) if r is not None]
        runs.sort(key=lambda r: r.started or datetime.min.replace(tzinfo=timezone.utc), reverse=True)
        return Fetched(runs, fetched.fetched_at, fetched.stale)

    def runs(self, *, page: int, per_page: int, status: str | None = None, target: str | None = None,
             kind: str | None = None, filters: Mapping[str, str] | None = None) -> Page[Run]:
        return self.page_of_recent_runs(page=page, per_page=per_page, status=status, target=target)

    def run(self, run_id: str) -> Run:
        """A query's latest outcome, read live so a run page follows Run now; NotFound when it never ran."""
        self.require_id(run_id, "run")
        found = norm.normalize_query_run(self.client.query(run_id), self.name)
        if found is None:
            raise NotFound(self.name, f"scheduled query {run_id} has not run yet")
        return found

    # --- inputs (workflows) ----------------------------------------------------------------------------
    def workflows(self) -> Fetched[list[Workflow]]:
        """Every input with its type and state (each input's own answer holds its state), by name."""
        def fetch() -> list[Workflow]:
            nodes = self.client.inputs()
            details = parallel_map(lambda node: self.client.input(str(node["id"])), nodes, max_workers=8)
            found = [norm.normalize_input(d, self.name, n) for n, d in zip(nodes, details)]
            return sorted(found, key=lambda w: w.name.lower())
        return cached_read(self.name, "inputs", fetch, timeout=INPUTS_TTL)

    def workflow(self, kind: str, target_id: str) -> Workflow:
        """One input; NotFound for another kind or an unknown or malformed id."""
        if kind != "input":
            raise NotFound(self.name, f"Alooma has no {kind!r}")
        self.require_id(target_id, "input")
        return norm.normalize_input(self.client.input(target_id), self.name)

    # --- sign-in and the instance -------------------------------------------------------------------------
    def token_info(self) -> tuple[TokenInfo, ...]:
        """The login session; an API key connection has nothing to renew and says so."""
        if self.session is not None:
            return (self.session.info(),)
        return (TokenInfo(connection=self.name, kind="Alooma API key", expires_at=None, refreshed_at=None,
                          last_outcome=None, last_error=None, refreshable=False,
                          note="An API key does not expire; a refused key must be replaced by a person."),)

    def refresh_token(self) -> TokenInfo:
        if self.session is None:
            raise self.not_supported("renewing an API key")
        return self.session.refresh_now()

    def instance_facts(self) -> tuple[InstanceFact, ...]:
        """Account, deployment, build and the signed-in user, read together and kept five minutes."""
        def fetch() -> tuple[InstanceFact, ...]:
            deploy, repository, users = parallel_calls(self.client.deploy_info, self.client.repository,
                                                       self._users_or_none)
            me = None
            if self.session is not None:
                wanted = self.session.username.lower()
                me = next((u for u in users or [] if str(u.get("email", "")).lower() == wanted),
                          {"email": self.session.username})
            return norm.instance_facts(deploy, repository, self.account_name, me, self.auth_kind)
        return cached_read(self.name, "instance", fetch, timeout=300).value

    def _users_or_none(self) -> list[dict] | None:
        """The users, to name the signed-in one; the facts still show when the account may not list them."""
        try:
            return self.client.users()
        except PlatformError:
            return None
