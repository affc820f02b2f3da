"""Schedule operations of the Server backend: list, read, create, replace, patch, delete, and firing on the clock."""
from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import datetime, timedelta
from typing import Any, Callable

from sandbox.server import serialize as out
from sandbox.server.errors import BadRequest, Forbidden, NotFound
from sandbox.server.iteration import next_fire, normalize, parse_iso, zone_of
from sandbox.server.jobs import hex_id, new_job, run_detail
from sandbox.server.query import Params, choice, instant, one
from sandbox.server.questions import answers, v3_priority
from sandbox.server.world import Schedule, User, Workflow, World

FIRE_CAP = 100  # fires replayed per schedule per catch-up; a longer jump skips the older ones
START_GRACE = timedelta(seconds=60)
PUT_REQUIRED = ("workflowId", "iteration", "name", "comment", "priority", "workerTag", "enabled", "timeZone")


class SchedulesMixin:
    """Schedules of ServerBackend; due schedules fire lazily, whenever an operation reads the clock."""

    world: World
    seed: int
    lock: threading.RLock
    rng: random.Random
    run_counts: Counter[str]
    next_due: datetime | None

    # Provided by the classes this mixes into (declared here for readers and type checkers):
    now: Callable[[], datetime]  # ServerBackend
    tick: Callable[[], datetime]  # ServerBackend
    _v3_workflow: Callable[[User, str], Workflow]  # CatalogMixin

    # -- firing ------------------------------------------------------------------------------------------
    def refresh_due(self) -> None:
        """Remember the earliest pending fire, so most requests skip the schedule scan."""
        self.next_due = min((s.run_at for s in self.world.schedules.values() if s.run_at), default=None)

    def last_error(self, s: Schedule, now: datetime) -> str:
        """The error of the last run once it ended in Error, "" once it ended otherwise, else the previous value."""
        job = self.world.jobs.get(s.last_job_id or "")
        if job is None or job.status_at(now) not in ("Completed", "Cancelled"):
            return s.last_error
        if job.outcome != "Error":
            return ""
        return run_detail(self.seed, job, self.world.workflows[job.workflow_id]).error_text

    def _fire(self, s: Schedule, at: datetime) -> None:
        workflow = self.world.workflows.get(s.workflow_id)
        s.last_error = self.last_error(s, at)
        if workflow is None or workflow.run_disabled:
            s.last_error = "The workflow of this schedule cannot be run."
            return
        try:
            chosen = answers(workflow.questions, s.questions)
        except BadRequest:  # the workflow's questions changed since: run with its defaults
            chosen = answers(workflow.questions, [])
        job = new_job(self.world, self.rng, workflow.id, at, s.owner_id, priority=s.priority, worker_tag=s.worker_tag,
                      schedule_id=s.id, answers=chosen)
        self.run_counts[workflow.id] += 1
        s.last_run, s.last_job_id, s.run_count = at, job.id, s.run_count + 1

    def fire_due(self, now: datetime) -> None:
        """Run every enabled schedule whose runDateTime has passed (once per fire, oldest first)."""
        if self.next_due is None or now < self.next_due:
            return
        for s in self.world.schedules.values():
            if s.run_at is None or s.run_at > now:
                continue
            if not s.enabled:  # a disabled schedule skips its fires
                s.run_at = next_fire(s.iteration, s.time_zone, now)
                continue
            fired = 0
            while s.run_at is not None and s.run_at <= now:
                if fired >= FIRE_CAP:
                    s.run_at = next_fire(s.iteration, s.time_zone, now)
                    break
                self._fire(s, s.run_at)
                fired += 1
                s.run_at = next_fire(s.iteration, s.time_zone, s.run_at)
        self.refresh_due()

    # -- reads -------------------------------------------------------------------------------------------
    def _schedule(self, user: User, schedule_id: str) -> Schedule:
        found = self.world.schedules.get(schedule_id)
        if found is None:
            raise NotFound(f"Schedule with id '{schedule_id}' was not found.")
        if not (user.is_curator or found.owner_id == user.id):
            raise Forbidden("You do not have permission to access this schedule.")
        return found

    def _view(self, user: User, s: Schedule, now: datetime) -> dict[str, Any]:
        return out.full_schedule(self.world, s, user, self.last_error(s, now))

    def list_schedules(self, user: User, params: Params) -> list[dict[str, Any]]:
        """GET /v3/schedules: Curators see all, others their own; runsAfter inclusive, runsBefore exclusive."""
        with self.lock:
            now = self.tick()
            view = choice(params, "view", ("Default", "Full"), "Default")
            owner, workflow = one(params, "ownerId"), one(params, "workflowId")
            after, before = instant(params, "runsAfter"), instant(params, "runsBefore")
            rows = []
            for s in self.world.schedules.values():
                runs = parse_iso(out.run_date_time(s))
                if ((user.is_curator or s.owner_id == user.id) and owner in (None, "", s.owner_id)
                        and workflow in (None, "", s.workflow_id) and (after is None or runs >= after)
                        and (before is None or runs < before)):
                    rows.append(s)
            if view == "Full":
                return [self._view(user, s, now) for s in rows]
            return [out.reduced_schedule(s) for s in rows]

    def get_schedule(self, user: User, schedule_id: str) -> dict[str, Any]:
        """GET /v3/schedules/{id}."""
        with self.lock:
            now = self.tick()
            return self._view(user, self._schedule(user, schedule_id), now)

    # -- writes ------------------------------------------------------------------------------------------
    def _apply(self, user: User, s: Schedule, body: dict[str, Any], now: datetime) -> None:
        """Check then apply the given fields of a create/update/patch contract; unknown fields are ignored."""
        changes: dict[str, Any] = {}
        if "name" in body:
            if not isinstance(body["name"], str) or not body["name"].strip():
                raise BadRequest("name must be a non-empty string.")
            changes["name"] = body["name"]
        for text in ("comment", "workerTag"):
            if text in body:
                if body[text] is not None and not isinstance(body[text], str):
                    raise BadRequest(f"{text} must be a string.")
                changes["comment" if text == "comment" else "worker_tag"] = body[text] or ""
        if "enabled" in body:
            if not isinstance(body["enabled"], bool):
                raise BadRequest("enabled must be true or false.")
            changes["enabled"] = body["enabled"]
        if "priority" in body:
            changes["priority"] = v3_priority(body["priority"])
        if "credentialId" in body:
            changes["credential_id"] = body["credentialId"] or None
        if "timeZone" in body:
            zone_of(str(body["timeZone"]))
            changes["time_zone"] = str(body["timeZone"])
        if "iteration" in body:
            changes["iteration"] = normalize(body["iteration"])
        workflow = self.world.workflows.get(s.workflow_id)
        if "workflowId" in body:
            workflow = self.world.workflows.get(str(body["workflowId"]))
            if workflow is None or not self.can_see(user, workflow):  # type: ignore[attr-defined]
                raise BadRequest(f"Workflow with id '{body['workflowId']}' was not found.")
            if workflow.run_disabled:
                raise BadRequest(f"The workflow '{workflow.name}' is disabled for running.")
            changes["workflow_id"] = workflow.id
        if ("questions" in body or "workflowId" in body) and workflow is not None:
            given = body.get("questions", s.questions) or []
            named = {str(q.get("name")) for q in given if isinstance(q, dict)}
            checked = answers(workflow.questions, given)  # checks names and values
            changes["questions"] = [a for a in checked if a["name"] in named]
        owner = body.get("ownerId")
        if owner not in (None, "", s.owner_id):
            if not user.is_curator:
                raise Forbidden("Only Curators may change the owner of a schedule.")
            if owner not in self.world.users:
                raise BadRequest(f"User with id '{owner}' was not found.")
            changes["owner_id"] = owner
        for field, value in changes.items():
            setattr(s, field, value)
        s.modified_at, s.modified_by = now, user.id
        s.run_at = next_fire(s.iteration, s.time_zone, now)
        self.refresh_due()

    def create_schedule(self, user: User, body: dict[str, Any]) -> str:
        """POST /v3/schedules: the new schedule's id."""
        with self.lock:
            now = self.tick()
            if not user.can_schedule:
                raise Forbidden("You do not have permission to schedule jobs.")
            missing = [f for f in ("workflowId", "iteration", "name") if body.get(f) in (None, "")]
            if missing:
                raise BadRequest(f"The following required fields are missing: {', '.join(missing)}.")
            iteration = normalize(body["iteration"])
            if parse_iso(iteration["startTime"]) < now - START_GRACE:
                raise BadRequest("iteration.startTime must be in the future.")
            zone = str(body.get("timeZone") or user.time_zone)
            s = Schedule(hex_id(self.rng), str(body["name"]), str(body["workflowId"]), user.id, iteration, zone,
                         True, now, now, user.id, None)
            self._apply(user, s, {**body, "timeZone": zone, "enabled": body.get("enabled", True)}, now)
            self.world.schedules[s.id] = s
            self.refresh_due()
            return s.id

    def replace_schedule(self, user: User, schedule_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """PUT /v3/schedules/{id}: the full update contract; missing required fields -> 400."""
        with self.lock:
            now = self.tick()
            s = self._schedule(user, schedule_id)
            missing = [f for f in PUT_REQUIRED if f not in body or (body[f] is None and f not in ("comment",
                                                                                                   "workerTag"))]
            if missing:
                raise BadRequest(f"The following required fields are missing: {', '.join(missing)}.")
            self._apply(user, s, body, now)
            return self._view(user, s, now)

    def patch_schedule(self, user: User, schedule_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """PATCH /v3/schedules/{id}: only the given fields change (e.g. {"enabled": false})."""
        with self.lock:
            now = self.tick()
            s = self._schedule(user, schedule_id)
            self._apply(user, s, body, now)
            return self._view(user, s, now)

    def delete_schedule(self, user: User, schedule_id: str) -> None:
        """DELETE /v3/schedules/{id}; its past jobs stay."""
        with self.lock:
            self.tick()
            s = self._schedule(user, schedule_id)
            del self.world.schedules[s.id]
            for collection in self.world.collections.values():
                if s.id in collection.schedule_ids:
                    collection.schedule_ids.remove(s.id)
            self.refresh_due()
