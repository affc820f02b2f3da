"""Workflow and job operations of the Server backend, for Gallery v1 (subscription) and Server API v3."""
from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import datetime
from typing import Any, Callable, Iterator

from sandbox.server import serialize as out
from sandbox.server.errors import BadRequest, Forbidden, NotFound
from sandbox.server.jobs import new_job, run_detail
from sandbox.server.outputs import download
from sandbox.server.query import Params, boolean, choice, contains, instant, integer, one, window
from sandbox.server.questions import answers, v1_priority, v3_priority
from sandbox.server.world import DISPOSITIONS, JOB_STATUSES, Job, User, Workflow, World

V1_SORTS = ("uploaddate", "name")
VIEWS = ("Default", "Full")


class CatalogMixin:
    """Workflows, questions and jobs of ServerBackend; every public method starts with self.tick()."""

    world: World
    seed: int
    lock: threading.RLock
    rng: random.Random
    run_counts: Counter[str]

    tick: Callable[[], datetime]  # ServerBackend: fire due schedules, answer now

    # -- visibility --------------------------------------------------------------------------------------
    def _v1_workflow(self, user: User, app_id: str) -> Workflow:
        """A workflow of the caller's studio (v1 keys see nothing else)."""
        found = self.world.workflows.get(app_id)
        if found is None or found.subscription_id != user.subscription_id:
            raise NotFound(f"Unable to find app with id '{app_id}'.")
        return found

    def can_see(self, user: User, workflow: Workflow) -> bool:
        """v3: Curators see all; others their own, their studio's and their collections' workflows."""
        if user.is_curator or workflow.owner_id == user.id or workflow.subscription_id == user.subscription_id:
            return True
        return any(user.id in c.user_ids and workflow.id in c.workflow_ids for c in self.world.collections.values())

    def _v3_workflow(self, user: User, workflow_id: str) -> Workflow:
        found = self.world.workflows.get(workflow_id)
        if found is None or not self.can_see(user, found):
            raise NotFound(f"Workflow with id '{workflow_id}' was not found.")
        return found

    def _job(self, user: User, job_id: str, v1: bool) -> tuple[Job, Workflow]:
        job = self.world.jobs.get(job_id)
        workflow = self.world.workflows.get(job.workflow_id) if job else None
        if workflow is not None and (workflow.subscription_id == user.subscription_id if v1
                                     else self.can_see(user, workflow)):
            return job, workflow  # type: ignore[return-value]
        raise NotFound(f"Job with id '{job_id}' was not found.")

    def _jobs_of(self, workflow: Workflow) -> list[Job]:
        """The workflow's jobs, newest first."""
        jobs = [self.world.jobs[i] for i in self.world.jobs_by_workflow.get(workflow.id, [])]
        return sorted(jobs, key=lambda j: j.created_at, reverse=True)

    # -- v1 ----------------------------------------------------------------------------------------------
    def v1_workflows(self, user: User, params: Params) -> list[dict[str, Any]]:
        """GET /v1/workflows/subscription/: the caller's studio, newest upload first (or by name)."""
        with self.lock:
            self.tick()
            sort = (one(params, "sortField") or "uploaddate").lower()
            if sort not in V1_SORTS:
                raise BadRequest(f"The value '{sort}' is not valid for sortField; expected uploaddate or name.")
            package = integer(params, "packageType")
            needle = one(params, "search")
            rows = [w for w in self.world.workflows.values()
                    if w.subscription_id == user.subscription_id and contains(needle, w.name)
                    and package in (None, 0)]
            if sort == "name":
                rows.sort(key=lambda w: w.name.lower())
            else:
                rows.sort(key=lambda w: w.published.created_at, reverse=True)
            return [out.v1_workflow(w, self.run_counts[w.id]) for w in window(rows, params)]

    def v1_questions(self, user: User, app_id: str) -> list[dict[str, Any]]:
        """GET /v1/workflows/{appId}/questions/."""
        with self.lock:
            return [out.v1_question(q) for q in self._v1_workflow(user, app_id).questions]

    def _submit(self, user: User, workflow: Workflow, body: Any, priority: str, worker_tag: str | None) -> Job:
        if workflow.run_disabled:
            raise BadRequest(f"The workflow '{workflow.name}' is disabled for running.")
        if user.role == "NoAccess":
            raise Forbidden("You do not have permission to run workflows.")
        chosen = answers(workflow.questions, body.get("questions"))
        now = self.tick()
        job = new_job(self.world, self.rng, workflow.id, now, user.id, priority=priority,
                      worker_tag=worker_tag if worker_tag is not None else workflow.worker_tag, answers=chosen)
        self.run_counts[workflow.id] += 1
        return job

    def v1_submit(self, user: User, app_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST /v1/workflows/{appId}/jobs/: queue a run; answers and priority are checked first."""
        with self.lock:
            workflow = self._v1_workflow(user, app_id)
            job = self._submit(user, workflow, body, v1_priority(body.get("priority")), None)
            return out.v1_job(self.seed, job, workflow, self.tick())

    def v1_workflow_jobs(self, user: User, app_id: str, params: Params) -> list[dict[str, Any]]:
        """GET /v1/workflows/{appId}/jobs/: newest first, limit/offset."""
        with self.lock:
            now = self.tick()
            choice(params, "sortField", ("createdate",))
            jobs = window(self._jobs_of(self._v1_workflow(user, app_id)), params)
            return [out.v1_job_summary(j, now) for j in jobs]

    def v1_job(self, user: User, job_id: str, studio_only: bool = True) -> dict[str, Any]:
        """GET /v1/jobs/{jobId}/ (studio_only: a Gallery key sees its studio's jobs only)."""
        with self.lock:
            now = self.tick()
            job, workflow = self._job(user, job_id, v1=studio_only)
            return out.v1_job(self.seed, job, workflow, now)

    def job_output(self, user: User, job_id: str, output_id: str, fmt: str | None,
                   v1: bool = True) -> tuple[Iterator[bytes], str, str]:
        """(chunks, content type, file name) of one output of a completed job; 400 for a format it lacks."""
        with self.lock:
            now = self.tick()
            job, workflow = self._job(user, job_id, v1)
            if job.status_at(now) != "Completed":
                raise NotFound(f"Job '{job_id}' has no outputs yet.")
            found = next((o for o in run_detail(self.seed, job, workflow).outputs if o.id == output_id), None)
            if found is None:
                raise NotFound(f"Output with id '{output_id}' was not found for job '{job_id}'.")
        if not fmt:
            raise BadRequest(f"The format parameter is required; available formats: {', '.join(found.formats)}.")
        return download(self.seed, job.id, found, fmt)

    # -- v3 ----------------------------------------------------------------------------------------------
    def v3_workflows(self, user: User, params: Params) -> list[dict[str, Any]]:
        """GET /v3/workflows: ReducedWorkflow (or Workflow with view=Full), oldest first."""
        with self.lock:
            self.tick()
            view = choice(params, "view", VIEWS, "Default")
            needle, owner = one(params, "name"), one(params, "ownerId")
            after, before = instant(params, "createdAfter"), instant(params, "createdBefore")
            rows = [w for w in self.world.workflows.values()
                    if self.can_see(user, w) and contains(needle, w.name) and owner in (None, "", w.owner_id)
                    and (after is None or w.created_at >= after) and (before is None or w.created_at < before)]
            rows.sort(key=lambda w: w.created_at)
            if view == "Full":
                return [out.full_workflow(w, self.run_counts[w.id]) for w in rows]
            return [out.reduced_workflow(w) for w in rows]

    def v3_workflow(self, user: User, workflow_id: str) -> dict[str, Any]:
        """GET /v3/workflows/{id}."""
        with self.lock:
            workflow = self._v3_workflow(user, workflow_id)
            return out.full_workflow(workflow, self.run_counts[workflow.id])

    def v3_questions(self, user: User, workflow_id: str) -> list[dict[str, Any]]:
        """GET /v3/workflows/{id}/questions."""
        with self.lock:
            return [out.v3_question(q) for q in self._v3_workflow(user, workflow_id).questions]

    def v3_submit(self, user: User, workflow_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST /v3/workflows/{id}/jobs: queue a run (workerTag, credentialId, questions, priority)."""
        with self.lock:
            workflow = self._v3_workflow(user, workflow_id)
            tag = body.get("workerTag")
            if tag is not None and not isinstance(tag, str):
                raise BadRequest("workerTag must be a string.")
            job = self._submit(user, workflow, body, v3_priority(body.get("priority")), tag or None)
            return out.v3_job(self.seed, job, workflow, self.tick())

    def v3_workflow_jobs(self, user: User, workflow_id: str, params: Params) -> list[dict[str, Any]]:
        """GET /v3/workflows/{id}/jobs: WorkflowJob, sorted by createdate, filtered by status/resultCode."""
        with self.lock:
            now = self.tick()
            workflow = self._v3_workflow(user, workflow_id)
            choice(params, "sortField", ("createdate",))
            direction = choice(params, "direction", ("asc", "desc"), "desc")
            status = choice(params, "status", JOB_STATUSES)
            result = choice(params, "resultCode", DISPOSITIONS)
            jobs = [j for j in self._jobs_of(workflow)
                    if (status is None or j.status_at(now) == status)
                    and (result is None or j.disposition_at(now) == result)]
            if direction == "asc":
                jobs.reverse()
            return [out.v3_workflow_job(j, now) for j in window(jobs, params)]

    def v3_job(self, user: User, job_id: str, params: Params) -> dict[str, Any]:
        """GET /v3/jobs/{id}; includeMessages=false leaves the messages out."""
        with self.lock:
            now = self.tick()
            include = boolean(params, "includeMessages", True)
            job, workflow = self._job(user, job_id, v1=False)
            return out.v3_job(self.seed, job, workflow, now, include)

    def v3_job_messages(self, user: User, job_id: str) -> list[dict[str, Any]]:
        """GET /v3/jobs/{id}/messages: Curators only."""
        with self.lock:
            now = self.tick()
            job, workflow = self._job(user, job_id, v1=False)
            if not user.is_curator:
                raise Forbidden("Only Curators may read job messages.")
            return out.v3_job(self.seed, job, workflow, now)["messages"]
