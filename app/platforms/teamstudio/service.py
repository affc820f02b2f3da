"""TeamStudioService: TIBCO Team Studio (formerly Alpine) through its Chorus and engine APIs, as common records."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Mapping

from app.cache import Fetched, cached_read, invalidate
from app.concurrency import parallel_calls, parallel_map
from app.connections import Connection
from app.errors import InvalidRequest, NotFound, PlatformError
from app.extensions import db
from app.http import PlatformHttp
from app.models import RunRecord
from app.pagination import Page
from app.platforms.base import PlatformService
from app.platforms.records import InstanceFact, PlatformUser, Run, Schedule, TargetRef, TokenInfo, Workflow
from app.platforms.teamstudio import normalize as norm
from app.platforms.teamstudio import settings as connection_setup
from app.platforms.teamstudio.client import TeamStudioClient, error_message
from app.platforms.teamstudio.instance import account_fact, license_facts
from app.platforms.teamstudio.session import ServiceAccountSession, SessionAuthenticator

NUMERIC_ID = re.compile(r"^\d{1,12}$")
PROCESS_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
RUN_ID = re.compile(r"^(\d{1,12})\.([A-Za-z0-9-]{1,64})$")  # <workflow id>.<process id>: results need both
FINISHED_RUN_CACHE = 24 * 3600  # a finished process's results never change
RUNS_KEPT = 300


def run_id_of(workflow_id: str, process_id: str) -> str:
    return f"{workflow_id}.{process_id}"


class TeamStudioService(PlatformService):
    """Team Studio: workspaces, workflows with variables, jobs as schedules, engine processes as runs."""

    platform = "teamstudio"
    display_name = "TIBCO Team Studio"
    supports_run = True
    supports_cancel = True
    supports_schedule_run_now = True
    supports_run_results = True
    supports_token_refresh = True
    # Team Studio's own tabs (app/platforms/teamstudio/inventory_views.py)
    extra_pages = (("workspaces", "Workspaces", "viewer", ("workspace",)),
                   ("sweeps", "Sweeps", "viewer", ("sweep", "sweep_new")),
                   ("inventory", "Inventory", "admin", ()))
    variables_as_pairs = True
    connection_settings = connection_setup.SETTINGS
    connection_rules = connection_setup.RULES
    # a job's own page, the new-job form and the task pages (app/platforms/teamstudio/job_views.py)
    schedule_page, schedule_page_arg = "job", "job_id"
    new_schedule_page = ("job_pick_workspace", "New job")
    schedule_pages = ("job", "job_new", "job_pick_workspace", "job_task_new", "job_task_delete", "job_delete")

    def __init__(self, connection: Connection, config: Any) -> None:
        super().__init__(connection, config)
        self.ui_url = str(connection.option("ui_url", connection.base_url)).rstrip("/")
        login_http = PlatformHttp(connection.name, connection.base_url, settings=self.http_settings,
                                  error_message=error_message)
        self.session = ServiceAccountSession(connection, login_http, self.token_settings)
        auth = SessionAuthenticator(self.session)
        self.client = TeamStudioClient(PlatformHttp(connection.name, connection.base_url, settings=self.http_settings,
                                                    authenticator=auth, signer=auth, error_message=error_message))

    def probe(self) -> str:
        user = self.client.whoami()
        return f"signed in as {user.get('username') or self.session.username}"

    # --- places --------------------------------------------------------------------------------------
    def raw_workspaces(self) -> list[dict]:
        return cached_read(self.name, "workspaces", self.client.workspaces, timeout=300).value

    def _per_workspace(self, call: Any) -> list[dict]:
        """call(workspace id) for every workspace in parallel, the answers joined."""
        ids = [str(w["id"]) for w in self.raw_workspaces() if "id" in w]
        return [item for items in parallel_map(call, ids) for item in items]

    # --- workflows ---------------------------------------------------------------------------------
    def workflows(self) -> Fetched[list[Workflow]]:
        """Every workfile of every workspace the account sees; workflows are the runnable ones."""
        def fetch() -> list[Workflow]:
            return [norm.normalize_workflow(w, self.name, self.ui_url) for w in self._per_workspace(self.client.workfiles)
                    if "id" in w]
        return cached_read(self.name, "workflows", fetch)

    def workflow(self, kind: str, target_id: str) -> Workflow:
        """One workfile with its variables; NotFound for an unknown id."""
        self._require_numeric(target_id, "workfile")
        # kept a minute: the run form reads it, and starting the run reads it again to check the variables
        return cached_read(self.name, f"workfile:{target_id}", lambda: norm.normalize_workflow(
            self.client.workfile(target_id), self.name, self.ui_url), timeout=60, keep_last_good=False).value

    # --- schedules (jobs) ------------------------------------------------------------------------------
    def platform_users(self) -> Fetched[list[PlatformUser]]:
        """Every user with application role and the workspaces whose workflows they may run (people.py)."""
        from app.platforms.teamstudio.people import read_platform_users  # people reads through the inventory
        return read_platform_users(self)

    def raw_jobs(self) -> Fetched[list[dict]]:
        return cached_read(self.name, "jobs", lambda: self._per_workspace(self.client.jobs))

    def schedules(self) -> Fetched[list[Schedule]]:
        """Every job of every workspace, as schedules."""
        def fetch() -> list[Schedule]:
            return [norm.normalize_job(j, self.name, self.ui_url) for j in self.raw_jobs().value if "id" in j]
        return cached_read(self.name, "schedules", fetch)

    def schedule(self, schedule_id: str) -> Schedule:
        self._require_numeric(schedule_id, "job")
        found = next((s for s in self.schedules().value if s.id == schedule_id), None)
        if found is None:
            raise NotFound(self.name, f"no job {schedule_id}")
        return found

    def run_schedule_now(self, schedule_id: str) -> None:
        """Run the job now (POST /api/jobs/{id}/run); its workflow tasks start as engine processes."""
        self.schedule(schedule_id)  # NotFound for an unknown job, before anything is sent
        self.client.run_job(schedule_id)
        invalidate(self.name, "jobs", "schedules", "recent_runs")

    # --- runs (engine processes) -------------------------------------------------------------------------
    def _known_processes(self) -> list[tuple[str, str, str]]:
        """(workflow id, process id, who) of the processes we can name: each job task's last process and
        every run started from Flightdeck, newest first. The engine has no list of processes."""
        found: dict[str, tuple[str, str, str]] = {}
        records = db.session.execute(
            db.select(RunRecord).filter_by(connection=self.name).where(RunRecord.run_id.is_not(None))
            .order_by(RunRecord.started_at.desc()).limit(RUNS_KEPT)).scalars()
        for record in records:
            match = RUN_ID.match(record.run_id or "")
            if match:
                found[match.group(2)] = (match.group(1), match.group(2), f"{record.username} via Flightdeck")
        for job in self.raw_jobs().value:
            for task in job.get("tasks") or []:
                workfile, process = task.get("workfile") or {}, task.get("last_process_id")
                if process and workfile.get("id") and str(process) not in found:
                    found[str(process)] = (str(workfile["id"]), str(process), f"job {job.get('name', job.get('id'))}")
        return list(found.values())[:RUNS_KEPT]

    def recent_runs(self) -> Fetched[list[Run]]:
        """The processes we can name, newest first; finished ones are cached for a day."""
        def fetch() -> list[Run]:
            def one(known: tuple[str, str, str]) -> Run | None:
                try:
                    return self._run(*known)
                except NotFound:
                    return None
            runs = [r for r in parallel_map(one, self._known_processes()) if r is not None]
            return sorted(runs, key=lambda r: r.started or norm.EPOCH, reverse=True)
        return cached_read(self.name, "recent_runs", fetch, timeout=30)

    def runs(self, *, page: int, per_page: int, status: str | None = None, target: str | None = None,
             kind: str | None = None, filters: Mapping[str, str] | None = None) -> Page[Run]:
        return self.page_of_recent_runs(page=page, per_page=per_page, status=status, target=target)

    def run(self, run_id: str) -> Run:
        """A process: live while the engine reports on it, else from its results; NotFound if unknown."""
        match = RUN_ID.match(run_id)
        if not match:
            raise NotFound(self.name, f"no run {run_id!r}")
        return self._run(match.group(1), match.group(2), "")

    def _run(self, workflow_id: str, process_id: str, who: str) -> Run:
        """The process as a Run; once it is over its results never change, so they are cached for a day."""
        key = f"run:{process_id}"
        run = cached_read(self.name, key, lambda: self._read_process(workflow_id, process_id, who),
                          timeout=FINISHED_RUN_CACHE, keep_last_good=False).value
        if not run.status.is_final:
            invalidate(self.name, key)  # still moving: ask again next time
        return run

    def _read_process(self, workflow_id: str, process_id: str, who: str) -> Run:
        run_id = run_id_of(workflow_id, process_id)
        meta = self.client.query(process_id)
        if meta is not None:
            started, started_by = self._started_here(run_id)
            return norm.running_run(run_id, TargetRef("workflow", workflow_id, self._workflow_name(workflow_id)), meta,
                                    self.name, who or started_by, started)
        return norm.normalize_results(self._raw_results(workflow_id, process_id), run_id, self.name, self.ui_url,
                                      who)

    def _workflow_name(self, workflow_id: str) -> str:
        """The workflow's name from the cached workfile list (a running process names only its id)."""
        try:
            return next((w.name for w in self.workflows().value if w.id == workflow_id), workflow_id)
        except PlatformError:
            return workflow_id

    def _started_here(self, run_id: str) -> tuple[datetime | None, str]:
        """When and by whom a run was started from Flightdeck, where it was: the engine says neither until
        the results exist."""
        record = db.session.execute(db.select(RunRecord).filter_by(connection=self.name, run_id=run_id)).scalar_one_or_none()
        return (record.started_at, f"{record.username} via Flightdeck") if record else (None, "")

    def _raw_results(self, workflow_id: str, process_id: str) -> dict:
        """A finished process's results, decoded; they never change, so they are kept for a day."""
        return cached_read(self.name, f"results:{process_id}", lambda: self.client.results(workflow_id, process_id),
                           timeout=FINISHED_RUN_CACHE, keep_last_good=False).value

    def results(self, run_id: str) -> tuple[Run, dict]:
        """The run and its decoded results; NotFound while it runs or when it saved none."""
        run = self.run(run_id)
        if not run.status.is_final:
            raise NotFound(self.name, f"run {run_id} is still {run.platform_status}: its results come when it ends")
        workflow_id, process_id = RUN_ID.match(run_id).groups()  # type: ignore[union-attr]
        return run, self._raw_results(workflow_id, process_id)


    def start_run(self, kind: str, target_id: str, params: dict[str, str], execution_id: str,
                  options: dict[str, str] | None = None) -> str | None:
        """Run a workflow with its variables; a name the workflow does not declare is refused before sending."""
        workflow = self.workflow(kind, target_id)
        declared = {p.name for p in workflow.parameters}
        unknown = sorted(set(params) - declared)
        if unknown:
            raise InvalidRequest(self.name, f"{workflow.name} has no variable {', '.join(unknown)}")
        if not workflow.runnable:
            raise InvalidRequest(self.name, f"{workflow.name} is not a workflow")
        process_id = self.client.run_workflow(target_id, {k: v for k, v in params.items() if v != ""})
        invalidate(self.name, "recent_runs")
        return run_id_of(target_id, process_id)

    def cancel_run(self, run_id: str) -> None:
        """Ask the engine to stop the process; its results then say STOPPED."""
        match = RUN_ID.match(run_id)
        if not match:
            raise NotFound(self.name, f"no run {run_id!r}")
        self.client.stop(match.group(2))
        invalidate(self.name, "recent_runs")

    # --- the session -------------------------------------------------------------------------------------
    def token_info(self) -> tuple[TokenInfo, ...]:
        return (self.session.info(),)

    def refresh_token(self) -> TokenInfo:
        return self.session.refresh_now()

    def instance_facts(self) -> tuple[InstanceFact, ...]:
        """Version, licence and the signed-in account, read together and kept five minutes."""
        def fetch() -> tuple[InstanceFact, ...]:
            version, licence, user = parallel_calls(self.client.version, self.client.license, self.client.whoami)
            return (InstanceFact("Version", version or "unknown"), account_fact(user),
                    *license_facts(licence, datetime.now(timezone.utc).date()))
        return cached_read(self.name, "instance", fetch, timeout=300).value

    def _require_numeric(self, value: str, what: str) -> None:
        if not NUMERIC_ID.match(value):
            raise NotFound(self.name, f"no {what} {value!r}")
