"""Read and toggle operations on AAC's catalog: workspace, people, schedules, plans, flows, recipes, workflows."""
from __future__ import annotations

import threading
from datetime import datetime
from operator import attrgetter
from typing import Any, Callable

from sandbox.aac import serialize as out
from sandbox.aac.cron import last_fire
from sandbox.aac.errors import NotFound, ValidationFailed
from sandbox.aac.query import Params, choice, contains, listing, many, one, page, sort_items
from sandbox.aac.world import Person, Schedule, World

TASK_TYPES = ("runPlan", "runFlow", "runWorkflow")
DISABLED_BY_USER = "Disabled by user"
CATALOG_SORT = {"id": attrgetter("id"), "name": lambda o: o.name.lower(),
                "createdAt": attrgetter("created_at"), "updatedAt": attrgetter("updated_at")}


class CatalogMixin:
    """Catalog operations of AacBackend; they read self.world and answer plain dicts."""

    world: World
    lock: threading.RLock
    _last_fires: dict[int, list[datetime | None]]

    now: Callable[[], datetime]  # provided by AacBackend

    # -- workspace and people ------------------------------------------------------------------
    def current_workspace(self) -> dict[str, Any]:
        """The token's workspace."""
        return out.workspace(self.world)

    def get_person(self, person_id: int) -> dict[str, Any]:
        """One person of the workspace, or NotFound."""
        found = self.world.people.get(person_id)
        if found is None:
            raise NotFound(f"Person {person_id} not found")
        return out.person(found)

    def list_people(self, params: Params) -> dict[str, Any]:
        """Workspace members, filterable by email."""
        email = one(params, "email")
        people = [p for p in self.world.people.values() if email is None or p.email == email]
        return listing((out.person(p) for p in page(people, params)), len(people), params)

    # -- schedules -------------------------------------------------------------------------------
    def _last_fire_times(self, s: Schedule) -> list[datetime | None]:
        """lastExecutionTime per trigger, computed once per schedule (cron maths is the costly part)."""
        cached = self._last_fires.get(s.id)
        if cached is None:
            ref = s.last_fire_ref
            cached = [last_fire(t, ref, s.created_at) if ref else None for t in s.triggers]
            self._last_fires[s.id] = cached
        return cached

    def _schedule_json(self, s: Schedule) -> dict[str, Any]:
        return out.schedule(self.world, s, self._last_fire_times(s))

    def _asset_name(self, s: Schedule) -> str:
        table = {"runPlan": self.world.plans, "runFlow": self.world.flows, "runWorkflow": self.world.workflows}
        return table[s.task_type][s.asset_id].name

    def _visible_schedules(self, user: Person, params: Params) -> list[Schedule]:
        """Schedules the user may see (admins: all, others: their own) matching filter/taskTypeFilter/assetId."""
        types = many(params, "taskTypeFilter")
        unknown = [t for t in types if t not in TASK_TYPES]
        if unknown:
            raise ValidationFailed("Input validation failed",
                                   f"taskTypeFilter must be among {', '.join(TASK_TYPES)}, got {', '.join(unknown)}")
        asset = one(params, "assetId")
        if asset is not None and not types:
            raise ValidationFailed("Input validation failed", "assetId requires taskTypeFilter")
        needle = one(params, "filter")
        return [s for s in self.world.schedules.values()
                if (user.is_admin or s.creator_id == user.id)
                and (not types or s.task_type in types)
                and (asset is None or str(s.asset_id) == asset)
                and contains(needle, self._asset_name(s))]

    def list_schedules(self, user: Person, params: Params) -> dict[str, Any]:
        """{"data": [ScheduleWithTask], "count"?}; limit 1..1000 (default 10)."""
        with self.lock:
            rows = sort_items(self._visible_schedules(user, params), params, CATALOG_SORT, "id")
            chosen = page(rows, params, default_limit=10, max_limit=1000)
            return listing((self._schedule_json(s) for s in chosen), len(rows), params)

    def count_schedules(self, user: Person, params: Params) -> dict[str, int]:
        """{"count": n} under the same filters as the list."""
        with self.lock:
            return {"count": len(self._visible_schedules(user, params))}

    def _schedule(self, user: Person, schedule_id: int) -> Schedule:
        found = self.world.schedules.get(schedule_id)
        if found is None or not (user.is_admin or found.creator_id == user.id):
            raise NotFound(f"Schedule with id {schedule_id} not found", {"scheduleId": schedule_id})
        return found

    def get_schedule(self, user: Person, schedule_id: int) -> dict[str, Any]:
        """One visible schedule, or NotFound."""
        with self.lock:
            return self._schedule_json(self._schedule(user, schedule_id))

    def set_schedule_enabled(self, user: Person, schedule_id: int, enabled: bool) -> dict[str, Any]:
        """Enable or disable; disabling records why, enabling clears it. Returns the schedule."""
        with self.lock:
            found = self._schedule(user, schedule_id)
            found.enabled = enabled
            found.disable_reason = None if enabled else DISABLED_BY_USER
            found.updated_at, found.updater_id = self.now(), user.id
            return self._schedule_json(found)

    def plan_schedules(self, user: Person, plan_id: int, params: Params) -> dict[str, Any]:
        """Schedules whose task runs this plan."""
        with self.lock:
            self._plan(plan_id)
            rows = [s for s in self.world.schedules.values()
                    if s.task_type == "runPlan" and s.asset_id == plan_id and (user.is_admin or s.creator_id == user.id)]
            return listing((self._schedule_json(s) for s in rows), len(rows), params)

    # -- plans, flows, recipes, workflows ------------------------------------------------------
    def _plan(self, plan_id: int) -> Any:
        found = self.world.plans.get(plan_id)
        if found is None:
            raise NotFound(f"Plan with id {plan_id} not found", {"planId": plan_id})
        return found

    def _owned(self, items: list[Any], user: Person, params: Params, name: str) -> list[Any]:
        """ownershipFilter/flowsFilter=owned keeps the caller's own; shared keeps none (nothing is shared here)."""
        mode = choice(params, name, ("all", "owned", "shared")) or "all"
        if mode == "owned":
            return [i for i in items if i.creator_id == user.id]
        return [] if mode == "shared" else items

    def list_plans(self, user: Person, params: Params) -> dict[str, Any]:
        """Plans, filterable by name, sortable, paged."""
        rows = [p for p in self.world.plans.values() if contains(one(params, "filter"), p.name)]
        rows = sort_items(self._owned(rows, user, params, "ownershipFilter"), params, CATALOG_SORT, "id")
        now = self.now()
        return listing((out.plan(self.world, p, now) for p in page(rows, params)), len(rows), params)

    def count_plans(self, user: Person, params: Params) -> dict[str, int]:
        """{"count": n} of plans under the list filters."""
        rows = [p for p in self.world.plans.values() if contains(one(params, "filter"), p.name)]
        return {"count": len(self._owned(rows, user, params, "ownershipFilter"))}

    def get_plan(self, plan_id: int, full: bool = False) -> dict[str, Any]:
        """A plan; full=True is /plans/{id}/full with its nodes."""
        return out.plan(self.world, self._plan(plan_id), self.now(), full=full)

    def _flow(self, flow_id: int) -> Any:
        found = self.world.flows.get(flow_id)
        if found is None:
            raise NotFound(f"Flow with id {flow_id} not found", {"flowId": flow_id})
        return found

    def list_flows(self, user: Person, params: Params) -> dict[str, Any]:
        """Flows, filterable by name and folderId."""
        folder = one(params, "folderId")
        rows = [f for f in self.world.flows.values()
                if contains(one(params, "filter"), f.name) and (folder is None or str(f.folder_id) == folder)]
        rows = sort_items(self._owned(rows, user, params, "flowsFilter"), params, CATALOG_SORT, "id")
        return listing((out.flow(self.world, f) for f in page(rows, params)), len(rows), params)

    def get_flow(self, flow_id: int) -> dict[str, Any]:
        """One flow."""
        return out.flow(self.world, self._flow(flow_id))

    def flow_run_parameters(self, flow_id: int) -> dict[str, Any]:
        """{"data": [{key, type, value, dataType}]}: the variables a run may override (may be empty)."""
        return {"data": [dict(p) for p in self._flow(flow_id).parameters]}

    def list_recipes(self, params: Params) -> dict[str, Any]:
        """Wrangled datasets; embed=flow expands each one's flow."""
        embed = "flow" in many(params, "embed")
        rows = [r for r in self.world.recipes.values() if contains(one(params, "filter"), r.name)]
        rows = sort_items(rows, params, CATALOG_SORT, "id")
        return listing((out.recipe(self.world, r, embed) for r in page(rows, params)), len(rows), params)

    def get_recipe(self, recipe_id: int, params: Params) -> dict[str, Any]:
        """One wrangled dataset, or NotFound."""
        found = self.world.recipes.get(recipe_id)
        if found is None:
            raise NotFound(f"WrangledDataset with id {recipe_id} not found", {"wrangledDatasetId": recipe_id})
        return out.recipe(self.world, found, "flow" in many(params, "embed"))

    def list_workflows(self, params: Params) -> dict[str, Any]:
        """Designer Cloud workflows: name[like], type[eq], sort (default -updatedAt), limit default 10."""
        pattern = (one(params, "name[like]") or "").replace("%", "")
        kind = one(params, "type[eq]")
        rows = [w for w in self.world.workflows.values()
                if contains(pattern, w.name) and (kind is None or w.type == kind.lower())]
        rows = sort_items(rows, params, CATALOG_SORT, "-updatedAt")
        chosen = page(rows, params, default_limit=10)
        return {"data": [out.workflow(self.world, w) for w in chosen], "count": len(rows)}

    def get_workflow(self, workflow_id: str) -> dict[str, Any]:
        """One workflow by uuid, or NotFound."""
        return out.workflow(self.world, self._workflow(workflow_id))

    def _workflow(self, workflow_id: str) -> Any:
        found = self.world.workflows.get(workflow_id)
        if found is None:
            raise NotFound(f"Workflow {workflow_id} not found", {"workflowId": workflow_id})
        return found

