"""Run operations of the AAC backend: start plans, flows, recipes and workflows; read, list and cancel runs."""
from __future__ import annotations

import threading
from datetime import datetime
from operator import attrgetter
from typing import Any, Callable

from sandbox.aac import serialize as out
from sandbox.aac.errors import NotFound, ValidationFailed
from sandbox.aac.factory import add_flow_run, add_job_group, add_plan_run, api_fate
from sandbox.aac.query import Params, choice, contains, date_filters, date_ok, listing, many, one, page, sort_items
from sandbox.aac.world import STATUSES, JobGroup, Person, PlanRun, World
from sandbox.common.ids import run_rng, seeded_uuid4

RANFROM = ("ui", "schedule", "api")
RANFOR = ("recipe", "sampling", "pendingDatasource", "plan", "extract", "profile", "publish", "refresh", "workflow")


def _overrides(body: dict[str, Any]) -> list[dict[str, Any]]:
    """runParameters.overrides.data from a run body, checked for shape."""
    data = (((body or {}).get("runParameters") or {}).get("overrides") or {}).get("data") or []
    if not isinstance(data, list) or not all(isinstance(o, dict) and "key" in o for o in data):
        raise ValidationFailed("Input validation failed", "runParameters.overrides.data must be a list of {key, value}")
    return data


def _check_overrides(overrides: list[dict[str, Any]], defined: list[dict[str, str]], flow_name: str) -> None:
    """An override may only name a variable the flow defines."""
    known = {p["key"] for p in defined}
    unknown = sorted({str(o["key"]) for o in overrides} - known)
    if unknown:
        raise ValidationFailed("Input validation failed",
                               f"Unknown run parameter(s) {', '.join(unknown)} for flow '{flow_name}'")


class RunsMixin:
    """Run operations of AacBackend; run-starting calls go through self.admit_run (idempotency and quotas)."""

    world: World
    seed: int
    lock: threading.RLock

    # Provided by the classes this mixes into (declared here for readers and type checkers):
    now: Callable[[], datetime]  # AacBackend
    admit_run: Callable[[Person, str, str | None], Callable[[], None]]  # AacBackend: idempotency and quotas
    _plan: Callable[[int], Any]  # CatalogMixin
    _flow: Callable[[int], Any]  # CatalogMixin
    _workflow: Callable[[str], Any]  # CatalogMixin

    # -- plans ---------------------------------------------------------------------------------------
    def run_plan(self, user: Person, plan_id: int, execution_id: str | None = None) -> dict[str, Any]:
        """Start a plan run: {"validationStatus": "Valid", "planSnapshotRunId": n}."""
        with self.lock:
            plan = self._plan(plan_id)
            accept = self.admit_run(user, "runPlan", execution_id)
            run_id = self.world.take_id("plan_run")
            add_plan_run(self.world, plan, self.now(), api_fate(self.seed, "planRun", run_id), ranfrom="api",
                         creator_id=user.id, run_id=run_id)
            accept()
            return {"validationStatus": "Valid", "planSnapshotRunId": run_id}

    def _plan_run(self, run_id: int) -> PlanRun:
        found = self.world.plan_runs.get(run_id)
        if found is None:
            raise NotFound(f"PlanSnapshotRun with id {run_id} not found", {"planSnapshotRunId": run_id})
        return found

    def _plan_run_rows(self, user: Person, params: Params, now: datetime) -> list[PlanRun]:
        status = choice(params, "status", STATUSES)
        ranfrom = choice(params, "ranfrom", RANFROM)
        mine = choice(params, "runBy", ("all", "currentUser")) == "currentUser"
        clauses = date_filters(params)
        return [r for r in self.world.plan_runs.values()
                if (status is None or r.status_at(now) == status) and (ranfrom is None or r.ranfrom == ranfrom)
                and (not mine or r.creator_id == user.id)
                and date_ok(clauses, {"createdAt": r.created_at, "updatedAt": r.updated_at(now)})]

    def list_plan_runs(self, user: Person, params: Params) -> dict[str, Any]:
        """planSnapshotRuns, newest first by default; status, ranfrom, runBy and dateFilter narrow it."""
        now, embed = self.now(), set(many(params, "embed"))
        with self.lock:
            rows = sort_items(self._plan_run_rows(user, params, now), params, self._run_sort(now), "-createdAt")
            return listing((out.plan_run(self.world, r, now, embed) for r in page(rows, params)), len(rows), params)

    def count_plan_runs(self, user: Person, params: Params) -> dict[str, int]:
        """{"count": n} under the planSnapshotRuns filters."""
        with self.lock:
            return {"count": len(self._plan_run_rows(user, params, self.now()))}

    def get_plan_run(self, run_id: int, params: Params | None = None) -> dict[str, Any]:
        """One plan run; embed=plan expands the plan."""
        with self.lock:
            return out.plan_run(self.world, self._plan_run(run_id), self.now(), set(many(params or {}, "embed")))

    def cancel_plan_run(self, run_id: int) -> dict[str, Any]:
        """Cancel a plan run and its unfinished job groups; a finished run is returned unchanged."""
        with self.lock:
            run, now = self._plan_run(run_id), self.now()
            if run.cancel(now):
                for group_id in run.job_group_ids:
                    self.world.job_groups[group_id].cancel(now)
            return out.plan_run(self.world, run, now)

    # -- flows ---------------------------------------------------------------------------------------
    def run_flow(self, user: Person, flow_id: int, body: dict[str, Any] | None = None,
                 execution_id: str | None = None) -> dict[str, Any]:
        """Run a flow's recipes (or the listed wrangledDatasetIds): {"flowRunId", "data": [{id, reason, sessionId}]}."""
        body = body or {}
        with self.lock:
            flow = self._flow(flow_id)
            overrides = _overrides(body)
            _check_overrides(overrides, flow.parameters, flow.name)
            recipe_ids = body.get("wrangledDatasetIds") or list(flow.recipe_ids)
            stray = [r for r in recipe_ids if r not in flow.recipe_ids]
            if stray:
                raise ValidationFailed("Input validation failed", f"wrangledDatasetIds {stray} are not in flow {flow.id}")
            accept = self.admit_run(user, "runFlow", execution_id)
            first = self.world.next_ids["job_group"]
            fates = [api_fate(self.seed, "jobGroup", first + i) for i in range(len(recipe_ids))]
            rng = run_rng(self.seed, "flowRun", self.world.next_ids["flow_run"])
            run = add_flow_run(self.world, flow, recipe_ids, self.now(), fates, ranfrom="api", creator_id=user.id,
                               rng=rng, run_parameters=overrides or None)
            accept()
            return {"flowRunId": run.id, "data": [{"id": gid, "reason": "JobStarted", "sessionId": seeded_uuid4(rng)}
                                                  for gid in run.job_group_ids]}

    def _flow_run(self, run_id: int) -> Any:
        found = self.world.flow_runs.get(run_id)
        if found is None:
            raise NotFound(f"FlowRun with id {run_id} not found", {"flowRunId": run_id})
        return found

    def get_flow_run(self, run_id: int) -> dict[str, Any]:
        """One flow run."""
        return out.flow_run(self.world, self._flow_run(run_id), self.now())

    def flow_run_status(self, run_id: int) -> str:
        """The flow run's status as a bare string."""
        return out.flow_run_status(self.world, self._flow_run(run_id), self.now())

    def flow_run_job_groups(self, run_id: int) -> dict[str, Any]:
        """{"data": [JobGroup]} of one flow run."""
        run, now = self._flow_run(run_id), self.now()
        return {"data": [out.job_group(self.world, self.world.job_groups[i], now) for i in run.job_group_ids]}

    # -- job groups ----------------------------------------------------------------------------------
    def create_job_group(self, user: Person, body: dict[str, Any], execution_id: str | None = None) -> dict[str, Any]:
        """Run one recipe: 201 body with id, reason, sessionId, jobGraph and jobs."""
        with self.lock:
            recipe_id = ((body or {}).get("wrangledDataset") or {}).get("id")
            recipe = self.world.recipes.get(recipe_id) if isinstance(recipe_id, int) else None
            if recipe is None:
                raise ValidationFailed("Input validation failed", f"wrangledDataset {recipe_id!r} does not exist")
            flow = self.world.flows[recipe.flow_id]
            overrides = _overrides(body)
            _check_overrides(overrides, flow.parameters, flow.name)
            accept = self.admit_run(user, "runJobGroup", execution_id)
            group_id = self.world.next_ids["job_group"]
            group = add_job_group(self.world, self.now(), api_fate(self.seed, "jobGroup", group_id), name=recipe.name,
                                  ranfrom="api", ranfor="recipe", creator_id=user.id, recipe_id=recipe.id,
                                  run_parameters=overrides or None)
            accept()
            job_ids = [group.id * 10, group.id * 10 + 1]
            return {"id": group.id, "reason": "JobStarted",
                    "sessionId": seeded_uuid4(run_rng(self.seed, "session", group.id)),
                    "jobGraph": {"vertices": job_ids, "edges": [{"source": job_ids[0], "target": job_ids[1]}]},
                    "jobs": {"data": [{"id": job_id} for job_id in job_ids]}}

    def _job_group(self, group_id: int) -> JobGroup:
        found = self.world.job_groups.get(group_id)
        if found is None:
            raise NotFound(f"JobGroup with id {group_id} not found", {"jobGroupId": group_id})
        return found

    def get_job_group(self, group_id: int, params: Params | None = None) -> dict[str, Any]:
        """One job group; embed=jobs,wrangledDataset expands them."""
        return out.job_group(self.world, self._job_group(group_id), self.now(), set(many(params or {}, "embed")))

    def job_group_status(self, group_id: int) -> str:
        """The job group's status as a bare string."""
        return self._job_group(group_id).status_at(self.now())

    def job_group_jobs(self, group_id: int) -> dict[str, Any]:
        """{"data": [Job]} with progress and error messages."""
        return {"data": out.jobs(self._job_group(group_id), self.now())}

    def cancel_job_group(self, group_id: int) -> dict[str, Any]:
        """{"jobIds": [...canceled jobs], "jobgroupId": n}; nothing is canceled once the group finished."""
        with self.lock:
            group, now = self._job_group(group_id), self.now()
            before = [job["status"] for job in out.jobs(group, now)]
            group.cancel(now)
            canceled = [job["id"] for job, was in zip(out.jobs(group, now), before)
                        if job["status"] == "Canceled" and was != "Canceled"]
            return {"jobIds": canceled, "jobgroupId": group.id}

    @staticmethod
    def _run_sort(now: datetime) -> dict[str, Callable[[Any], Any]]:
        return {"id": attrgetter("id"), "createdAt": attrgetter("created_at"),
                "updatedAt": lambda r: r.updated_at(now), "name": lambda r: getattr(r, "name", "").lower()}

    def _library_rows(self, user: Person, params: Params, now: datetime) -> list[JobGroup]:
        status = choice(params, "status", STATUSES)
        ranfrom = choice(params, "ranfrom", RANFROM)
        ranfor = choice(params, "ranfor", RANFOR)
        kind = choice(params, "type", ("flow", "workflow"))
        mine = choice(params, "runBy", ("all", "currentUser")) == "currentUser"
        needle, clauses = one(params, "filter"), date_filters(params)
        return [g for g in self.world.job_groups.values()
                if (ranfrom is None or g.ranfrom == ranfrom) and (ranfor is None or g.ranfor == ranfor)
                and (kind is None or (g.workflow_id is not None) == (kind == "workflow"))
                and (not mine or g.creator_id == user.id) and contains(needle, g.name)
                and (not clauses or date_ok(clauses, {"createdAt": g.created_at, "updatedAt": g.updated_at(now)}))
                and (status is None or g.status_at(now) == status)]

    def job_library(self, user: Person, params: Params) -> dict[str, Any]:
        """/v4/jobLibrary: job groups newest first (limit default 25) with AAC's filters."""
        now = self.now()
        with self.lock:
            rows = sort_items(self._library_rows(user, params, now), params, self._run_sort(now), "-createdAt")
            return listing((out.job_group(self.world, g, now) for g in page(rows, params)), len(rows), params)

    def job_library_count(self, user: Person, params: Params) -> dict[str, int]:
        """{"count": n} under the jobLibrary filters."""
        with self.lock:
            return {"count": len(self._library_rows(user, params, self.now()))}

    # -- workflows -----------------------------------------------------------------------------------
    def run_workflow(self, user: Person, workflow_id: str, execution_id: str | None = None) -> dict[str, Any]:
        """Run a Designer Cloud workflow: {"jobGroupId", "workflowId", "status": "Created"}."""
        with self.lock:
            workflow = self._workflow(workflow_id)
            accept = self.admit_run(user, "runWorkflow", execution_id)
            group_id = self.world.next_ids["job_group"]
            add_job_group(self.world, self.now(), api_fate(self.seed, "jobGroup", group_id), name=workflow.name,
                          ranfrom="api", ranfor="workflow", creator_id=user.id, workflow_id=workflow.id)
            accept()
            return {"jobGroupId": group_id, "workflowId": workflow.id, "status": "Created"}
