"""Vantage6Service: a vantage6 server's tasks (runs across organisations' nodes) as common records."""
from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any, Mapping

from app.cache import Fetched, cached_read, invalidate
from app.concurrency import parallel_calls, parallel_map
from app.connections import Connection
from app.errors import InvalidRequest, NotFound
from app.http import PlatformHttp
from app.pagination import Page, page_of
from app.platforms.base import PlatformService
from app.platforms.records import (InstanceFact, PlatformUser, Run, RunFilter, RunStatus, Schedule, TokenInfo,
                                   Workflow)
from app.platforms.vantage6 import normalize as norm
from app.platforms.vantage6 import settings as connection_setup
from app.platforms.vantage6 import tasks
from app.platforms.vantage6.people import read_platform_users
from app.platforms.vantage6.inventory import Vantage6Inventory
from app.platforms.vantage6.normalize import NUMERIC_ID
from app.platforms.vantage6.auth import Vantage6Authenticator, Vantage6Credentials
from app.platforms.vantage6.client import Vantage6Client, error_message
from app.tokens import jwt_claims, stored_token_row

HISTORY_PAGES = 5  # recent_runs reads the newest tasks this many pages deep (the server lists id-descending)
HISTORY_PER_PAGE = 100
NAMES_TTL = 300


class Vantage6Service(PlatformService):
    """vantage6: tasks run by organisations' nodes; collaborations, nodes and users for the pages."""

    platform = "vantage6"
    display_name = "vantage6"
    supports_run = True
    supports_cancel = True
    supports_token_refresh = True
    own_run_form = "task_new"  # a task takes collaboration, organisations, image and input: its own form
    run_detail_template = "vantage6/task.html"
    has_schedules = False  # vantage6 has no schedules: a connection opens on its tasks
    workflow_kinds = ("image",)
    workflows_heading = workflows_tab = "Images"
    runs_heading = "Tasks"
    run_parts_heading = "Organisations"
    extra_pages = (("collaborations", "Collaborations", "viewer", ("collaboration",)),
                   ("inventory", "Inventory", "admin", ()))
    connection_settings = connection_setup.SETTINGS
    connection_rules = connection_setup.RULES

    def __init__(self, connection: Connection, config: Any) -> None:
        super().__init__(connection, config)
        self.api = "/" + str(connection.option("api_path", "/api")).strip("/")
        self.ui_url = str(connection.option("ui_url", "")).rstrip("/")
        self.public = Vantage6Client(PlatformHttp(connection.name, connection.base_url, settings=self.http_settings,
                                                  error_message=error_message), self.api)
        self.credentials = Vantage6Credentials(connection, self.public.http, self.token_settings, self.major,
                                               self.api)
        self.client = Vantage6Client(PlatformHttp(
            connection.name, connection.base_url, settings=self.http_settings,
            authenticator=Vantage6Authenticator(self.credentials), error_message=error_message), self.api)

    # --- the server ---------------------------------------------------------------------------------------
    def probe(self) -> str:
        me = self._me()
        return f"vantage6 {self.public.version() or '?'} answered; signed in as {me.get('username', '?')}"

    def version(self) -> str:
        """The server's version (`/version`, no sign-in needed), kept ten minutes: it picks how to sign in."""
        return cached_read(self.name, "version", self.public.version, timeout=600).value

    def major(self) -> int:
        head = self.version().split(".", 1)[0]
        return int(head) if head.isdigit() else 4

    def instance_facts(self) -> tuple[InstanceFact, ...]:
        def fetch() -> tuple[InstanceFact, ...]:
            health, me = parallel_calls(self.public.health, self._me)
            healthy = bool(health.get("database", False))
            name = " ".join(str(me.get(k) or "") for k in ("firstname", "lastname")).strip()
            return (InstanceFact("Version", self.version() or "unknown"),
                    InstanceFact("Database", "answering" if healthy else "not answering", not healthy),
                    InstanceFact("Signed in as", f"{name} ({me.get('username', '?')})" if name
                                 else str(me.get("username", "?"))))
        return cached_read(self.name, "instance", fetch, timeout=120).value

    def _me(self) -> dict:
        """v5 answers /user/me; a v4 token names its user in `sub`."""
        if self.major() >= 5:
            return self.client.me(None)
        return self.client.me(str(jwt_claims(self.credentials.access_token()).get("sub", "")) or None)

    # --- names ------------------------------------------------------------------------------------------
    def names(self) -> norm.Names:
        """Organisation, user and collaboration names by id, read together and kept five minutes."""
        def fetch() -> norm.Names:
            orgs, users, collabs = parallel_calls(lambda: self.client.every("organization"),
                                                  lambda: self.client.every("user"),
                                                  lambda: self.client.every("collaboration"))
            return norm.Names({str(o["id"]): str(o.get("name") or o["id"]) for o in orgs if "id" in o},
                              {str(u["id"]): _person(u) for u in users if "id" in u},
                              {str(c["id"]): str(c.get("name") or c["id"]) for c in collabs if "id" in c})
        return cached_read(self.name, "names", fetch, timeout=NAMES_TTL).value

    # --- tasks (runs) --------------------------------------------------------------------------------------
    def run_filters(self) -> tuple[RunFilter, ...]:
        """Tasks filter by collaboration and by the user who created them, both by name."""
        names = self.names()
        return (RunFilter("collaboration", "Collaboration", _by_name(names.collaborations)),
                RunFilter("user", "Created by", _by_name(names.users)))

    def runs(self, *, page: int, per_page: int, status: str | None = None, target: str | None = None,
             kind: str | None = None, filters: Mapping[str, str] | None = None) -> Page[Run]:
        """A page of top-level tasks as the server pages them. A status filter reads the recent history instead,
        since the server's own status filter is broken (it answers 500)."""
        filters = filters or {}
        names = self.names()
        if status:
            wanted = {"collaboration": filters.get("collaboration"), "user": filters.get("user")}
            raw = [t for t in self.raw_recent_tasks().value if not t.get("parent")
                   and all(v is None or norm.link_id(t.get(k if k == "collaboration" else "init_user")) == v
                           for k, v in wanted.items())]
            runs = [r for r in (norm.normalize_task(t, self.name, names) for t in raw) if r.status.value == status
                    and (not target or target.lower() in (r.target.id if r.target else "").lower())]
            return page_of(runs, page, per_page)
        params: dict[str, Any] = {"is_user_created": 1, "include": "runs"}
        if target:
            params["image"] = f"%{target}%"
        if filters.get("collaboration"):
            params["collaboration_id"] = filters["collaboration"]
        if filters.get("user"):
            params["init_user_id"] = filters["user"]
        items, total = self.client.tasks(params, page, per_page)
        return Page([norm.normalize_task(t, self.name, names) for t in items], page, per_page, total)

    def raw_recent_tasks(self) -> Fetched[list[dict]]:
        """The newest tasks with their runs, a few pages deep; kept briefly (they move with their nodes)."""
        def fetch() -> list[dict]:
            found: list[dict] = []
            for page in range(1, HISTORY_PAGES + 1):
                items, total = self.client.tasks({"include": "runs"}, page, HISTORY_PER_PAGE)
                found += items
                if page * HISTORY_PER_PAGE >= total:
                    break
            return found
        return cached_read(self.name, "recent_tasks", fetch, timeout=30)

    def recent_runs(self) -> Fetched[list[Run]]:
        """The newest top-level tasks as Runs, for the charts and the cross-platform pages."""
        fetched = self.raw_recent_tasks()
        names = self.names()
        return Fetched([norm.normalize_task(t, self.name, names) for t in fetched.value if not t.get("parent")],
                       fetched.fetched_at, fetched.stale)

    def run(self, run_id: str) -> Run:
        """One task; NotFound for an unknown or malformed id."""
        return norm.normalize_task(self._task(run_id), self.name, self.names())

    def task_detail(self, task_id: str) -> tuple[Run, list[norm.OrgRun], list[Run]]:
        """A task, each organisation's run, and its subtasks."""
        raw = self._task(task_id)
        names = self.names()
        runs = [norm.normalize_org_run(r, names) for r in raw.get("runs") or [] if isinstance(r, dict)]
        children, _ = self.client.tasks({"parent_id": task_id, "include": "runs"}, 1, 100)
        return (norm.normalize_task(raw, self.name, names, runs), runs,
                [norm.normalize_task(c, self.name, names) for c in children])

    def run_page(self, run_id: str) -> tuple[Run, dict[str, Any]]:
        """The task (read once) with its organisation runs, their results and its subtasks."""
        task, runs, children = self.task_detail(run_id)
        completed = [r.id for r in runs if r.status is RunStatus.SUCCEEDED]
        results = dict(zip(completed, parallel_map(self._result_text, completed)))
        return task, {"org_runs": runs, "children": children, "results": {k: v for k, v in results.items() if v}}

    def _result_text(self, run_id: str) -> str:
        """A completed run's result as indented JSON ("" when unreadable); results never change, so a day."""
        def fetch() -> str:
            decoded = norm.decode_base64_json(self.client.result(run_id).get("result"))
            return json.dumps(decoded, indent=2) if decoded is not None else ""
        return cached_read(self.name, f"result:{run_id}", fetch, timeout=24 * 3600).value

    def collaboration_members(self) -> dict[int, tuple[str, list[tuple[int, str]]]]:
        """Each unencrypted collaboration's name and its organisations (id, name), for the task form. An
        encrypted collaboration's input must be encrypted for each organisation, which Flightdeck cannot do."""
        return {int(c.id): (c.name, sorted(((int(m.organization_id), m.organization) for m in c.members),
                                          key=lambda pair: pair[1].lower()))
                for c in Vantage6Inventory(self).collaborations().value if not c.encrypted}

    def encrypted_collaborations(self) -> list[str]:
        """The names of the encrypted collaborations, which the task form leaves out."""
        return [c.name for c in Vantage6Inventory(self).collaborations().value if c.encrypted]

    def source_task(self, task_id: str) -> dict[str, str]:
        """The form values of an earlier task, to start it again: its collaboration, organisations, image,
        name, description, decoded input and databases. Empty for an unknown task."""
        try:
            raw = self._task(task_id)
        except NotFound:
            return {}
        runs = [r for r in raw.get("runs") or [] if isinstance(r, dict)]
        first_input = norm.decode_base64_json(runs[0].get("input")) if runs else None
        return {"collaboration": norm.link_id(raw.get("collaboration")) or "",
                "organizations": ",".join(sorted({norm.link_id(r.get("organization")) or "" for r in runs} - {""})),
                "image": str(raw.get("image") or ""), "name": str(raw.get("name") or ""),
                "description": str(raw.get("description") or ""),
                "input": json.dumps(first_input, indent=2) if isinstance(first_input, dict) else "",
                "databases": ",".join(str(d.get("label")) for d in raw.get("databases") or []
                                      if isinstance(d, dict) and d.get("label")) or "default"}

    def start_run(self, kind: str, target_id: str, params: dict[str, str], execution_id: str,
                  options: dict[str, str] | None = None) -> str | None:
        """Create a task from the task form's values (checked again here: nothing invalid is sent)."""
        members = {cid: {o for o, _ in orgs} for cid, (_, orgs) in self.collaboration_members().items()}
        problems = tasks.spec_problems(params, members)
        if problems:
            raise InvalidRequest(self.name, "; ".join(f"{k}: {v}" for k, v in problems.items()))
        spec = tasks.parse_spec(params)
        v5 = self.major() >= 5
        session_id = self._session_for(spec.collaboration_id) if v5 else None
        created = self.client.create_task(tasks.task_body(spec, v5=v5, session_id=session_id))
        invalidate(self.name, "recent_tasks")
        return str(created["id"])

    def _session_for(self, collaboration_id: int) -> int:
        """Version 5 runs tasks in a session: the collaboration's newest one."""
        sessions, _ = self.client.page("session", {"collaboration_id": collaboration_id}, 1, 1)
        if not sessions:
            raise InvalidRequest(self.name, "the server is version 5 and this collaboration has no session to run "
                                            "the task in; create one in vantage6 first")
        return int(sessions[0]["id"])

    def cancel_run(self, run_id: str) -> None:
        """Kill the task: the server marks every unfinished run `killed by user` and tells the nodes."""
        self._task(run_id)  # NotFound for an unknown task, before anything is sent
        self.client.kill_task(run_id)
        invalidate(self.name, "recent_tasks")

    def run_result(self, task_id: str, run_id: str) -> Any:
        """The decoded result of one organisation's run of this task; NotFound when it has none."""
        raw = self._task(task_id)
        if not any(str(r.get("id")) == run_id for r in raw.get("runs") or [] if isinstance(r, dict)):
            raise NotFound(self.name, f"task {task_id} has no run {run_id!r}")
        result = norm.decode_base64_json(self.client.result(run_id).get("result"))
        if result is None:
            raise NotFound(self.name, f"run {run_id} has no readable result")
        return result

    def _task(self, task_id: str) -> dict:
        if not NUMERIC_ID.match(task_id):
            raise NotFound(self.name, f"no task {task_id!r}")
        return self.client.task(task_id)

    # --- images (workflows) -----------------------------------------------------------------------------
    def workflows(self) -> Fetched[list[Workflow]]:
        """Images started more than once in the recent history, newest use first."""
        fetched = self.raw_recent_tasks()
        return Fetched(norm.image_workflows(fetched.value, self.name, self.names()), fetched.fetched_at,
                       fetched.stale)

    def workflow(self, kind: str, target_id: str) -> Workflow:
        """An image by the id of its latest task; NotFound otherwise."""
        found = next((w for w in self.workflows().value if w.id == target_id), None)
        if found is None or kind != "image":
            raise NotFound(self.name, f"no image {target_id!r}")
        return found

    # --- no schedules --------------------------------------------------------------------------------------
    def schedules(self) -> Fetched[list[Schedule]]:
        return Fetched([], time.time())

    def schedule(self, schedule_id: str) -> Schedule:
        raise NotFound(self.name, "vantage6 has no schedules")

    def platform_users(self) -> Fetched[list[PlatformUser]]:
        """Every user with organisation, roles, last seen and where their roles let them create tasks (people.py)."""
        return read_platform_users(self)

    # --- the token --------------------------------------------------------------------------------------------
    def token_info(self) -> tuple[TokenInfo, ...]:
        return (self.credentials.info(),)

    def token_expires_at(self) -> datetime | None:
        return stored_token_row(self.name).expires_at

    def refresh_token(self) -> TokenInfo:
        return self.credentials.refresh_now()

    def sign_in_with_code(self, code: str) -> TokenInfo:
        return self.credentials.sign_in_with_code(code)


def _by_name(names: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(names.items(), key=lambda pair: pair[1].lower()))


def _person(user: dict) -> str:
    name = " ".join(str(user.get(k) or "") for k in ("firstname", "lastname")).strip()
    return name or str(user.get("username") or user.get("id"))
