"""What every platform service declares and shares: capabilities, the HTTP client and cache keys."""
from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from app.connection_settings import OneOf, Setting
from app.connections import Connection
from app.errors import NotSupported, PlatformError
from app.http import Download, HttpSettings
from app.pagination import Page, page_of
from app.platforms.records import Health, InstanceFact, Run, RunFilter, TokenInfo, Workflow
from app.tokens import TokenSettings


class PlatformService:
    """Base of <Key>Service: capability flags the pages read, and NotSupported for the rest."""

    platform: ClassVar[str]
    display_name: ClassVar[str]
    supports_run: ClassVar[bool] = False
    supports_cancel: ClassVar[bool] = False
    supports_schedule_toggle: ClassVar[bool] = False
    supports_schedule_run_now: ClassVar[bool] = False  # the schedule itself can be fired now (Team Studio jobs)
    supports_run_results: ClassVar[bool] = False  # a finished run has a results page (the blueprint's `results`)
    supports_token_refresh: ClassVar[bool] = False
    supports_output_download: ClassVar[bool] = False
    # a platform whose runs need a form of their own (vantage6's task form): the shared Run links lead there
    own_run_form: ClassVar[str | None] = None
    # the run page's template (it may extend platform/run_detail.html) and what it adds (run_page)
    run_detail_template: ClassVar[str] = "platform/run_detail.html"
    variables_as_pairs: ClassVar[bool] = False  # the run form takes name/value rows (Team Studio's `@name` = value)
    workflow_kinds: ClassVar[tuple[str, ...]] = ("workflow",)  # what the workflows page can filter on
    workflows_heading: ClassVar[str] = "Workflows"
    workflows_tab: ClassVar[str] = "Workflows"  # the heading's short form, for the tab
    run_parts_heading: ClassVar[str] = "Parts"  # the runs table's column of Run.parts (vantage6: organisations)
    runs_heading: ClassVar[str] = "Runs"  # what the platform calls its runs (Server: jobs)
    has_schedules: bool = True  # a connection whose API lacks schedules opens on its workflows instead
    # Pages of the platform's own beyond the shared four, as (endpoint in the blueprint, tab label, least role,
    # endpoints that light the tab); the page head shows a tab to whoever holds the role.
    extra_pages: ClassVar[tuple[tuple[str, str, str, tuple[str, ...]], ...]] = ()
    # The platform's own schedule pages, as endpoints of its blueprint: one schedule's page (taking the schedule's
    # id as `schedule_page_arg`), the operators' form making one as (endpoint, button label), and every such page,
    # so the Schedules tab stays lit on them. The schedules page links names and shows the button when set.
    schedule_page: ClassVar[str | None] = None
    schedule_page_arg: ClassVar[str] = "schedule_id"
    new_schedule_page: ClassVar[tuple[str, str] | None] = None
    schedule_pages: ClassVar[tuple[str, ...]] = ()
    # What a connection of the platform is configured with (app/connection_settings.py): the browser's connection
    # form is built from these, and `connection_rules` say which groups of them must be complete.
    connection_settings: ClassVar[tuple[Setting, ...]] = ()
    connection_rules: ClassVar[tuple[OneOf, ...]] = ()
    # Whether Schedule.owner names one of the platform's users (Alooma: a deployment), so that an owner missing
    # from platform_users() means the owner is gone rather than not a person at all.
    schedule_owners_are_users: ClassVar[bool] = True

    @property
    def run_noun(self) -> str:
        """One of runs_heading: "Run", "Job"."""
        return self.runs_heading[:-1]

    def __init__(self, connection: Connection, config: Any) -> None:
        self.connection = connection
        self.name = connection.name
        self.http_settings = HttpSettings.from_config(config)
        self.token_settings = TokenSettings(
            lock_dir=Path(config["LOCK_DIR"]), refresh_margin=int(config["TOKEN_REFRESH_MARGIN"]),
            http=self.http_settings)

    def check_connection(self) -> Health:
        """Test the connection now ("Test connection"): one authenticated read, never from the cache. Returns the
        Health with what answered or, when the platform failed, why (the PlatformError's safe message)."""
        started = time.monotonic()
        try:
            answer = self.probe()
        except PlatformError as error:
            return Health(self.name, self.platform, ok=False, latency_ms=(time.monotonic() - started) * 1000,
                          message=f"{error.kind.replace('_', ' ')}: {error.message}")
        return Health(self.name, self.platform, ok=True, latency_ms=(time.monotonic() - started) * 1000,
                      message=answer)

    def probe(self) -> str:
        """One cheap authenticated call that proves the address and the credentials; says what answered."""
        raise self.not_supported("testing the connection")

    def not_supported(self, action: str) -> NotSupported:
        return NotSupported(self.name, f"{self.display_name} does not support {action}")

    # Every service implements these reads (CONNECTORS.md says what each returns and raises).
    REQUIRED_READS: ClassVar[tuple[str, ...]] = (
        "schedules", "schedule", "runs", "recent_runs", "run", "workflows", "workflow", "platform_users")

    def page_of_recent_runs(self, *, page: int, per_page: int, status: str | None, target: str | None) -> Page[Run]:
        """runs() for a platform without server-side run paging: one page of recent_runs(), filtered by status
        and by a word of the target's name."""
        items = self.recent_runs().value  # type: ignore[attr-defined]
        if status:
            items = [r for r in items if r.status.value == status]
        if target:
            needle = target.lower()
            items = [r for r in items if r.target and needle in r.target.name.lower()]
        return page_of(items, page, per_page)

    def run_filters(self) -> tuple[RunFilter, ...]:
        """Filters the runs page offers beyond status and target; runs() gets their values as `filters`."""
        return ()

    def run_page(self, run_id: str) -> tuple[Run, dict[str, Any]]:
        """The run and what a platform's own run page shows beside it (vantage6: each organisation's run), read
        together so that a platform whose extras come with the run reads it once."""
        return self.run(run_id), {}  # type: ignore[attr-defined]

    def search_workflows(self, query: str, kind: str, page: int, per_page: int) -> Page[Workflow]:
        """One page of runnable things whose name contains `query`; platforms with a search API override this."""
        query = query.lower()
        items = [w for w in self.workflows().value
                 if (not query or query in w.name.lower()) and (not kind or w.kind == kind)]
        return page_of(items, page, per_page)

    # Optional actions: a service sets the matching supports_* flag and overrides the method.
    def start_run(self, kind: str, target_id: str, params: dict[str, str], execution_id: str,
                  options: dict[str, str] | None = None) -> str | None:
        raise self.not_supported("starting runs")

    def open_output(self, run_id: str, output_id: str, file_format: str) -> Download:
        raise self.not_supported("downloading outputs")

    def set_schedule_enabled(self, schedule_id: str, enabled: bool) -> Any:
        raise self.not_supported("enabling or disabling schedules")

    def run_schedule_now(self, schedule_id: str) -> None:
        """Fire the schedule now, whatever its timing (every task it holds runs)."""
        raise self.not_supported("running schedules now")

    def cancel_run(self, run_id: str) -> None:
        """Ask the platform to stop a running run (it may take a moment to end)."""
        raise self.not_supported("stopping runs")

    def token_info(self) -> tuple[TokenInfo, ...]:
        """One entry per credential the connection uses (a platform may sign and hold tokens at once)."""
        raise self.not_supported("token refresh")

    def instance_facts(self) -> tuple[InstanceFact, ...]:
        """What the token panel says about the instance itself (version, licence, account); none by default."""
        return ()

    def token_expires_at(self) -> datetime | None:
        """When the access token runs out, from what is stored (no platform call); None when there is none."""
        return None

    def refresh_token(self) -> Any:
        raise self.not_supported("token refresh")

    def sign_in_with_code(self, code: str) -> TokenInfo:
        """Sign in with the two-factor code a person typed on the token panel (TokenInfo.accepts_code)."""
        raise self.not_supported("two-factor sign-in")
